/**
 * A single permit ends after approval: cancelled (注销), revoked (撤销/吊销) or expired (失效). The
 * region's rule decides what happens to the comprehensive licence (applyLicenceRules).
 */
import type { DomainDeps, LicenceOutcome } from './deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { invalidInput } from './errors.ts';
import { findItem, ITEM_STATUS_LABEL, moveItem, recordEvent, requireCase, requireRole, requireTransition, type EndedStatus } from './model.ts';

export async function endItem(
  deps: DomainDeps,
  input: { caseNumber: string; permit: string; kind: EndedStatus; reason: string; actor: Actor },
): Promise<{ permitId: string; status: EndedStatus; licence: LicenceOutcome }> {
  if (input.actor.kind !== 'system') requireRole(input.actor, ['staff']);
  if (!input.reason.trim()) throw invalidInput('reason required', '请说明注销、撤销或失效的原因。');
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const record = await requireCase(tx, input.caseNumber);
    const item = findItem(record, input.permit);
    requireTransition(item, input.kind);
    await moveItem(tx, item, input.kind, { reason: input.reason, decidedAt: now });
    await recordEvent(tx, input.actor, now, { caseId: record.id, permitId: item.permitId, action: input.kind, fromStatus: item.status, toStatus: input.kind, reason: input.reason });
    const licence = await deps.licenceRules.follow(
      tx,
      record.number,
      { kind: 'item_ended', permitId: item.permitId, label: ITEM_STATUS_LABEL[input.kind] },
      { actor: input.actor, now, reason: input.reason },
    );
    return { permitId: item.permitId, status: input.kind, licence };
  });
}
