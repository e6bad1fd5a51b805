// The per-user turn lock across processes on PostgreSQL (two lock pools stand for two instances), and what
// a user is told when the turn before theirs is stuck. Runs when TEST_DATABASE_URL names a PostgreSQL database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/app/core.ts';
import { loadConfig } from '../../src/config.ts';
import { LockTimeoutError, lockPoolOptions, postgresLocks, processLocks, userLockKey } from '../../src/store/turnLocks.ts';
import { postgresTurns } from '../../src/store/postgresTurns.ts';
import { sequentialTurns } from '../../src/dialogue/ports.ts';
import { databaseTurns } from '../../src/app/turns.ts';
import { createAssistant } from '../../src/dialogue/assistant.ts';
import { ConflictError, NotFoundError } from '../../src/kernel/errors.ts';
import { PG_URL, testStore, type TestStore } from '../cases/helpers.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('turn locks in one process', () => {
  it('runs the turns of one key one after the other and of two keys side by side', async () => {
    const locks = processLocks();
    const log: string[] = [];
    const job = (name: string, ms: number) => async () => {
      log.push(`${name}+`);
      await tick(ms);
      log.push(`${name}-`);
    };
    await Promise.all([locks.run('a', job('a1', 30)), locks.run('a', job('a2', 1)), locks.run('b', job('b1', 1))]);
    expect(log.indexOf('a1-')).toBeLessThan(log.indexOf('a2+'));
    expect(log.indexOf('b1-')).toBeLessThan(log.indexOf('a1-'));
  });

  it('goes on with the next turn after one that failed', async () => {
    const locks = processLocks();
    const failed = locks.run('a', async () => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    expect(await locks.run('a', async () => 'next')).toBe('next');
  });
});

