/**
 * Working days in mainland China: weekends off, except the 调休 weekends worked, and the public holidays
 * the State Council's General Office announces each year (data/calendar/cn.yaml). Administrative
 * licensing time limits are counted in working days (行政许可法 第八十二条), and a period counted in days
 * starts on the day after the event (民法典 第二百零一条).
 *
 * Dates are plain `YYYY-MM-DD` strings in Asia/Shanghai (UTC+8 all year, no daylight saving).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseYamlCached } from '../catalog/yamlCache.ts';
import { z } from 'zod';

const isoDate = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : v;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) ctx.addIssue({ code: 'custom', message: `not a YYYY-MM-DD date: ${s}` });
  return s;
});

const calendarSchema = z.strictObject({
  version: z.literal(1),
  timeZone: z.literal('Asia/Shanghai'),
  years: z.array(
    z.strictObject({
      year: z.number().int(),
      source: z.strictObject({
        title: z.string(),
        number: z.string().optional(),
        date: isoDate,
        url: z.string().optional(),
        confidence: z.enum(['H', 'M', 'L']),
      }),
      holidays: z.array(z.strictObject({ name: z.string(), from: isoDate, to: isoDate })),
      workdays: z.array(isoDate),
    }),
  ),
});

export const DEFAULT_CALENDAR_FILE = fileURLToPath(new URL('../../data/calendar/cn.yaml', import.meta.url));

export interface DeadlineDate {
  /** The last working day, YYYY-MM-DD. */
  date: string;
  /**
   * True when some day counted lies in a year the calendar does not cover: weekends and the fixed-date
   * statutory holidays were used, without the lunar holidays and 调休 of that year's notice.
   */
  approximate: boolean;
}

export interface WorkingCalendar {
  isWorkingDay(date: string): boolean;
  /** The n-th working day after `from` (the start day itself is not counted). */
  addWorkingDays(from: string, n: number): DeadlineDate;
  /** Years the calendar has official data for. */
  readonly coveredYears: readonly number[];
}

export function loadCalendar(file: string = DEFAULT_CALENDAR_FILE): WorkingCalendar {
  const data = calendarSchema.parse(parseYamlCached(readFileSync(file, 'utf8')));
  const off = new Set<string>();
  const on = new Set<string>();
  for (const year of data.years) {
    for (const h of year.holidays) for (let d = h.from; d <= h.to; d = nextDay(d)) off.add(d);
    for (const w of year.workdays) on.add(w);
  }
  return buildCalendar(off, on, data.years.map((y) => y.year));
}

/**
 * Holidays on fixed calendar dates, by 《全国年节及纪念日放假办法》 第二条 (as amended by 国务院令第795号,
 * in force since 2025-01-01): 元旦 1月1日; 劳动节 5月1日、2日; 国庆节 10月1日至3日. (The 2024 amendment
 * added 5月2日; the brief for this fix listed only 05-01.) 春节, 清明节, 端午节 and 中秋节 follow the lunar
 * calendar or the solar terms, and each year's 调休 and 补假 (第四条: a holiday on a weekend is made up on
 * a working day) come only with the annual notice, so a year without the notice stays approximate.
 */
export const FIXED_DATE_HOLIDAYS: readonly string[] = ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03'];

/** A calendar from explicit sets, for tests and for years added at run time. */
export function buildCalendar(holidays: Set<string>, workdays: Set<string>, coveredYears: number[]): WorkingCalendar {
  const covered = new Set(coveredYears);
  const isWorkingDay = (date: string) => {
    if (workdays.has(date)) return true;
    if (holidays.has(date)) return false;
    // A year without the State Council's notice: at least the fixed-date statutory holidays are off.
    if (!covered.has(Number(date.slice(0, 4))) && FIXED_DATE_HOLIDAYS.includes(date.slice(5))) return false;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  };
  return {
    isWorkingDay,
    coveredYears: [...covered].sort(),
    addWorkingDays(from, n) {
      let date = from;
      let approximate = false;
      let left = n;
      while (left > 0) {
        date = nextDay(date);
        if (!covered.has(Number(date.slice(0, 4)))) approximate = true;
        if (isWorkingDay(date)) left -= 1;
      }
      return { date, approximate };
    },
  };
}

/** A moment as people in mainland China read it: 2026/12/08 09:30 (Beijing time). */
export function formatLocal(at: Date): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/** Adds calendar days (for validity terms). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Adds whole years; the term ends the day before the anniversary (e.g. 2026-03-01 + 5 years → 2031-02-28). */
export function addYearsTerm(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  const whole = Math.floor(years);
  d.setUTCFullYear(d.getUTCFullYear() + whole);
  const extraDays = Math.round((years - whole) * 365);
  d.setUTCDate(d.getUTCDate() + extraDays - 1);
  return d.toISOString().slice(0, 10);
}

function nextDay(date: string): string {
  return addDays(date, 1);
}
