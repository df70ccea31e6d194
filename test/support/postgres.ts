// The tests of the PostgreSQL store run against a real server: POET_TEST_DATABASE_URL names one
// (`.ci/run` starts Debian's postgresql and sets it: scripts/postgres/start.sh). Each suite gets
// a database of its own, dropped afterwards. Without the variable the suites are skipped, saying
// why, unless POET_REQUIRE_POSTGRES=1 (CI) makes that a failure.
import pg from 'pg';

export const PG_URL = process.env.POET_TEST_DATABASE_URL;

/** Call first in a `before` hook of a suite that needs PostgreSQL. */
export function needsPostgres(ctx: Mocha.Context): void {
  if (PG_URL) return;
  if (process.env.POET_REQUIRE_POSTGRES === '1') throw new Error('POET_TEST_DATABASE_URL is not set: start one with `export POET_TEST_DATABASE_URL=$(bash scripts/postgres/start.sh)`');
  console.log('      (skipped: set POET_TEST_DATABASE_URL to run the PostgreSQL store, e.g. $(bash scripts/postgres/start.sh))');
  ctx.skip();
}

let made = 0;

/** Runs `fn` with a client connected to `url`, closed afterwards. */
export async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Database `name` on `server`, new and empty (one of that name is replaced), and how to drop it. */
export async function createDatabase(server: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  await admin(server, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(server, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

/** A new, empty database on the test server, and how to drop it. */
export function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  return createDatabase(PG_URL!, `poet_test_${process.pid}_${++made}_${Date.now().toString(36)}`);
}
