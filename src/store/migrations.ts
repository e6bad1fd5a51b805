// Applies the committed migrations (prisma/<dialect>/migrations) at start-up with the raw driver,
// and records them in Prisma's own `_prisma_migrations` table exactly as `prisma migrate deploy`
// would, so `prisma migrate status` (or the schema engine's diagnoseMigrationHistory) agrees.
//
// Differences from Prisma, on purpose:
// - Each migration runs in one transaction together with its `_prisma_migrations` row, so a
//   failing migration leaves nothing behind (Prisma would leave a failed row to resolve by hand).
//   Prisma never generates SQL that cannot run in a transaction; a hand-written migration that
//   needs to (CREATE INDEX CONCURRENTLY) does not belong in this project.
// - SQLite: foreign keys are switched off around the transaction (the procedure SQLite's docs give
//   for schema changes; PRAGMA foreign_keys is a no-op inside a transaction, and a table rebuild
//   with keys on would cascade-delete rows), and `PRAGMA foreign_key_check` runs before commit.
//   BEGIN IMMEDIATE makes a second process wait instead of applying the same migration twice.
// - PostgreSQL: a session advisory lock (Prisma's own key) serialises concurrent starts.

import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';

export interface Migration {
  /** Folder name, `<YYYYMMDDHHMMSS>_<name>`; Prisma's `migration_name`. */
  name: string;
  sql: string;
  /** sha256 of migration.sql in hex, as Prisma stores it. */
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  /** Applied earlier, but migration.sql changed since: Prisma's "edited migrations". */
  edited: string[];
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    message: string,
    readonly migration?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Reads `<dir>/<name>/migration.sql` in name order, the order Prisma applies them in. */
export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/** The DDL the schema engine uses for its table on SQLite (checked against the WASM engine). */
const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const POSTGRES_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** The advisory lock key `prisma migrate` takes, so our runner and Prisma's exclude each other. */
const PRISMA_ADVISORY_LOCK = 72707369;

/** Applies pending migrations to a SQLite database; safe to call on every start. */
export function migrateSqlite(db: BetterSqlite3.Database, migrations: readonly Migration[]): MigrationReport {
  db.exec(SQLITE_MIGRATIONS_TABLE);
  const report = planned(readApplied(db), migrations);
  if (report.pending.length === 0) return { applied: [], edited: report.edited };

  const foreignKeys = db.pragma('foreign_keys', { simple: true });
  db.pragma('foreign_keys = OFF');
  const applied: string[] = [];
  try {
    for (const migration of report.pending) {
      db.exec('BEGIN IMMEDIATE');
      try {
        // Another process may have applied it while we waited for the write lock.
        if (readApplied(db).some((row) => isSuccessful(row) && row.migration_name === migration.name)) {
          db.exec('COMMIT');
          continue;
        }
        const id = randomUUID();
        db.prepare(
          `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count") VALUES (?, ?, ?, ?, 0)`,
        ).run(id, migration.checksum, migration.name, sqliteTimestamp());
        db.exec(migration.sql);
        const violations = db.pragma('foreign_key_check');
        if (Array.isArray(violations) && violations.length > 0) {
          throw new MigrationError(`Migration ${migration.name} leaves foreign key violations`, migration.name);
        }
        db.prepare(
          `UPDATE "_prisma_migrations" SET "finished_at" = ?, "applied_steps_count" = 1 WHERE "id" = ?`,
        ).run(sqliteTimestamp(), id);
        db.exec('COMMIT');
        applied.push(migration.name);
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw asMigrationError(error, migration.name);
      }
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys === 1 ? 'ON' : 'OFF'}`);
  }
  return { applied, edited: report.edited };

  function readApplied(database: BetterSqlite3.Database): AppliedRow[] {
    return database
      .prepare(`SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations"`)
      .all()
      .map(toAppliedRow);
  }
}

/**
 * Applies pending migrations to `schema` (created if missing) of a PostgreSQL database. Holds
 * Prisma's advisory lock meanwhile, so processes that start together apply each migration once.
 * Leaves the client's search_path set to `schema`.
 */
export async function migratePostgres(
  client: pg.ClientBase,
  migrations: readonly Migration[],
  schema = 'public',
): Promise<MigrationReport> {
  await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
  try {
    const quoted = quoteIdentifier(schema);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    // The migrations name tables without a schema, as Prisma's do; search_path places them.
    await client.query(`SET search_path TO ${quoted}`);
    await client.query(POSTGRES_MIGRATIONS_TABLE);
    const rows = await client.query(
      `SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations"`,
    );
    const report = planned(rows.rows.map(toAppliedRow), migrations);
    const applied: string[] = [];
    for (const migration of report.pending) {
      await client.query('BEGIN');
      try {
        const id = randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count") VALUES ($1, $2, $3, now(), 0)`,
          [id, migration.checksum, migration.name],
        );
        // No parameters: the simple query protocol, which accepts many statements at once.
        await client.query(migration.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET "finished_at" = clock_timestamp(), "applied_steps_count" = 1 WHERE "id" = $1`,
          [id],
        );
        await client.query('COMMIT');
        applied.push(migration.name);
      } catch (error) {
        await client.query('ROLLBACK');
        throw asMigrationError(error, migration.name);
      }
    }
    return { applied, edited: report.edited };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]);
  }
}

function planned(rows: readonly AppliedRow[], migrations: readonly Migration[]): { pending: Migration[]; edited: string[] } {
  const failed = rows.filter((row) => !isSuccessful(row) && row.rolled_back_at == null);
  if (failed.length > 0) {
    // Left by `prisma migrate deploy` (our runner never leaves one): a person has to look.
    const names = failed.map((row) => row.migration_name).join(', ');
    throw new MigrationError(
      `Failed migrations in _prisma_migrations: ${names}. Resolve them (prisma migrate resolve) before starting.`,
    );
  }
  const done = new Map(rows.filter(isSuccessful).map((row) => [row.migration_name, row.checksum]));
  return {
    pending: migrations.filter((m) => !done.has(m.name)),
    edited: migrations.filter((m) => done.has(m.name) && done.get(m.name) !== m.checksum).map((m) => m.name),
  };
}

/** The text Prisma's engine stores in DATETIME columns of `_prisma_migrations`: `2026-01-02T03:04:05.678+00:00`. */
function sqliteTimestamp(): string {
  return new Date().toISOString().replace('Z', '+00:00');
}

function isSuccessful(row: AppliedRow): boolean {
  return row.finished_at != null && row.rolled_back_at == null;
}

function toAppliedRow(row: unknown): AppliedRow {
  if (typeof row !== 'object' || row === null) throw new MigrationError('Unreadable _prisma_migrations row');
  const record: Record<string, unknown> = { ...row };
  return {
    migration_name: String(record['migration_name']),
    checksum: String(record['checksum']),
    finished_at: record['finished_at'],
    rolled_back_at: record['rolled_back_at'],
  };
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function asMigrationError(error: unknown, migration: string): MigrationError {
  if (error instanceof MigrationError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new MigrationError(`Migration ${migration} failed: ${reason}`, migration, { cause: error });
}
