// poet functions FILE: the function model as JSON lines, in the field names Dana's own
// grammar oracle (`check_parse.py --defs`) uses, so the two outputs can be diffed.
import type { FunctionModel } from '../../../shared/source/model';
import { parseSource } from '../../../shared/source/parse';
import { parseCommandArgs } from '../args';
import { CliError, EXIT, type Command } from '../command';
import { readSourceFile } from '../files';
import { formatIssue } from './check';

/** The core fields of the issue, in its order, then extras that consumers found useful. */
export function functionRecord(fn: FunctionModel) {
  return {
    name: fn.name,
    kind: fn.kind,
    line: fn.line,
    start_line: fn.start_line,
    end_line: fn.end_line,
    receiver: fn.receiver,
    params: fn.params.map((p) => ({ name: p.name, type: p.type, default: p.default })),
    return_type: fn.return_type,
    decorators: fn.decorators.map((d) => ({ name: d.name, args: d.args, kwargs: d.kwargs, line: d.line })),
    docstring: fn.docstring,
    parents: fn.parents,
    // Extras: the oracle's body_start_line (null for a body-less declarative def, as there),
    // and what Dana's declarative defs compose.
    body_start_line: fn.kind === 'declarative' ? null : fn.body_range.start.line,
    composition: fn.composition,
    language: fn.language,
  };
}

export const functions: Command = {
  name: 'functions',
  summary: 'print the functions of a .na or .py file as JSON, one object per line',
  usage: `Usage: poet functions [--full] FILE

Prints one JSON object per function in FILE (Dana .na or Python .py), in source order:
  name, kind (def | sync def | async def | declarative), line (of def), start_line (first
  decorator, else line), end_line (last line of the body), receiver ({name, type} or null),
  params [{name, type, default}], return_type, decorators [{name, args, kwargs, line}],
  docstring, parents (enclosing defs/structs/classes, outermost first), body_start_line,
  composition (Dana declarative defs), language.
Syntax errors are printed to stderr as FILE:LINE:COL: message; the functions that could
still be read are printed all the same.

Options:
  --full   print the whole function model (ranges with offsets, decorator arguments, source)

Exit status: 0 ok, 1 the file has syntax errors, 2 bad usage or unreadable file.`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { full: { type: 'boolean' } });
    if (positionals.length !== 1) {
      throw new CliError(`expected exactly one FILE, got ${positionals.length}. Usage: poet functions [--full] FILE`);
    }
    const file = await readSourceFile(positionals[0]!);
    const parsed = parseSource(file.text, file.language);
    const lines = parsed.functions.map((fn) => JSON.stringify(values.full ? fn : functionRecord(fn)));
    if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n');
    for (const issue of parsed.errors) process.stderr.write(formatIssue(file.path, issue) + '\n');
    return parsed.errors.length > 0 ? EXIT.failed : EXIT.ok;
  },
};
