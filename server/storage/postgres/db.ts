// A pg connection pool with sessions: inside `withSession` (and so inside a function lock or a
// transaction) every query of the async call tree goes to the same connection, found through
// AsyncLocalStorage, so code under a lock calls the store as usual and needs no second
// connection (a pool full of lock holders waiting for connections would deadlock).
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { Logger } from 'pino';
import { PoetError } from '../../../shared/contract/errors';

/** How long a function lock is waited for before the request gets 409 (as with the file store's lock files). */
const LOCK_WAIT = '60s';

interface Session {
  client: pg.PoolClient;
  inTransaction: boolean;
}

export class Db {
  private readonly pool: pg.Pool;
  private readonly sessions = new AsyncLocalStorage<Session>();

  constructor(url: string, logger?: Logger, max = 8) {
    this.pool = new pg.Pool({ connectionString: url, max, application_name: 'poet' });
    // An idle connection that drops (the server restarts) is replaced on next use.
    this.pool.on('error', (err) => logger?.warn({ err: err.message }, 'a PostgreSQL connection failed'));
  }

  query<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    const s = this.sessions.getStore();
    return s ? s.client.query<R>(text, values) : this.pool.query<R>(text, values);
  }

  /** Runs `fn` with one connection for all its queries; nested calls share it. */
  async withSession<T>(fn: () => Promise<T>): Promise<T> {
    if (this.sessions.getStore()) return fn();
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      return await this.sessions.run({ client, inTransaction: false }, fn);
    } catch (e) {
      // A connection that failed mid-session is not given back to the pool.
      if (!(e instanceof PoetError) && (e as { code?: string }).code === undefined) broken = e as Error;
      throw e;
    } finally {
      client.release(broken);
    }
  }

  /** Runs `fn` in a transaction (inside an enclosing one, as part of it). */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.withSession(async () => {
      const s = this.sessions.getStore()!;
      if (s.inTransaction) return fn();
      await s.client.query('BEGIN');
      s.inTransaction = true;
      try {
        const out = await fn();
        await s.client.query('COMMIT');
        return out;
      } catch (e) {
        await s.client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        s.inTransaction = false;
      }
    });
  }

  /** Runs `fn` outside any session of the caller (work that must not join the caller's connection). */
  detached<T>(fn: () => Promise<T>): Promise<T> {
    return this.sessions.exit(fn);
  }

  /**
   * Runs `fn` holding the session-level advisory lock named `name`, on its own connection. The
   * lock goes when the connection does, so a killed process never leaves one behind.
   */
  withAdvisoryLock<T>(name: string, what: string, fn: () => Promise<T>): Promise<T> {
    return this.detached(() =>
      this.withSession(async () => {
        try {
          await this.query(`SET lock_timeout = '${LOCK_WAIT}'`);
          await this.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name]);
        } catch (e) {
          if ((e as { code?: string }).code === '55P03') {
            throw new PoetError('conflict', `${what} is locked by another POET process for over ${LOCK_WAIT}; try again later.`, { lock: name });
          }
          throw e;
        } finally {
          await this.query('RESET lock_timeout').catch(() => undefined);
        }
        try {
          return await fn();
        } finally {
          await this.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]);
        }
      }),
    );
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
