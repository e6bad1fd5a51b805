/**
 * What the case, licence and notification use cases need, passed in (never read from the environment).
 */
import type { WorkingCalendar } from '../calendar/workingDays.ts';
import type { Catalog } from '../catalog/load.ts';
import type { WindowCounters } from '../limits/counters.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Database } from '../store/db.ts';

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

export interface DomainDeps {
  db: Database;
  catalog: Catalog;
  calendar: WorkingCalendar;
  clock: Clock;
  licence: LicenceSettings;
  reminders: ReminderSettings;
  /** The look-up lock's and the staff sign-in's counters: shared in Redis when configured, in memory otherwise. */
  counters: WindowCounters;
}
