// `poet enhance FILE`: the transpile pipeline in-process, no service needed (scripts, CI).
import { isAbsolute, relative, resolve } from 'node:path';
import { PoetError } from '../../../shared/contract/errors';
import { createPipeline } from '../../service/generators';
import { createLogger } from '../../service/logger';
import { PoetStore } from '../../storage/store';
import { parseCommandArgs } from '../args';
import { CliError, EXIT, type Command } from '../command';
import { readSourceFile } from '../files';

export const enhance: Command = {
  name: 'enhance',
  summary: 'enhance one function of a file and print the transpile response JSON',
  usage: [
    'Usage: poet enhance FILE [--function NAME] [--config JSON] [--workspace DIR] [--key KEY] [--force]',
    '',
    'Runs the same pipeline as POST /poet/transpile in this process and writes the new version',
    'under WORKSPACE/.dana/poet/. Prints the transpile response as JSON on stdout.',
    '',
    'Options:',
    '  --function NAME   the function to enhance (required when FILE defines several)',
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
      const rel = relative(workspace, resolve(file));
      // A file outside the workspace is enhanced without a source_file (like code sent over HTTP).
      const contextFile = rel.startsWith('..') || isAbsolute(rel) ? null : rel;
      const store = new PoetStore(workspace, logger);
      const out = await createPipeline(store, logger).enhance({
        code: src.text,
        language: src.language,
        functionName: values.function,
        key: values.key,
        config,
        contextFile,
        force: values.force ?? false,
      });
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      return EXIT.ok;
    } catch (e) {
      const pe = e instanceof PoetError ? e : new PoetError('internal', (e as Error).message ?? String(e));
      process.stdout.write(JSON.stringify(pe.toBody(), null, 2) + '\n');
      return EXIT.failed;
    } finally {
      logger.flush();
    }
  },
};
