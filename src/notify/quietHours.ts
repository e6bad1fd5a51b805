/**
 * Quiet hours: no push message goes out between `start` and `end` local time (default 21:00–08:00
 * Asia/Shanghai). A window may wrap midnight.
 */
export interface QuietHours {
  /** HH:MM */
  start: string;
  end: string;
  timeZone: string;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00', timeZone: 'Asia/Shanghai' };

/** Parses `21:00-08:00` (or `off`/empty for none). */
export function parseQuietHours(value: string | undefined, timeZone = 'Asia/Shanghai'): QuietHours | null {
  if (value === undefined || value.trim() === '') return DEFAULT_QUIET_HOURS;
  if (/^(off|none)$/i.test(value.trim())) return null;
  const m = /^\s*([01]\d|2[0-3]):([0-5]\d)\s*[-–]\s*([01]\d|2[0-3]):([0-5]\d)\s*$/.exec(value);
  if (!m) throw new Error(`quiet hours must look like 21:00-08:00 (got ${value})`);
  return { start: `${m[1]}:${m[2]}`, end: `${m[3]}:${m[4]}`, timeZone };
}

export function isQuiet(at: Date, quiet: QuietHours | null): boolean {
  if (!quiet) return false;
  const local = new Intl.DateTimeFormat('en-GB', { timeZone: quiet.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  const minutes = toMinutes(local);
  const start = toMinutes(quiet.start);
  const end = toMinutes(quiet.end);
  if (start === end) return false;
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

function toMinutes(hhmm: string): number {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}
