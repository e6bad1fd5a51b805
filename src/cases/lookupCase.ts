/**
 * Case look-up by someone outside the case's conversation (another channel, a hotline caller): the case
 * number and the last four digits of the applicant's mobile. Five wrong tries within an hour lock
 * look-ups for that requester (stored, so a restart does not reset it). A wrong number and an unknown
 * case get the same answer after the same work, so a failure never tells whether a case exists.
 */
import { timingSafeEqual } from 'node:crypto';
import { statusView, type CaseStatusView } from './caseStatus.ts';
import type { DomainDeps } from './deps.ts';
import { loadCaseRecord, toCaseView } from './model.ts';

export const LOOKUP_MAX_FAILURES = 5;
export const LOOKUP_WINDOW_MS = 3600_000;

export type LookupRefused = { ok: false; reason: 'no_match' | 'locked' | 'invalid'; message: string };
export type LookupResult = { ok: true; case: CaseStatusView } | LookupRefused;

const NO_MATCH = '办件号或手机号后四位不正确，请核对后再试。';

export async function lookupCase(
  deps: DomainDeps,
  input: { caseNumber: string; phoneLast4: string; requester: { channel: string; userId: string } },
): Promise<LookupResult> {
  const now = deps.clock.now();
  const { channel, userId } = input.requester;
  const since = new Date(now.getTime() - LOOKUP_WINDOW_MS);
  const failures = await deps.db.prisma.lookupFailure.findMany({ where: { channel, userId, at: { gt: since } }, orderBy: { at: 'asc' }, select: { at: true } });
  if (failures.length >= LOOKUP_MAX_FAILURES) {
    const until = new Date((failures[failures.length - LOOKUP_MAX_FAILURES]?.at ?? now).getTime() + LOOKUP_WINDOW_MS);
    const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
    return { ok: false, reason: 'locked', message: `查询失败次数过多，请${minutes}分钟后再试，或拨打热线咨询。` };
  }
  const number = input.caseNumber.normalize('NFKC').trim().toUpperCase();
  const last4 = input.phoneLast4.normalize('NFKC').trim();
  if (!/^\d{4}$/.test(last4) || !/^[A-Z0-9-]{4,40}$/.test(number)) {
    return { ok: false, reason: 'invalid', message: '请提供办件号和申请时所留手机号的后四位数字。' };
  }
  const row = await deps.db.prisma.case.findUnique({ where: { number }, select: { phoneLast4: true } });
  // Compare against a dummy when there is no case, so both paths do the same work.
  const expected = Buffer.from(row?.phoneLast4 ?? 'xxxx');
  const match = row !== null && timingSafeEqual(expected, Buffer.from(last4.padEnd(4).slice(0, 4)));
  if (!match) {
    await deps.db.prisma.lookupFailure.create({ data: { channel, userId, at: now } });
    return { ok: false, reason: 'no_match', message: NO_MATCH };
  }
  const record = await loadCaseRecord(deps.db.prisma, number);
  return { ok: true, case: statusView(toCaseView(deps.catalog, record, now)) };
}
