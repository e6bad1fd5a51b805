/**
 * 一窗受理: the window accepts the case. Every item still "submitted" becomes "accepted" and its
 * deadlines are counted again from today, the day of acceptance (受理之日).
 */
import { shanghaiDate } from '../kernel/clock.ts';
import { deadlinesFrom } from './deadlines.ts';
import type { DomainDeps } from './deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { invalidState } from './errors.ts';
import { moveItem, recordEvent, requireCase, requireRole, toApplicant } from './model.ts';

export interface AcceptCaseResult {
  caseNumber: string;
  accepted: { permitId: string; name: string; statutoryDeadline?: string; promisedDeadline?: string }[];
}

export async function acceptCase(deps: DomainDeps, input: { caseNumber: string; actor: Actor; reason?: string }): Promise<AcceptCaseResult> {
  requireRole(input.actor, ['staff']);
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  return deps.store.transaction(async (tx) => {
    const record = await requireCase(tx, input.caseNumber);
    const waiting = record.items.filter((i) => i.status === 'submitted');
    if (waiting.length === 0) throw invalidState('nothing to accept', `办件${record.number}没有待受理的事项。`);
    const accepted: AcceptCaseResult['accepted'] = [];
    for (const item of waiting) {
      await moveItem(tx, item, 'accepted');
      const limits = {
        ...(item.statutoryWorkingDays !== null ? { statutoryWorkingDays: item.statutoryWorkingDays } : {}),
        ...(item.promisedWorkingDays !== null ? { promisedWorkingDays: item.promisedWorkingDays } : {}),
      };
      const d = deadlinesFrom(deps.calendar, today, limits);
      await tx.cases.updateItem(item.id, { statutoryDeadline: d.statutoryDeadline, promisedDeadline: d.promisedDeadline });
      await recordEvent(tx, input.actor, now, {
        caseId: record.id,
        permitId: item.permitId,
        action: 'accepted',
        fromStatus: item.status,
        toStatus: 'accepted',
        ...(input.reason ? { reason: input.reason } : {}),
        data: { statutoryDeadline: d.statutoryDeadline, promisedDeadline: d.promisedDeadline },
      });
      accepted.push({ permitId: item.permitId, name: item.name, ...(d.statutoryDeadline ? { statutoryDeadline: d.statutoryDeadline } : {}), ...(d.promisedDeadline ? { promisedDeadline: d.promisedDeadline } : {}) });
    }
    await tx.cases.update(record.id, { acceptedAt: record.acceptedAt ?? now });
    await tx.outbox.enqueue(
      {
        ...toApplicant(record),
        text: `【已受理】您的办件 ${record.number} 已受理：${accepted.map((a) => `${a.name}${a.promisedDeadline ?? a.statutoryDeadline ? `（${a.promisedDeadline ?? a.statutoryDeadline}前办结）` : ''}`).join('、')}。`,
      },
      now,
    );
    return { caseNumber: record.number, accepted };
  });
}
