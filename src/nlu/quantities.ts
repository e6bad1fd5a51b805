/**
 * Quantities stated in free text: the business area in square metres and the number of people
 * working there. Both are form fields (business_area, employee_count) and may decide questions.
 */
import { NUMBER_SOURCE, parseNumber } from './numerals.ts';

const NUM = `(${NUMBER_SOURCE})`;
// 多/来/余/几/左右 make a figure approximate; the figure itself is what we keep.
const APPROX = '(?:多|来|余|几)?';
const SQUARE_METRE_PER_MU = 10000 / 15; // 1 亩 = 666.67 m²

const AREA_UNIT = '(?:个)?(?:平方米|平方公尺|平米|平方|平|m2|sqm|square meters?|square metres?)';
const AREA = new RegExp(`${NUM}\\s*(?:(?:到|至|-|~)\\s*${NUM}\\s*)?${APPROX}\\s*${AREA_UNIT}(?![台板房安时常均价顶])`, 'g');
const AREA_MU = new RegExp(`${NUM}${APPROX}亩(半)?`, 'g');
const AREA_BARE = new RegExp(`面积(?:大概|大约|约|是|有|在|差不多|:)*${NUM}(?![\\d.]|\\s*(?:米|亩|平|m|个|元|块|万元))`, 'g');

/** Area in m², or null. A range (300到400平, 三四百平) gives the larger figure. */
export function extractArea(text: string): number | null {
  for (const m of text.matchAll(AREA)) {
    const value = parseNumber(m[2] ?? m[1] ?? '');
    if (value !== null && value > 0) return value;
  }
  for (const m of text.matchAll(AREA_MU)) {
    const value = parseNumber(m[1] ?? '');
    if (value !== null && value > 0) return Math.round((value + (m[2] ? 0.5 : 0)) * SQUARE_METRE_PER_MU);
  }
  for (const m of text.matchAll(AREA_BARE)) {
    const value = parseNumber(m[1] ?? '');
    if (value !== null && value > 0) return value;
  }
  return null;
}

const WORKER =
  '(?:员工|店员|服务员|工人|职工|雇员|伙计|营业员|技师|厨师|理发师|美发师|美容师|帮工|小工|工作人员|从业人员|人手|师傅|店长)';
const COUNTER = '(?:个|名|位)';
const EMPLOYEE_PATTERNS: RegExp[] = [
  // 二十个员工, 五名员工, 三个理发师
  new RegExp(`${NUM}${APPROX}${COUNTER}?${WORKER}`, 'g'),
  // 员工十五名, 从业人员:12人, 员工三十多人, 员工二十五, 店员一共四个人
  new RegExp(`${WORKER}(?::|大概|大约|约|有|共|一共|总共|是|差不多|人数|数)*${NUM}${APPROX}(?:${COUNTER}|人)*`, 'g'),
  // 雇了两个人, 招三个
  new RegExp(`(?:雇|招|请|用)了?${NUM}${APPROX}${COUNTER}人?`, 'g'),
];
// 三个人, 俩人, 三十多人; not 坐两百人 (seats) nor 三人间 (a room).
const PEOPLE = new RegExp(`${NUM}${APPROX}${COUNTER}?人(?![间口次份座民家工气群均头生房])`, 'g');
const NOT_STAFF_BEFORE = /(?:坐|容纳|接待|住|供|纳|可|能|座|接|待)$/;
const COUPLE = /(?:两|俩|二)口子|夫妻(?:俩|二人|两人)/;

/** Number of people working in the business, or null. */
export function extractEmployeeCount(text: string): number | null {
  for (const pattern of EMPLOYEE_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const value = parseNumber(m[1] ?? '');
      if (value !== null && value >= 1 && Number.isInteger(value)) return value;
    }
  }
  for (const m of text.matchAll(PEOPLE)) {
    const before = text.slice(Math.max(0, (m.index ?? 0) - 3), m.index ?? 0);
    if (NOT_STAFF_BEFORE.test(before)) continue;
    const value = parseNumber(m[1] ?? '');
    if (value !== null && value >= 1 && Number.isInteger(value)) return value;
  }
  if (COUPLE.test(text)) return 2;
  return null;
}

const CAPACITY = new RegExp(`${NUM}\\s*(?:蒸吨|吨|t/h|t)`, 'g');

/** A boiler's stated capacity in 蒸吨/小时 (t/h), or null. */
export function extractBoilerCapacity(text: string): number | null {
  for (const m of text.matchAll(CAPACITY)) {
    const value = parseNumber(m[1] ?? '');
    if (value !== null && value > 0) return value;
  }
  return null;
}
