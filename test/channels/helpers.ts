/**
 * The assembled core for channel tests (real catalogs, real SQLite in a temp directory, a clock the test
 * moves), and the staff steps that take an application to an issued licence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../src/app/core.ts';
import { acceptCase } from '../../src/cases/acceptCase.ts';
import { closeMaterialRequest } from '../../src/cases/closeMaterialRequest.ts';
import { decideItem } from '../../src/cases/decideItem.ts';
import type { Actor } from '../../src/kernel/actor.ts';
import { recordInspection } from '../../src/cases/recordInspection.ts';
import { requestMaterials } from '../../src/cases/requestMaterials.ts';
import { scheduleInspection } from '../../src/cases/scheduleInspection.ts';
import { loadConfig } from '../../src/config.ts';
import { issueLicence } from '../../src/licence/issueLicence.ts';
import { startOutbox, type OutboxDispatcher } from '../../src/notify/dispatcher.ts';
import type { SenderRegistry } from '../../src/notify/senders.ts';
import { TestClock } from '../cases/helpers.ts';

export const BASE_URL = 'https://yiye.example.gov.cn';
export const STAFF: Actor = { kind: 'staff', id: 'staff-1', name: '王审批', role: 'staff' };

export interface TestCore {
  core: Core;
  clock: TestClock;
  dir: string;
  close(): Promise<void>;
}

/** A core on its own SQLite file, or (`databaseUrl`) on a database another core shares: a second instance. */
export async function testCore(options: { databaseUrl?: string } = {}): Promise<TestCore> {
  const dir = mkdtempSync(join(tmpdir(), 'yiye-channels-'));
  // Monday 2026-11-23 10:00 in Shanghai: a working day, outside quiet hours.
  const clock = new TestClock(new Date('2026-11-23T10:00:00+08:00'));
  const config = loadConfig({
    VAR_DIR: dir,
    PUBLIC_BASE_URL: BASE_URL,
    LICENCE_SIGNING_SECRET: 'channel-test-secret-0123456789',
    LOG_LEVEL: 'silent',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  const core = await createCore(config, { clock, rateLimit: false });
  return {
    core,
    clock,
    dir,
    close: async () => {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The outbox dispatcher as the server runs it, ticked by hand. */
export function manualOutbox(t: TestCore, senders: SenderRegistry, retry = { maxAttempts: 5, baseDelayMs: 30_000, factor: 4 }): OutboxDispatcher {
  return startOutbox({ db: t.core.db, senders, clock: t.clock, quietHours: null, licence: t.core.domain.licence, pollMs: 0, retry });
}

/** The case number the conversation's application got. */
export async function caseNumberOf(t: TestCore, channel: string, userId: string): Promise<string> {
  const row = await t.core.db.prisma.case.findFirstOrThrow({ where: { channel, userId }, orderBy: { createdAt: 'desc' } });
  return row.number;
}

export const staff = {
  accept: (t: TestCore, caseNumber: string) => acceptCase(t.core.domain, { caseNumber, actor: STAFF }),
  requestMaterials: (t: TestCore, caseNumber: string) =>
    requestMaterials(t.core.domain, { caseNumber, actor: STAFF, materials: [{ name: '健康证明', problem: '从业人员健康证明已过期' }] }),
  resolveMaterials: (t: TestCore, caseNumber: string) => closeMaterialRequest(t.core.domain, { caseNumber, outcome: 'resolved', actor: STAFF }),
  /** Joint inspection (passed), every item approved, the licence issued. */
  async approveAndIssue(t: TestCore, caseNumber: string) {
    // Held now: a result is recorded on or after the inspection's day.
    await scheduleInspection(t.core.domain, { caseNumber, at: t.clock.now(), actor: STAFF });
    await recordInspection(t.core.domain, { caseNumber, result: 'passed', actor: STAFF });
    const items = await t.core.db.prisma.caseItem.findMany({ where: { case: { number: caseNumber } } });
    for (const [n, item] of items.entries()) {
      await decideItem(t.core.domain, { caseNumber, permit: item.permitId, decision: 'approve', permitNumber: `XK-${n + 1}`, actor: STAFF });
    }
    const issued = await issueLicence(t.core.domain, { caseNumber, actor: STAFF });
    return issued;
  },
};
