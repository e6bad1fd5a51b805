/**
 * The outbox and the reminder scheduler across a restart, quiet hours, and failing senders.
 */
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptCase } from '../../src/cases/acceptCase.ts';
import { requestMaterials } from '../../src/cases/requestMaterials.ts';
import { submitApplication } from '../../src/cases/submitApplication.ts';
import { ensureBootstrapAdmin } from '../../src/auth/staff.ts';
import { startOutbox } from '../../src/notify/dispatcher.ts';
import { prismaStore } from '../../src/store/store.ts';
import { DEFAULT_QUIET_HOURS, isQuiet, parseQuietHours } from '../../src/notify/quietHours.ts';
import { startReminders } from '../../src/notify/reminders.ts';
import { PermanentSendError, type ChannelSender, type OutgoingMessage } from '../../src/notify/senders.ts';
import { takePending } from '../../src/notify/takePending.ts';
import { registerStaffRoutes } from '../../src/server/staffRoutes.ts';
import { BACKENDS, FORM, makeDeps, startConversation, testStore, TestClock } from '../cases/helpers.ts';

const staff = { kind: 'staff' as const, id: 's1', name: '测试', role: 'staff' as const };

function recorder() {
  const sent: { userId: string; message: OutgoingMessage }[] = [];
  const sender: ChannelSender = {
    async send(to, message) {
      sent.push({ userId: to.userId, message });
    },
  };
  return { sent, sender };
}

describe('quiet hours', () => {
  it('default 21:00–08:00 Asia/Shanghai wraps midnight', () => {
    expect(isQuiet(new Date('2026-11-23T20:59:00+08:00'), DEFAULT_QUIET_HOURS)).toBe(false);
    expect(isQuiet(new Date('2026-11-23T21:00:00+08:00'), DEFAULT_QUIET_HOURS)).toBe(true);
    expect(isQuiet(new Date('2026-11-24T07:59:00+08:00'), DEFAULT_QUIET_HOURS)).toBe(true);
    expect(isQuiet(new Date('2026-11-24T08:00:00+08:00'), DEFAULT_QUIET_HOURS)).toBe(false);
    expect(parseQuietHours('off')).toBeNull();
    expect(parseQuietHours('12:00-13:30')).toMatchObject({ start: '12:00', end: '13:30' });
  });
});

