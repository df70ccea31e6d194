// dist/server.js: the one backend child process the extension starts (vscode-languageclient,
// IPC transport). It is the language server, and it runs one POET HTTP service per workspace
// folder on 127.0.0.1, reporting them to the client as poet/status snapshots.
//
// Process hygiene: the client passes --clientProcessId; vscode-languageserver polls that pid
// (and InitializeParams.processId) and exits when the editor is gone. A closed IPC channel
// ends the process too. The token comes from POET_API_KEY (never argv) and is never logged.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { TOKEN_ENV } from '../shared/contract/api';
import { createLogger } from './service/logger';
import { resolveToken } from './service/token';
import { createPoetServer } from './lsp/server';

function envPort(): number | undefined {
  const raw = process.env.POET_PORT;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

const connection = createConnection(ProposedFeatures.all);
const { token, generated } = resolveToken(process.env);
// The service's own JSON log lines go to stderr, which the client shows in its output channel.
const logger = createLogger();

const server = createPoetServer(connection, { token, envPort: envPort(), logger });
if (generated) connection.console.warn(`POET: ${TOKEN_ENV} is not set; the HTTP service uses a random token the client does not know.`);
if (process.env.POET_PORT !== undefined && envPort() === undefined) connection.console.warn(`POET: ignoring POET_PORT=${process.env.POET_PORT} (not a port number); using a free port.`);

/** Closes the HTTP services (finishing requests in flight, at most 2 s), then exits. */
function closeAndExit(code: number): void {
  void server.dispose().finally(() => process.exit(code));
  setTimeout(() => process.exit(code), 2000).unref();
}
// The IPC channel to the extension host closed: nobody can talk to us any more.
process.on('disconnect', () => closeAndExit(0));
// A process manager (or the client's terminate) asking politely.
process.on('SIGTERM', () => closeAndExit(0));
process.on('SIGINT', () => closeAndExit(0));
// Log instead of dying silently; the client restarts a crashed server, but a lost
// promise in one feature should not take the services down.
process.on('unhandledRejection', (err) => connection.console.error(`POET: unhandled rejection: ${(err as Error)?.stack ?? String(err)}`));
process.on('uncaughtException', (err) => connection.console.error(`POET: uncaught exception: ${err.stack ?? String(err)}`));

connection.listen();
