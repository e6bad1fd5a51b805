/**
 * What the comprehensive licence prints (证面信息), built from the case. Comparing the snapshot of the
 * current version with a fresh one tells a printed change (a new version, 换发) from a change that only
 * the QR code shows (the /v page reads the live state).
 */
import type { Region } from '../catalog/schema.ts';
import { UNDECIDED, itemStatus } from '../cases/model.ts';
import type { JsonObject } from '../store/conversations.ts';
import { jsonObjectOf } from '../kernel/json.ts';
import type { CaseRecord } from '../store/repositories.ts';

export interface PrintedItem {
  permitId: string;
  name: string;
  department: string;
  permitNumber: string | null;
  validFrom: string | null;
  validUntil: string | null;
}

export interface PrintedLicence {
  number: string;
  region: string;
  holder: string;
  creditCode: string | null;
  legalRep: string | null;
  industry: string;
  address: string;
  items: PrintedItem[];
  /** 未许可事项: listed only where the region allows issuing before every item is approved. */
  pendingItems: { permitId: string; name: string; department: string }[];
}

export function buildPrinted(region: Region, record: CaseRecord, number: string): PrintedLicence {
  const data = record.application.data;
  const str = (key: string) => (typeof data[key] === 'string' ? String(data[key]) : null);
  const industry = region.industries.find((i) => i.id === record.industry)?.name ?? record.industry;
  return {
    number,
    region: region.fullName,
    holder: record.holderName,
    creditCode: str('credit_code'),
    legalRep: str('legal_rep_name'),
    industry,
    address: record.address,
    items: record.items
      .filter((i) => i.status === 'approved')
      .map((i) => ({
        permitId: i.permitId,
        name: i.name,
        department: i.department,
        permitNumber: i.permitNumber,
        validFrom: i.validFrom,
        validUntil: i.validUntil,
      })),
    pendingItems: region.licenceRules.issueWithPendingItems
      ? record.items
          .filter((i) => UNDECIDED.includes(itemStatus(i.status)) || i.status === 'rejected')
          .map((i) => ({ permitId: i.permitId, name: i.name, department: i.department }))
      : [],
  };
}

export function samePrinted(a: PrintedLicence, b: PrintedLicence): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function printedJson(p: PrintedLicence): JsonObject {
  return {
    ...p,
    items: p.items.map((i) => ({ ...i })),
    pendingItems: p.pendingItems.map((i) => ({ ...i })),
  };
}

/** Reads a stored snapshot back; fields written by this module, so a shallow check suffices. */
export function parsePrinted(value: unknown): PrintedLicence {
  const o = jsonObjectOf(value);
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  const n = (v: unknown) => (typeof v === 'string' ? v : null);
  const list = (v: unknown) => (Array.isArray(v) ? v.map((x: unknown) => jsonObjectOf(x)) : []);
  return {
    number: s(o['number']),
    region: s(o['region']),
    holder: s(o['holder']),
    creditCode: n(o['creditCode']),
    legalRep: n(o['legalRep']),
    industry: s(o['industry']),
    address: s(o['address']),
    items: list(o['items']).map((i) => ({
      permitId: s(i['permitId']),
      name: s(i['name']),
      department: s(i['department']),
      permitNumber: n(i['permitNumber']),
      validFrom: n(i['validFrom']),
      validUntil: n(i['validUntil']),
    })),
    pendingItems: list(o['pendingItems']).map((i) => ({ permitId: s(i['permitId']), name: s(i['name']), department: s(i['department']) })),
  };
}
