/**
 * The outcome of the joint inspection: passed; or rectification, with one list of opinions told once
 * (整改意见一口告知) and one re-check (整改情况一趟复审), which passes or fails. The applicant is told
 * every outcome on their channel, in the same transaction.
 */
import { formatLocal } from '../calendar/workingDays.ts';
import { shanghaiDate } from '../kernel/clock.ts';
import { hotlineText } from '../catalog/lookup.ts';
import { inspectionResultText, rectificationText } from './texts.ts';
import type { DomainDeps } from './deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { invalidInput, invalidState } from './errors.ts';
import { recordEvent, regionOf, requireCase, requireRole, toApplicant } from './model.ts';

export interface RecordInspectionInput {
  caseNumber: string;
  result: 'passed' | 'rectify' | 'failed';
  opinions?: string[];
  recheckAt?: Date;
  note?: string;
  actor: Actor;
}

export async function recordInspection(deps: DomainDeps, input: RecordInspectionInput) {
  requireRole(input.actor, ['staff']);
  const opinions = (input.opinions ?? []).map((o) => o.trim()).filter(Boolean);
  if (input.result === 'rectify' && opinions.length === 0) throw invalidInput('rectify needs opinions', '请列出整改意见。');
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const record = await requireCase(tx, input.caseNumber);
    const inspection = record.inspections[0];
    if (!inspection || (inspection.status !== 'scheduled' && inspection.status !== 'rectification')) {
      throw invalidState('no active inspection', `办件${record.number}没有进行中的现场核查。`);
    }
    // A result is recorded on or after the day of the inspection (or of the re-check), never before it.
    const heldOn = shanghaiDate(inspection.status === 'rectification' && inspection.recheckAt ? inspection.recheckAt : inspection.scheduledAt);
    if (shanghaiDate(now) < heldOn) {
      throw invalidState('inspection not yet held', `联合现场核查约定在 ${formatLocal(inspection.status === 'rectification' && inspection.recheckAt ? inspection.recheckAt : inspection.scheduledAt)} 进行，核查之后才能记录结果；如需改期，请重新预约时间。`);
    }
    if (input.result === 'rectify' && inspection.status === 'rectification') {
      throw invalidState('one re-check only', '整改意见已一次告知，复查只能记录为合格或不合格。');
    }
    const to = input.result === 'rectify' ? 'rectification' : input.result;
    const moved = await tx.cases.updateInspection(inspection.id, inspection.status, {
      status: to,
      ...(input.result === 'rectify' ? { opinions, recheckAt: input.recheckAt ?? null } : {}),
      ...(input.note ? { note: input.note } : {}),
    });
    if (!moved) throw invalidState('inspection changed concurrently', '核查记录刚被其他人更新，请刷新后重试。');
    await recordEvent(tx, input.actor, now, {
      caseId: record.id,
      action: inspection.status === 'rectification' ? `recheck_${input.result}` : `inspection_${to}`,
      fromStatus: inspection.status,
      toStatus: to,
      ...(input.note ? { reason: input.note } : {}),
      ...(opinions.length ? { data: { opinions } } : {}),
    });
    if (input.result === 'rectify') {
      await tx.outbox.enqueue({ ...toApplicant(record), text: rectificationText(record.number, opinions, input.recheckAt ? formatLocal(input.recheckAt) : undefined) }, now);
    } else {
      // Passed or failed: the applicant learns the outcome in the same transaction.
      const covered = inspection.permitIds;
      await tx.outbox.enqueue(
        {
          ...toApplicant(record),
          text: inspectionResultText({
            caseNumber: record.number,
            passed: input.result === 'passed',
            recheck: inspection.status === 'rectification',
            items: record.items.filter((i) => covered.includes(i.permitId)).map((i) => i.name),
            hotline: hotlineText(regionOf(deps.catalog, record.region)),
          }),
        },
        now,
      );
    }
    return { inspectionId: inspection.id, status: to };
  });
}
