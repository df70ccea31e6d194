// `poet`: the command-line tool (dist/cli.js). Dispatches to the command table in
// ./commands; prints help; turns CliErrors into one line on stderr and an exit status.
import { suggestionSuffix } from '../../shared/util/suggest';
import { CliError, EXIT, type Command } from './command';
import { commands } from './commands/index';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const rows = [...commands.map((c) => [c.name, c.summary]), ['help', 'list the commands, or show one command\'s usage']];
  return [
    'Usage: poet COMMAND [ARGS...]',
    '',
    'POET makes Dana and Python functions reliable. Commands:',
    ...rows.map(([n, s]) => `  ${n!.padEnd(width)}  ${s}`),
    '',
    "Run 'poet help COMMAND' or 'poet COMMAND --help' for a command's options.",
  ].join('\n');
}

function find(name: string): Command | undefined {
  return commands.find((c) => c.name === name);
}

function unknown(name: string): CliError {
  const names = [...commands.map((c) => c.name), 'help'];
  return new CliError(`unknown command '${name}'.${suggestionSuffix(name, names)} Run 'poet help' for the list.`);
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      process.stderr.write(overview() + '\n');
      return EXIT.usage;
    }
    if (name === 'help' || name === '--help' || name === '-h') {
      if (rest.length === 0) {
        process.stdout.write(overview() + '\n');
        return EXIT.ok;
      }
      const cmd = find(rest[0]!);
      if (!cmd) throw unknown(rest[0]!);
      process.stdout.write(cmd.usage + '\n');
      return EXIT.ok;
    }
    const cmd = find(name);
    if (!cmd) throw unknown(name);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(cmd.usage + '\n');
      return EXIT.ok;
    }
    try {
      return await cmd.run(rest);
    } catch (e) {
      if (e instanceof CliError) {
        process.stderr.write(`poet ${cmd.name}: ${e.message}\n`);
        return e.exitCode;
      }
      throw e;
    }
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`poet: ${e.message}\n`);
      return e.exitCode;
    }
    // A bug, not bad input: say so, with the stack for the report.
    process.stderr.write(`poet: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 70;
  }
}

// exitCode rather than process.exit(): lets piped stdout drain, and lets long-running
// commands (serve) keep the process alive after run() resolves.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 70;
  },
);
