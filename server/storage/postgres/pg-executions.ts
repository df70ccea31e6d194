// Executions in PostgreSQL: one row per record (its compact line), inserted in groups: the
// records of every batch and request that arrived meanwhile go in one transaction, which also
// folds them into their versions' running aggregates (one row each, locked in key order so two
// processes never deadlock). A 2xx answer follows the commit, so an acknowledged record is
// durable (synchronous_commit). Metrics read the aggregate rows; Train and listings the newest
// rows through the (key, version, id) index.
import { RecordIdSchema, type ExecutionRecord } from '../../../shared/contract/learning';
import { VersionAggregate, type AggregateJson } from '../../learning/aggregate';
import { fromLine } from '../../learning/execution-line';
import { checkKey } from '../paths';
import { GroupCommit } from '../group-commit';
import type { ExecutionStore, ReadLimit, StoredExecution } from '../store';
import type { Db } from './db';
import { versionInt, versionName } from './versions';

export class PgExecutions implements ExecutionStore {
  private readonly commits = new GroupCommit<StoredExecution>((items) => this.db.detached(() => this.commit(items)));

  constructor(private readonly db: Db) {}

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
    const ordered = [...deltas.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.version - b.version));
    await this.db.transaction(async () => {
      await this.db.query('INSERT INTO poet_executions (id, key, version, record) SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[])', [
        items.map((i) => i.record.context.execution_id),
        items.map((i) => i.key),
        items.map((i) => versionInt(i.version)),
        items.map((i) => i.line),
      ]);
      for (const d of ordered) {
        const fresh = await this.db.query(
          'INSERT INTO poet_aggregates (key, version, aggregate) VALUES ($1, $2, $3) ON CONFLICT (key, version) DO NOTHING',
          [d.key, d.version, JSON.stringify(d.agg)],
        );
        if (fresh.rowCount) continue;
        const { rows } = await this.db.query<{ aggregate: AggregateJson }>('SELECT aggregate FROM poet_aggregates WHERE key = $1 AND version = $2 FOR UPDATE', [d.key, d.version]);
        const merged = VersionAggregate.fromJSON(rows[0]!.aggregate);
        merged.merge(d.agg);
        await this.db.query('UPDATE poet_aggregates SET aggregate = $3 WHERE key = $1 AND version = $2', [d.key, d.version, JSON.stringify(merged)]);
      }
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
            `SELECT v.version, e.record FROM (SELECT version FROM poet_aggregates WHERE key = $1) v
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
    const { rows } = await this.db.query<{ version: number; aggregate: AggregateJson }>('SELECT version, aggregate FROM poet_aggregates WHERE key = $1', [checkKey(key)]);
    return new Map(rows.map((r) => [versionName(r.version), VersionAggregate.fromJSON(r.aggregate)]));
  }

  /** Every record stays queryable in the table. */
  async keep(): Promise<void> {}

  /** Aggregates are read from their rows on each request, not held. */
  memory() {
    return { aggregates: 0, aggregate_bytes: 0, aggregate_budget: 0 };
  }

  async close(): Promise<void> {
    await this.commits.idle();
  }
}
