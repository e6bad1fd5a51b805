/**
 * The reminder scheduler: follow-ups about missing materials on the configured schedule until the
 * request is resolved or cancelled, reminders before a permit's validity ends, and the end of permits
 * whose validity has passed (which applies the region's licence rule).
 *
 * Exactly once, with any number of schedulers ticking at the same time (one per instance):
 * - a follow-up is taken by a conditional update of its request (only the scheduler whose update matched
 *   the old `remindersSent` goes on; on PostgreSQL a second one waits for the first's row lock, then
 *   matches nothing) and its outbox row is written in the same transaction with a dedupe key, so a crash
 *   before commit leaves it due and a restart sends it once;
 * - an expiry reminder is keyed by item, end date and lead time: when two schedulers write it at once,
 *   the unique key stops the second, whose transaction (holding nothing else) rolls back;
 * - a lapsed permit is ended by endItem's conditional update of the item: the second scheduler finds it
 *   changed or already ended, and skips it.
 * What lost such a race is not an error and is not reported.
 */
import { addDays } from '../calendar/workingDays.ts';
import { shanghaiDate } from '../kernel/clock.ts';
import type { DomainDeps } from '../cases/deps.ts';
import { endItem } from '../cases/endItem.ts';
import { toApplicant } from '../cases/model.ts';
import { startPolling } from './poll.ts';
import { expiryText, materialsText } from '../cases/texts.ts';

export interface ReminderScheduler {
  tick(): Promise<{ followUps: number; expiryReminders: number; expired: number }>;
  stop(): Promise<void>;
}

export function startReminders(deps: DomainDeps, options: { pollMs?: number; onError?: (error: unknown) => void } = {}): ReminderScheduler {
  const report = options.onError ?? (() => {});
  return startPolling(
    async () => ({
      followUps: await followUps(deps, report),
      expiryReminders: await expiryReminders(deps, report),
      expired: await expirePermits(deps, report),
    }),
    options.pollMs ?? 60_000,
    report,
  );
}

async function followUps(deps: DomainDeps, report: (e: unknown) => void): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.store.cases.dueMaterialRequests(now, 100);
  let sent = 0;
  for (const request of due) {
    try {
      const done = await deps.store.transaction(async (tx) => {
        const n = request.remindersSent + 1;
        const gaps = deps.reminders.followUpGapsMs;
        const gap = gaps[Math.min(n, gaps.length - 1)];
        const next = n >= deps.reminders.maxFollowUps || gap === undefined ? null : new Date(now.getTime() + gap);
        if (!(await tx.cases.claimFollowUp(request.id, request.remindersSent, next))) return false;
        const c = request.case;
        const permits = request.permitIds;
        return tx.outbox.enqueue(
          {
            ...toApplicant(c),
            text: materialsText({
              caseNumber: c.number,
              items: c.items.filter((i) => permits.includes(i.permitId)).map((i) => i.name),
              materials: request.materials,
              howToSubmit: request.howToSubmit,
              followUp: n,
            }),
            dedupeKey: `materials:${request.id}:${n}`,
          },
          now,
        );
      });
      if (done) sent += 1;
    } catch (error) {
      report(error);
    }
  }
  return sent;
}

async function expiryReminders(deps: DomainDeps, report: (e: unknown) => void): Promise<number> {
  const leads = [...deps.reminders.expiryLeadDays].sort((a, b) => a - b);
  const longest = leads[leads.length - 1];
  if (longest === undefined) return 0;
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const items = await deps.store.cases.itemsEnding(today, addDays(today, longest));
  let sent = 0;
  for (const item of items) {
    if (!item.validUntil) continue;
    const daysLeft = Math.round((Date.parse(`${item.validUntil}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
    // Only the nearest lead time applies: a permit first seen 5 days before its end gets one reminder, not two.
    const lead = leads.find((l) => daysLeft <= l);
    if (lead === undefined) continue;
    const c = item.case;
    const dedupeKey = `expiry:${item.id}:${item.validUntil}:${lead}`;
    try {
      const written = await deps.store.transaction((tx) =>
        tx.outbox.enqueue(
          {
            ...toApplicant(c),
            text: expiryText({ holder: c.holderName, item: item.name, ...(item.permitNumber ? { permitNumber: item.permitNumber } : {}), validUntil: item.validUntil ?? '', daysLeft }),
            dedupeKey,
          },
          now,
        ),
      );
      if (written) sent += 1;
    } catch (error) {
      const writtenByAnother = await deps.store.outbox.hasKey(dedupeKey);
      if (!writtenByAnother) report(error);
    }
  }
  return sent;
}

async function expirePermits(deps: DomainDeps, report: (e: unknown) => void): Promise<number> {
  const today = shanghaiDate(deps.clock.now());
  const lapsed = await deps.store.cases.itemsLapsed(today, 100);
  let ended = 0;
  for (const item of lapsed) {
    try {
      await endItem(deps, { caseNumber: item.caseNumber, permit: item.permitId, kind: 'expired', reason: `有效期已于${item.validUntil}届满`, actor: { kind: 'system' } });
      ended += 1;
    } catch (error) {
      const current = await deps.store.cases.itemStatus(item.id);
      const endedByAnother = current !== null && current !== 'approved';
      if (!endedByAnother) report(error);
    }
  }
  return ended;
}
