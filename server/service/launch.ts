// launchService: builds the store, the app and the HTTP server around a pipeline factory.
// `startService` (start.ts) passes the real generators; tests can pass a variant (e.g. a
// generator with another version, to see the cache invalidate).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { DEFAULT_HOST, DEFAULT_PORT } from '../../shared/contract/api';
import { openStore } from '../storage/open';
import type { PoetStore } from '../storage/store';
import { createApp } from './app';
import { onClientError } from './client-error';
import { ServiceEvents, type ServiceDeps } from './deps';
import { createLogger } from './logger';
import type { EnhancePipeline } from './pipeline';
import { SERVICE_VERSION } from './version';
import { announce } from './announce';
import { isLoopback } from './token';

export interface ServiceOptions {
  workspace: string;
  host?: string;
  /** 0 takes a free port. Default 12345. */
  port?: number;
  /** Bearer token for every request except GET /health. */
  token: string;
  logger?: Logger;
  /** More Host header names to accept, e.g. the machine's DNS name when bound beyond loopback. */
  allowedHosts?: readonly string[];
  /** Write a service file (announce.ts) so `poet run` finds this service; loopback only. */
  announce?: boolean;
  /** `file` (default: `.dana/poet/` in the workspace) or a postgres:// URL (storage/open.ts). */
  store?: string;
}

export interface ServiceHandle {
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
  pipeline: EnhancePipeline;
  /** For modules that observe requests (metrics) and for tests. */
  deps: ServiceDeps;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((ok, fail) => {
    const onError = (e: Error) => fail(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      ok();
    });
  });
}

export type PipelineFactory = (store: PoetStore, logger: Logger) => EnhancePipeline;

export async function launchService(opts: ServiceOptions, createPipeline: PipelineFactory): Promise<ServiceHandle> {
  if (!opts.token) throw new Error('the POET service needs a token');
  const logger = opts.logger ?? createLogger();
  const workspace = resolve(opts.workspace);
  const host = opts.host ?? DEFAULT_HOST;
  const store = await openStore({ workspace, store: opts.store, logger });
  const pipeline = createPipeline(store, logger);
  const deps: ServiceDeps = {
    workspace,
    paths: store.paths,
    store,
    pipeline,
    logger,
    locks: { withFunctionLock: (key, fn) => store.withFunctionLock(key, fn) },
    events: new ServiceEvents(),
    version: SERVICE_VERSION,
    startedAt: Date.now(),
  };

  let boundPort = opts.port ?? DEFAULT_PORT;
  const server = createServer(createApp(deps, { token: opts.token, host, port: () => boundPort, allowedHosts: opts.allowedHosts ?? [] }));
  server.keepAliveTimeout = 5_000;
  server.on('clientError', onClientError(logger));
  try {
    await listen(server, boundPort, host);
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
  boundPort = (server.address() as AddressInfo).port;

  // After listen: the walk can be long on a big store and is safe while serving
  // (it skips temporary files whose writer is alive).
  void store.cleanup().catch((err: unknown) => logger.warn({ err }, 'cleanup of temporary files failed'));

  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${boundPort}`;
  logger.info({ url, workspace, store: store.location }, 'POET service listening');
  const announcement = opts.announce && isLoopback(host) ? announce({ url, workspace, token: opts.token }, logger) : undefined;
  let closing: Promise<void> | undefined;
  return {
    url,
    port: boundPort,
    host,
    pipeline,
    deps,
    close() {
      announcement?.remove();
      closing ??= new Promise<void>((ok) => {
        server.close(() => void pipeline.close().finally(() => store.close().catch((err: unknown) => logger.warn({ err }, 'closing the store failed')).finally(ok)));
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      return closing;
    },
  };
}
