// Opens the database named by a URL: SQLite (the default, a file) or PostgreSQL. Applies pending
// migrations first, then hands back Prisma's model API. Both generated clients run Prisma's WASM
// query compiler over a driver adapter: no native engine at run time.

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
// Types only: each generated client (and its WASM query compiler) is loaded when its database is opened,
// so a SQLite deployment never loads the PostgreSQL one.
import type { ModelName, StoreClient } from './client.ts';
import { migratePostgres, migrateSqlite, readMigrations, type MigrationReport } from './migrations.ts';
import { postgresTurns } from './postgresTurns.ts';
import { sqliteTurns } from './sqliteTurns.ts';
import { cachedStatements } from './statementCache.ts';
import { processLocks, type TurnLocks } from './turnLocks.ts';
import type { TurnDatabase } from './turnStore.ts';

export type Provider = 'sqlite' | 'postgres';


export interface Database {
  readonly provider: Provider;
  readonly prisma: StoreClient;
  /** Runs `fn` in one interactive transaction; its argument is the model API bound to it. */
  transaction<T>(fn: (tx: StoreClient) => Promise<T>): Promise<T>;
  /**
   * One raw statement, for what the model API cannot say (a batch claim with FOR UPDATE SKIP LOCKED).
   * Parameters are `$1`, `$2`… on PostgreSQL and `?` on SQLite; a Date is bound as its UTC wall time,
   * as Prisma stores DateTime columns, so compare with a parameter, never with the server's `now()`.
   * Name tables with {@link table}. Rows come back unchecked: `T` is the caller's word for them.
   */
  queryRaw<T>(sql: string, ...values: unknown[]): Promise<T[]>;
  /**
   * A model's table for raw SQL, quoted, and on PostgreSQL qualified with the URL's schema: Prisma
   * qualifies its own queries, but a raw statement would otherwise resolve names on the server's
   * search_path (usually `public`, not the schema the URL names).
   */
  table(model: Capitalize<ModelName>): string;
  /** What the start-up migration did. */
  readonly migrations: MigrationReport;
  /** One turn at a time per user, across every process on this database (turnLocks.ts). */
  readonly locks: TurnLocks;
  /** The chat turn's path on the raw driver (turnStore.ts): the conversations, and turns under these locks. */
  readonly turns: TurnDatabase;
  /** One round trip (`SELECT 1`): the database answers. For health checks; reads no table. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /**
   * `file:./var/yiye.db` (relative to the working directory) for SQLite, or
   * `postgresql://user@host:5432/db?schema=name` (`postgres://` too; schema defaults to public).
   */
  url: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** Called with every SQL statement Prisma sends (benchmarks count queries per turn). */
  onQuery?: (sql: string) => void;
  /** SQLite's PRAGMA synchronous (default normal: durable across a crash of the process, not of the machine). */
  sqliteSynchronous?: 'normal' | 'full';
}

export class DatabaseUrlError extends Error {
  override readonly name = 'DatabaseUrlError';
}

const MIGRATIONS_ROOT = fileURLToPath(new URL('../../prisma/', import.meta.url));

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const target = parseDatabaseUrl(options.url);
  return target.provider === 'sqlite'
    ? openSqlite(target.path, options.migrate ?? true, options.sqliteSynchronous ?? 'normal', options.onQuery)
    : openPostgres(target.connectionString, target.schema, options.migrate ?? true, options.onQuery);
}

type DatabaseTarget =
  | { provider: 'sqlite'; path: string }
  | { provider: 'postgres'; connectionString: string; schema: string };

export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).replace(/\?.*$/, '');
    if (path === '' || path.includes(':memory:')) {
      // The migration runner and Prisma's adapter open separate connections; each would get its own memory.
      throw new DatabaseUrlError(`SQLite needs a file path, e.g. file:./var/yiye.db (got ${url})`);
    }
    return { provider: 'sqlite', path: resolve(path) };
  }
  if (url.startsWith('postgresql://') || url.startsWith('postgres://')) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') || 'public';
    // `schema` is Prisma's parameter, not libpq's: pg would pass it on to the server.
    parsed.searchParams.delete('schema');
    return { provider: 'postgres', connectionString: parsed.toString(), schema };
  }
  throw new DatabaseUrlError(`Unsupported database URL (use file:… or postgresql://…): ${redact(url)}`);
}

