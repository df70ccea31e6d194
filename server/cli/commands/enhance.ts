// `poet enhance FILE`: the transpile pipeline in-process, no service needed (scripts, CI).
import { resolve } from 'node:path';
import { workspaceRelative } from '../../../shared/workspace-paths';
import { PoetError } from '../../../shared/contract/errors';
import { createPipeline } from '../../service/generators';
import { createLogger } from '../../service/logger';
import { FileStore } from '../../storage/file-store';
import { parseCommandArgs } from '../args';
import { CliError, EXIT, type Command } from '../command';
import { readSourceFile } from '../files';
import { parseSource } from '../../../shared/source/parse';
import { poetDecorator, qualifiedName } from '../../../shared/source/locate';
import type { Language } from '../../../shared/source/model';

/** Names of the @poet functions when FILE defines several functions; null when it defines one (or none). */
function poetFunctions(text: string, language: Language): string[] | null {
  const fns = parseSource(text, language).functions;
  if (fns.filter((f) => f.parents.length === 0).length <= 1 && fns.length <= 1) return null;
  const marked = fns.filter((f) => poetDecorator(f)).map(qualifiedName);
  if (!marked.length) {
    throw new CliError(`the file defines several functions and none is marked @poet; give --function NAME (one of: ${fns.map(qualifiedName).join(', ')}).`);
  }
  return marked;
}

export const enhance: Command = {
  name: 'enhance',
  summary: 'enhance a function of a file (or every @poet function in it) and print the transpile response JSON',
  usage: [
    'Usage: poet enhance FILE [--function NAME] [--config JSON] [--workspace DIR] [--key KEY] [--force]',
    '',
    'Runs the same pipeline as POST /poet/transpile in this process and writes the new version',
    'under WORKSPACE/.dana/poet/. Prints the transpile response as JSON on stdout. When FILE',
    'defines several functions and --function is not given, every function marked @poet is',
    'enhanced and the output is a JSON array with one response (or {"error": ...}) per function.',
    '',
    'Options:',
    '  --function NAME   the function to enhance (default: the only one, else every @poet one)',
    '  --config JSON     config overlaid on the function\'s @poet(...) arguments, e.g. \'{"retries":3}\'',
    '  --workspace DIR   workspace root (default: the current directory); the path of FILE',
    '                    inside it is recorded as source_file',
    '  --key KEY         storage key instead of the function name (module-qualified, e.g. billing.total)',
    '  --force           generate a new version even when the cache has this exact input',
    '',
    'Exit status: 0 on success; 1 with {"error": {...}} on stdout when enhancement fails;',
    '2 on bad options or an unreadable FILE.',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      function: { type: 'string' },
      config: { type: 'string' },
      workspace: { type: 'string' },
      key: { type: 'string' },
      force: { type: 'boolean' },
    });
    const file = positionals[0];
    if (!file || positionals.length > 1) {
      throw new CliError(file ? `one FILE only, got ${positionals.length}.` : 'missing FILE. Usage: poet enhance FILE [--function NAME] [--config JSON]');
    }
    const src = await readSourceFile(file);
    const logger = createLogger(process.env.POET_LOG_LEVEL ?? 'warn');
    try {
      let config: Record<string, unknown> = {};
      if (values.config !== undefined) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(values.config);
        } catch (e) {
          throw new PoetError('invalid_request', `--config is not valid JSON: ${(e as Error).message}`, [{ field: 'config', message: 'not valid JSON' }]);
        }
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
          throw new PoetError('invalid_request', '--config must be a JSON object, e.g. \'{"retries":3}\'.', [{ field: 'config', message: 'must be an object' }]);
        }
        config = parsed as Record<string, unknown>;
      }
      const workspace = resolve(values.workspace ?? '.');
      // A file outside the workspace is enhanced without a source_file (like code sent over HTTP).
      const contextFile = workspaceRelative(workspace, resolve(file)) ?? null;
      const store = new FileStore(workspace, logger);
      const pipeline = createPipeline(store, logger);
      const request = { code: src.text, language: src.language, key: values.key, config, contextFile, force: values.force ?? false };
      const marked = values.function === undefined ? poetFunctions(src.text, src.language) : null;
      if (!marked) {
        const out = await pipeline.enhance({ ...request, functionName: values.function });
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        return EXIT.ok;
      }
      if (values.key !== undefined) throw new CliError('--key names one function\'s history; give --function NAME with it.');
      const results: unknown[] = [];
      let failed = false;
      for (const name of marked) {
        try {
          results.push(await pipeline.enhance({ ...request, functionName: name }));
        } catch (e) {
          failed = true;
          results.push({ function_name: name, ...(e instanceof PoetError ? e : new PoetError('internal', (e as Error).message ?? String(e))).toBody() });
        }
      }
      process.stdout.write(JSON.stringify(results, null, 2) + '\n');
      return failed ? EXIT.failed : EXIT.ok;
    } catch (e) {
      const pe = e instanceof PoetError ? e : new PoetError('internal', (e as Error).message ?? String(e));
      process.stdout.write(JSON.stringify(pe.toBody(), null, 2) + '\n');
      return EXIT.failed;
    } finally {
      logger.flush();
    }
  },
};
