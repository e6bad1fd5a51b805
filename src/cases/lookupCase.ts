/**
 * Case look-up by someone outside the case's conversation (another channel, a hotline caller): the case
 * number and the last four digits of the applicant's mobile. Wrong tries are counted per case number, per
 * client address (the web chat's HTTP client) and per requester (channel and user id: the web page picks
 * its own, so that alone holds nothing): five wrong tries at one case number within an hour lock that
 * number's look-up for the rest of the hour, whoever asks; twenty from one address, or five from one
 * requester, lock that address or requester. The counters are shared by every instance (Redis) when
 * configured. A wrong number and an unknown case get the same answer after the same work, so a failure
 * never tells whether a case exists.
 */
import { timingSafeEqual } from 'node:crypto';
import { statusView, type CaseStatusView } from './caseStatus.ts';
import type { DomainDeps } from './deps.ts';
import { requireCase, toCaseView } from './model.ts';

export const LOOKUP_WINDOW_MS = 3600_000;
/** Wrong tries in {@link LOOKUP_WINDOW_MS} before the look-up is locked for the rest of the window. */
export const LOOKUP_MAX_FAILURES = { caseNumber: 5, address: 20, requester: 5 } as const;

export type LookupRefused = { ok: false; reason: 'no_match' | 'locked' | 'invalid'; message: string };
export type LookupResult = { ok: true; case: CaseStatusView } | LookupRefused;

const NO_MATCH = '办件号或手机号后四位不正确，请核对后再试。';

export async function lookupCase(
  deps: DomainDeps,
  input: { caseNumber: string; phoneLast4: string; requester: { channel: string; userId: string; address?: string } },
): Promise<LookupResult> {
  const { channel, userId, address } = input.requester;
  const number = input.caseNumber.normalize('NFKC').trim().toUpperCase();
  const last4 = input.phoneLast4.normalize('NFKC').trim();
  if (!/^\d{4}$/.test(last4) || !/^[A-Z0-9-]{4,40}$/.test(number)) {
    return { ok: false, reason: 'invalid', message: '请提供办件号和申请时所留手机号的后四位数字。' };
  }
  // Every try takes its place in each counter before the comparison, so tries in parallel (on several
  // instances, under rotating user ids) are held to the limit too; a refused or right try gives it back.
  const counters = [
    { key: `lookup:case:${number}`, max: LOOKUP_MAX_FAILURES.caseNumber },
    { key: `lookup:user:${channel}:${userId}`, max: LOOKUP_MAX_FAILURES.requester },
    ...(address ? [{ key: `lookup:address:${address}`, max: LOOKUP_MAX_FAILURES.address }] : []),
  ];
  const counts = await Promise.all(counters.map((c) => deps.counters.hit(c.key, LOOKUP_WINDOW_MS)));
  const giveBack = () => Promise.all(counters.map((c) => deps.counters.giveBack(c.key)));
  const over = counts.filter((count, i) => count.count > (counters[i]?.max ?? 0));
  if (over.length) {
    await giveBack();
    const minutes = Math.max(1, Math.ceil(Math.max(...over.map((c) => c.resetInMs)) / 60_000));
    const caseLocked = (counts[0]?.count ?? 0) > LOOKUP_MAX_FAILURES.caseNumber;
    return { ok: false, reason: 'locked', message: lockedMessage(caseLocked, minutes) };
  }
  // A try that could not be checked (the database failed) is no wrong try.
  const match = await phoneMatches(deps, number, last4).catch(async (error: unknown) => {
    await giveBack();
    throw error;
  });
  if (!match) return { ok: false, reason: 'no_match', message: NO_MATCH };
  await giveBack();
  const record = await requireCase(deps.store, number);
  return { ok: true, case: statusView(toCaseView(deps.catalog, record, deps.clock.now())) };
}

async function phoneMatches(deps: DomainDeps, number: string, last4: string): Promise<boolean> {
  const phoneLast4 = await deps.store.cases.phoneLast4Of(number);
  // Compare against a dummy when there is no case, so both paths do the same work.
  const expected = Buffer.from(phoneLast4 ?? 'xxxx');
  return timingSafeEqual(expected, Buffer.from(last4.padEnd(4).slice(0, 4))) && phoneLast4 !== null;
}

function lockedMessage(caseLocked: boolean, minutes: number): string {
  const wait = `请${minutes}分钟后再试`;
  return caseLocked
    ? `这个办件号查询失败次数过多，已暂停查询，${wait}。如果是您本人的申请：在对话里提交的，在那个对话里回复「进度」即可查看；由12345坐席电话代办的，请拨打12345热线查询。`
    : `查询失败次数过多，已暂停查询，${wait}，或拨打12345热线咨询。`;
}
