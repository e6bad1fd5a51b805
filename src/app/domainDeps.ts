/**
 * Builds the domain's dependencies from an open database and settings, for `npm start`, the `yiye case`
 * commands and the tests: the store, the calendar, the clock, and the licence rules the case workflow
 * calls through its port.
 */
import { loadCalendar } from '../calendar/workingDays.ts';
import type { Catalog } from '../catalog/load.ts';
import { DEFAULT_REMINDERS, type DomainDeps, type ReminderSettings } from '../cases/deps.ts';
import { systemClock, type Clock } from '../kernel/clock.ts';
import { licenceRules } from '../licence/applyLicenceRules.ts';
import { memoryCounters, type WindowCounters } from '../limits/counters.ts';
import type { Database } from '../store/db.ts';
import { prismaStore } from '../store/store.ts';

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
  const licence = { publicBaseUrl: settings.publicBaseUrl.replace(/\/+$/, ''), signingSecret: settings.signingSecret };
  return {
    store: prismaStore(db),
    licenceRules: licenceRules(settings.catalog, licence),
    catalog: settings.catalog,
    calendar: loadCalendar(settings.calendarFile),
    clock,
    licence,
    reminders: settings.reminders ?? DEFAULT_REMINDERS,
    counters: settings.counters ?? memoryCounters(() => clock.now().getTime()),
  };
}
