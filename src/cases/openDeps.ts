/**
 * Builds the domain's dependencies from settings, for `npm start` and the `yiye case` commands.
 */
import { loadCalendar } from '../calendar/workingDays.ts';
import type { Catalog } from '../catalog/load.ts';
import { memoryCounters, type WindowCounters } from '../limits/counters.ts';
import { openDatabase, type Database } from '../store/db.ts';
import { DEFAULT_REMINDERS, type DomainDeps, type ReminderSettings } from './deps.ts';
import { systemClock, type Clock } from '../kernel/clock.ts';

export interface DomainSettings {
  catalog: Catalog;
  publicBaseUrl: string;
  signingSecret: string;
  reminders?: ReminderSettings;
  clock?: Clock;
  calendarFile?: string;
  /** Default: in memory, on the domain's clock. */
  counters?: WindowCounters;
}

export function domainDeps(db: Database, settings: DomainSettings): DomainDeps {
  const clock = settings.clock ?? systemClock;
  return {
    db,
    catalog: settings.catalog,
    calendar: loadCalendar(settings.calendarFile),
    clock,
    licence: { publicBaseUrl: settings.publicBaseUrl.replace(/\/+$/, ''), signingSecret: settings.signingSecret },
    reminders: settings.reminders ?? DEFAULT_REMINDERS,
    counters: settings.counters ?? memoryCounters(() => clock.now().getTime()),
  };
}

export async function openDomain(databaseUrl: string, settings: DomainSettings): Promise<DomainDeps> {
  return domainDeps(await openDatabase({ url: databaseUrl }), settings);
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
