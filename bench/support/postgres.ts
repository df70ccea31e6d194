// A PostgreSQL server for the benchmarks: POET_BENCH_DATABASE_URL, else POET_TEST_DATABASE_URL,
// else the local one scripts/postgres/start.sh starts; each benchmark gets a fresh database
// (createDatabase, shared with the tests).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './service';

export function serverUrl(): string {
  const url = process.env.POET_BENCH_DATABASE_URL ?? process.env.POET_TEST_DATABASE_URL;
  if (url) return url;
  return execFileSync('bash', [join(ROOT, 'scripts/postgres/start.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
}

export { admin, createDatabase } from '../../test/support/postgres';
