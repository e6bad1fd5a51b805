/**
 * Several instances on one database: two dispatchers (on PostgreSQL two processes) drain the same outbox
 * into one loopback platform, and two reminder schedulers (on PostgreSQL on two connections) tick at the
 * same moment. Nothing is lost, nothing is doubled, and each user's messages arrive in the order they
 * were written.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptCase } from '../../src/cases/acceptCase.ts';
import { systemClock } from '../../src/kernel/clock.ts';
import { decideItem } from '../../src/cases/decideItem.ts';
import { requestMaterials } from '../../src/cases/requestMaterials.ts';
import { submitApplication } from '../../src/cases/submitApplication.ts';
import { issueLicence } from '../../src/licence/issueLicence.ts';
import { startOutbox } from '../../src/notify/dispatcher.ts';
import { startReminders } from '../../src/notify/reminders.ts';
import type { ChannelSender } from '../../src/notify/senders.ts';
import type { Database } from '../../src/store/db.ts';
import { BACKENDS, FORM, makeDeps, startConversation, testStore, TestClock } from '../cases/helpers.ts';
import { drainOutbox, startFakePlatform, type Received } from './fakePlatform.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const staff = { kind: 'staff' as const, id: 's1', name: '测试', role: 'staff' as const };

const USERS = 40;
const MESSAGES = 1000;

/** Writes MESSAGES rows for USERS users, interleaved; returns each text's row id (the order written). */
async function fillOutbox(db: Database, now: Date): Promise<Map<string, number>> {
  const rows = Array.from({ length: MESSAGES }, (_, i) => {
    const user = `tg-${(i * 7 + Math.floor(i / USERS)) % USERS}`;
    return { channel: 'telegram', userId: user, text: `${user} 第${i}条`, availableAt: now, createdAt: now };
  });
  // In chunks: Prisma's createMany slows down sharply past a few hundred rows.
  for (let i = 0; i < rows.length; i += 100) await db.prisma.outboxMessage.createMany({ data: rows.slice(i, i + 100) });
  const written = await db.prisma.outboxMessage.findMany({ select: { id: true, text: true } });
  return new Map(written.map((r) => [r.text, r.id]));
}

/** Every row exactly once, and each user's rows in the order written. */
function expectOncePerRowInOrder(received: Received[], ids: Map<string, number>): void {
  const times = new Map<string, number>();
  for (const r of received) times.set(r.text, (times.get(r.text) ?? 0) + 1);
  expect(times.size).toBe(MESSAGES);
  expect([...times].filter(([, n]) => n !== 1)).toEqual([]);
  const perUser = new Map<string, number[]>();
  for (const r of received) perUser.set(r.userId, [...(perUser.get(r.userId) ?? []), ids.get(r.text) ?? -1]);
  expect(perUser.size).toBe(USERS);
  for (const [user, seen] of perUser) expect(seen, user).toEqual([...seen].sort((a, b) => a - b));
}

/** Two dispatcher processes on one database, sending to one loopback platform. */
async function sendFromTwoProcesses(databaseUrl: string): Promise<Received[]> {
  const platform = await startFakePlatform();
  const instances = ['a', 'b'].map((name) => startDispatcherProcess(databaseUrl, platform.url, name));
  await Promise.all(instances.map((i) => i.ready));
  for (const i of instances) i.go();
  await Promise.all(instances.map((i) => i.finished));
  await platform.close();
  return platform.received;
}

/** Two dispatchers on one connection, their senders writing to one log in the order of the sends. */
async function sendFromOneProcess(db: Database): Promise<Received[]> {
  const received: Received[] = [];
  const licence = makeDeps(db, systemClock).licence;
  const outboxes = ['a', 'b'].map((instance) => {
    const sender: ChannelSender = {
      async send(to, message) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
        received.push({ userId: to.userId, text: message.text, instance });
      },
    };
    return startOutbox({ db, senders: new Map([['telegram', sender]]), clock: systemClock, quietHours: null, licence, pollMs: 0 });
  });
  await Promise.all(outboxes.map((outbox) => drainOutbox(outbox, db)));
  await Promise.all(outboxes.map((outbox) => outbox.stop()));
  return received;
}

interface DispatcherProcess {
  ready: Promise<void>;
  go(): void;
  /** Resolves once it printed `done` and exited 0. */
  finished: Promise<void>;
}

function startDispatcherProcess(databaseUrl: string, platformUrl: string, name: string): DispatcherProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/notify/dispatcherProcess.ts', databaseUrl, platformUrl, name], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  let done = false;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'ready') markReady();
    if (line === 'done') done = true;
  });
  const finished = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && done ? resolve() : reject(new Error(`dispatcher ${name} exited with ${code}: ${stderr}`))));
  });
  return { ready: Promise.race([ready, finished]), go: () => child.stdin.end('go\n'), finished };
}

