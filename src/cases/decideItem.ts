/**
 * A department's decision on one item (一并审批: each item is decided on its own): approve, with the
 * permit's number and validity, or reject with a reason; or, for an item the applicant was unsure
 * about (不确定 at submission), the window's finding that it is not required (waive). Approval of an
 * item the region prints as 未许可事项 issues a new licence version (applyLicenceRules).
 */
import { addYearsTerm } from '../calendar/workingDays.ts';
import { shanghaiDate } from '../kernel/clock.ts';
import { getPermit } from '../catalog/lookup.ts';
import { itemDecidedText, itemWaivedText } from './texts.ts';
import type { DomainDeps, LicenceOutcome } from './deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { DomainError, invalidInput, invalidState } from './errors.ts';
import { checkValidity } from './validation.ts';
import { findItem, moveItem, recordEvent, refreshCaseStatus, requireCase, requireRole, requireTransition, toApplicant } from './model.ts';

export interface DecideItemInput {
  caseNumber: string;
  permit: string;
  decision: 'approve' | 'reject' | 'waive';
  permitNumber?: string;
  /** YYYY-MM-DD; default today. */
  validFrom?: string;
  /** YYYY-MM-DD; default from the permit's term in the registry, none when it has no fixed term. */
  validUntil?: string;
  reason?: string;
  actor: Actor;
}

export interface DecideItemResult {
  permitId: string;
  status: 'approved' | 'rejected' | 'not_required';
  validUntil?: string;
  licence: LicenceOutcome;
}

export async function decideItem(deps: DomainDeps, input: DecideItemInput): Promise<DecideItemResult> {
  requireRole(input.actor, ['staff']);
  const actor = input.actor;
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  if (input.decision === 'reject' && !input.reason?.trim()) throw invalidInput('reject needs a reason', '不予许可须说明理由。');
  // Checked before anything is written: an impossible validity refuses the whole decision.
  if (input.decision === 'approve') checkValidity(today, input.validFrom ?? today, input.validUntil);
  return deps.store.transaction(async (tx) => {
    const record = await requireCase(tx, input.caseNumber);
    const item = findItem(record, input.permit);
    if (actor.department && actor.department !== item.department) {
      throw new DomainError('forbidden', `item of ${item.department}, actor of ${actor.department}`, `「${item.name}」由${item.department}审批，您只能审批${actor.department}的事项。`);
    }
    const to = input.decision === 'approve' ? 'approved' : input.decision === 'reject' ? 'rejected' : 'not_required';
    if (to === 'not_required' && !item.toConfirm) {
      throw invalidState('item is not to confirm', `「${item.name}」是按申请人的回答确定要办理的事项，不能直接确认为无需办理；如申请人情况有变，请退回补正或不予许可。`);
    }
    requireTransition(item, to);
    let validUntil: string | undefined;
    let validFrom: string | undefined;
    if (to === 'approved') {
      const inspection = record.inspections[0];
      const covered = inspection && inspection.permitIds.includes(item.permitId);
      if (item.inspection === 'always' && !(covered && inspection.status === 'passed')) {
        throw invalidState('inspection required', `「${item.name}」须经现场核查合格后方可许可，请先安排并记录联合现场核查。`);
      }
      if (item.status === 'inspecting' && covered && inspection.status !== 'passed') {
        throw invalidState('inspection not passed', `「${item.name}」的现场核查尚未合格（当前：${inspection.status}）。`);
      }
      validFrom = input.validFrom ?? today;
      const term = getPermit(deps.catalog, item.permitId, record.region).validity;
      validUntil = input.validUntil ?? (term?.years ? addYearsTerm(validFrom, term.years) : undefined);
    }
    await moveItem(tx, item, to, {
      reason: input.reason ?? null,
      decidedAt: now,
      ...(to === 'approved' ? { permitNumber: input.permitNumber ?? null, validFrom: validFrom ?? null, validUntil: validUntil ?? null } : {}),
    });
    await recordEvent(tx, actor, now, {
      caseId: record.id,
      permitId: item.permitId,
      action: to,
      fromStatus: item.status,
      toStatus: to,
      ...(input.reason ? { reason: input.reason } : {}),
      ...(to === 'approved' ? { data: { permitNumber: input.permitNumber ?? null, validFrom: validFrom ?? null, validUntil: validUntil ?? null } } : {}),
    });
    await refreshCaseStatus(tx, record.id);
    await tx.outbox.enqueue(
      {
        ...toApplicant(record),
        text: to === 'not_required' ? itemWaivedText(record.number, item.name, input.reason) : itemDecidedText(record.number, item.name, to === 'approved', input.reason),
      },
      now,
    );
    const licence =
      to === 'approved'
        ? await deps.licenceRules.follow(tx, record.number, { kind: 'item_approved', permitId: item.permitId }, { actor, now, reason: input.reason ?? '' })
        : { kind: 'none' as const };
    return { permitId: item.permitId, status: to, ...(validUntil ? { validUntil } : {}), licence };
  });
}
