// `poet sync`: writes the current version of every function in a PostgreSQL store into a
// workspace's `.dana/poet/`, in the file store's layout (version folder, `current`, index.json,
// and the runtime files versions import), so the Python runtime hook and `poet run` find them.
import { resolve } from 'node:path';
import { rm } from 'node:fs/promises';
import { createLogger } from '../../service/logger';
import { FileStore } from '../../storage/file-store';
import { openStore, parseStoreSpec, refusePasswordInArgs, STORE_ENV } from '../../storage/open';
import { PgStore } from '../../storage/postgres/pg-store';
import { parseCommandArgs } from '../args';
import { CliError, EXIT, type Command } from '../command';

export const sync: Command = {
  name: 'sync',
  summary: "write the current versions of a PostgreSQL store into a workspace's .dana/poet/",
  usage: [
    `Usage: poet sync --workspace DIR [--store postgres://...] [--force]`,
    '',
    'Writes the current version of every function in the store into DIR/.dana/poet/ as the file',
    'store lays it out: functions/KEY/vN/ (enhanced code, metadata.json), current, index.json and',
    'the runtime files under runtime/. The Python runtime hook and poet run then use them. Prints',
    'one JSON line per function: {"key", "version", "action": "written" | "unchanged" | "conflict"}.',
    '',
    'Options:',
    '  --workspace DIR   the workspace to write into (default: the current directory)',
    `  --store URL       the PostgreSQL store (default: ${STORE_ENV}); without a password in it:`,
    '                    give that in PGPASSWORD or ~/.pgpass, or the whole URL in the variable',
    '  --force           replace a version folder of the same number that holds other content',
    '                    (otherwise reported as a conflict and left alone)',
    '',
    'Exit status: 0 when every function is in place, 1 on a conflict or when the store cannot be',
    'read, 2 on bad options.',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      workspace: { type: 'string' },
      store: { type: 'string' },
      force: { type: 'boolean' },
    });
    if (positionals.length) throw new CliError(`unexpected argument '${positionals[0]}'. Use --workspace DIR.`);
    const url = values.store ?? process.env[STORE_ENV];
    let spec;
    try {
      refusePasswordInArgs('--store', values.store);
      spec = parseStoreSpec(url);
    } catch (e) {
      throw new CliError(`--store: ${(e as Error).message}.`);
    }
    if (spec.kind !== 'postgres') throw new CliError(`sync reads a PostgreSQL store: set ${STORE_ENV}=postgres://USER:PASSWORD@HOST:PORT/DB (or give --store postgres://USER@HOST:PORT/DB with the password in PGPASSWORD or ~/.pgpass).`);
    const workspace = resolve(values.workspace ?? '.');
    const logger = createLogger(process.env.POET_LOG_LEVEL ?? 'warn');
    let source;
    try {
      source = await openStore({ workspace, store: spec.url, logger });
    } catch (e) {
      throw new CliError(`cannot read the store: ${(e as Error).message}`, EXIT.failed);
    }
    if (!(source instanceof PgStore)) throw new CliError('sync reads a PostgreSQL store.');
    const target = new FileStore(workspace, logger);
    let conflicts = 0;
    try {
      // Runtime files first: a version imports its runtime, which must be there before it is.
      for (const r of await source.runtimeFiles()) await target.ensureRuntimeFile(r);
      for (const f of await source.listFunctions()) {
        const version = f.current_version ?? f.versions[f.versions.length - 1]!;
        const [meta, files] = await Promise.all([source.readMetadata(f.key, version), source.versionFiles(f.key, version)]);
        if (!meta || !files) continue;
        const action = await target.withFunctionLock(f.key, async () => {
          const here = await target.readMetadata(f.key, version);
          if (here && (here.source_hash !== meta.source_hash || here.created_at !== meta.created_at)) {
            if (!values.force) return 'conflict';
            await rm(target.versionDir(f.key, version), { recursive: true, force: true });
          } else if (here) {
            if ((await target.readCurrent(f.key)) !== version) await target.writeCurrent(f.key, version);
            return 'unchanged';
          }
          const versionFiles = Object.entries(files)
            .filter(([name]) => name !== 'metadata.json')
            .map(([name, data]) => ({ name, data }));
          await target.publishVersion(f.key, version, versionFiles, meta, { makeCurrent: true });
          return 'written';
        });
        if (action === 'conflict') conflicts++;
        process.stdout.write(JSON.stringify({ key: f.key, version, action }) + '\n');
      }
    } finally {
      await source.close();
      await target.close();
    }
    if (conflicts) {
      process.stderr.write(`poet sync: ${conflicts} function(s) have a local version of the same number with other content; --force replaces them.\n`);
      return EXIT.failed;
    }
    return EXIT.ok;
  },
};
