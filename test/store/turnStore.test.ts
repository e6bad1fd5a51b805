// The chat turn's raw-driver path (src/store/turnStore.ts) on SQLite and, with TEST_DATABASE_URL, on
// PostgreSQL: one read and one write, what they carry, and that Prisma and the raw path read each
// other's rows.
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/db.ts';
import { ConflictError, NotFoundError } from '../../src/kernel/errors.ts';
import { prismaConversations } from '../../src/store/conversations.ts';
import { postgresTurns } from '../../src/store/postgresTurns.ts';
import type { TurnDatabase } from '../../src/store/turnStore.ts';
import { PG_URL, testStore, type TestStore } from '../cases/helpers.ts';

for (const backend of ['sqlite', 'postgres'] as const) {
  describe.skipIf(backend === 'postgres' && !PG_URL)(`the turn's path on ${backend}`, () => {
    let store: TestStore;
    let db: Database;
    beforeAll(async () => {
      store = testStore(backend);
      db = await store.open();
    });
    afterAll(async () => {
      await db?.close();
      await store?.cleanup();
    });
    const user = (name: string) => ({ channel: 'web', userId: `${name}-${Math.random().toString(36).slice(2)}` });
    const now = () => new Date();

    it('opens with no conversation for a new user, then reads back what the turn saved, in order', async () => {
      const u = user('new');
      const opened = await db.turns.run(u, (turn) => turn.open({ now: now() }));
      expect(opened).toEqual({ conversation: null, handled: false, waiting: [] });
      const started = await db.turns.conversations.start(u);
      await db.turns.run(u, async (turn) => {
        const { conversation } = await turn.open({ now: now() });
        expect(conversation?.id).toBe(started.id);
        await turn.save(
          {
            conversationId: started.id,
            messages: [
              { direction: 'in', text: '我想开个便利店' },
              { direction: 'out', text: '请问在哪个地区？' },
              { direction: 'out', text: '第二条' },
            ],
            changes: { stage: 'region', state: { stage: 'region', nested: { list: [1, '二'] } }, region: 'naiman', handoff: false },
            expectedVersion: conversation!.version,
          },
          now(),
        );
      });
      // Prisma reads what the raw driver wrote.
      const viaPrisma = await prismaConversations(db.prisma).findLatest(u);
      expect(viaPrisma).toMatchObject({ id: started.id, stage: 'region', region: 'naiman', handoff: false, version: 1, state: { stage: 'region', nested: { list: [1, '二'] } } });
      expect((await prismaConversations(db.prisma).recentMessages(started.id)).map((m) => m.text)).toEqual(['我想开个便利店', '请问在哪个地区？', '第二条']);
    });

    it('refuses a save over a version that moved on, and one for a conversation that is not there', async () => {
      const u = user('cas');
      const c = await db.turns.conversations.start(u);
      await db.turns.conversations.saveTurn(c.id, { messages: [], changes: { stage: 'region' }, expectedVersion: 0 });
      await expect(db.turns.run(u, (turn) => turn.save({ conversationId: c.id, messages: [{ direction: 'in', text: 'x' }], changes: {}, expectedVersion: 0 }, now()))).rejects.toBeInstanceOf(ConflictError);
      // Nothing of the refused turn was written.
      expect(await db.turns.conversations.recentMessages(c.id)).toEqual([]);
      await expect(db.turns.run(u, (turn) => turn.save({ conversationId: 'nope', messages: [], changes: {}, expectedVersion: 0 }, now()))).rejects.toBeInstanceOf(NotFoundError);
    });

    it('shows what waits in the outbox, marks it delivered with the turn, and answers an update once', async () => {
      const u = user('wait');
      const c = await db.turns.conversations.start(u);
      const at = now();
      await db.prisma.outboxMessage.create({ data: { channel: u.channel, userId: u.userId, text: '请补正材料', status: 'pending', availableAt: at, createdAt: at } });
      await db.prisma.outboxMessage.create({ data: { channel: u.channel, userId: u.userId, text: '以后再说', status: 'pending', availableAt: new Date(at.getTime() + 3_600_000), createdAt: at } });
      await db.turns.run(u, async (turn) => {
        const opened = await turn.open({ updateKey: `web:${u.userId}:1`, now: now() });
        expect(opened.handled).toBe(false);
        expect(opened.waiting).toEqual([{ id: expect.any(Number), text: '请补正材料', recorded: false }]);
        await turn.save({ conversationId: c.id, messages: [], changes: {}, updateKey: `web:${u.userId}:1`, delivered: opened.waiting.map((m) => m.id), expectedVersion: opened.conversation!.version }, now());
      });
      const again = await db.turns.run(u, (turn) => turn.open({ updateKey: `web:${u.userId}:1`, now: now() }));
      expect(again.handled).toBe(true);
      expect(again.waiting).toEqual([]);
      expect(await db.prisma.outboxMessage.count({ where: { userId: u.userId, status: 'delivered' } })).toBe(1);
      // The same update answered twice is a conflict, and rolls the whole turn back.
      await expect(
        db.turns.run(u, (turn) => turn.save({ conversationId: c.id, messages: [{ direction: 'in', text: '重复' }], changes: {}, updateKey: `web:${u.userId}:1`, expectedVersion: again.conversation!.version }, now())),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await db.turns.conversations.recentMessages(c.id)).toEqual([]);
    });

    it('writes the unanswered questions masked, and the tickets, with the turn', async () => {
      const u = user('tickets');
      const c = await db.turns.conversations.start(u);
      const number = `GD${Date.now()}${Math.floor(Math.random() * 1000)}`;
      await db.turns.run(u, async (turn) => {
        const opened = await turn.open({ now: now() });
        await turn.save(
          {
            conversationId: c.id,
            messages: [{ direction: 'in', text: '投诉' }],
            changes: {},
            unanswered: [{ channel: 'web', region: 'naiman', text: '我的电话13912345678能查吗' }],
            tickets: [{ number, kind: 'complaint', region: 'naiman', channel: 'web', userId: u.userId, text: '窗口态度差', createdAt: now() }],
            expectedVersion: opened.conversation!.version,
          },
          now(),
        );
      });
      const unanswered = await db.prisma.unansweredQuestion.findMany({ where: { conversationId: c.id } });
      expect(unanswered.map((q) => q.text)).toEqual([expect.not.stringContaining('13912345678')]);
      expect(await db.prisma.ticket.findUnique({ where: { number } })).toMatchObject({ kind: 'complaint', conversationId: c.id, status: 'open', text: '窗口态度差' });
    });

    it('runs one turn of a user at a time: the second reads what the first saved', async () => {
      const u = user('serial');
      const c = await db.turns.conversations.start(u);
      const step = (text: string) =>
        db.turns.run(u, async (turn) => {
          const { conversation } = await turn.open({ now: now() });
          await new Promise((resolve) => setTimeout(resolve, 20));
          await turn.save({ conversationId: c.id, messages: [{ direction: 'in', text }], changes: { state: { last: text } }, expectedVersion: conversation!.version }, now());
        });
      await Promise.all([step('一'), step('二'), step('三')]);
      expect((await db.turns.conversations.recentMessages(c.id)).map((m) => m.text)).toEqual(['一', '二', '三']);
      expect((await db.turns.conversations.get(c.id)).version).toBe(3);
    });

    // Two instances: the turn lock is released inside the write, before it commits; the next turn,
    // elsewhere, still reads what was committed (it waits for the write's commit fence), so no save
    // meets a version that moved on.
    // A commit never copies the WAL back (that stalled turns); the worker does, within about a second.
    const onSqlite = backend === 'sqlite' ? it : () => undefined;
    onSqlite('checkpoints the WAL into the database file off the turn\'s thread', async () => {
      const file = new URL(store.url.replace(/^file:/, 'file://')).pathname;
      const before = statSync(file).mtimeMs;
      const u = user('wal');
      const c = await db.turns.conversations.start(u);
      for (let i = 0; i < 50; i++) await db.turns.conversations.saveTurn(c.id, { messages: [{ direction: 'in', text: `第${i}条` }], changes: { state: { i } } });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(statSync(file).mtimeMs).toBeGreaterThan(before);
      expect((await db.turns.conversations.recentMessages(c.id, 1)).map((m) => m.text)).toEqual(['第49条']);
    });

    // SQLite serves one process: its turns are kept apart by the process's queue (the test above).
    const onPostgres = backend === 'postgres' ? it : () => undefined;
    onPostgres('runs the turns of one user sent to two instances at once one after the other, each reading the last', async () => {
      const url = new URL(store.url);
      const other = postgresTurns({ connectionString: PG_URL!, schema: url.searchParams.get('schema')! });
      try {
        const u = user('two');
        const c = await db.turns.conversations.start(u);
        const step = (instance: TurnDatabase, text: string) =>
          instance.run(u, async (turn) => {
            const { conversation } = await turn.open({ now: now() });
            await turn.save({ conversationId: c.id, messages: [{ direction: 'in', text }], changes: { state: { last: text } }, expectedVersion: conversation!.version }, now());
          });
        const texts = Array.from({ length: 20 }, (_, i) => String(i));
        await Promise.all(texts.map((text, i) => step(i % 2 ? other : db.turns, text)));
        expect((await db.turns.conversations.get(c.id)).version).toBe(20);
        expect((await db.turns.conversations.recentMessages(c.id, 50)).map((m) => m.text).sort()).toEqual([...texts].sort());
      } finally {
        await other.close();
      }
    });
  });
}
