// `poet serve`: runs the POET HTTP service on a workspace until SIGINT/SIGTERM.
import { resolve } from 'node:path';
import { DEFAULT_HOST, DEFAULT_PORT, TOKEN_ENV } from '../../../shared/contract/api';
import { startService } from '../../service/start';
import { parseStoreSpec, refusePasswordInArgs, STORE_ENV } from '../../storage/open';
import { isLoopback, resolveToken } from '../../service/token';
import { parseCommandArgs } from '../args';
import { CliError, EXIT, type Command } from '../command';

export const serve: Command = {
  name: 'serve',
  summary: 'run the POET HTTP service on a workspace',
  usage: [
    'Usage: poet serve [--workspace DIR] [--port N] [--host ADDRESS] [--store file|postgres://...]',
    '',
    'Runs the POET HTTP service, writing .dana/poet/ in the workspace. When ready it prints',
    `"POET service listening on http://HOST:PORT" and, when ${TOKEN_ENV} is not set, a second`,
    'line "POET token: TOKEN" with the bearer token generated for this run. Logs go to stderr.',
    '',
    'Options:',
    '  --workspace DIR   workspace root (default: the current directory)',
    `  --port N          port (default ${DEFAULT_PORT}; 0 takes a free port)`,
    `  --host ADDRESS    bind address (default ${DEFAULT_HOST}); another address needs ${TOKEN_ENV} set`,
    '  --allow-host NAME a Host name clients use to reach this machine (repeatable; also',
    '                    POET_ALLOWED_HOSTS=name1,name2). Loopback names are always allowed.',
    `  --store STORE     where versions, executions and feedback live (also ${STORE_ENV}): "file"`,
    '                    (default: .dana/poet/ in the workspace), or a PostgreSQL URL,',
    '                    postgres://USER@HOST:PORT/DB, shared by every service given it. A URL',
    `                    with a password goes in ${STORE_ENV} (arguments are visible to every`,
    '                    user of the machine), or the password in PGPASSWORD or ~/.pgpass.',
    '                    The workspace then holds only user domains; see also `poet sync`.',
    '',
    'Exit status: 0 after SIGINT/SIGTERM, 2 on bad options, 1 if the service cannot start.',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      workspace: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'allow-host': { type: 'string', multiple: true },
      store: { type: 'string' },
    });
    if (positionals.length) throw new CliError(`unexpected argument '${positionals[0]}'. Use --workspace DIR.`);
    const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be an integer 0-65535, not '${values.port}'.`);
    const host = values.host ?? DEFAULT_HOST;
    const { token, generated } = resolveToken();
    if (!isLoopback(host) && generated) {
      throw new CliError(`binding ${host} exposes the service beyond this machine; set ${TOKEN_ENV} to a strong token first.`);
    }
    const allowedHosts = [...(values['allow-host'] ?? []), ...(process.env.POET_ALLOWED_HOSTS ?? '').split(',')]
      .map((h) => h.trim())
      .filter(Boolean);
    for (const h of allowedHosts) {
      if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/.test(h)) throw new CliError(`--allow-host '${h}' is not a host name or address.`);
    }
    const store = values.store ?? process.env[STORE_ENV];
    try {
      refusePasswordInArgs('--store', values.store);
      parseStoreSpec(store);
    } catch (e) {
      throw new CliError(`--store: ${(e as Error).message}.`);
    }
    let handle;
    try {
      handle = await startService({ workspace: resolve(values.workspace ?? '.'), host, port, token, allowedHosts, announce: true, store });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'EADDRINUSE' ? `port ${port} is in use (try --port 0)` : (e as Error).message;
      throw new CliError(`cannot start: ${why}`, EXIT.failed);
    }
    process.stdout.write(`POET service listening on ${handle.url}\n`);
    if (generated) process.stdout.write(`POET token: ${token}\n`);
    const h = handle;
    await new Promise<void>((done) => {
      const stop = () => {
        void h.close().then(done);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return EXIT.ok;
  },
};
