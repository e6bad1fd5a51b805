/**
 * Refused staff authentication, per client address: a wrong or revoked token (the staff and agent APIs,
 * the console's sign-in), an unknown or expired console session, a call with no credentials. Ten in a
 * window of fifteen minutes and the address is answered 429 from then on, for the rest of the window: no token is
 * checked from it, though a console session signed in before still works (it cannot be guessed, and
 * colleagues behind one office address keep working while one of them mistypes).
 *
 * Audited in aggregate, not a row per try: one row when an address first fails in a window, one when it
 * is locked, and one at each tenfold of its count after that (100, 1000, …), each with the count so far.
 * The counters are shared by every instance (Redis) when configured.
 */
import type { DomainDeps } from '../cases/deps.ts';
import { DomainError } from '../cases/errors.ts';
import { audit } from './audit.ts';

export const STAFF_AUTH_MAX_FAILURES = 10;
export const STAFF_AUTH_WINDOW_MS = 15 * 60_000;

const key = (address: string) => `staff-auth:${address}`;

/** Refuses (429) an address that is locked; the refused try counts. Call before checking a token. */
export async function refuseLockedAddress(deps: DomainDeps, address: string): Promise<void> {
  const { count } = await deps.counters.peek(key(address));
  if (count >= STAFF_AUTH_MAX_FAILURES) throw await authFailed(deps, address);
}

/**
 * Counts a refused authentication from `address` and audits it in aggregate; returns what to answer:
 * `refused` (or `unauthenticated`, 401) up to the limit, `locked` (429) beyond it.
 */
export async function authFailed(deps: DomainDeps, address: string, refused?: DomainError): Promise<DomainError> {
  const { count, resetInMs } = await deps.counters.hit(key(address), STAFF_AUTH_WINDOW_MS);
  if (count === 1 || count === STAFF_AUTH_MAX_FAILURES || (count > STAFF_AUTH_MAX_FAILURES && isPowerOfTen(count))) {
    await audit(deps.store, deps.clock, {
      actor: null,
      via: 'http',
      action: 'staff_auth_failures',
      target: address,
      outcome: count >= STAFF_AUTH_MAX_FAILURES ? 'locked' : 'unauthenticated',
      detail: { address, failures: count, windowMinutes: STAFF_AUTH_WINDOW_MS / 60_000 },
    });
  }
  if (count <= STAFF_AUTH_MAX_FAILURES && refused) return refused;
  if (count <= STAFF_AUTH_MAX_FAILURES) return new DomainError('unauthenticated', 'missing or unknown token', '请提供有效的工作人员令牌。');
  const minutes = Math.max(1, Math.ceil(resetInMs / 60_000));
  return new DomainError('locked', `too many refused sign-ins from ${address}`, `令牌验证失败次数过多，请${minutes}分钟后再试。如忘记令牌，请联系管理员。`);
}

function isPowerOfTen(n: number): boolean {
  return /^10+$/.test(String(n));
}