const SQLITE_BUSY_MS = 10_000;

async function openSqlite(path: string, migrate: boolean, synchronous: 'normal' | 'full', onQuery?: (sql: string) => void): Promise<Database> {
  const { PrismaClient: SqliteClient } = await import('../generated/sqlite/client.ts');
  mkdirSync(dirname(path), { recursive: true });
  let migrations: MigrationReport = { applied: [], edited: [] };
  // A second process on the same file (the CLI while the server runs) waits for a lock this long.
  const raw = new BetterSqlite3(path, { timeout: SQLITE_BUSY_MS });
  try {
    // WAL lets readers run beside the writer; the setting is stored in the file.
    raw.pragma('journal_mode = WAL');
    if (migrate) migrations = migrateSqlite(raw, readMigrations(`${MIGRATIONS_ROOT}sqlite/migrations`));
  } finally {
    raw.close();
  }
  const adapter = cachedStatements(new PrismaBetterSqlite3({ url: `file:${path}`, timeout: SQLITE_BUSY_MS }), synchronous);
  const prisma = onQuery
    ? withQueryLog(new SqliteClient({ adapter, log: [{ emit: 'event', level: 'query' }] }), onQuery)
    : new SqliteClient({ adapter });
  const locks = processLocks();
  const turns = sqliteTurns(path, { busyMs: SQLITE_BUSY_MS, synchronous, locks, ...(onQuery ? { onQuery } : {}) });
  return {
    provider: 'sqlite',
    prisma,
    transaction: (fn) => prisma.$transaction((tx) => fn(tx)),
    queryRaw: (sql, ...values) => prisma.$queryRawUnsafe(sql, ...values),
    table: (model) => quoteIdentifier(model),
    migrations,
    locks,
    turns,
    ...lifecycle(prisma, turns),
  };
}

async function openPostgres(connectionString: string, schema: string, migrate: boolean, onQuery?: (sql: string) => void): Promise<Database> {
  const { PrismaClient: PostgresClient } = await import('../generated/postgres/client.ts');
  let migrations: MigrationReport = { applied: [], edited: [] };
  if (migrate) {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      migrations = await migratePostgres(client, readMigrations(`${MIGRATIONS_ROOT}postgres/migrations`), schema);
    } finally {
      await client.end();
    }
  }
  const adapter = new PrismaPg({ connectionString }, { schema });
  const prisma = onQuery
    ? withQueryLog(new PostgresClient({ adapter, log: [{ emit: 'event', level: 'query' }] }), onQuery)
    : new PostgresClient({ adapter });
  const turns = postgresTurns({ connectionString, schema, ...(onQuery ? { onQuery } : {}) });
  const { locks } = turns;
  return {
    provider: 'postgres',
    prisma,
    // Longer than Prisma's 5 s default: a submission writes a case with its items, events and outbox rows.
    transaction: (fn) => prisma.$transaction((tx) => fn(tx), { maxWait: 10_000, timeout: 30_000 }),
    queryRaw: (sql, ...values) => prisma.$queryRawUnsafe(sql, ...values),
    table: (model) => `${quoteIdentifier(schema)}.${quoteIdentifier(model)}`,
    migrations,
    locks,
    turns,
    ...lifecycle(prisma, turns),
  };
}

/** Both dialects alike: the health check's round trip, and closing the turns' connections before the client. */
function lifecycle(prisma: { $disconnect(): Promise<void> }, turns: TurnDatabase): Pick<Database, 'ping' | 'close'> {
  return {
    ping: () => turns.ping(),
    close: async () => {
      await turns.close();
      await prisma.$disconnect();
    },
  };
}

/** Subscribes `onQuery` to a client created with query events on. */
function withQueryLog<C extends { $on(event: 'query', cb: (e: { query: string }) => void): void }>(client: C, onQuery: (sql: string) => void): C {
  client.$on('query', (e) => onQuery(e.query));
  return client;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
