// What `poet build` and `poet run` share: their arguments, the checks on FILE, and the build.
import { existsSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative, resolve } from 'node:path';
import { formatIssue } from '../commands/check';
import { parseCommandArgs } from '../args';
import { CliError, EXIT } from '../command';
import { createPipeline } from '../../service/generators';
import { createLogger } from '../../service/logger';
import { FileStore } from '../../storage/file-store';
import { buildProgram, type BuildResult } from './build';
import { inside, ModuleSyntaxError } from './modules';

export interface Prepared {
  build: BuildResult;
  workspace: string;
  /** The program's own arguments (after `--`). */
  programArgs: string[];
  display: (path: string) => string;
}

/** A path as messages show it: relative to the current directory when under it. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const r = relative(cwd, path);
  if (r === '') return '.';
  return !r.startsWith('..') && !isAbsolute(r) ? r : path;
}

export async function prepare(command: 'run' | 'build', args: string[], usage: string): Promise<Prepared> {
  const dash = args.indexOf('--');
  const own = dash >= 0 ? args.slice(0, dash) : args;
  const programArgs = dash >= 0 ? args.slice(dash + 1) : [];
  if (command === 'build' && programArgs.length) throw new CliError(`build takes no program arguments. ${usage}`);
  const { values, positionals } = parseCommandArgs(own, { workspace: { type: 'string' }, enhance: { type: 'boolean' } });
  if (positionals.length !== 1) {
    throw new CliError(
      positionals.length
        ? `unexpected argument '${positionals[1]}'${command === 'run' ? "; pass the program's own arguments after --" : ''}. ${usage}`
        : `missing FILE. ${usage}`,
    );
  }
  const cwd = process.cwd();
  const file = resolve(positionals[0]!);
  const workspace = resolve(values.workspace ?? '.');
  if (!file.endsWith('.na')) throw new CliError(`${positionals[0]}: not a Dana (.na) file`);
  if (!existsSync(file)) throw new CliError(`${positionals[0]}: cannot read: no such file`);
  if (!statSync(file).isFile()) throw new CliError(`${positionals[0]}: is a directory, not a file`);
  if (!existsSync(workspace) || !statSync(workspace).isDirectory()) throw new CliError(`--workspace ${values.workspace}: not a folder`);
  if (!inside(workspace, file)) {
    throw new CliError(`${positionals[0]} is not inside the workspace ${workspace}; pass the folder that holds it (and its .dana/poet/) with --workspace DIR.`);
  }
  if (inside(join(workspace, '.dana'), file)) throw new CliError(`${positionals[0]} is POET's own file; give the program's source file.`);

  const display = (p: string) => displayPath(p, cwd);
  const logger = createLogger(process.env.POET_LOG_LEVEL ?? 'warn');
  const store = new FileStore(workspace, logger);
  const danapath = (process.env.DANAPATH ?? '').split(delimiter).filter(Boolean).map((p) => resolve(cwd, p));
  try {
    const build = await buildProgram({
      workspace,
      file,
      cwd,
      danapath,
      store,
      pipeline: values.enhance ? createPipeline(store, logger) : undefined,
      display,
    });
    for (const c of build.created) process.stderr.write(`poet ${command}: enhanced ${c}\n`);
    for (const w of build.warnings) process.stderr.write(`poet ${command}: warning: ${w}\n`);
    return { build, workspace, programArgs, display };
  } catch (e) {
    if (e instanceof ModuleSyntaxError) {
      for (const issue of e.errors) process.stderr.write(formatIssue(display(e.path), issue) + '\n');
      throw new CliError(`${display(e.path)} has syntax errors (above); fix them first.`, EXIT.failed);
    }
    throw e;
  } finally {
    logger.flush();
  }
}
