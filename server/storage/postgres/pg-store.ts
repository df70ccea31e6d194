// The PostgreSQL store: versions, cache entries, documents, executions and feedback in one
// database, so several service processes behind one URL serve one team. Per-function work is
// serialised with advisory locks (held on a connection: a killed process releases them), each
// version is published in one transaction, and the schema is migrated at open (migrations.ts).
// The local workspace still holds user domain files, which the generator reads; domains Train
// writes go to the database and into every process's workspace before they are needed.
import type { Logger } from 'pino';
import type { z } from 'zod';
import { VersionMetadataSchema, type FunctionSummary, type VersionMetadata } from '../../../shared/contract/api';
import { PoetError } from '../../../shared/contract/errors';
import { BoundedMemo } from '../../memo';
import { withMutex } from '../lock';
import { redactUrl } from '../redact-url';
import { checkKey, resolveInside, type PoetPaths } from '../paths';
import type { CacheEntry, FunctionIndex } from '../schemas';
import type { PoetStore, RuntimeSource, VersionFile } from '../store';
import { WorkspaceFiles } from '../workspace-files';
import { Db } from './db';
import { migrate } from './migrations';
import { PgExecutions } from './pg-executions';
import { PgFeedback } from './pg-feedback';
import { versionInt, versionName } from './versions';


const DOCUMENT_RE = /^(learning\/settings\.json|domains\/[A-Za-z0-9_]+\.json)$/;

interface FunctionRow {
  key: string;
  name: string;
  language: string;
  source_file: string | null;
  domain: string | null;
  current_version: number | null;
  created_at: Date;
  updated_at: Date;
  versions: number[];
}

export class PgStore implements PoetStore {
  readonly kind = 'postgres' as const;
  readonly location: string;
  readonly paths: PoetPaths;
  readonly local: WorkspaceFiles;
  readonly executions: PgExecutions;
  readonly feedback: PgFeedback;
  /** Parsed cache entries (immutable once written): a hit then costs one small query. */
  private readonly cacheMemo = new BoundedMemo<CacheEntry>(512, 16 * 1024 * 1024);
  /** The newest domain document revision written into the workspace. */
  private domainsRevision = 0;

  private constructor(
    readonly db: Db,
    url: string,
    workspace: string,
    private readonly logger?: Logger,
  ) {
    this.location = redactUrl(url);
    this.local = new WorkspaceFiles(workspace, logger);
    this.paths = this.local.paths;
    this.executions = new PgExecutions(db, logger);
    this.feedback = new PgFeedback(db);
  }

  /** Connects, migrates the schema, and pulls the domains Train wrote into the workspace. */
  static async open(opts: { url: string; workspace: string; logger?: Logger }): Promise<PgStore> {
    const db = new Db(opts.url, opts.logger);
    try {
      await migrate(db, opts.logger);
      const store = new PgStore(db, opts.url, opts.workspace, opts.logger);
      await store.syncDomains();
      return store;
    } catch (e) {
      await db.end().catch(() => undefined);
      throw e;
    }
  }

  async health(): Promise<{ ok: true } | { ok: false; message: string }> {
    try {
      await this.db.query('SELECT 1');
      return { ok: true };
    } catch (e) {
      return { ok: false, message: `PostgreSQL at ${this.location} does not answer: ${(e as Error).message}` };
    }
  }

  async cleanup(): Promise<void> {}

  async close(): Promise<void> {
    await this.executions.close();
    await this.db.end();
  }

  withFunctionLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const k = checkKey(key);
    // Waiters of this process queue here, so each holds a connection only while it has the lock.
    return withMutex(`pg:${k}`, () => this.db.withAdvisoryLock(`poet:function:${k}`, `Function "${k}"`, fn));
  }

  // ------------------------------------------------------------ versions

  private async functionRows(key?: string): Promise<FunctionRow[]> {
    const { rows } = await this.db.query<FunctionRow>(
      `SELECT f.key, f.name, f.language, f.source_file, f.domain, f.current_version, f.created_at, f.updated_at,
              array_agg(v.version ORDER BY v.version) AS versions
         FROM poet_functions f JOIN poet_versions v USING (key)
        ${key === undefined ? '' : 'WHERE f.key = $1'}
        GROUP BY f.key ORDER BY f.key COLLATE "C"`,
      key === undefined ? [] : [key],
    );
    return rows;
  }

  async listFunctions(): Promise<FunctionSummary[]> {
    return (await this.functionRows()).map((r) => ({
      name: r.name,
      key: r.key,
      current_version: r.current_version === null ? null : versionName(r.current_version),
      versions: r.versions.map(versionName),
      language: r.language as FunctionSummary['language'],
      source_file: r.source_file,
      domain: r.domain,
      updated_at: r.updated_at.toISOString(),
    }));
  }

  async readIndex(key: string): Promise<FunctionIndex | undefined> {
    const r = (await this.functionRows(checkKey(key)))[0];
    if (!r) return undefined;
    return {
      name: r.name,
      key: r.key,
      language: r.language as FunctionIndex['language'],
      source_file: r.source_file,
      domain: r.domain,
      created_at: r.created_at.toISOString(),
      updated_at: r.updated_at.toISOString(),
      versions: r.versions.map(versionName),
    };
  }

  async describe(key: string): Promise<{ index: FunctionIndex; current: string | null } | undefined> {
    const index = await this.readIndex(key);
    return index && { index, current: await this.readCurrent(key) };
  }

  async exists(key: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM poet_functions WHERE key = $1', [checkKey(key)])).rowCount! > 0;
  }

  async listVersions(key: string): Promise<string[]> {
    const { rows } = await this.db.query<{ version: number }>('SELECT version FROM poet_versions WHERE key = $1 ORDER BY version', [checkKey(key)]);
    return rows.map((r) => versionName(r.version));
  }

  async readCurrent(key: string): Promise<string | null> {
    const { rows } = await this.db.query<{ current_version: number | null }>('SELECT current_version FROM poet_functions WHERE key = $1', [checkKey(key)]);
    const v = rows[0]?.current_version;
    return v === undefined || v === null ? null : versionName(v);
  }

  async writeCurrent(key: string, version: string): Promise<void> {
    const r = await this.db.query(
      `UPDATE poet_functions SET current_version = $2, updated_at = now()
        WHERE key = $1 AND EXISTS (SELECT 1 FROM poet_versions WHERE key = $1 AND version = $2)`,
      [checkKey(key), versionInt(version)],
    );
    if (!r.rowCount) throw new PoetError('not_found', `Function "${key}" has no version ${version}.`, { key, version, versions: await this.listVersions(key) });
  }

  async hasVersion(key: string, version: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM poet_versions WHERE key = $1 AND version = $2', [checkKey(key), versionInt(version)])).rowCount! > 0;
  }

  async readMetadata(key: string, version: string): Promise<VersionMetadata | undefined> {
    const { rows } = await this.db.query<{ metadata: unknown }>('SELECT metadata FROM poet_versions WHERE key = $1 AND version = $2', [checkKey(key), versionInt(version)]);
    return rows[0] ? this.parsed(rows[0].metadata, VersionMetadataSchema, `${key} ${version} metadata`) : undefined;
  }

  async readVersion(key: string, version: string): Promise<{ metadata: VersionMetadata; enhanced_code: string; train_code: string | null } | undefined> {
    const { rows } = await this.db.query<{ metadata: unknown; files: Record<string, string> }>(
      'SELECT metadata, files FROM poet_versions WHERE key = $1 AND version = $2',
      [checkKey(key), versionInt(version)],
    );
    const row = rows[0];
    const metadata = row && this.parsed(row.metadata, VersionMetadataSchema, `${key} ${version} metadata`);
    if (!row || !metadata) return undefined;
    const names = Object.keys(row.files);
    const enhanced = names.find((n) => /^enhanced\.(na|py)$/.test(n));
    const train = names.find((n) => /^train\.(na|py)$/.test(n));
    return { metadata, enhanced_code: (enhanced && row.files[enhanced]) || '', train_code: train ? (row.files[train] ?? null) : null };
  }

  /** The version's files (names → text), metadata.json included: what `poet sync` writes. */
  async versionFiles(key: string, version: string): Promise<Record<string, string> | undefined> {
    const { rows } = await this.db.query<{ files: Record<string, string> }>('SELECT files FROM poet_versions WHERE key = $1 AND version = $2', [checkKey(key), versionInt(version)]);
    return rows[0]?.files;
  }

  async runtimeFiles(): Promise<RuntimeSource[]> {
    const { rows } = await this.db.query<{ path: string; body: string }>('SELECT path, body FROM poet_runtime_files ORDER BY path');
    return rows.map((r) => ({ path: r.path, text: r.body }));
  }

  async publishVersion(key: string, version: string, files: VersionFile[], metadata: VersionMetadata, opts: { makeCurrent: boolean; cache?: CacheEntry; runtime?: RuntimeSource[] }): Promise<void> {
    const k = checkKey(key);
    const n = versionInt(version);
    const all: Record<string, string> = {};
    for (const f of files) all[f.name] = f.data;
    all['metadata.json'] = JSON.stringify(metadata, null, 2) + '\n';
    await this.db.transaction(async () => {
      await this.db.query(
        `INSERT INTO poet_functions (key, name, language, source_file, domain, current_version, created_at, updated_at)
              VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN $7::integer END, $8, now())
         ON CONFLICT (key) DO UPDATE SET name = excluded.name, language = excluded.language, source_file = excluded.source_file,
              domain = excluded.domain, updated_at = now(),
              current_version = CASE WHEN $6 THEN $7::integer ELSE poet_functions.current_version END`,
        [k, metadata.function_name, metadata.language, metadata.source_file, metadata.domain, opts.makeCurrent, n, metadata.created_at],
      );
      await this.db.query('INSERT INTO poet_versions (key, version, metadata, files) VALUES ($1, $2, $3, $4)', [k, n, JSON.stringify(metadata), JSON.stringify(all)]);
      for (const r of opts.runtime ?? []) {
        await this.db.query('INSERT INTO poet_runtime_files (path, body) VALUES ($1, $2) ON CONFLICT (path) DO NOTHING', [r.path, r.text]);
      }
      if (opts.cache) {
        await this.db.query(
          `INSERT INTO poet_cache (key, source_hash, version, entry) VALUES ($1, $2, $3, $4)
           ON CONFLICT (key, source_hash) DO UPDATE SET version = excluded.version, entry = excluded.entry`,
          [k, opts.cache.source_hash, n, JSON.stringify(opts.cache)],
        );
        this.cacheMemo.delete(`${k}\0${opts.cache.source_hash}`);
      }
    });
  }

  // ------------------------------------------------------------ cache

  async readCache(key: string, sourceHash: string): Promise<CacheEntry | undefined> {
    const k = checkKey(key);
    const memoKey = `${k}\0${sourceHash}`;
    const memo = this.cacheMemo.get(memoKey);
    if (memo) {
      // Entries never change; one may be dropped (DELETE /poet/cache) or replaced (forced).
      const { rows } = await this.db.query<{ version: number }>('SELECT version FROM poet_cache WHERE key = $1 AND source_hash = $2', [k, sourceHash]);
      if (rows[0] && versionName(rows[0].version) === memo.version) return memo;
      this.cacheMemo.delete(memoKey);
      if (!rows[0]) return undefined;
    }
    const { rows } = await this.db.query<{ entry: CacheEntry; size: number }>(
      'SELECT entry, octet_length(entry::text) AS size FROM poet_cache WHERE key = $1 AND source_hash = $2',
      [k, sourceHash],
    );
    const row = rows[0];
    if (!row) return undefined;
    this.cacheMemo.set(memoKey, row.entry, row.size);
    return row.entry;
  }

  async deleteCache(key?: string): Promise<number> {
    const keys = key !== undefined ? [checkKey(key)] : (await this.db.query<{ key: string }>('SELECT DISTINCT key FROM poet_cache')).rows.map((r) => r.key);
    let deleted = 0;
    for (const k of keys) {
      deleted += await this.withFunctionLock(k, async () => (await this.db.query('DELETE FROM poet_cache WHERE key = $1', [k])).rowCount ?? 0);
    }
    this.cacheMemo.clear();
    return deleted;
  }

  /** Runtime files live in the database; `poet sync` writes them into a workspace. */
  async restoreRuntime(): Promise<void> {}

  // ------------------------------------------------------------ documents

  async readDocument<T>(path: string, schema?: z.ZodType<T>): Promise<T | undefined> {
    const { rows } = await this.db.query<{ body: unknown }>('SELECT body FROM poet_documents WHERE path = $1', [checkDocument(path)]);
    if (!rows[0]) return undefined;
    return schema ? this.parsed(rows[0].body, schema, path) : (rows[0].body as T);
  }

  async writeDocument(path: string, value: unknown): Promise<void> {
    await this.db.query(
      `INSERT INTO poet_documents (path, body) VALUES ($1, $2)
       ON CONFLICT (path) DO UPDATE SET body = excluded.body, revision = nextval('poet_document_revision')`,
      [checkDocument(path), JSON.stringify(value)],
    );
    if (path.startsWith('domains/')) await this.syncDomains();
  }

  /** Writes domain documents newer than the last ones written into `.dana/poet/domains/`. */
  async syncDomains(): Promise<void> {
    const { rows } = await this.db.query<{ path: string; body: unknown; revision: string }>(
      `SELECT path, body, revision FROM poet_documents WHERE path LIKE 'domains/%' AND revision > $1 ORDER BY revision`,
      [this.domainsRevision],
    );
    for (const r of rows) {
      await this.local.writeJson(resolveInside(this.paths.root, ...checkDocument(r.path).split('/')), r.body);
      this.domainsRevision = Math.max(this.domainsRevision, Number(r.revision));
    }
  }

  private parsed<T>(value: unknown, schema: z.ZodType<T>, what: string): T | undefined {
    const p = schema.safeParse(value);
    if (p.success) return p.data;
    this.logger?.warn({ what, issues: p.error.issues.slice(0, 3) }, 'stored document with unexpected shape ignored');
    return undefined;
  }
}

function checkDocument(path: string): string {
  if (!DOCUMENT_RE.test(path)) throw new PoetError('invalid_request', `Not a POET document path: ${JSON.stringify(path)}.`);
  return path;
}
