// Runs when TEST_DATABASE_URL names a PostgreSQL database (e.g. postgresql://postgres@127.0.0.1:5432/test);
// every run works in its own fresh schema and drops it afterwards.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BASE_SCHEMA,
  migrationsDir,
  pendingMigration,
  postgresEngineFactory,
  renderSchema,
  schemaPath,
} from '../../scripts/make-migrations.ts';
import { prismaConversations } from '../../src/store/conversations.ts';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { readMigrations } from '../../src/store/migrations.ts';
import { conversationContract } from './conversations.contract.ts';
import { IN_SYNC, prismaMigrateStatus } from './helpers.ts';

const baseUrl = process.env['TEST_DATABASE_URL'];

if (baseUrl === undefined || baseUrl === '') {
  console.warn('PostgreSQL store tests skipped: set TEST_DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test');
  describe('PostgreSQL store', () => {
    it.skip('needs TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)', () => {});
  });
} else {
  const serverUrl = baseUrl;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const url = withSchema(serverUrl, schema);
  const all = readMigrations(migrationsDir('postgres')).map((m) => m.name);

  afterAll(async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  });

  describe('committed PostgreSQL migrations', () => {
    it('match prisma/schema.base.prisma (replayed on a shadow database)', async () => {
      const rendered = renderSchema('postgres', readFileSync(BASE_SCHEMA, 'utf8'));
      expect(readFileSync(schemaPath('postgres'), 'utf8')).toBe(rendered);
      const pending = await pendingMigration('postgres', rendered, { pgUrl: serverUrl });
      expect(pending).toEqual({ dialect: 'postgres', sql: null });
    });
  });

  describe(`openDatabase on PostgreSQL (schema ${schema})`, () => {
    it('applies every migration once when two processes start together', async () => {
      const [a, b] = await Promise.all([openDatabase({ url }), openDatabase({ url })]);
      try {
        expect(a.provider).toBe('postgres');
        expect([...a.migrations.applied, ...b.migrations.applied]).toEqual(all);
        expect(await a.prisma.conversation.count()).toBe(0);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('applies nothing on re-open', async () => {
      const db = await openDatabase({ url });
      await db.close();
      expect(db.migrations).toEqual({ applied: [], edited: [] });
    });

    it('records migrations the way Prisma does: `prisma migrate status` agrees', async () => {
      const factory = postgresEngineFactory(serverUrl, schema);
      expect(await prismaMigrateStatus('postgres', factory)).toEqual(IN_SYNC);
    });
  });

  describe('prismaConversations on PostgreSQL', () => {
    let db: Database;
    beforeAll(async () => {
      db = await openDatabase({ url });
    });
    afterAll(() => db.close());

    conversationContract(() => prismaConversations(db.prisma));

    describe('on the raw driver (the chat turn\'s path)', () => conversationContract(() => db.turns.conversations));
  });
}

function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', schema);
  return parsed.toString();
}
