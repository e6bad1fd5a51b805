/**
 * Ends a 补正 request: the materials were handed in (resolved) or the request is withdrawn (cancelled).
 * Follow-ups stop; each item returns to where it was, unless another open request still holds it. The
 * applicant is told either way (received, or no longer needed).
 */
import type { DomainDeps } from './deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { DomainError, invalidState } from './errors.ts';
import { materialsCancelledText } from './texts.ts';
import { itemStatus, moveItem, recordEvent, requireCase, requireRole, toApplicant } from './model.ts';

export interface CloseMaterialRequestInput {
  caseNumber: string;
  /** Default: the case's only open request. */
  requestId?: string;
  outcome: 'resolved' | 'cancelled';
  reason?: string;
  actor: Actor;
}

export async function closeMaterialRequest(deps: DomainDeps, input: CloseMaterialRequestInput) {
  requireRole(input.actor, ['staff']);
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const record = await requireCase(tx, input.caseNumber);
    const open = record.materialRequests.filter((r) => r.status === 'open');
    const request = input.requestId ? record.materialRequests.find((r) => r.id === input.requestId) : open.length === 1 ? open[0] : undefined;
    if (!request) {
      throw new DomainError('not_found', 'material request not found', open.length > 1 ? `办件${record.number}有多个补正通知，请指定编号：${open.map((r) => r.id).join('、')}` : `办件${record.number}没有待处理的补正通知。`);
    }
    if (request.status !== 'open') throw invalidState('request closed', '该补正通知已处理。');
    if (!(await tx.cases.closeMaterialRequest(request.id, input.outcome, now))) throw invalidState('request closed concurrently', '该补正通知刚被处理。');
    const stillHeld = new Set(open.filter((r) => r.id !== request.id).flatMap((r) => r.permitIds));
    const resumed: string[] = [];
    for (const permitId of request.permitIds) {
      const item = record.items.find((i) => i.permitId === permitId);
      if (!item || item.status !== 'needs_correction' || stillHeld.has(permitId)) continue;
      const back = itemStatus(item.resumeStatus ?? 'accepted');
      await moveItem(tx, item, back, { resumeStatus: null });
      await recordEvent(tx, input.actor, now, { caseId: record.id, permitId, action: `materials_${input.outcome}`, fromStatus: item.status, toStatus: back, ...(input.reason ? { reason: input.reason } : {}), data: { request: request.id } });
      resumed.push(permitId);
    }
    if (resumed.length === 0) {
      await recordEvent(tx, input.actor, now, { caseId: record.id, action: `materials_${input.outcome}`, ...(input.reason ? { reason: input.reason } : {}), data: { request: request.id } });
    }
    if (input.outcome === 'resolved') {
      await tx.outbox.enqueue({ ...toApplicant(record), text: `【补正材料已收到】您的办件 ${record.number} 补正材料已收到，审批继续进行。` }, now);
    } else {
      // Withdrawn: the applicant must not keep gathering what is no longer needed.
      await tx.outbox.enqueue({ ...toApplicant(record), text: materialsCancelledText(record.number, request.materials.map((m) => m.name)) }, now);
    }
    return { requestId: request.id, outcome: input.outcome, resumed };
  });
}
