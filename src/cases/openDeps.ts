/**
 * Builds the domain's dependencies from settings, for `npm start` and the `yiye case` commands.
 */
import { loadCalendar } from '../calendar/workingDays.ts';
import type { Catalog } from '../catalog/load.ts';
import { memoryCounters, type WindowCounters } from '../limits/counters.ts';
import { openDatabase, type Database } from '../store/db.ts';
import { DEFAULT_REMINDERS, systemClock, type Clock, type DomainDeps, type ReminderSettings } from './deps.ts';

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

/** Parses REMINDER_SCHEDULE like `2d,3d,5d` or `12h,1d` (gaps between follow-ups; the last repeats). */
export function parseSchedule(value: string | undefined): number[] {
  if (!value?.trim()) return DEFAULT_REMINDERS.followUpGapsMs;
  return value.split(',').map((part) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([mhd])\s*$/.exec(part);
    if (!m) throw new Error(`REMINDER_SCHEDULE entries look like 2d, 12h or 30m (got "${part}")`);
    return Number(m[1]) * { m: 60_000, h: 3600_000, d: 86_400_000 }[m[2] === 'm' ? 'm' : m[2] === 'h' ? 'h' : 'd'];
  });
}

/** Parses EXPIRY_REMINDER_DAYS like `30,7`. */
export function parseExpiryDays(value: string | undefined): number[] {
  if (!value?.trim()) return DEFAULT_REMINDERS.expiryLeadDays;
  return value.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 0 || n > 365) throw new Error(`EXPIRY_REMINDER_DAYS entries are whole days 0–365 (got "${part}")`);
    return n;
  });
}
