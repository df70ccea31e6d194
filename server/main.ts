// Placeholder entry until the backend process lands (issues 3 and 5).
export {};
