/** Status look-up by case number + last four phone digits: locks after five wrong tries, tells nothing. */
import { afterAll, describe, expect, it } from 'vitest';
import { lookupCase } from '../../src/cases/lookupCase.ts';
import { submitApplication } from '../../src/cases/submitApplication.ts';
import { BACKENDS, FORM, makeDeps, startConversation, testStore, TestClock } from './helpers.ts';

for (const backend of BACKENDS) {
  describe(`lookupCase on ${backend}`, () => {
    const store = testStore(backend);
    afterAll(() => store.cleanup());

    it('answers the right pair, refuses alike for wrong digits and unknown cases, and locks after five', async () => {
      const clock = new TestClock(new Date('2026-11-23T10:00:00+08:00'));
      let db = await store.open();
      let deps = makeDeps(db, clock);
      const conversationId = await startConversation(db, 'web', 'owner');
      const { caseNumber } = await submitApplication(deps, { conversationId, channel: 'web', userId: 'owner', regionId: 'naiman', industryId: 'restaurant', answers: { public_gathering: false }, form: FORM });
      const someone = { channel: 'telegram', userId: 'stranger' };

      const ok = await lookupCase(deps, { caseNumber, phoneLast4: '5678', requester: someone });
      expect(ok.ok).toBe(true);
      if (ok.ok) expect(ok.case.items[0]?.statusLabel).toBe('已提交，待受理');

      const wrongDigits = await lookupCase(deps, { caseNumber, phoneLast4: '0000', requester: someone });
      const unknownCase = await lookupCase(deps, { caseNumber: 'BJ20261123999999', phoneLast4: '5678', requester: someone });
      expect(wrongDigits).toEqual(unknownCase);
      expect(wrongDigits).toMatchObject({ ok: false, reason: 'no_match' });
      expect(JSON.stringify(wrongDigits)).not.toContain(caseNumber);

      await lookupCase(deps, { caseNumber, phoneLast4: '1111', requester: someone });
      await lookupCase(deps, { caseNumber, phoneLast4: '2222', requester: someone });
      await lookupCase(deps, { caseNumber, phoneLast4: '3333', requester: someone });
      // Five failures: even the right pair is refused now, and the lock survives a restart.
      await db.close();
      db = await store.open();
      deps = makeDeps(db, clock);
      const locked = await lookupCase(deps, { caseNumber, phoneLast4: '5678', requester: someone });
      expect(locked).toMatchObject({ ok: false, reason: 'locked' });
      // Another requester is not affected.
      expect((await lookupCase(deps, { caseNumber, phoneLast4: '5678', requester: { channel: 'telegram', userId: 'other' } })).ok).toBe(true);
      // An hour after the first failure, the window has moved on.
      clock.advance(3600_000 + 1000);
      expect((await lookupCase(deps, { caseNumber, phoneLast4: '5678', requester: someone })).ok).toBe(true);
      await db.close();
    });
  });
}
