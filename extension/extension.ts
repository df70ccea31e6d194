// Placeholder entry until the extension lands (issue 5).
export function activate(): void {}
export function deactivate(): void {}
