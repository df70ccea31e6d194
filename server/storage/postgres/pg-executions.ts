// Executions in PostgreSQL: one row per record (its compact line), inserted in groups: the
// records of every batch and request that arrived meanwhile go in one transaction, with one
// small aggregate delta per version (aggregate.ts). A 2xx answer follows the commit, so an
// acknowledged record is durable (synchronous_commit). Commits only insert, so several overlap
// (one inserts while another waits for its WAL flush) and two service processes never wait for
// each other. Metrics read a version's base aggregate plus its deltas; now and then the deltas
// are merged into the base (compaction), keeping that read small. Train and listings read the
// newest rows through the (key, version, id) index.
import type { Logger } from 'pino';
import { RecordIdSchema, type ExecutionRecord } from '../../../shared/contract/learning';
import { VersionAggregate, type AggregateJson } from '../records/aggregate';
import { fromLine } from '../records/execution-line';
import { checkKey } from '../paths';
import { GroupCommit } from '../group-commit';
import type { ExecutionStore, ReadLimit, StoredExecution } from '../store';
import type { Db } from './db';
import { versionInt, versionName } from './versions';

/**
 * Commits in flight at once: while one waits for its WAL flush, the next inserts. Each holds a
 * connection of the pool (db.ts: 8).
 */
const COMMITS_IN_FLIGHT = 3;
/** Deltas of a version after which a reader or writer merges them into the base row. */
const COMPACT_AFTER = 64;

