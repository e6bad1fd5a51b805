/**
 * Status look-up by case number + last four phone digits: a failure tells nothing; wrong tries lock the
 * case number (whoever asks), the client address and the requester; tries in parallel are held to the
 * limit; with the counters in Redis, two instances share the lock and it outlives them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LOOKUP_MAX_FAILURES, lookupCase } from '../../src/cases/lookupCase.ts';
import { submitApplication } from '../../src/cases/submitApplication.ts';
import type { DomainDeps } from '../../src/cases/deps.ts';
import { redisCounters } from '../../src/limits/redisCounters.ts';
import type { Database } from '../../src/store/db.ts';
import { deleteKeys, REDIS_URL, sayRedisSkipped, testPrefix } from '../limits/redis.ts';
import { BACKENDS, FORM, makeDeps, startConversation, testStore, TestClock } from './helpers.ts';

const web = (n: number | string) => ({ channel: 'web', userId: `guess-${n}`, address: `10.0.0.${n}` });

async function submitted(db: Database, deps: DomainDeps, userId: string): Promise<string> {
  const conversationId = await startConversation(db, 'web', userId);
  const { caseNumber } = await submitApplication(deps, { conversationId, channel: 'web', userId, regionId: 'naiman', industryId: 'restaurant', answers: { public_gathering: false }, form: FORM });
  if (!caseNumber) throw new Error('no case');
  return caseNumber;
}

for (const backend of BACKENDS) {
  describe(`lookupCase on ${backend}`, () => {
    const store = testStore(backend);
    afterAll(() => store.cleanup());

    it('answers the right pair, refuses alike for wrong digits and unknown cases, and locks the case number after five wrong tries, whoever asks', async () => {
      const clock = new TestClock(new Date('2026-11-23T10:00:00+08:00'));
      const db = await store.open();
      const deps = makeDeps(db, clock);
      const caseNumber = await submitted(db, deps, 'owner');
      const someone = { channel: 'telegram', userId: 'stranger' };

      // Right look-ups do not count: as many as one likes.
      for (let i = 0; i < 8; i++) expect((await lookupCase(deps, { caseNumber, phoneLast4: '5678', requester: someone })).ok).toBe(true);
      const ok = await lookupCase(deps, { caseNumber, phoneLast4: '5678', requester: someone });
      if (ok.ok) expect(ok.case.items[0]?.statusLabel).toBe('已提交，待受理');

      const wrongDigits = await lookupCase(deps, { caseNumber, phoneLast4: '0000', requester: web(1) });
      const unknownCase = await lookupCase(deps, { caseNumber: 'BJ20261123999999', phoneLast4: '5678', requester: web(1) });
      expect(wrongDigits).toEqual(unknownCase);
      expect(wrongDigits).toMatchObject({ ok: false, reason: 'no_match' });
      expect(JSON.stringify(wrongDigits)).not.toContain(caseNumber);

      // Four more wrong tries, each from a new user id and address: the case number is locked for everyone.
      for (let n = 2; n <= LOOKUP_MAX_FAILURES.caseNumber; n++) {
        expect(await lookupCase(deps, { caseNumber, phoneLast4: String(1000 + n), requester: web(n) })).toMatchObject({ reason: 'no_match' });
      }
      const locked = await lookupCase(deps, { caseNumber, phoneLast4: '5678', requester: web(99) });
      expect(locked).toMatchObject({ ok: false, reason: 'locked' });
      if (!locked.ok) expect(locked.message).toMatch(/^这个办件号查询失败次数过多，已暂停查询，请60分钟后再试。/);
      expect((await lookupCase(deps, { caseNumber, phoneLast4: '5678', requester: someone })).ok).toBe(false);
      // Another case is not affected, nor are those addresses (one or two wrong tries each).
      const other = await submitted(db, deps, 'owner-2');
      expect((await lookupCase(deps, { caseNumber: other, phoneLast4: '5678', requester: web(1) })).ok).toBe(true);
      // An hour after the first failure, the window has moved on.
      clock.advance(3600_000 + 1000);
      expect((await lookupCase(deps, { caseNumber, phoneLast4: '5678', requester: web(99) })).ok).toBe(true);
      await db.close();
    });

    it('locks a client address after twenty wrong tries at any case numbers under any user ids, and a requester after five', async () => {
      const clock = new TestClock(new Date('2026-11-23T10:00:00+08:00'));
      const db = await store.open();
      const deps = makeDeps(db, clock);
      const caseNumber = await submitted(db, deps, 'owner-3');
      const from = (n: number) => ({ channel: 'web', userId: `rotating-${n}`, address: '192.0.2.7' });
      for (let n = 0; n < LOOKUP_MAX_FAILURES.address; n++) {
        expect(await lookupCase(deps, { caseNumber: `BJ2026112300${String(n).padStart(4, '0')}`, phoneLast4: '5678', requester: from(n) })).toMatchObject({ reason: 'no_match' });
      }
      const locked = await lookupCase(deps, { caseNumber, phoneLast4: '5678', requester: from(100) });
      expect(locked).toMatchObject({ ok: false, reason: 'locked' });
      if (!locked.ok) expect(locked.message).toBe('查询失败次数过多，已暂停查询，请60分钟后再试，或拨打12345热线咨询。');
      // The same case from another address still answers: the address was locked, not the case.
      expect((await lookupCase(deps, { caseNumber, phoneLast4: '5678', requester: { ...from(101), address: '192.0.2.8' } })).ok).toBe(true);

      // A channel whose user ids the platform gives (Telegram): five wrong tries lock that user.
      const tg = { channel: 'telegram', userId: '424242' };
      for (let n = 0; n < LOOKUP_MAX_FAILURES.requester; n++) await lookupCase(deps, { caseNumber: `BJ2026112301${String(n).padStart(4, '0')}`, phoneLast4: '5678', requester: tg });
      expect(await lookupCase(deps, { caseNumber, phoneLast4: '5678', requester: tg })).toMatchObject({ reason: 'locked' });
      await db.close();
    });

    it('holds parallel tries under rotating user ids to the limit: five wrong answers, then locked', async () => {
      const clock = new TestClock(new Date('2026-11-23T10:00:00+08:00'));
      const db = await store.open();
      const deps = makeDeps(db, clock);
      const caseNumber = await submitted(db, deps, 'owner-4');
      const results = await Promise.all(Array.from({ length: 30 }, (_, n) => lookupCase(deps, { caseNumber, phoneLast4: String(2000 + n), requester: web(n) })));
      expect(results.filter((r) => !r.ok && r.reason === 'no_match')).toHaveLength(LOOKUP_MAX_FAILURES.caseNumber);
      expect(results.filter((r) => !r.ok && r.reason === 'locked')).toHaveLength(30 - LOOKUP_MAX_FAILURES.caseNumber);
      await db.close();
    });
  });
}

sayRedisSkipped('The look-up lock in Redis (two instances)');
describe.skipIf(!REDIS_URL)('lookupCase with the counters in Redis', () => {
  const store = testStore('sqlite');
  const prefix = testPrefix();
  afterAll(async () => {
    await deleteKeys(prefix);
    await store.cleanup();
  });

  it('two instances share the lock, tries in parallel included, and it outlives them', async () => {
    const clock = new TestClock(new Date());
    const db = await store.open();
    const instance = () => {
      const counters = redisCounters({ url: REDIS_URL ?? '', prefix });
      return { deps: makeDeps(db, clock, { counters }), close: () => counters.close() };
    };
    const [a, b] = [instance(), instance()];
    const caseNumber = await submitted(db, a.deps, 'owner');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) => lookupCase((n % 2 ? a : b).deps, { caseNumber, phoneLast4: String(3000 + n), requester: web(n) })),
    );
    expect(results.filter((r) => !r.ok && r.reason === 'no_match')).toHaveLength(LOOKUP_MAX_FAILURES.caseNumber);
    await Promise.all([a.close(), b.close()]);
    // A new instance (a restart) finds the case number still locked.
    const c = instance();
    expect(await lookupCase(c.deps, { caseNumber, phoneLast4: '5678', requester: web(50) })).toMatchObject({ reason: 'locked' });
    await c.close();
    await db.close();
  });
});
