// The one store interface, and what both implementations share: the file store under the
// workspace's `.dana/poet/` (file-store.ts, the default) and PostgreSQL for a team's shared
// service (postgres/pg-store.ts). Everything above the store (pipeline, routes, learning)
// works through this interface only.
import type { z } from 'zod';
import type { FunctionSummary, VersionMetadata } from '../../shared/contract/api';
import type { ExecutionRecord, FeedbackRecord, ServiceMetrics } from '../../shared/contract/learning';
import type { VersionAggregate } from './records/aggregate';
import type { FeedbackRow } from './records/feedback-rows';
import type { FunctionIndex, CacheEntry } from './schemas';
import type { PoetPaths } from './paths';
import type { WorkspaceFiles } from './workspace-files';

export { CacheEntrySchema, FunctionIndexSchema, type CacheEntry, type FunctionIndex } from './schemas';

/** A runtime file for `.dana/poet/` (`path` relative to it, e.g. `runtime/python/NAME.py`). */
export interface RuntimeSource {
  path: string;
  text: string;
}

export interface VersionFile {
  name: string;
  data: string;
}

/** An execution ready to store: the whole record, and its line in the compact format (execution-line.ts). */
export interface StoredExecution {
  key: string;
  version: string;
  record: ExecutionRecord;
  line: string;
}

/** What a reader may take at most: records and bytes of record text. */
export interface ReadLimit {
  records: number;
  bytes: number;
}

export interface ExecutionStore {
  /** Stores the records; resolves once they are durable. Concurrent calls share one commit (group commit). */
  append(items: StoredExecution[]): Promise<void>;
  get(id: string): Promise<ExecutionRecord | undefined>;
  /** The newest records of a function (of one version, or all), newest first, within `limit`. */
  recent(key: string, version: string | undefined, limit: ReadLimit): Promise<ExecutionRecord[]>;
  /** The running aggregate of every version of `key` that has records. */
  aggregates(key: string): Promise<Map<string, VersionAggregate>>;
  /** Keeps a record in the layout a person opens (the file store's executions/{id}/); called before feedback refers to it. */
  keep(record: ExecutionRecord): Promise<void>;
  memory(): Pick<ServiceMetrics['learning_memory'], 'aggregates' | 'aggregate_bytes' | 'aggregate_budget'>;
  close(): Promise<void>;
}

export interface FeedbackStore {
  /** Stores a feedback record under a stamp unique per function (also across processes). */
  add(rec: Omit<FeedbackRecord, 'feedback_id' | 'timestamp' | 'created_at'>): Promise<FeedbackRecord>;
  /** The function's newest feedback as compact rows, oldest first (bounded: FEEDBACK_ROWS_BYTES). */
  rows(key: string): Promise<FeedbackRow[]>;
  /** Whole records for `rows`, newest first within `limit`; returned oldest first. */
  read(key: string, rows: readonly FeedbackRow[], limit: ReadLimit): Promise<FeedbackRecord[]>;
  memory(): Pick<ServiceMetrics['learning_memory'], 'feedback_rows' | 'feedback_row_bytes' | 'feedback_row_budget'>;
}

export interface PoetStore {
  readonly kind: 'file' | 'postgres';
  /** Where the data lives, for logs and health: the workspace, or the database URL without its password. */
  readonly location: string;
  /** The local workspace's layout: what metadata's `files` name, and where user domains are read. */
  readonly paths: PoetPaths;
  /** Link-safe access to the local workspace's `.dana/poet/` (user domains, runtime files). */
  readonly local: WorkspaceFiles;
  readonly executions: ExecutionStore;
  readonly feedback: FeedbackStore;

  /** Whether the store can take writes now; a message saying why not. */
  health(): Promise<{ ok: true } | { ok: false; message: string }>;
  /** Removes what interrupted writers left behind; safe while serving. */
  cleanup(): Promise<void>;
  close(): Promise<void>;

  /** Serialises work on one function, in this process and across every process on the store. */
  withFunctionLock<T>(key: string, fn: () => Promise<T>): Promise<T>;

  listFunctions(): Promise<FunctionSummary[]>;
  describe(key: string): Promise<{ index: FunctionIndex; current: string | null } | undefined>;
  readIndex(key: string): Promise<FunctionIndex | undefined>;
  exists(key: string): Promise<boolean>;
  /** Version names, oldest first. */
  listVersions(key: string): Promise<string[]>;
  readCurrent(key: string): Promise<string | null>;
  /** Points `current` at `version`, which must exist (404 otherwise). Call under the function lock. */
  writeCurrent(key: string, version: string): Promise<void>;
  hasVersion(key: string, version: string): Promise<boolean>;
  readMetadata(key: string, version: string): Promise<VersionMetadata | undefined>;
  readVersion(key: string, version: string): Promise<{ metadata: VersionMetadata; enhanced_code: string; train_code: string | null } | undefined>;
  /**
   * Publishes a version whole (its files and metadata, the runtime files it imports, the cache
   * entry, and `current` when `makeCurrent`): a crash leaves it complete or absent, and `current`
   * never names an incomplete version. Call under the function lock.
   */
  publishVersion(key: string, version: string, files: VersionFile[], metadata: VersionMetadata, opts: { makeCurrent: boolean; cache?: CacheEntry; runtime?: RuntimeSource[] }): Promise<void>;

  /** The cache entry for the hash if it and its version are in place; anything else is a miss. */
  readCache(key: string, sourceHash: string): Promise<CacheEntry | undefined>;
  /** Drops cache entries (one function's, or all); versions stay. Returns how many went. */
  deleteCache(key?: string): Promise<number>;
  /** Puts back runtime files a hit's version imports when someone deleted them (file store only). */
  restoreRuntime(files: RuntimeSource[]): Promise<void>;

  /** Small JSON documents under `.dana/poet/`: `learning/settings.json`, `domains/NAME.json`. */
  readDocument<T>(path: string, schema?: z.ZodType<T>): Promise<T | undefined>;
  writeDocument(path: string, value: unknown): Promise<void>;
  /** Makes the local workspace's `domains/` current (PostgreSQL: domains Train wrote in any process). */
  syncDomains(): Promise<void>;
}
