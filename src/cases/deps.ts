/**
 * What the case, licence and notification use cases need, passed in (never read from the environment),
 * and the port through which the case workflow asks the licence module to follow a change (src/licence
 * implements it; src/app/domainDeps.ts wires it in), so that cases never import the licence.
 */
import type { WorkingCalendar } from '../calendar/workingDays.ts';
import type { Catalog } from '../catalog/load.ts';
import type { Actor } from '../kernel/actor.ts';
import type { Clock } from '../kernel/clock.ts';
import type { WindowCounters } from '../limits/counters.ts';
import type { Store } from '../store/repositories.ts';

export interface LicenceSettings {
  /** `${publicBaseUrl}/v/<token>` is what the QR code encodes. */
  publicBaseUrl: string;
  /** HMAC key for licence tokens (at least 16 bytes of entropy). */
  signingSecret: string;
}

export interface ReminderSettings {
  /** Gaps between follow-up reminders about missing materials, in ms; the last gap repeats. */
  followUpGapsMs: number[];
  /** Follow-ups after the first message, at most. */
  maxFollowUps: number;
  /** Days before a permit's validity ends when the holder is reminded, e.g. [30, 7]. */
  expiryLeadDays: number[];
}

export const DEFAULT_REMINDERS: ReminderSettings = {
  followUpGapsMs: [2, 3, 5].map((d) => d * 86_400_000),
  maxFollowUps: 6,
  expiryLeadDays: [30, 7],
};

export type LicenceTrigger =
  | { kind: 'item_approved'; permitId: string }
  | { kind: 'info_changed'; printed: boolean }
  | { kind: 'item_ended'; permitId: string; label: string };

export type LicenceOutcome =
  | { kind: 'none' }
  | { kind: 'qr_updated'; licenceNumber: string }
  | { kind: 'reissued'; licenceNumber: string; version: number; free: boolean | null }
  | { kind: 'voided'; licenceNumber: string };

/** What the case workflow asks of the comprehensive licence: it follows its items (一码联动). */
export interface LicenceRules {
  /** What `trigger` does to the case's licence, by the region's rules, inside the change's transaction (`store`). */
  follow(store: Store, caseNumber: string, trigger: LicenceTrigger, ctx: { actor: Actor; now: Date; reason: string }): Promise<LicenceOutcome>;
  /** The public page a licence version's QR code opens. */
  verifyUrl(licenceId: string, version: number): string;
}

export interface DomainDeps {
  store: Store;
  licenceRules: LicenceRules;
  catalog: Catalog;
  calendar: WorkingCalendar;
  clock: Clock;
  licence: LicenceSettings;
  reminders: ReminderSettings;
  /** The look-up lock's and the staff sign-in's counters: shared in Redis when configured, in memory otherwise. */
  counters: WindowCounters;
}

/**
 * Parses REMINDER_SCHEDULE: gaps between follow-ups (the last repeats), as docs/configuration.md writes
 * them: plain numbers are days (`2,3,5`), or with a unit, `2d`, `12h`, `30m`, mixed freely.
 */
export function parseSchedule(value: string | undefined): number[] {
  if (!value?.trim()) return DEFAULT_REMINDERS.followUpGapsMs;
  return value.split(',').map((part) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([mhd]?)\s*$/i.exec(part);
    const gap = m ? Number(m[1]) * (UNIT_MS[(m[2] || 'd').toLowerCase()] ?? Number.NaN) : Number.NaN;
    if (!(gap > 0)) throw new Error(`REMINDER_SCHEDULE entries are days (2) or look like 2d, 12h or 30m, above zero (got "${part.trim()}")`);
    return gap;
  });
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses EXPIRY_REMINDER_DAYS like `30,7`. */
export function parseExpiryDays(value: string | undefined): number[] {
  if (!value?.trim()) return DEFAULT_REMINDERS.expiryLeadDays;
  return value.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 0 || n > 365) throw new Error(`EXPIRY_REMINDER_DAYS entries are whole days 0–365 (got "${part}")`);
    return n;
  });
}
