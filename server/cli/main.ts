// Placeholder entry until the CLI lands (issue 2).
process.stderr.write('poet: no commands yet\n');
process.exit(2);
