// A PostgreSQL server for the benchmarks: POET_BENCH_DATABASE_URL, else POET_TEST_DATABASE_URL,
// else the local one scripts/postgres/start.sh starts; each benchmark gets a fresh database.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT } from './service';

export function serverUrl(): string {
  const url = process.env.POET_BENCH_DATABASE_URL ?? process.env.POET_TEST_DATABASE_URL;
  if (url) return url;
  return execFileSync('bash', [join(ROOT, 'scripts/postgres/start.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
}

export async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function freshDatabase(server: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  await admin(server, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const u = new URL(server);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(server, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}
