// What the learning loop needs from the service that hosts it, declared on this side: the
// service's routes import learning, so learning must not import the service back. The
// service's ServiceDeps satisfies this shape as it is.
import type { Logger } from 'pino';
import type { VersionReason } from '../../shared/contract/api';
import type { Language } from '../../shared/source/model';
import type { PoetStore } from '../storage/store';

/** A new version of a function from its original text and a learned config (Train's output). */
export interface VersionRequest {
  code: string;
  language: Language;
  functionName: string;
  key: string;
  config: Record<string, unknown>;
  contextFile: string | null;
  reason: VersionReason;
  extraMetadata: Record<string, unknown>;
  makeCurrent: boolean;
}

/** The service events the learning metrics count (server/service/deps.ts emits them). */
export interface ObservedEvents {
  on(event: 'request', listener: (e: { method: string; route: string; status: number; duration_ms: number }) => void): unknown;
  on(event: 'transpile', listener: (e: { cached: boolean; created: boolean }) => void): unknown;
}

export interface LearningDeps {
  /** Absolute workspace root. */
  workspace: string;
  store: PoetStore;
  /** Makes versions: the same pipeline as POST /poet/transpile. */
  pipeline: { enhance(input: VersionRequest): Promise<{ version: string; created: boolean }> };
  logger: Logger;
  events: ObservedEvents;
  /** Date.now() at the service's start. */
  startedAt: number;
}