for (const backend of BACKENDS) {
  describe(`several instances on ${backend}`, () => {
    const store = testStore(backend);
    afterAll(() => store.cleanup());

    // On PostgreSQL, two processes (what two instances are) sending to one loopback platform. SQLite has
    // one writer and runs as one instance: there the two dispatchers share a process and a connection.
    it(`1,000 waiting messages: two dispatchers${backend === 'postgres' ? ' in two processes' : ''} deliver each exactly once, each user in order`, async () => {
      const db = await store.open();
      const ids = await fillOutbox(db, new Date());
      const received = backend === 'postgres' ? await sendFromTwoProcesses(store.url) : await sendFromOneProcess(db);
      expectOncePerRowInOrder(received, ids);
      // Both took part: the rows were shared out, not drained by whichever started first.
      expect(new Set(received.map((r) => r.instance))).toEqual(new Set(['a', 'b']));
      const rows = await db.prisma.outboxMessage.findMany({ select: { status: true, attempts: true } });
      expect(rows).toHaveLength(MESSAGES);
      expect(rows.filter((r) => r.status !== 'sent' || r.attempts !== 1)).toEqual([]);
      await db.close();
    }, 120_000); // a few seconds on an idle machine; two process start-ups and 1,000 writes when it is not

    it('two reminder schedulers tick at once: each follow-up, expiry reminder and expiry once', async () => {
      const clock = new TestClock(new Date('2026-11-23T10:00:00+08:00'));
      // Two connections on PostgreSQL, as two instances would have. On SQLite one: it has one writer, and
      // two better-sqlite3 connections in one process stall each other (the busy wait blocks the event loop).
      const one = await store.open();
      const two = backend === 'postgres' ? await store.open() : one;
      const deps = makeDeps(one, clock);
      await one.prisma.outboxMessage.deleteMany({});
      // Three cases with a 补正 request (a follow-up falls due on day 2), three permits ending on day 20
      // (reminded 30 days before) and three ending on day 3 (lapsed by day 7, which voids the licence).
      for (let i = 0; i < 3; i += 1) {
        const userId = `m-${i}`;
        const conversationId = await startConversation(one, 'telegram', userId);
        const { caseNumber } = await submitApplication(deps, { conversationId, channel: 'telegram', userId, regionId: 'naiman', industryId: 'restaurant', answers: { public_gathering: false }, form: FORM });
        await acceptCase(deps, { caseNumber, actor: staff });
        await requestMaterials(deps, { caseNumber, materials: [{ name: '健康证明', problem: '缺少' }], actor: staff });
      }
      for (const [prefix, validUntil] of [['e', '2026-12-13'], ['l', '2026-11-26']] as const) {
        for (let i = 0; i < 3; i += 1) {
          const userId = `${prefix}-${i}`;
          const conversationId = await startConversation(one, 'telegram', userId);
          const { caseNumber } = await submitApplication(deps, { conversationId, channel: 'telegram', userId, regionId: 'xinxiang', industryId: 'bookstore', answers: { large_outdoor_ad: false }, form: FORM });
          await acceptCase(deps, { caseNumber, actor: staff });
          await decideItem(deps, { caseNumber, permit: 'publication_retail_licence', decision: 'approve', permitNumber: `新出发2026${prefix}${i}`, validUntil, actor: staff });
          await issueLicence(deps, { caseNumber, actor: staff });
        }
      }
      const last = await one.prisma.outboxMessage.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });

      clock.set('2026-11-30T10:00'); // day 7: follow-ups due, 13 days left on the e- permits, the l- permits lapsed
      const errors: unknown[] = [];
      const schedulers = [one, two].map((db) => startReminders(makeDeps(db, clock), { pollMs: 0, onError: (e) => errors.push(e) }));
      const ticks = await Promise.all(schedulers.map((s) => s.tick()));
      expect(errors).toEqual([]);
      const total = (key: keyof (typeof ticks)[number]) => ticks.reduce((n, t) => n + t[key], 0);
      expect({ followUps: total('followUps'), expiryReminders: total('expiryReminders'), expired: total('expired') }).toEqual({ followUps: 3, expiryReminders: 3, expired: 3 });
      const written = await one.prisma.outboxMessage.findMany({ where: { id: { gt: last?.id ?? 0 } }, orderBy: { id: 'asc' } });
      const texts = written.map((m) => `${m.userId} ${m.text}`);
      for (let i = 0; i < 3; i += 1) {
        expect(texts.filter((t) => t.startsWith(`m-${i} `) && t.includes('补正提醒（第1次）')), `m-${i}`).toHaveLength(1);
        expect(texts.filter((t) => t.startsWith(`e-${i} `)), `e-${i}`).toHaveLength(1);
        // The lapsed permit voids the licence: one message, not one per scheduler.
        expect(texts.filter((t) => t.startsWith(`l-${i} `)), `l-${i}`).toHaveLength(1);
      }
      expect(written).toHaveLength(9);
      // Nothing more on the next ticks of either.
      const again = await Promise.all(schedulers.map((s) => s.tick()));
      expect(again).toEqual([
        { followUps: 0, expiryReminders: 0, expired: 0 },
        { followUps: 0, expiryReminders: 0, expired: 0 },
      ]);
      expect(errors).toEqual([]);
      await Promise.all(schedulers.map((s) => s.stop()));
      await Promise.all([...new Set([one, two])].map((db) => db.close()));
    });
  });
}
