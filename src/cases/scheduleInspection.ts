/**
 * 一同核查: one joint on-site inspection for every item of the case that needs one: one appointment,
 * then one list of rectification opinions and one re-check (recordInspection.ts). Never in the past; an
 * appointment not yet held can be moved by scheduling again.
 */
import { inspectionMovedText, inspectionScheduledText } from './texts.ts';
import type { DomainDeps } from './deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { invalidInput, invalidState } from './errors.ts';
import { findItem, moveItem, recordEvent, requireCase, requireRole, toApplicant } from './model.ts';
import { formatLocal } from '../calendar/workingDays.ts';
import type { CaseRecord, InspectionRecord, Store } from '../store/repositories.ts';

export interface ScheduleInspectionInput {
  caseNumber: string;
  at: Date;
  /** Items to cover; default: every accepted item whose permit needs (or may need) an on-site inspection. */
  permits?: string[];
  note?: string;
  actor: Actor;
}

const PAST_GRACE_MS = 5 * 60_000;

async function moveInspection(
  deps: DomainDeps,
  tx: Store,
  record: CaseRecord,
  active: InspectionRecord,
  input: ScheduleInspectionInput,
  now: Date,
) {
  const permits = active.permitIds;
  const moved = await tx.cases.updateInspection(active.id, 'scheduled', { scheduledAt: input.at, ...(input.note ? { note: input.note } : {}) });
  if (!moved) throw invalidState('inspection changed concurrently', '核查记录刚被其他人更新，请刷新后重试。');
  await recordEvent(tx, input.actor, now, { caseId: record.id, action: 'inspection_moved', data: { from: active.scheduledAt.toISOString(), at: input.at.toISOString() } });
  const names = record.items.filter((i) => permits.includes(i.permitId)).map((i) => i.name);
  await tx.outbox.enqueue({ ...toApplicant(record), text: inspectionMovedText(record.number, names, formatLocal(input.at)) }, now);
  return { inspectionId: active.id, permits, at: input.at, moved: true };
}

export async function scheduleInspection(deps: DomainDeps, input: ScheduleInspectionInput) {
  requireRole(input.actor, ['staff']);
  if (Number.isNaN(input.at.getTime())) throw invalidInput('bad inspection time', '核查时间格式不正确，例如 2026-12-01T09:30+08:00。');
  const now = deps.clock.now();
  // A few minutes' grace: 「现在」 typed a moment ago is not in the past.
  if (input.at.getTime() < now.getTime() - PAST_GRACE_MS) {
    throw invalidInput('inspection in the past', `核查时间 ${formatLocal(input.at)} 已经过去，请选择现在以后的时间。`);
  }
  return deps.store.transaction(async (tx) => {
    const record = await requireCase(tx, input.caseNumber);
    const active = record.inspections.find((i) => i.status === 'scheduled' || i.status === 'rectification');
    // The appointment not yet held can be moved (the applicant is told the new time); one inspection per case still.
    if (active?.status === 'scheduled') return moveInspection(deps, tx, record, active, input, now);
    if (active) throw invalidState('inspection already active', `办件${record.number}已有进行中的联合现场核查，一案一次核查。`);
    const items = input.permits?.length
      ? input.permits.map((p) => findItem(record, p))
      : record.items.filter((i) => i.status === 'accepted' && (i.inspection === 'always' || i.inspection === 'sometimes'));
    if (items.length === 0) throw invalidState('nothing to inspect', `办件${record.number}没有需要现场核查的已受理事项。`);
    for (const item of items) {
      if (item.status !== 'accepted' && item.status !== 'inspecting') {
        throw invalidState(`item ${item.permitId} is ${item.status}`, `「${item.name}」须先受理才能安排现场核查。`);
      }
    }
    const inspection = await tx.cases.createInspection({ caseId: record.id, permitIds: items.map((i) => i.permitId), scheduledAt: input.at, note: input.note ?? null });
    for (const item of items) {
      if (item.status === 'accepted') await moveItem(tx, item, 'inspecting');
      await recordEvent(tx, input.actor, now, { caseId: record.id, permitId: item.permitId, action: 'inspection_scheduled', fromStatus: item.status, toStatus: 'inspecting', data: { at: input.at.toISOString() } });
    }
    const when = formatLocal(input.at);
    await tx.outbox.enqueue({ ...toApplicant(record), text: inspectionScheduledText(record.number, items.map((i) => i.name), when) }, now);
    return { inspectionId: inspection.id, permits: items.map((i) => i.permitId), at: input.at };
  });
}
