/**
 * The settings as docs/configuration.md documents them: every default written there, set explicitly,
 * gives the same config as leaving it unset; REMINDER_SCHEDULE takes days as plain numbers and gaps
 * with units, and refuses what it cannot use with a line naming it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const DOC = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');
/** `| `NAME` | `value` | … |` rows: a literal default (not 「—」, 「Telegram's」 or a template with <…>). */
const DOCUMENTED = [...DOC.matchAll(/^\| `([A-Z_]+)` \| `([^`<]+)` \|/gm)].map((m) => ({ name: m[1] ?? '', value: m[2] ?? '' }));

const DAY = 86_400_000;

describe('docs/configuration.md', () => {
  it('every documented default works as written and is the default', () => {
    expect(DOCUMENTED.map((d) => d.name)).toEqual(expect.arrayContaining(['PORT', 'REMINDER_SCHEDULE', 'EXPIRY_REMINDER_DAYS', 'QUIET_HOURS', 'CHAT_RATE_LIMIT']));
    const unset = loadConfig({});
    for (const { name, value } of DOCUMENTED) {
      expect(() => loadConfig({ [name]: value }), `${name}=${value}`).not.toThrow();
      expect(loadConfig({ [name]: value }), `${name}=${value}`).toEqual(unset);
    }
  });
});

describe('REMINDER_SCHEDULE', () => {
  const gaps = (value: string) => loadConfig({ REMINDER_SCHEDULE: value }).reminders.followUpGapsMs;

  it('reads plain numbers as days, and days, hours and minutes with their unit, mixed', () => {
    expect(gaps('2,3,5')).toEqual([2 * DAY, 3 * DAY, 5 * DAY]);
    expect(gaps(' 1 , 0.5 ')).toEqual([DAY, DAY / 2]);
    expect(gaps('2d,12h,30m')).toEqual([2 * DAY, 12 * 3_600_000, 30 * 60_000]);
    expect(gaps('2,12h,1D')).toEqual([2 * DAY, 12 * 3_600_000, DAY]);
  });

  it('refuses what it cannot use, naming the setting and the entry', () => {
    for (const bad of ['2,,3', 'two', '3w', '0', '-1', '2d 3d']) {
      expect(() => gaps(bad), bad).toThrow(ConfigError);
      expect(() => gaps(bad), bad).toThrow(/REMINDER_SCHEDULE/);
    }
  });
});
