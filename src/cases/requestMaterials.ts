/**
 * 补正: staff record which materials are missing or invalid, for which items. The items wait in
 * needs_correction; the applicant is told on the channel they applied through, exactly what is missing
 * and how to hand it in, in the same transaction; follow-ups are scheduled (notify/reminders.ts) until
 * the request is resolved or cancelled.
 */
import { defaultHowToSubmit, materialsText } from './texts.ts';
import type { DomainDeps } from './deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { invalidInput, invalidState } from './errors.ts';
import { findItem, moveItem, recordEvent, regionOf, requireCase, requireRole, toApplicant } from './model.ts';
import type { MissingMaterial } from '../store/repositories.ts';

export interface RequestMaterialsInput {
  caseNumber: string;
  /** Items concerned; default every undecided item. */
  permits?: string[];
  materials: MissingMaterial[];
  howToSubmit?: string;
  actor: Actor;
}

const CORRECTABLE = ['submitted', 'accepted', 'inspecting', 'needs_correction'];

export async function requestMaterials(deps: DomainDeps, input: RequestMaterialsInput) {
  requireRole(input.actor, ['staff']);
  const materials = input.materials.map((m) => ({ name: m.name.trim(), problem: m.problem.trim() })).filter((m) => m.name);
  if (materials.length === 0) throw invalidInput('no materials', '请列出需要补正的材料。');
  const vague = materials.find((m) => !m.problem);
  if (vague) throw invalidInput(`material ${vague.name} has no problem`, `请说明该材料缺少或不符合的具体问题：「${vague.name}」。`);
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const record = await requireCase(tx, input.caseNumber);
    const region = regionOf(deps.catalog, record.region);
    const items = input.permits?.length ? input.permits.map((p) => findItem(record, p)) : record.items.filter((i) => CORRECTABLE.includes(i.status));
    if (items.length === 0) throw invalidState('no open items', `办件${record.number}没有可以补正的事项。`);
    for (const item of items) {
      if (!CORRECTABLE.includes(item.status)) throw invalidState(`item ${item.permitId} is ${item.status}`, `「${item.name}」已办结，不能要求补正。`);
    }
    const howToSubmit = input.howToSubmit?.trim() || defaultHowToSubmit(region);
    const gap = deps.reminders.followUpGapsMs[0];
    const request = await tx.cases.createMaterialRequest({
      caseId: record.id,
      permitIds: items.map((i) => i.permitId),
      materials,
      howToSubmit,
      nextReminderAt: gap !== undefined && deps.reminders.maxFollowUps > 0 ? new Date(now.getTime() + gap) : null,
      createdAt: now,
    });
    for (const item of items) {
      if (item.status !== 'needs_correction') await moveItem(tx, item, 'needs_correction', { resumeStatus: item.status });
      await recordEvent(tx, input.actor, now, {
        caseId: record.id,
        permitId: item.permitId,
        action: 'materials_requested',
        fromStatus: item.status,
        toStatus: 'needs_correction',
        data: { request: request.id, materials: materials.map((m) => m.name) },
      });
    }
    await tx.outbox.enqueue(
      {
        ...toApplicant(record),
        text: materialsText({ caseNumber: record.number, items: items.map((i) => i.name), materials, howToSubmit, followUp: 0 }),
        dedupeKey: `materials:${request.id}:0`,
      },
      now,
    );
    return { requestId: request.id, permits: items.map((i) => i.permitId), materials, howToSubmit, nextReminderAt: request.nextReminderAt };
  });
}
