/**
 * A change of the holder's information or of one permit's printed details (e.g. a new address, a
 * renewed term). Whether it touches what the licence prints decides, by the region's rule, between a
 * new licence version and only an updated QR page (一码联动).
 */
import { validateField } from '../guidance/validators.ts';
import { maskIdNumber, maskMobile } from '../privacy/mask.ts';
import type { JsonObject } from '../store/conversations.ts';
import type { DomainDeps, LicenceOutcome } from './deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { invalidInput, invalidState } from './errors.ts';
import { shanghaiDate } from '../kernel/clock.ts';
import { checkValidity, checkValidityOrder } from './validation.ts';
import { findItem, PRINTED_FIELDS, recordEvent, requireCase, requireRole } from './model.ts';

export interface ChangeCaseInput {
  caseNumber: string;
  /** Form field id → new value (validated like the form). */
  fields?: Record<string, string>;
  /** A permit's printed details. */
  item?: { permit: string; permitNumber?: string; validUntil?: string };
  reason: string;
  actor: Actor;
}

export async function changeCase(deps: DomainDeps, input: ChangeCaseInput): Promise<{ changed: string[]; printed: boolean; licence: LicenceOutcome }> {
  requireRole(input.actor, ['staff']);
  const actor = input.actor;
  if (!input.reason.trim()) throw invalidInput('reason required', '请说明变更原因。');
  const values: JsonObject = {};
  for (const [id, raw] of Object.entries(input.fields ?? {})) {
    const field = deps.catalog.fields.get(id);
    if (!field) throw invalidInput(`unknown field ${id}`, `没有表单字段「${id}」。`);
    const checked = validateField(field, raw);
    if (!checked.ok) throw invalidInput(`invalid ${id}`, checked.message);
    values[id] = checked.value;
  }
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  if (input.item?.validUntil !== undefined) checkValidity(today, undefined, input.item.validUntil);
  return deps.store.transaction(async (tx) => {
    const record = await requireCase(tx, input.caseNumber);
    const changed: string[] = Object.keys(values);
    let printed = changed.some((id) => (PRINTED_FIELDS as readonly string[]).includes(id));
    if (changed.length) {
      const data = { ...record.application.data, ...values };
      await tx.applications.updateData(record.applicationId, JSON.parse(JSON.stringify(data)));
      const caseData: { holderName?: string; address?: string; phoneLast4?: string } = {};
      if (typeof values['entity_name'] === 'string') caseData.holderName = values['entity_name'];
      if (typeof values['business_address'] === 'string') caseData.address = values['business_address'];
      if (typeof values['contact_mobile'] === 'string') caseData.phoneLast4 = values['contact_mobile'].slice(-4);
      if (Object.keys(caseData).length) await tx.cases.update(record.id, caseData);
    }
    if (input.item) {
      const item = findItem(record, input.item.permit);
      if (item.status !== 'approved') throw invalidState('item not approved', `「${item.name}」尚未许可，不能变更证号或有效期。`);
      const data = {
        ...(input.item.permitNumber !== undefined ? { permitNumber: input.item.permitNumber } : {}),
        ...(input.item.validUntil !== undefined ? { validUntil: input.item.validUntil } : {}),
      };
      if (Object.keys(data).length === 0) throw invalidInput('nothing to change', '请给出新的证号或有效期。');
      // The new end must not precede the start already recorded (the transaction rolls back on refusal).
      if (input.item.validUntil !== undefined && item.validFrom !== null) checkValidityOrder(item.validFrom, input.item.validUntil);
      await tx.cases.updateItem(item.id, data);
      changed.push(...Object.keys(data).map((k) => `${item.permitId}.${k}`));
      printed = true;
    }
    if (changed.length === 0) throw invalidInput('nothing to change', '没有要变更的内容。');
    await recordEvent(tx, actor, now, { caseId: record.id, action: 'info_changed', reason: input.reason, data: { changed, values: masked(values), printed } });
    const licence = await deps.licenceRules.follow(tx, record.number, { kind: 'info_changed', printed }, { actor, now, reason: input.reason });
    return { changed, printed, licence };
  });
}

/** Events never hold personal numbers in clear. */
function masked(values: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(values)) {
    out[k] = typeof v === 'string' && k.includes('id_number') ? maskIdNumber(v) : typeof v === 'string' && /mobile|phone/.test(k) ? maskMobile(v) : v;
  }
  return out;
}
