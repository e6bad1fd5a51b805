/**
 * Shared set-up for the case, licence and notify tests: a real database (a fresh SQLite file, or a fresh
 * PostgreSQL schema when TEST_DATABASE_URL is set), the real catalogs and calendar, and a clock the test
 * moves by hand.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadCatalog, type Catalog } from '../../src/catalog/load.ts';
import type { DomainDeps } from '../../src/cases/deps.ts';
import type { Clock } from '../../src/kernel/clock.ts';
import { domainDeps } from '../../src/app/domainDeps.ts';
import { prismaConversations } from '../../src/store/conversations.ts';
import { openDatabase, type Database } from '../../src/store/db.ts';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerLicenceRoutes } from '../../src/server/licenceRoutes.ts';
import { registerStaffRoutes } from '../../src/server/staffRoutes.ts';

export const PG_URL = process.env['TEST_DATABASE_URL'] || undefined;
export const BACKENDS: ('sqlite' | 'postgres')[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

let catalog: Catalog | undefined;
export const testCatalog = () => (catalog ??= loadCatalog());

export class TestClock implements Clock {
  constructor(public t: Date) {}
  now(): Date {
    return new Date(this.t);
  }
  /** Moves forward by ms. */
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
  /** Sets Asia/Shanghai local time, e.g. '2026-11-23T10:00'. */
  set(local: string): void {
    this.t = new Date(`${local}:00+08:00`);
  }
}

export interface TestStore {
  url: string;
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

export function testStore(backend: 'sqlite' | 'postgres'): TestStore {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'yiye-cases-'));
    const url = `file:${join(dir, 'test.db')}`;
    return { url, open: () => openDatabase({ url }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!PG_URL) throw new Error('TEST_DATABASE_URL not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const u = new URL(PG_URL);
  u.searchParams.set('schema', schema);
  const url = u.toString();
  return {
    url,
    open: () => openDatabase({ url }),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export const SECRET = 'test-secret-0123456789abcdef';
export const BASE_URL = 'https://yiye.example.gov.cn';

export function makeDeps(db: Database, clock: Clock, overrides: Partial<DomainDeps> = {}): DomainDeps {
  return {
    ...domainDeps(db, { catalog: testCatalog(), publicBaseUrl: BASE_URL, signingSecret: SECRET, clock }),
    ...overrides,
  };
}

export async function startConversation(db: Database, channel: string, userId: string): Promise<string> {
  return (await prismaConversations(db.prisma).start({ channel, userId })).id;
}

export const FORM = {
  entity_name: '奈曼旗示例商贸有限公司',
  entity_type: 'company',
  credit_code: '91150525MA0N000000',
  legal_rep_name: '张三',
  legal_rep_id_number: '11010519491231002X',
  contact_name: '李四',
  contact_mobile: '13912345678',
  business_address: '内蒙古自治区通辽市奈曼旗大沁他拉镇示例路1号',
  business_area: 120,
  employee_count: 5,
};

/**
 * The staff API and licence pages on a bare fastify (the same two functions buildApp registers), so the
 * case tests do not depend on the chat.
 */
export async function staffApp(deps: DomainDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerStaffRoutes(app, deps);
  registerLicenceRoutes(app, deps);
  await app.ready();
  return app;
}
