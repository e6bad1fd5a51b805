/**
 * Prisma's SQLite adapter prepares every statement again at every query (about a tenth of a query's
 * time, docs/performance.md). This wraps the adapter's better-sqlite3 connection so that each distinct
 * SQL text is prepared once and kept: the adapter's `prepare(sql).bind(args)` becomes a cached
 * statement run with those arguments (better-sqlite3's `bind` fixes the arguments for good, so the
 * cached statement is never bound). Prisma's SQL texts are a bounded set (one per query shape).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';

/** Most distinct SQL texts kept; beyond, the oldest is dropped (an `IN (...)` list makes a shape per length). */
const MOST_STATEMENTS = 500;

/** The adapter factory, whose connections prepare each statement once, run at `synchronous` and never checkpoint. */
export function cachedStatements(factory: SqlDriverAdapterFactory, synchronous: 'normal' | 'full'): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect(): Promise<SqlDriverAdapter> {
      const adapter = await factory.connect();
      const queryable = adapter as unknown as { client: BetterSqlite3.Database };
      queryable.client.pragma(`synchronous = ${synchronous}`);
      // The checkpoints are the turn store's worker's (checkpointer.ts), never inside a commit here.
      queryable.client.pragma('wal_autocheckpoint = 0');
      queryable.client = caching(queryable.client);
      return adapter;
    },
  };
}

function caching(client: BetterSqlite3.Database): BetterSqlite3.Database {
  const statements = new Map<string, BetterSqlite3.Statement>();
  function prepare(sql: string): BetterSqlite3.Statement {
    let statement = statements.get(sql);
    if (statement) return statement;
    statement = client.prepare(sql);
    if (statements.size >= MOST_STATEMENTS) statements.delete(statements.keys().next().value as string);
    statements.set(sql, statement);
    return statement;
  }
  const cached = (sql: string) => {
    const statement = prepare(sql);
    return {
      run: () => statement.run(),
      bind: (args: unknown[]) => ({
        reader: statement.reader,
        columns: () => statement.columns(),
        raw: () => ({ all: () => statement.raw(true).all(...args) }),
        run: () => statement.run(...args),
      }),
    };
  };
  return new Proxy(client, {
    get(target, property) {
      if (property === 'prepare') return cached;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
