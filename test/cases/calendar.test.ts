/** Working days with the State Council's holidays and 调休, and the deadlines each region's rule gives. */
import { describe, expect, it } from 'vitest';
import { loadCalendar } from '../../src/calendar/workingDays.ts';
import { itemLimits } from '../../src/cases/deadlines.ts';
import { testCatalog } from './helpers.ts';

const cal = loadCalendar();

describe('working-day calendar', () => {
  it('skips holidays and counts 调休 weekends', () => {
    expect(cal.isWorkingDay('2026-10-01')).toBe(false); // 国庆节
    expect(cal.isWorkingDay('2026-10-10')).toBe(true); // Saturday worked
    expect(cal.isWorkingDay('2026-09-20')).toBe(true); // Sunday worked
    expect(cal.isWorkingDay('2025-01-26')).toBe(true);
    expect(cal.isWorkingDay('2026-02-16')).toBe(false); // 春节
    // From Wed 2026-09-30: 10-01..07 off, 08 Thu, 09 Fri, 10 Sat (worked), 12 Mon.
    expect(cal.addWorkingDays('2026-09-30', 4)).toEqual({ date: '2026-10-12', approximate: false });
    // Submitted on a Friday: the day itself is not counted.
    expect(cal.addWorkingDays('2026-11-20', 1).date).toBe('2026-11-23');
  });

  it('marks deadlines in a year without an official notice as approximate (weekends and fixed-date holidays)', () => {
    expect(cal.coveredYears).toEqual([2025, 2026]);
    // From Fri 2026-12-25: 28..31 (4), 2027-01-01 元旦 is off even without the 2027 notice, 04..08 (9), 11 (10).
    const d = cal.addWorkingDays('2026-12-25', 10);
    expect(d.approximate).toBe(true);
    expect(d.date).toBe('2027-01-11');
  });

  it('keeps the fixed-date statutory holidays in a year without a notice (全国年节及纪念日放假办法)', () => {
    for (const day of ['2027-01-01', '2027-05-03', '2027-10-01', '2027-10-04', '2028-05-01', '2028-05-02', '2028-10-02', '2028-10-03']) {
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      const fixed = ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03'].includes(day.slice(5));
      expect(cal.isWorkingDay(day), day).toBe(!fixed && weekday !== 0 && weekday !== 6);
    }
    expect(cal.isWorkingDay('2028-05-01')).toBe(false); // Monday, 劳动节
    expect(cal.isWorkingDay('2028-10-03')).toBe(false); // Tuesday, 国庆节
    expect(cal.isWorkingDay('2028-10-04')).toBe(true); // Wednesday: no notice, so no 调休 is assumed
  });
});

describe('time rules from region data', () => {
  const catalog = testCatalog();
  it('奈曼旗 cuts each statutory limit by 60%', () => {
    const region = catalog.regions.find((r) => r.id === 'naiman');
    if (!region) throw new Error('naiman missing');
    const limits = itemLimits(catalog, region, ['food_business_licence', 'tobacco_retail_licence', 'food_business_filing']);
    expect(limits.get('food_business_licence')).toEqual({ statutoryWorkingDays: 10, promisedWorkingDays: 4 });
    expect(limits.get('tobacco_retail_licence')).toEqual({ statutoryWorkingDays: 20, promisedWorkingDays: 8 });
    expect(limits.get('food_business_filing')).toEqual({}); // no stated limit, no deadline
  });
  it('新乡经开区 approves every item within the shortest inspected item’s limit', () => {
    const region = catalog.regions.find((r) => r.id === 'xinxiang');
    if (!region) throw new Error('xinxiang missing');
    const limits = itemLimits(catalog, region, ['food_business_licence', 'drainage_permit']);
    expect(limits.get('food_business_licence')).toEqual({ statutoryWorkingDays: 10, promisedWorkingDays: 10 });
    expect(limits.get('drainage_permit')).toEqual({ statutoryWorkingDays: 15, promisedWorkingDays: 10 });
  });
});
