/** Console sessions on a clock the test moves: idle and absolute expiry, and one bookkeeping write a minute. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endSession, openSession, resumeSession } from '../../src/auth/sessions.ts';
import { createStaff, ensureBootstrapAdmin, authenticate } from '../../src/auth/staff.ts';
import type { Database } from '../../src/store/db.ts';
import type { Store } from '../../src/store/repositories.ts';
import { prismaStore } from '../../src/store/store.ts';
import { TestClock, testStore } from '../cases/helpers.ts';

const ADMIN = 'admin-token-for-sessions-0123456789';
const SETTINGS = { hours: 8, idleMinutes: 60 };

describe('console sessions', () => {
  const testDb = testStore('sqlite');
  const clock = new TestClock(new Date('2026-12-01T09:00:00+08:00'));
  let db: Database;
  let store: Store;
  let token = '';
  beforeAll(async () => {
    db = await testDb.open();
    store = prismaStore(db);
    await ensureBootstrapAdmin(store, clock, ADMIN);
    const admin = await authenticate(store, ADMIN, clock);
    token = (await createStaff(store, clock, { actor: admin, name: '窗口小孙', role: 'staff', department: '政数局', departments: ['政数局'] })).token;
  });
  afterAll(async () => {
    await db?.close();
    await testDb.cleanup();
  });

  it('ends after the idle time without a call, and after the absolute lifetime however busy', async () => {
    const { cookie, csrf } = await openSession(store, clock, SETTINGS, token);
    expect((await resumeSession(store, clock, SETTINGS, cookie)).actor).toMatchObject({ name: '窗口小孙', department: '政数局' });
    clock.advance(59 * 60_000);
    expect((await resumeSession(store, clock, SETTINGS, cookie)).csrf).toBe(csrf);
    // Each call keeps it alive: 7 hours of calls every 50 minutes, then the 8 hours are up.
    for (let i = 0; i < 8; i++) {
      clock.advance(50 * 60_000);
      await resumeSession(store, clock, SETTINGS, cookie);
    }
    clock.advance(30 * 60_000);
    await expect(resumeSession(store, clock, SETTINGS, cookie)).rejects.toThrow(/expired/);

    const idle = await openSession(store, clock, SETTINGS, token);
    clock.advance(61 * 60_000);
    await expect(resumeSession(store, clock, SETTINGS, idle.cookie)).rejects.toMatchObject({ code: 'unauthenticated', userMessage: '登录已过期或已退出，请重新登录。' });

    const ended = await openSession(store, clock, SETTINGS, token);
    await endSession(store, clock, ended.cookie);
    await expect(resumeSession(store, clock, SETTINGS, ended.cookie)).rejects.toThrow();
    await expect(resumeSession(store, clock, SETTINGS, 'not-a-session-cookie-at-all-000')).rejects.toThrow();
    await expect(openSession(store, clock, SETTINGS, 'yy_wrong')).rejects.toThrow();
  });
});
