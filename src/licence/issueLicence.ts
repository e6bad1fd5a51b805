/**
 * 一窗出证: issues the comprehensive licence of a case from its approved items, under the region's rule.
 * Where the region allows it (奈曼旗), items not yet approved are printed as 未许可事项 and a new version
 * is issued when they are approved; elsewhere (新乡经开区) every item must be decided first.
 */
import { invalidState } from '../cases/errors.ts';
import type { DomainDeps } from '../cases/deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { itemStatus, recordEvent, regionOf, requireCase, requireRole, toApplicant, UNDECIDED } from '../cases/model.ts';
import { licenceNumber, withFreshNumber } from '../kernel/numbers.ts';
import { licenceIssuedText } from '../cases/texts.ts';
import { applyLicenceRules } from './applyLicenceRules.ts';
import { buildPrinted, printedJson } from './printed.ts';

export interface IssueLicenceResult {
  licenceNumber: string;
  version: number;
  items: string[];
  pendingItems: string[];
  reissued: boolean;
}

export async function issueLicence(deps: DomainDeps, input: { caseNumber: string; actor: Actor }): Promise<IssueLicenceResult> {
  requireRole(input.actor, ['staff']);
  const actor = input.actor;
  const now = deps.clock.now();
  return withFreshNumber(() =>
    deps.store.transaction(async (tx) => {
      const record = await requireCase(tx, input.caseNumber);
      const region = regionOf(deps.catalog, record.region);
      if (!record.items.some((i) => i.status === 'approved')) {
        throw invalidState('no approved item', '还没有已许可的事项，暂不能核发行业综合许可证。');
      }
      const undecided = record.items.filter((i) => UNDECIDED.includes(itemStatus(i.status)));
      if (undecided.length && !region.licenceRules.issueWithPendingItems) {
        throw invalidState(
          'region issues only when every item is decided',
          `${region.licenceRules.issueWithPendingItems === false ? `${region.name}在各单项许可办结后统一出证` : `《${region.document.title}》没有写明能否在事项未办结时出证，各单项许可办结后统一出证`}，尚未办结：${undecided.map((i) => i.name).join('、')}。`,
        );
      }
      const existing = record.licences.find((l) => l.status === 'valid');
      if (existing) {
        const outcome = await applyLicenceRules(tx, deps.catalog, record.number, { kind: 'info_changed', printed: true }, { actor, now, reason: '按办理结果更新证面' });
        if (outcome.kind !== 'reissued') throw invalidState('licence already current', `行业综合许可证 ${existing.number} 已是最新，无需换发。`);
        const printed = buildPrinted(region, await requireCase(tx, record.number), existing.number);
        return { licenceNumber: existing.number, version: outcome.version, items: printed.items.map((i) => i.name), pendingItems: printed.pendingItems.map((i) => i.name), reissued: true };
      }
      const number = licenceNumber(now, region.id);
      const printed = buildPrinted(region, record, number);
      const licence = await tx.licences.create({
        number,
        caseId: record.id,
        region: region.id,
        industry: record.industry,
        createdAt: now,
        first: { version: 1, printed: printedJson(printed), reason: '首次核发', free: null, issuedAt: now },
      });
      await recordEvent(tx, actor, now, {
        caseId: record.id,
        action: 'licence_issued',
        data: { licence: number, items: printed.items.map((i) => i.permitId), pending: printed.pendingItems.map((i) => i.permitId) },
      });
      await tx.outbox.enqueue(
        {
          ...toApplicant(record),
          text: licenceIssuedText({ number, version: 1, reason: '首次核发', pending: printed.pendingItems.map((i) => i.name), free: null }),
          image: { kind: 'licence_qr', licenceId: licence.id },
        },
        now,
      );
      return { licenceNumber: number, version: 1, items: printed.items.map((i) => i.name), pendingItems: printed.pendingItems.map((i) => i.name), reissued: false };
    }),
  );
}
