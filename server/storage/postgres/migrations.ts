// The PostgreSQL store's schema, as numbered migrations applied in order at start. Each runs in
// its own transaction and is recorded in poet_schema_migrations; an advisory lock makes several
// processes starting at once take turns. A database newer than this POET is refused rather than
// used. Add a migration by appending to MIGRATIONS; never edit one that has shipped.
import type { Logger } from 'pino';
import type { Db } from './db';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'versions, cache, documents, executions, aggregates, feedback',
    sql: `
      CREATE TABLE poet_functions (
        key text PRIMARY KEY,
        name text NOT NULL,
        language text NOT NULL,
        source_file text,
        domain text,
        current_version integer,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE poet_versions (
        key text NOT NULL REFERENCES poet_functions (key),
        version integer NOT NULL,
        metadata jsonb NOT NULL,
        -- file name -> text: enhanced.py | enhanced.na, train.*, metadata.json
        files jsonb NOT NULL,
        PRIMARY KEY (key, version)
      );
      CREATE TABLE poet_cache (
        key text NOT NULL,
        source_hash text NOT NULL,
        version integer NOT NULL,
        entry jsonb NOT NULL,
        PRIMARY KEY (key, source_hash),
        FOREIGN KEY (key, version) REFERENCES poet_versions (key, version)
      );
      -- The immutable runtime files versions import (.dana/poet/runtime/...), for poet sync.
      CREATE TABLE poet_runtime_files (
        path text PRIMARY KEY,
        body text NOT NULL
      );
      -- Small JSON documents: learning/settings.json, domains/NAME.json.
      CREATE SEQUENCE poet_document_revision;
      CREATE TABLE poet_documents (
        path text PRIMARY KEY,
        body jsonb NOT NULL,
        revision bigint NOT NULL DEFAULT nextval('poet_document_revision')
      );
      -- One row per execution: its line in the compact format (server/storage/records/execution-line.ts).
      CREATE TABLE poet_executions (
        id text PRIMARY KEY,
        key text NOT NULL,
        version integer NOT NULL,
        record text NOT NULL
      );
      CREATE INDEX poet_executions_newest ON poet_executions (key, version, id);
      -- The running aggregate of each version's executions (server/storage/records/aggregate.ts): a
      -- base row, plus one small delta per commit, merged into the base now and then. Commits
      -- only insert deltas, so concurrent ones never wait for each other on a row lock.
      CREATE TABLE poet_aggregates (
        key text NOT NULL,
        version integer NOT NULL,
        aggregate jsonb NOT NULL,
        PRIMARY KEY (key, version)
      );
      CREATE TABLE poet_aggregate_deltas (
        id bigserial PRIMARY KEY,
        key text NOT NULL,
        version integer NOT NULL,
        delta jsonb NOT NULL
      );
      CREATE INDEX poet_aggregate_deltas_version ON poet_aggregate_deltas (key, version, id);
      CREATE TABLE poet_feedback (
        key text NOT NULL,
        stamp text NOT NULL,
        execution_id text NOT NULL,
        version integer NOT NULL,
        record jsonb NOT NULL,
        PRIMARY KEY (key, stamp)
      );
      CREATE INDEX poet_feedback_execution ON poet_feedback (execution_id);
    `,
  },
];

const MIGRATION_LOCK = 'poet:schema-migrations';

/** Applies the migrations the database lacks; returns the schema version it is at. */
export async function migrate(db: Db, logger?: Logger): Promise<number> {
  const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
  return db.withAdvisoryLock(MIGRATION_LOCK, 'The database schema', async () => {
    await db.query(`CREATE TABLE IF NOT EXISTS poet_schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM poet_schema_migrations');
    const at = rows[0]?.v ?? 0;
    if (at > latest) {
      throw new Error(`the database's POET schema is at version ${at}, newer than this POET knows (${latest}): run a newer POET against it`);
    }
    for (const m of MIGRATIONS) {
      if (m.version <= at) continue;
      await db.transaction(async () => {
        await db.query(m.sql);
        await db.query('INSERT INTO poet_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      });
      logger?.info({ migration: m.version, about: m.name }, 'applied a PostgreSQL schema migration');
    }
    return latest;
  });
}
