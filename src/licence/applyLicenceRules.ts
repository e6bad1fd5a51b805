/**
 * 一码联动: what a change to a case does to its comprehensive licence, by the region's rules (data, not
 * code). Runs inside the transaction of the change, so the licence, its version row, the event and the
 * message to the holder commit together with the change or not at all.
 *
 * - an item approved, or printed information changed → a new version when the print differs
 *   (`onPrintedChange`: reissue, or reissue_free);
 * - information not printed changed → `onUnprintedChange`: update_qr (the QR page reads the live state;
 *   no new paper) or reissue_free;
 * - a single permit cancelled, revoked or expired → `onItemEnded`: void_licence (奈曼旗: the licence
 *   becomes void and is taken back) or remove_item_reissue_free (新乡经开区: the item is removed and a
 *   new licence issued free of charge).
 */
import type { Region } from '../catalog/schema.ts';
import type { DomainDeps } from '../cases/deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { loadCaseRecord, recordEvent, regionOf } from '../cases/model.ts';
import { enqueue, toApplicant } from '../notify/outbox.ts';
import { licenceIssuedText, licenceVoidText } from '../notify/texts.ts';
import type { StoreClient } from '../store/db.ts';
import { buildPrinted, parsePrinted, printedJson, samePrinted } from './printed.ts';

export type LicenceTrigger =
  | { kind: 'item_approved'; permitId: string }
  | { kind: 'info_changed'; printed: boolean }
  | { kind: 'item_ended'; permitId: string; label: string };

export type LicenceOutcome =
  | { kind: 'none' }
  | { kind: 'qr_updated'; licenceNumber: string }
  | { kind: 'reissued'; licenceNumber: string; version: number; free: boolean | null }
  | { kind: 'voided'; licenceNumber: string };

export async function applyLicenceRules(
  tx: StoreClient,
  deps: DomainDeps,
  caseNumber: string,
  trigger: LicenceTrigger,
  ctx: { actor: Actor; now: Date; reason: string },
): Promise<LicenceOutcome> {
  const record = await loadCaseRecord(tx, caseNumber);
  const licence = record.licences.find((l) => l.status === 'valid');
  if (!licence) return { kind: 'none' };
  const region = regionOf(deps.catalog, record.region);
  const rules = region.licenceRules;
  const current = await tx.licenceVersion.findUniqueOrThrow({ where: { licenceId_version: { licenceId: licence.id, version: licence.version } } });
  const fresh = buildPrinted(region, record, licence.number);
  const differs = !samePrinted(parsePrinted(current.printed), fresh);

  if (trigger.kind === 'item_ended' && (rules.onItemEnded === 'void_licence' || fresh.items.length === 0)) {
    const why = `「${record.items.find((i) => i.permitId === trigger.permitId)?.name ?? trigger.permitId}」${trigger.label}${ctx.reason ? `（${ctx.reason}）` : ''}`;
    const voided = await tx.licence.updateMany({ where: { id: licence.id, status: 'valid' }, data: { status: 'void', voidReason: why, voidedAt: ctx.now } });
    if (voided.count !== 1) return { kind: 'none' };
    await recordEvent(tx, ctx.actor, ctx.now, { caseId: record.id, action: 'licence_voided', reason: why, data: { licence: licence.number, rule: rules.onItemEnded ?? null } });
    await enqueue(tx, { ...toApplicant(record), text: licenceVoidText(licence.number, why) }, ctx.now);
    return { kind: 'voided', licenceNumber: licence.number };
  }

  const reissue =
    trigger.kind === 'item_ended'
      ? true // remove_item_reissue_free
      : trigger.kind === 'info_changed' && !trigger.printed
        ? rules.onUnprintedChange === 'reissue_free' || differs
        : differs;
  if (!reissue) {
    if (trigger.kind === 'info_changed') {
      await recordEvent(tx, ctx.actor, ctx.now, { caseId: record.id, action: 'licence_qr_updated', reason: ctx.reason, data: { licence: licence.number } });
      return { kind: 'qr_updated', licenceNumber: licence.number };
    }
    return { kind: 'none' };
  }
  const free = reissueFree(rules, trigger);
  const version = licence.version + 1;
  const moved = await tx.licence.updateMany({ where: { id: licence.id, version: licence.version, status: 'valid' }, data: { version } });
  if (moved.count !== 1) return { kind: 'none' };
  const reason = reissueReason(trigger, record.items, ctx.reason);
  await tx.licenceVersion.create({ data: { licenceId: licence.id, version, printed: printedJson(fresh), reason, free, issuedAt: ctx.now } });
  await recordEvent(tx, ctx.actor, ctx.now, { caseId: record.id, action: 'licence_reissued', reason, data: { licence: licence.number, version, free } });
  await enqueue(
    tx,
    {
      ...toApplicant(record),
      text: licenceIssuedText({ number: licence.number, version, reason, pending: fresh.pendingItems.map((i) => i.name), free }),
      image: { kind: 'licence_qr', licenceId: licence.id },
    },
    ctx.now,
  );
  return { kind: 'reissued', licenceNumber: licence.number, version, free };
}

function reissueFree(rules: Region['licenceRules'], trigger: LicenceTrigger): boolean | null {
  if (trigger.kind === 'item_ended') return rules.onItemEnded === 'remove_item_reissue_free' ? true : null;
  if (trigger.kind === 'info_changed' && !trigger.printed) return rules.onUnprintedChange === 'reissue_free' ? true : null;
  return rules.onPrintedChange === 'reissue_free' ? true : null;
}

function reissueReason(trigger: LicenceTrigger, items: { permitId: string; name: string }[], given: string): string {
  const name = (id: string) => items.find((i) => i.permitId === id)?.name ?? id;
  if (trigger.kind === 'item_approved') return `「${name(trigger.permitId)}」已许可，换发新证`;
  if (trigger.kind === 'item_ended') return `「${name(trigger.permitId)}」${trigger.label}，删除该事项并免费换发新证`;
  return given ? `信息变更：${given}` : '信息变更';
}
