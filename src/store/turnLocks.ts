/**
 * One turn at a time per user, across every instance on the database: a user's two messages, sent at
 * once from two devices or delivered to two instances behind a load balancer, are handled one after the
 * other, the second seeing what the first saved.
 *
 * - In process: a promise queue per key, always (no connection is taken for a turn that waits here).
 * - PostgreSQL: a session advisory lock per key on a connection of a small pool of its own, held while
 *   the turn runs. A process that dies loses its connection and with it the lock, so a crash never
 *   leaves a user locked out. Keys are hashed with the schema name, so tenants on one server do not
 *   wait for each other.
 * - SQLite serves one process (the database is a file on its disk): the queue is the lock.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

/** The lock of one person's conversation on one channel: their turns, and an agent's 帮办代办 for them. */
export function userLockKey(user: { channel: string; userId: string }): string {
  return `user\u001f${user.channel}\u001f${user.userId}`;
}

export interface TurnLocks {
  /** Runs `fn` while holding the lock named `key`; waits for whoever holds it. @throws LockTimeoutError */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The lock was not free within the wait allowed (a turn elsewhere is stuck, or the database is). */
export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
}

export function processLocks(): TurnLocks {
  const queues = new Map<string, Promise<unknown>>();
  return {
    async run(key, fn) {
      const previous = queues.get(key) ?? Promise.resolve();
      const run = previous.then(fn, fn);
      queues.set(key, run);
      try {
        return await run;
      } finally {
        if (queues.get(key) === run) queues.delete(key);
      }
    },
    async close() {
      await Promise.allSettled([...queues.values()]);
    },
  };
}

export interface PostgresLockOptions {
  /** Connections opened with `lock_timeout` set to the wait allowed ({@link lockPoolOptions}). */
  pool: pg.Pool;
  /** The schema the database lives in: part of every key. */
  schema: string;
  /** The wait the pool's connections allow for a lock (their lock_timeout), for the error's message. */
  waitMs: number;
}

/** A pool for locks: the wait for a lock is each connection's lock_timeout, set once when it opens. */
export function lockPoolOptions(connectionString: string, waitMs = 30_000, connections = 10): pg.PoolConfig {
  return { connectionString, max: connections, idleTimeoutMillis: 30_000, options: `-c lock_timeout=${Math.max(1, Math.round(waitMs))}` };
}

export function postgresLocks(options: PostgresLockOptions): TurnLocks {
  const local = processLocks();
  const { pool, waitMs } = options;

  async function holding<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const name = lockId(options.schema, key);
    const client = await pool.connect();
    // A connection whose lock statements failed is closed, not reused: closing it releases what it holds.
    let broken: Error | undefined;
    // The connection dropping while the turn runs (the database restarted): the lock is gone with it; the
    // turn's own writes go through Prisma and fail or succeed on their own. Without a listener it would
    // crash the process.
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    const query = async (text: string, values?: unknown[]) => {
      try {
        await client.query(text, values);
      } catch (error) {
        broken = error instanceof Error ? error : new Error(String(error));
        throw error;
      }
    };
    try {
      try {
        await query('SELECT pg_advisory_lock($1::bigint)', [name]);
      } catch (error) {
        if (!lockNotAvailable(error)) throw error;
        broken = undefined;
        throw new LockTimeoutError(`turn lock not free after ${waitMs} ms`, { cause: error });
      }
      try {
        return await fn();
      } finally {
        await query('SELECT pg_advisory_unlock($1::bigint)', [name]).catch(() => undefined);
      }
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  return {
    run: (key, fn) => local.run(key, () => holding(key, fn)),
    close: () => local.close(),
  };
}

/** 55P03: lock_not_available, a lock's wait ran out (lock_timeout); the connection itself is fine. */
export function lockNotAvailable(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '55P03';
}

/**
 * A lock's 64-bit id in `schema`: the first 8 bytes of the SHA-256 of schema and key (the key may hold
 * anything a user typed), so tenants on one server do not wait for each other.
 */
export function lockId(schema: string, key: string): string {
  return createHash('sha256').update(`${schema}\u001f${key}`).digest().readBigInt64BE(0).toString();
}