export class PgExecutions implements ExecutionStore {
  private readonly commits = new GroupCommit<StoredExecution>((items) => this.db.detached(() => this.commit(items)), COMMITS_IN_FLIGHT);
  /** Deltas this process wrote per version since it last compacted it. */
  private readonly written = new Map<string, number>();
  private readonly compacting = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly logger?: Logger,
  ) {}

  append(items: StoredExecution[]): Promise<void> {
    return items.length ? this.commits.add(items) : Promise.resolve();
  }

  private async commit(items: StoredExecution[]): Promise<void> {
    const deltas = new Map<string, { key: string; version: number; agg: VersionAggregate }>();
    for (const it of items) {
      const kv = `${it.key}\0${it.version}`;
      let d = deltas.get(kv);
      if (!d) deltas.set(kv, (d = { key: it.key, version: versionInt(it.version), agg: new VersionAggregate() }));
      d.agg.add(it.record);
    }
    const ds = [...deltas.values()];
    await this.db.transaction(async () => {
      await this.db.query('INSERT INTO poet_executions (id, key, version, record) SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[])', [
        items.map((i) => i.record.context.execution_id),
        items.map((i) => i.key),
        items.map((i) => versionInt(i.version)),
        items.map((i) => i.line),
      ]);
      await this.db.query('INSERT INTO poet_aggregate_deltas (key, version, delta) SELECT * FROM unnest($1::text[], $2::integer[], $3::jsonb[])', [
        ds.map((d) => d.key),
        ds.map((d) => d.version),
        ds.map((d) => JSON.stringify(d.agg)),
      ]);
    });
    for (const d of ds) {
      const kv = `${d.key}\0${d.version}`;
      const n = (this.written.get(kv) ?? 0) + 1;
      this.written.set(kv, n);
      if (n >= COMPACT_AFTER) this.compactLater(d.key, d.version);
    }
  }

  /** Merges a version's deltas into its base row, in the background (never on a request's path). */
  private compactLater(key: string, version: number): void {
    const kv = `${key}\0${version}`;
    if (this.compacting.has(kv)) return;
    this.written.set(kv, 0);
    const p = this.db
      .detached(() => this.compact(key, version))
      .catch((err: unknown) => this.logger?.warn({ err, key }, 'merging execution aggregates failed'))
      .finally(() => this.compacting.delete(kv));
    this.compacting.set(kv, p);
  }

  /**
   * Takes the version's deltas and adds them to its base row, in one transaction. The base row's
   * lock makes two compactions (of two processes) take turns; DELETE ... RETURNING takes exactly
   * the deltas that are there, so none is counted twice or missed.
   */
  private compact(key: string, version: number): Promise<void> {
    return this.db.transaction(async () => {
      await this.db.query(`INSERT INTO poet_aggregates (key, version, aggregate) VALUES ($1, $2, $3) ON CONFLICT (key, version) DO NOTHING`, [key, version, JSON.stringify(new VersionAggregate())]);
      const { rows } = await this.db.query<{ aggregate: AggregateJson }>('SELECT aggregate FROM poet_aggregates WHERE key = $1 AND version = $2 FOR UPDATE', [key, version]);
      const base = VersionAggregate.fromJSON(rows[0]!.aggregate);
      const taken = await this.db.query<{ delta: AggregateJson }>('DELETE FROM poet_aggregate_deltas WHERE key = $1 AND version = $2 RETURNING delta', [key, version]);
      if (!taken.rowCount) return;
      for (const r of taken.rows) base.merge(VersionAggregate.fromJSON(r.delta));
      await this.db.query('UPDATE poet_aggregates SET aggregate = $3 WHERE key = $1 AND version = $2', [key, version, JSON.stringify(base)]);
    });
  }

  async get(id: string): Promise<ExecutionRecord | undefined> {
    if (!RecordIdSchema.safeParse(id).success) return undefined;
    const { rows } = await this.db.query<{ key: string; version: number; record: string }>('SELECT key, version, record FROM poet_executions WHERE id = $1', [id]);
    const r = rows[0];
    return r && fromLine(r.record, r.key, versionName(r.version));
  }

  async recent(key: string, version: string | undefined, limit: ReadLimit): Promise<ExecutionRecord[]> {
    const k = checkKey(key);
    const n = Math.max(0, Math.min(limit.records, 100_000));
    // Newest rows of each version through the index, then merged: never a scan of the function.
    const { rows } =
      version !== undefined
        ? await this.db.query<{ version: number; record: string }>(
            'SELECT version, record FROM poet_executions WHERE key = $1 AND version = $2 ORDER BY id DESC LIMIT $3',
            [k, versionInt(version), n],
          )
        : await this.db.query<{ version: number; record: string }>(
            `SELECT v.version, e.record
               FROM (SELECT version FROM poet_aggregates WHERE key = $1 UNION SELECT DISTINCT version FROM poet_aggregate_deltas WHERE key = $1) v
               CROSS JOIN LATERAL (SELECT id, record FROM poet_executions x WHERE x.key = $1 AND x.version = v.version ORDER BY id DESC LIMIT $2) e
              ORDER BY e.id DESC LIMIT $2`,
            [k, n],
          );
    const out: ExecutionRecord[] = [];
    let bytes = 0;
    for (const r of rows) {
      if (bytes >= limit.bytes) break;
      out.push(fromLine(r.record, k, versionName(r.version)));
      bytes += r.record.length;
    }
    return out;
  }

  async aggregates(key: string): Promise<Map<string, VersionAggregate>> {
    const k = checkKey(key);
    // One statement, so base and deltas come from one snapshot: two queries could straddle a
    // compaction and count its deltas twice (or not at all).
    const { rows } = await this.db.query<{ version: number; base: boolean; aggregate: AggregateJson }>(
      `SELECT version, true AS base, aggregate FROM poet_aggregates WHERE key = $1
       UNION ALL SELECT version, false, delta FROM poet_aggregate_deltas WHERE key = $1`,
      [k],
    );
    const out = new Map<string, VersionAggregate>();
    const pending = new Map<number, number>();
    for (const r of rows) {
      const v = versionName(r.version);
      let a = out.get(v);
      if (!a) out.set(v, (a = new VersionAggregate()));
      a.merge(VersionAggregate.fromJSON(r.aggregate));
      if (!r.base) pending.set(r.version, (pending.get(r.version) ?? 0) + 1);
    }
    for (const [version, n] of pending) if (n >= COMPACT_AFTER) this.compactLater(k, version);
    return out;
  }

  /** Every record stays queryable in the table. */
  async keep(): Promise<void> {}

  /** Aggregates are read from their rows on each request, not held. */
  memory() {
    return { aggregates: 0, aggregate_bytes: 0, aggregate_budget: 0 };
  }

  async close(): Promise<void> {
    await this.commits.idle();
    await Promise.allSettled([...this.compacting.values()]);
  }
}