for (const backend of BACKENDS) {
  describe(`outbox on ${backend}`, () => {
    const store = testStore(backend);
    afterAll(() => store.cleanup());

    it('a reminder due while the service is down is sent exactly once after the restart', async () => {
      const clock = new TestClock(new Date('2026-11-23T10:00:00+08:00'));
      // Before the restart: a case with a 补正 request, its first message delivered.
      let db = await store.open();
      let deps = makeDeps(db, clock);
      const conversationId = await startConversation(db, 'telegram', 'tg-1');
      const { caseNumber } = await submitApplication(deps, {
        conversationId,
        channel: 'telegram',
        userId: 'tg-1',
        regionId: 'naiman',
        industryId: 'restaurant',
        answers: { public_gathering: false },
        form: FORM,
      });
      await acceptCase(deps, { caseNumber, actor: staff });
      await requestMaterials(deps, { caseNumber, materials: [{ name: '健康证明', problem: '缺少' }], actor: staff });
      const before = recorder();
      const first = startOutbox({ db, senders: new Map([['telegram', before.sender]]), clock, quietHours: DEFAULT_QUIET_HOURS, licence: deps.licence, pollMs: 0 });
      expect(await first.tick()).toBe(2); // accepted + 补正通知
      // A dispatcher claims a message and dies mid-send: the row is left "sending" under a lease.
      await prismaStore(db).transaction((tx) => tx.outbox.enqueue({ channel: 'telegram', userId: 'tg-1', text: '崩溃前认领的消息', dedupeKey: 'crash-1' }, clock.now()));
      await db.prisma.outboxMessage.updateMany({ where: { dedupeKey: 'crash-1' }, data: { status: 'sending', leaseUntil: new Date(clock.now().getTime() + 300_000), attempts: 1 } });
      await first.stop();
      await db.close();

      // Down for three days, across the follow-up's due time; back up at 09:00 (outside quiet hours).
      clock.set('2026-11-26T09:00');
      db = await store.open();
      deps = makeDeps(db, clock);
      const after = recorder();
      const senders = new Map([['telegram', after.sender]]);
      const opts = { db, senders, clock, quietHours: DEFAULT_QUIET_HOURS, licence: deps.licence, pollMs: 0 };
      // Two schedulers and two dispatchers (e.g. two processes) race after the restart.
      const [r1, r2] = [startReminders(deps, { pollMs: 0 }), startReminders(makeDeps(db, clock), { pollMs: 0 })];
      const [a, b] = await Promise.all([r1.tick(), r2.tick()]);
      expect(a.followUps + b.followUps).toBe(1);
      const [d1, d2] = [startOutbox(opts), startOutbox(opts)];
      // (d1's second tick joins its first: one dispatcher never runs two ticks at once.)
      await Promise.all([d1.tick(), d2.tick(), d1.tick()]);
      expect(after.sent).toHaveLength(2);
      const texts = after.sent.map((s) => s.message.text);
      expect(texts.filter((t) => t.includes('补正提醒（第1次）'))).toHaveLength(1);
      expect(texts.filter((t) => t === '崩溃前认领的消息')).toHaveLength(1);
      expect(texts.some((t) => t.includes('【补正通知】'))).toBe(false); // sent before the restart, not again
      // Nothing more on later ticks.
      expect(await d1.tick()).toBe(0);
      expect((await r1.tick()).followUps).toBe(0);
      await Promise.all([d1.stop(), d2.stop(), r1.stop(), r2.stop()]);
      await db.close();
    });

    it('holds pushes in quiet hours, retries transient failures with backoff, then reports failures to staff', async () => {
      const clock = new TestClock(new Date('2026-11-23T22:30:00+08:00'));
      const db = await store.open();
      const deps = makeDeps(db, clock);
      let mode: 'transient' | 'permanent' | 'ok' = 'transient';
      const delivered: string[] = [];
      const flaky: ChannelSender = {
        async send(_to, message) {
          if (mode === 'transient') throw new Error('ECONNRESET');
          if (mode === 'permanent') throw new PermanentSendError('bot was blocked by the user');
          delivered.push(message.text);
        },
      };
      await prismaStore(db).transaction(async (tx) => {
        await tx.outbox.enqueue({ channel: 'wechat', userId: 'wx-1', text: '消息A' }, clock.now());
      });
      const outbox = startOutbox({ db, senders: new Map([['wechat', flaky]]), clock, quietHours: DEFAULT_QUIET_HOURS, licence: deps.licence, pollMs: 0, retry: { maxAttempts: 3, baseDelayMs: 60_000, factor: 2 } });
      expect(await outbox.tick()).toBe(0); // quiet hours: not even tried
      expect((await db.prisma.outboxMessage.findFirstOrThrow({ where: { text: '消息A' } })).attempts).toBe(0);
      clock.set('2026-11-24T08:00');
      await outbox.tick(); // attempt 1 fails
      let row = await db.prisma.outboxMessage.findFirstOrThrow({ where: { text: '消息A' } });
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row.availableAt.getTime()).toBe(clock.now().getTime() + 60_000);
      expect(await outbox.tick()).toBe(0); // not due yet (backoff)
      clock.advance(60_000);
      await outbox.tick(); // attempt 2 fails, next in 120 s
      clock.advance(120_000);
      mode = 'ok';
      expect(await outbox.tick()).toBe(1);
      expect(delivered).toEqual(['消息A']);

      // A refusal fails at once and shows in the staff API.
      mode = 'permanent';
      await prismaStore(db).transaction((tx) => tx.outbox.enqueue({ channel: 'wechat', userId: 'wx-2', text: '消息B' }, clock.now()));
      await outbox.tick();
      row = await db.prisma.outboxMessage.findFirstOrThrow({ where: { text: '消息B' } });
      expect(row.status).toBe('failed');
      expect(row.lastError).toContain('refused');
      await outbox.stop();

      await ensureBootstrapAdmin(deps.store, clock, 'outbox-admin-token-0123456789');
      const app = Fastify({ logger: false });
      registerStaffRoutes(app, deps);
      const failed = await app.inject({ url: '/api/staff/outbox?status=failed', headers: { authorization: 'Bearer outbox-admin-token-0123456789' } });
      expect(failed.statusCode).toBe(200);
      expect(failed.json().map((m: { text: string }) => m.text)).toContain('消息B');
      await app.close();
      await db.close();
    });

    it("keeps a user's messages in order through a retry, without holding up other users", async () => {
      const clock = new TestClock(new Date('2026-11-23T10:00:00+08:00'));
      const db = await store.open();
      const deps = makeDeps(db, clock);
      await db.prisma.outboxMessage.deleteMany({ where: { channel: 'wechat' } });
      await prismaStore(db).transaction(async (tx) => {
        for (const [userId, text] of [['wx-a', '甲一'], ['wx-a', '甲二'], ['wx-b', '乙一']] as const) await tx.outbox.enqueue({ channel: 'wechat', userId, text }, clock.now());
      });
      const delivered: string[] = [];
      let failNext = true;
      const sender: ChannelSender = {
        async send(_to, message) {
          if (message.text === '甲一' && failNext) {
            failNext = false;
            throw new Error('ETIMEDOUT');
          }
          delivered.push(message.text);
        },
      };
      const outbox = startOutbox({ db, senders: new Map([['wechat', sender]]), clock, quietHours: null, licence: deps.licence, pollMs: 0 });
      expect(await outbox.tick()).toBe(1);
      expect(delivered).toEqual(['乙一']); // 甲二 waits for 甲一's retry
      clock.advance(30_000);
      expect(await outbox.tick()).toBe(2);
      expect(delivered).toEqual(['乙一', '甲一', '甲二']);
      await outbox.stop();
      await db.close();
    });

    it('pull channels: takePending returns waiting messages once, with the licence QR rendered', async () => {
      const clock = new TestClock(new Date('2026-11-23T23:00:00+08:00'));
      const db = await store.open();
      const deps = makeDeps(db, clock);
      await prismaStore(db).transaction(async (tx) => {
        await tx.outbox.enqueue({ channel: 'web', userId: 'w-1', text: '一' }, clock.now());
        await tx.outbox.enqueue({ channel: 'web', userId: 'w-1', text: '二' }, clock.now());
        await tx.outbox.enqueue({ channel: 'web', userId: 'w-2', text: '别人的' }, clock.now());
      });
      // Quiet hours do not apply: the user is here asking.
      const [x, y] = await Promise.all([takePending(deps, { channel: 'web', userId: 'w-1' }), takePending(deps, { channel: 'web', userId: 'w-1' })]);
      expect([...x, ...y].map((m) => m.text).sort()).toEqual(['一', '二']);
      expect(await takePending(deps, { channel: 'web', userId: 'w-1' })).toEqual([]);
      await db.close();
    });
  });
}
