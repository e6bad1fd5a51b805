/**
 * What the QR code shows (一码联动): the licence's current state and items, read live, so a change that
 * prints nothing new still shows at once. Never an ID or phone number.
 */
import { shanghaiDate } from '../kernel/clock.ts';
import type { DomainDeps } from '../cases/deps.ts';
import { ITEM_STATUS_LABEL, itemStatus, regionOf } from '../cases/model.ts';
import { parsePrinted, type PrintedLicence } from './printed.ts';
import { verifyLicenceToken } from './token.ts';

export interface PublicLicenceItem {
  name: string;
  department: string;
  permitNumber?: string;
  validFrom?: string;
  validUntil?: string;
  /** valid: 有效; pending: 未许可事项; ended: 注销/撤销/失效 (removed from the licence or voiding it). */
  state: 'valid' | 'pending' | 'ended';
  stateLabel: string;
}

export interface PublicLicence {
  number: string;
  /** valid; void; superseded (this printed version was replaced by a newer one, which is valid). */
  status: 'valid' | 'void' | 'superseded';
  statusLabel: string;
  region: string;
  holder: string;
  industry: string;
  address: string;
  version: number;
  scannedVersion: number;
  issuedAt: string;
  items: PublicLicenceItem[];
  voidReason?: string;
  history: { version: number; issuedAt: string; reason: string; free: boolean | null }[];
  /** The region's rule that applies when a single permit ends, in its own words. */
  ruleNote: string;
  checkedAt: string;
}

export type VerifyOutcome = { ok: true; licence: PublicLicence } | { ok: false };

/** What a printed page shows: the print of the version the token names (not the live state). */
export interface PrintableVersion {
  version: number;
  issuedAt: string;
  printed: PrintedLicence;
  /** Department full names by the short names the snapshot keeps. */
  departments: Record<string, string>;
  /** 发证机关, as the region's document names it. */
  issuer?: string;
}

export type PrintOutcome = { ok: true; licence: PublicLicence; print: PrintableVersion } | { ok: false };

export async function verifyLicence(deps: DomainDeps, token: string): Promise<VerifyOutcome> {
  const outcome = await verifyWithPrint(deps, token);
  return outcome.ok ? { ok: true, licence: outcome.licence } : { ok: false };
}

/** Like verifyLicence, plus the printed snapshot of the scanned version (for /v/:token/print). */
export async function verifyWithPrint(deps: DomainDeps, token: string): Promise<PrintOutcome> {
  const claims = verifyLicenceToken(deps.licence.signingSecret, token);
  if (!claims) return { ok: false };
  const found = await deps.store.licences.findWithCase(claims.licenceId);
  if (!found || claims.version > found.licence.version) return { ok: false };
  const { licence, versions, items: caseItems } = found;
  const region = regionOf(deps.catalog, licence.region);
  const current = versions.find((v) => v.version === licence.version);
  if (!current) return { ok: false };
  const scanned = versions.find((v) => v.version === claims.version);
  if (!scanned) return { ok: false };
  const printed = parsePrinted(current.printed);
  const everPrinted = new Set(versions.flatMap((v) => parsePrinted(v.printed).items.map((i) => i.permitId)));
  const pending = new Set(printed.pendingItems.map((i) => i.permitId));
  const today = shanghaiDate(deps.clock.now());
  const items: PublicLicenceItem[] = caseItems.flatMap((i): PublicLicenceItem[] => {
    const status = itemStatus(i.status);
    const base = {
      name: i.name,
      department: region.departments[i.department]?.fullName ?? i.department,
      ...(i.permitNumber ? { permitNumber: i.permitNumber } : {}),
      ...(i.validFrom ? { validFrom: i.validFrom } : {}),
      ...(i.validUntil ? { validUntil: i.validUntil } : {}),
    };
    if (status === 'approved') {
      const lapsed = i.validUntil !== null && i.validUntil < today;
      return [{ ...base, state: lapsed ? 'ended' : 'valid', stateLabel: lapsed ? '已过有效期' : '有效' }];
    }
    if (['revoked', 'cancelled', 'expired'].includes(status) && everPrinted.has(i.permitId)) {
      const removed = licence.status === 'valid' ? '，已从本证删除' : '';
      return [{ ...base, state: 'ended', stateLabel: `${ITEM_STATUS_LABEL[status]}${removed}` }];
    }
    if (pending.has(i.permitId)) return [{ ...base, state: 'pending', stateLabel: `未许可事项（${ITEM_STATUS_LABEL[status]}）` }];
    return [];
  });
  const status = licence.status === 'void' ? 'void' : claims.version < licence.version ? 'superseded' : 'valid';
  const statusLabel =
    status === 'void'
      ? '已作废'
      : status === 'superseded'
        ? `此证书版本已换发，当前有效版本为第${licence.version}版`
        : '有效';
  const ended = region.licenceRules.onItemEnded;
  const rule =
    ended === 'void_licence'
      ? '各单项审批证件注销、撤销、吊销、失效等，行业综合许可证同时作废。'
      : ended === 'remove_item_reissue_free'
        ? '单项许可失效、撤销、注销的，删除该事项并免费换发新证。'
        : '单项许可失效、撤销、注销后综合许可证如何处理，文件没有写明，以窗口告知为准。';
  return {
    ok: true,
    licence: {
      number: licence.number,
      status,
      statusLabel,
      region: region.fullName,
      holder: printed.holder,
      industry: printed.industry,
      address: printed.address,
      version: licence.version,
      scannedVersion: claims.version,
      issuedAt: current.issuedAt.toISOString(),
      items,
      ...(licence.voidReason ? { voidReason: licence.voidReason } : {}),
      history: versions.map((v) => ({ version: v.version, issuedAt: v.issuedAt.toISOString(), reason: v.reason, free: v.free })),
      ruleNote: `${region.name}：${rule}`,
      checkedAt: deps.clock.now().toISOString(),
    },
    print: {
      version: scanned.version,
      issuedAt: scanned.issuedAt.toISOString(),
      printed: parsePrinted(scanned.printed),
      departments: Object.fromEntries(Object.entries(region.departments).map(([k, d]) => [k, d.fullName ?? k])),
      ...(region.licenceRules.issuer ? { issuer: region.licenceRules.issuer.name } : {}),
    },
  };
}
