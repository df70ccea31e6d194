// Everything a route module needs, as one typed object: routers are `(deps) => Router`.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { PoetPaths } from '../storage/paths';
import type { PoetStore } from '../storage/store';
import type { EnhancePipeline } from './pipeline';

/** Events other modules (metrics) can observe without touching the request path. */
export interface ServiceEventMap {
  /** Every finished request. `route` is the matched pattern, e.g. `/poet/functions/:name`. */
  request: [{ method: string; route: string; status: number; duration_ms: number }];
  /** Every transpile outcome. */
  transpile: [{ key: string; version: string; cached: boolean; created: boolean; duration_ms: number }];
}

export class ServiceEvents extends EventEmitter<ServiceEventMap> {}

export interface ServiceDeps {
  /** Absolute workspace root. */
  workspace: string;
  paths: PoetPaths;
  store: PoetStore;
  pipeline: EnhancePipeline;
  logger: Logger;
  /** Per-function lock: in-process queue + cross-process lock file. */
  locks: { withFunctionLock<T>(key: string, fn: () => Promise<T>): Promise<T> };
  events: ServiceEvents;
  /** Service version (package.json). */
  version: string;
  /** Date.now() at start. */
  startedAt: number;
}
