import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BASE_SCHEMA,
  migrationsDir,
  pendingMigration,
  renderSchema,
  schemaPath,
  sqliteEngineFactory,
} from '../../scripts/make-migrations.ts';
import { prismaConversations } from '../../src/store/conversations.ts';
import { openDatabase, parseDatabaseUrl, type Database } from '../../src/store/db.ts';
import { MigrationError, migrateSqlite, readMigrations, type Migration } from '../../src/store/migrations.ts';
import { conversationContract } from './conversations.contract.ts';
import { IN_SYNC, prismaMigrateStatus } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'yiye-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('committed SQLite migrations', () => {
  it('match prisma/schema.base.prisma (else run npm run db:migrations -- <name>)', async () => {
    const schema = renderSchema('sqlite', readFileSync(BASE_SCHEMA, 'utf8'));
    expect(readFileSync(schemaPath('sqlite'), 'utf8')).toBe(schema);
    expect((await pendingMigration('sqlite', schema)).sql).toBeNull();
  });
});

describe('openDatabase on SQLite', () => {
  const file = join(dir, 'nested', 'dir', 'yiye.db');
  const all = readMigrations(migrationsDir('sqlite')).map((m) => m.name);

  it('creates the directory and applies every migration to a fresh file', async () => {
    const db = await openDatabase({ url: `file:${file}` });
    try {
      expect(db.provider).toBe('sqlite');
      expect(db.migrations).toEqual({ applied: all, edited: [] });
      expect(await db.prisma.conversation.count()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('applies nothing on re-open', async () => {
    const db = await openDatabase({ url: `file:${file}` });
    await db.close();
    expect(db.migrations).toEqual({ applied: [], edited: [] });
  });

  it('records migrations the way Prisma does: `prisma migrate status` agrees', async () => {
    expect(await prismaMigrateStatus('sqlite', sqliteEngineFactory(file))).toEqual(IN_SYNC);
    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
      const rows = raw.prepare('SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations').all();
      expect(rows).toEqual(
        readMigrations(migrationsDir('sqlite')).map((m) => ({
          migration_name: m.name,
          checksum: m.checksum,
          finished_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/),
          applied_steps_count: 1,
        })),
      );
    } finally {
      raw.close();
    }
  });

  it('refuses URLs it cannot serve', () => {
    expect(() => parseDatabaseUrl('file::memory:')).toThrow(/file path/);
    expect(() => parseDatabaseUrl('mysql://x')).toThrow(/Unsupported/);
    expect(parseDatabaseUrl('postgres://u:p@h/db?schema=s')).toEqual({
      provider: 'postgres',
      connectionString: 'postgres://u:p@h/db',
      schema: 's',
    });
  });
});

describe('prismaConversations on SQLite', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ url: `file:${join(dir, 'contract.db')}` });
  });
  afterAll(() => db.close());

  conversationContract(() => prismaConversations(db.prisma));

  describe('on the raw driver (the chat turn\'s path)', () => conversationContract(() => db.turns.conversations));

  it('works inside a transaction and rolls back with it', async () => {
    const key = { channel: 'web', userId: 'tx-user' };
    await expect(
      db.transaction(async (tx) => {
        await prismaConversations(tx).findOrStart(key);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await prismaConversations(db.prisma).findLatest(key)).toBeNull();
  });
});

describe('migrateSqlite', () => {
  const migration = (name: string, sql: string): Migration => ({ name, sql, checksum: `sum-${sql.length}` });

  it('rolls a failing migration back whole, leaving no row and no half-made table', () => {
    const raw = new BetterSqlite3(':memory:');
    const good = migration('1_good', 'CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);');
    const bad = migration('2_bad', 'CREATE TABLE "B" ("id" INTEGER PRIMARY KEY);\nINSERT INTO "Missing" VALUES (1);');
    expect(() => migrateSqlite(raw, [good, bad])).toThrow(MigrationError);
    const tables = raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    expect(tables).toEqual(['A', '_prisma_migrations']);
    expect(raw.prepare('SELECT migration_name FROM _prisma_migrations').pluck().all()).toEqual(['1_good']);
    expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
    raw.close();
  });

  it('reports applied migrations whose file changed since', () => {
    const raw = new BetterSqlite3(':memory:');
    migrateSqlite(raw, [migration('1_a', 'CREATE TABLE "A" ("id" INTEGER);')]);
    expect(migrateSqlite(raw, [{ ...migration('1_a', 'CREATE TABLE "A" ("id" INTEGER);'), checksum: 'other' }])).toEqual({
      applied: [],
      edited: ['1_a'],
    });
    raw.close();
  });
});
