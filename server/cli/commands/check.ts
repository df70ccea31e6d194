// poet check FILE...: syntax errors as FILE:LINE:COL: message, the format editors and CI
// problem matchers understand.
import type { SyntaxIssue } from '../../../shared/source/model';
import { parseSource } from '../../../shared/source/parse';
import { parseCommandArgs } from '../args';
import { CliError, EXIT, type Command } from '../command';
import { readSourceFile } from '../files';

export function formatIssue(path: string, issue: SyntaxIssue): string {
  // One line per issue, whatever the message holds.
  return `${path}:${issue.line}:${issue.column}: ${issue.message.replace(/\s*[\r\n]+\s*/g, ' ')}`;
}

export const check: Command = {
  name: 'check',
  summary: 'report syntax errors in .na and .py files',
  usage: `Usage: poet check FILE...

Parses each FILE (Dana .na or Python .py) and prints every syntax error as
  FILE:LINE:COL: message
on stdout (lines and columns 1-based). Prints nothing when all files parse.
A file that cannot be read is reported on stderr and the others are still checked.

Exit status: 0 no errors, 1 at least one syntax error, 2 bad usage or an unreadable file.`,
  async run(args) {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length === 0) throw new CliError('expected at least one FILE. Usage: poet check FILE...');
    let status: number = EXIT.ok;
    for (const path of positionals) {
      try {
        const file = await readSourceFile(path);
        const parsed = parseSource(file.text, file.language);
        for (const issue of parsed.errors) process.stdout.write(formatIssue(path, issue) + '\n');
        if (parsed.errors.length > 0) status = Math.max(status, EXIT.failed);
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        process.stderr.write(`poet check: ${e.message}\n`);
        status = Math.max(status, e.exitCode);
      }
    }
    return status;
  },
};
