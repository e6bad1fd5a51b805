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
 *
 * licenceRules() offers it to the case workflow through its port (cases/deps.ts), so cases never import this module.
 */
import type { Catalog } from '../catalog/load.ts';
import type { Region } from '../catalog/schema.ts';
import type { LicenceOutcome, LicenceRules, LicenceSettings, LicenceTrigger } from '../cases/deps.ts';
import { recordEvent, regionOf, requireCase, toApplicant } from '../cases/model.ts';
import { licenceIssuedText, licenceVoidText } from '../cases/texts.ts';
import type { Actor } from '../kernel/actor.ts';
import type { Store } from '../store/repositories.ts';
import { buildPrinted, parsePrinted, printedJson, samePrinted } from './printed.ts';
import { verifyUrl } from './qr.ts';

/** The case workflow's licence port (cases/deps.ts), over the catalog's regions and the licence settings. */
export function licenceRules(catalog: Catalog, settings: LicenceSettings): LicenceRules {
  return {
    follow: (store, caseNumber, trigger, ctx) => applyLicenceRules(store, catalog, caseNumber, trigger, ctx),
    verifyUrl: (licenceId, version) => verifyUrl(settings, licenceId, version),
  };
}

export async function applyLicenceRules(
  tx: Store,
  catalog: Catalog,
  caseNumber: string,
  trigger: LicenceTrigger,
  ctx: { actor: Actor; now: Date; reason: string },
): Promise<LicenceOutcome> {
  const record = await requireCase(tx, caseNumber);
  const licence = record.licences.find((l) => l.status === 'valid');
  if (!licence) return { kind: 'none' };
  const region = regionOf(catalog, record.region);
  const rules = region.licenceRules;
  const current = await tx.licences.version(licence.id, licence.version);
  const fresh = buildPrinted(region, record, licence.number);
  const differs = !samePrinted(parsePrinted(current.printed), fresh);

  if (trigger.kind === 'item_ended' && (rules.onItemEnded === 'void_licence' || fresh.items.length === 0)) {
    const why = `「${record.items.find((i) => i.permitId === trigger.permitId)?.name ?? trigger.permitId}」${trigger.label}${ctx.reason ? `（${ctx.reason}）` : ''}`;
    if (!(await tx.licences.void(licence.id, why, ctx.now))) return { kind: 'none' };
    await recordEvent(tx, ctx.actor, ctx.now, { caseId: record.id, action: 'licence_voided', reason: why, data: { licence: licence.number, rule: rules.onItemEnded ?? null } });
    await tx.outbox.enqueue({ ...toApplicant(record), text: licenceVoidText(licence.number, why) }, ctx.now);
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
  const reason = reissueReason(trigger, record.items, ctx.reason);
  if (!(await tx.licences.reissue(licence.id, licence.version, { version, printed: printedJson(fresh), reason, free, issuedAt: ctx.now }))) return { kind: 'none' };
  await recordEvent(tx, ctx.actor, ctx.now, { caseId: record.id, action: 'licence_reissued', reason, data: { licence: licence.number, version, free } });
  await tx.outbox.enqueue(
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
