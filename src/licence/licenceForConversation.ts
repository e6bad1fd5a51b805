/**
 * 「把许可证发我」: the licence of the conversation's case (the valid one, else the latest), as a summary
 * text, its verify URL and its QR code (PNG for chats, data URL for the web chat).
 */
import type { DomainDeps } from '../cases/deps.ts';
import { parsePrinted } from './printed.ts';
import { qrDataUrl, qrPng, verifyUrl } from './qr.ts';

export interface LicenceSummary {
  number: string;
  status: 'valid' | 'void';
  version: number;
  holder: string;
  industry: string;
  items: { name: string; department: string; permitNumber?: string; validUntil?: string }[];
  pendingItems: string[];
  verifyUrl: string;
  /** Chinese summary for a chat reply. */
  text: string;
  qrPng(): Promise<Buffer>;
  qrDataUrl(): Promise<string>;
}

export async function licenceForConversation(deps: DomainDeps, conversationId: string): Promise<LicenceSummary | null> {
  const licences = await deps.store.licences.ofConversation(conversationId);
  const licence = licences.find((l) => l.status === 'valid') ?? licences[0];
  const version = licence?.latest;
  if (!licence || !version) return null;
  return licenceSummary(deps, { id: licence.id, number: licence.number, status: licence.status, version: licence.version, voidReason: licence.voidReason, printed: version.printed });
}

export function licenceSummary(
  deps: DomainDeps,
  licence: { id: string; number: string; status: string; version: number; voidReason: string | null; printed: unknown },
): LicenceSummary {
  const printed = parsePrinted(licence.printed);
  const url = verifyUrl(deps.licence, licence.id, licence.version);
  const status = licence.status === 'void' ? 'void' : 'valid';
  const items = printed.items.map((i) => ({
    name: i.name,
    department: i.department,
    ...(i.permitNumber ? { permitNumber: i.permitNumber } : {}),
    ...(i.validUntil ? { validUntil: i.validUntil } : {}),
  }));
  const text = [
    `行业综合许可证 ${licence.number}（${status === 'valid' ? `有效，第${licence.version}版` : `已作废：${licence.voidReason ?? ''}`}）`,
    `持证主体：${printed.holder}；行业：${printed.industry}`,
    '所含许可：',
    ...items.map((i) => `· ${i.name}（${i.department}）${i.permitNumber ? ` 证号${i.permitNumber}` : ''}${i.validUntil ? ` 有效期至${i.validUntil}` : ''}`),
    ...(printed.pendingItems.length ? [`未许可事项：${printed.pendingItems.map((i) => i.name).join('、')}`] : []),
    `扫码或打开链接查看实时状态：${url}`,
  ].join('\n');
  return {
    number: licence.number,
    status,
    version: licence.version,
    holder: printed.holder,
    industry: printed.industry,
    items,
    pendingItems: printed.pendingItems.map((i) => i.name),
    verifyUrl: url,
    text,
    qrPng: () => qrPng(url),
    qrDataUrl: () => qrDataUrl(url),
  };
}