describe('turns that did not share a lock (an instance lost it mid-turn)', () => {
  let core: Core;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'yiye-cas-'));
    core = await createCore(loadConfig({ VAR_DIR: dir, LOG_LEVEL: 'silent' }), { rateLimit: false });
  });
  afterAll(async () => {
    await core?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('saves each over the version it read: the later one runs again and both answers are kept, in 10 of 10', async () => {
    // Two assistants on one database, each with a lock of its own: nothing keeps their turns apart but the version.
    const apart = () =>
      createAssistant({ catalog: core.catalog, reader: core.reader, conversations: core.conversations, applications: core.applications, turns: sequentialTurns(core.conversations, core.applications, processLocks()), rateLimit: false });
    const [a, b] = [apart(), apart()];
    let kept = 0;
    for (let i = 0; i < 10; i += 1) {
      const user = { channel: 'web', userId: `w-cas-${i}` };
      await a.handleMessage({ ...user, text: '我想在大沁他拉开个小卖部' });
      await Promise.all([a.handleMessage({ ...user, text: '卖烟' }), b.handleMessage({ ...user, text: '不卖药' })]);
      const answers = (await a.handleMessage({ ...user, text: '' })).state.answers;
      if (answers['sells_tobacco'] === true && answers['sells_medicine'] === false) kept += 1;
    }
    expect(kept).toBe(10);
  });

  it('refuses a save over a version another turn has moved past', async () => {
    const conversation = await core.conversations.findOrStart({ channel: 'web', userId: 'w-cas-direct' });
    await core.conversations.saveTurn(conversation.id, { messages: [], changes: { stage: 'start' }, expectedVersion: conversation.version });
    await expect(core.conversations.saveTurn(conversation.id, { messages: [], changes: { stage: 'start' }, expectedVersion: conversation.version })).rejects.toBeInstanceOf(ConflictError);
    await expect(core.conversations.saveTurn('no-such-conversation', { messages: [], changes: {}, expectedVersion: 0 })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe.skipIf(!PG_URL)('turn locks across instances on PostgreSQL', () => {
  const schema = `t_locks_${process.pid}`;
  /** One instance's locks: a pool of its own, as an instance has. */
  const instanceLocks = (connectionString: string, lockSchema: string, waitMs = 30_000) => {
    const pool = new pg.Pool(lockPoolOptions(connectionString, waitMs));
    pool.on('error', () => {});
    const locks = postgresLocks({ pool, schema: lockSchema, waitMs });
    return { run: locks.run, close: async () => (await locks.close(), await pool.end()) };
  };

  it('keeps a key for one instance at a time, and frees it when the holder\'s connection dies', async () => {
    // Instance a's connections carry a name of their own, so that only they are cut below.
    const name = `yiye-locks-test-${process.pid}`;
    const aUrl = new URL(PG_URL!);
    aUrl.searchParams.set('application_name', name);
    const a = instanceLocks(aUrl.toString(), schema);
    const b = instanceLocks(PG_URL!, schema, 300);
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const holding = a.run('user-1', () => held);
      await tick(100);
      // Another instance waits, then gives up with a typed error; another key is free.
      await expect(b.run('user-1', async () => 'got it')).rejects.toBeInstanceOf(LockTimeoutError);
      expect(await b.run('user-2', async () => 'other key')).toBe('other key');
      release();
      await holding;
      expect(await b.run('user-1', async () => 'after release')).toBe('after release');

      // A holder whose connection is cut (a crashed instance) holds nothing any more.
      const stuck = a.run('user-3', () => new Promise<void>(() => {}));
      void stuck.catch(() => undefined);
      await tick(100);
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      try {
        const cut = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [name]);
        expect(cut.rowCount).toBeGreaterThan(0);
      } finally {
        await admin.end();
      }
      expect(await b.run('user-3', async () => 'taken over')).toBe('taken over');
    } finally {
      await b.close();
      await Promise.race([a.close(), tick(500)]);
    }
  });

  describe('a turn whose lock another instance holds too long', () => {
    let store: TestStore;
    let core: Core;
    let dir: string;
    beforeAll(async () => {
      store = testStore('postgres');
      dir = mkdtempSync(join(tmpdir(), 'yiye-locks-'));
      core = await createCore(loadConfig({ VAR_DIR: dir, DATABASE_URL: store.url, LOG_LEVEL: 'silent' }), { rateLimit: false });
    });
    afterAll(async () => {
      await core?.close();
      await store?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('asks the user to send again and changes nothing', async () => {
      const user = { channel: 'web', userId: 'w-stuck' };
      const first = await core.assistant.handleMessage({ ...user, text: '我想在大沁他拉开个小卖部' });
      expect(first.state.industry?.id).toBe('convenience_store');
      // The other instance: the same database and schema, its own lock pool, stuck in this user's turn.
      const other = instanceLocks(PG_URL!, new URL(store.url).searchParams.get('schema')!);
      let release!: () => void;
      const holding = other.run(userLockKey(user), () => new Promise<void>((resolve) => (release = resolve)));
      await tick(100);
      const mine = postgresTurns({ connectionString: PG_URL!, schema: new URL(store.url).searchParams.get('schema')!, waitMs: 300 });
      const assistant = createAssistant({
        catalog: core.catalog,
        reader: core.reader,
        conversations: core.conversations,
        applications: core.applications,
        turns: databaseTurns(mine, core.domain),
        rateLimit: false,
      });
      try {
        const r = await assistant.handleMessage({ ...user, text: '卖烟' });
        expect(r.replies.map((x) => x.text)).toEqual(['您的上一条消息还在处理中，请稍后再发一次。您之前填写的内容都已保存。']);
        expect(r.conversationId).toBe(first.conversationId);
        expect(r.state.answers).toEqual(first.state.answers);
      } finally {
        release();
        await holding;
        await other.close();
        await mine.close();
      }
      const after = await core.assistant.handleMessage({ ...user, text: '卖烟' });
      expect(after.state.answers['sells_tobacco']).toBe(true);
    });
  });
});
