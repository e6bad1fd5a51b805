/**
 * Console sessions: a staff token, typed once on the sign-in page, is exchanged for a random session id
 * sent back as an httpOnly, SameSite=Strict cookie; the token itself never stays in the browser. The
 * session is stored as the id's SHA-256 hash, in the database, so any instance behind the balancer knows
 * it. It ends on sign-out, after SESSION_IDLE_MINUTES without a call, after SESSION_HOURS in all, and when
 * the staff member's token is revoked. Every call that changes something carries the session's CSRF token
 * in the `x-csrf-token` header (the synchronizer-token pattern; SameSite is the second line).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../kernel/clock.ts';
import { DomainError } from '../cases/errors.ts';
import { authenticate, hashToken, STAFF_ROLES, type StaffActor } from './staff.ts';
import type { Store } from '../store/repositories.ts';

export const SESSION_COOKIE = 'yiye_console';

/** 8 hours in all, 60 minutes without a call (SESSION_HOURS, SESSION_IDLE_MINUTES). */
export const DEFAULT_SESSION: SessionSettings = { hours: 8, idleMinutes: 60 };

export interface SessionSettings {
  /** Absolute lifetime. */
  hours: number;
  /** Ends after this long without a call. */
  idleMinutes: number;
}

export interface ConsoleSession {
  actor: StaffActor;
  csrf: string;
  expiresAt: Date;
}

const EXPIRED = () => new DomainError('unauthenticated', 'no or expired console session', '登录已过期或已退出，请重新登录。');

/** Signs in with a staff token: a new session, its cookie value (shown to nobody but the browser) and CSRF token. */
export async function openSession(store: Pick<Store, 'staff'>, clock: Clock, settings: SessionSettings, token: string | undefined): Promise<ConsoleSession & { cookie: string }> {
  const actor = await authenticate(store, token, clock);
  const now = clock.now();
  const cookie = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + settings.hours * 3_600_000);
  await store.staff.createSession({ tokenHash: hashToken(cookie), staffUserId: actor.id, csrfToken: csrf, createdAt: now, expiresAt });
  return { actor, csrf, expiresAt, cookie };
}

/** The session behind a cookie, or `unauthenticated` (ended, expired, idle too long, or the staff member revoked). */
export async function resumeSession(store: Pick<Store, 'staff'>, clock: Clock, settings: SessionSettings, cookie: string | undefined): Promise<ConsoleSession> {
  if (!cookie || cookie.length < 20 || cookie.length > 100) throw EXPIRED();
  const session = await store.staff.findSession(hashToken(cookie));
  const now = clock.now();
  if (!session || session.endedAt || session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > settings.idleMinutes * 60_000) throw EXPIRED();
  const user = await store.staff.findUser(session.staffUserId);
  const role = STAFF_ROLES.find((r) => r === user?.role);
  if (!user || user.revokedAt || !role) throw EXPIRED();
  // At most one write a minute per session: a busy console does not turn every read into a write.
  if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
    await store.staff.touchSession(session.id, now).catch(() => undefined);
  }
  return {
    actor: { kind: 'staff', id: user.id, name: user.name, role, ...(user.department ? { department: user.department } : {}) },
    csrf: session.csrfToken,
    expiresAt: session.expiresAt,
  };
}

/** Signs out: the session cannot be used again, from this browser or a copy of its cookie. */
export async function endSession(store: Pick<Store, 'staff'>, clock: Clock, cookie: string | undefined): Promise<void> {
  if (!cookie || cookie.length > 100) return;
  await store.staff.endSession(hashToken(cookie), clock.now());
}

/** The header's token against the session's, in constant time. */
export function csrfMatches(session: ConsoleSession, header: string | undefined): boolean {
  if (!header) return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}
