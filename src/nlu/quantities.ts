/**
 * Quantities stated in free text, with their units: areas (平, 平米, 平方米, ㎡, 亩), people (人, 个员工),
 * money (元, 块, 万元, 万), seats (座位, 桌) and boiler capacity (蒸吨). A range (四五百平, 300到400平)
 * keeps both ends; a bound (不到两百平, 三百平以上, 超过五十人) says the figure is only a limit.
 */
import { matchesOf } from './matches.ts';
import { NUMBER_SOURCE, parseNumber } from './numerals.ts';
import type { Quantity } from './reading.ts';

const NUM = `(${NUMBER_SOURCE})`;
// 多/来/余/几 make a figure approximate; the figure itself is what we keep.
const APPROX = '(多|来|余|几)?';
const SQUARE_METRE_PER_MU = 10000 / 15; // 1 亩 = 666.67 m²
const BEFORE_BOUND = /(不到|不足|不超过|没有|没超过|少于|低于|小于|超过|超出|大于|多于|高于|至少|起码|最少|最多|顶多|大概|大约|约|差不多|左右是|将近|接近|近)$/;
const AFTER_BOUND = /^(以上|以下|以内|之内|上下|左右|出头|开外|多点|多一点|不到|封顶)/;

const AREA_UNIT = '(?:个)?(?:平方米|平方公尺|平米|平方|平|m2|sqm|square meters?|square metres?)';
const AREA = new RegExp(`${NUM}\\s*(?:(?:到|至|-|~)\\s*${NUM}\\s*)?${APPROX}\\s*${AREA_UNIT}(?![台板房安时常均价顶])`, 'g');
const AREA_MU = new RegExp(`${NUM}${APPROX}亩(半)?`, 'g');
const AREA_BARE = new RegExp(`面积(?:大概|大约|约|是|有|在|差不多|:)*${NUM}(?![\\d.]|\\s*(?:米|亩|平|m|个|元|块|万元))`, 'g');

const WORKER =
  '(?:员工|店员|服务员|工人|职工|雇员|伙计|营业员|技师|厨师|理发师|美发师|美容师|帮工|小工|工作人员|从业人员|人手|师傅|店长|教练|药师|收银员)';
const COUNTER = '(?:个|名|位)';
const EMPLOYEE_PATTERNS: RegExp[] = [
  // 一共五个人, 加上我三个人: a total beats the counts that make it up.
  new RegExp(`(?:一共|总共|合计|共计|加上我|加我|连我|算上我)(?:是|有|就)?${NUM}${APPROX}${COUNTER}?人`, 'g'),
  // 二十个员工, 五名员工, 三个理发师
  new RegExp(`${NUM}${APPROX}${COUNTER}?${WORKER}`, 'g'),
  // 员工十五名, 从业人员:12人, 员工三十多人, 员工二十五, 店员一共四个人
  new RegExp(`${WORKER}(?::|大概|大约|约|有|共|一共|总共|是|差不多|人数|数)*${NUM}${APPROX}(?:${COUNTER}|人)*`, 'g'),
  // 雇了两个人, 招三个
  new RegExp(`(?:雇|招|请|用)了?${NUM}${APPROX}${COUNTER}人?`, 'g'),
];
// 三个人, 俩人, 三十多人; not 坐两百人 (seats) nor 三人间 (a room).
const PEOPLE = new RegExp(`${NUM}${APPROX}${COUNTER}?人(?![间口次份座民家工气群均头生房])`, 'g');
const NOT_STAFF_BEFORE = /(?:坐|容纳|接待|住|供|纳|可|能|座|接|待|同时)$/;
const COUPLE = /(?:两|俩|二)口子|夫妻(?:俩|二人|两人)|我和(?:老婆|媳妇|老公|爱人)|就我一个人|就我自己|一个人干|自己一个人/;

// 五千块 is money; 一块地, 两块牌子 are not.
const MONEY = new RegExp(`${NUM}${APPROX}\\s*(万元|万块钱|万块|万|元|块钱|块(?![地砖板牌田肉糖布石头屏]))(?![平人㎡m亩方])`, 'g');
// 三十万零五千, 30万5千, 十万零五百(元): 万 and then the thousands or hundreds, which MONEY would cut at 万.
const MONEY_COMPOUND = /(\d+(?:\.\d+)?|[一二两三四五六七八九十百]+)万零?(\d|[一二两三四五六七八九])([千百])(?:元|块钱|块)?/gu;
const SEATS = new RegExp(`${NUM}${APPROX}(?:个)?(?:座位|座|餐位|桌)|(?:坐|容纳|接待)(?:得下)?${NUM}${APPROX}(?:个)?人`, 'g');
const CAPACITY = new RegExp(`${NUM}\\s*(?:蒸吨|吨|t/h|t)`, 'g');
// 七八米宽, 五米多长, 十几米, 4m; not 米线 or 米饭, nor the 米 of 平方米.
const LENGTH = new RegExp(`${NUM}${APPROX}(?:多)?\\s*(?:米|m)(?![线粉饭饼酒平²2])`, 'g');
const ROOMS = new RegExp(`${NUM}${APPROX}(?:个|间)(?:客房|房间|包间|标间|房)|(?:客房|房间)${NUM}${APPROX}(?:个|间)`, 'g');

/** A digit or a Chinese numeral: every pattern but {@link COUPLE} needs one. */
const NUMERAL = /[0-9零〇一二两俩仨三四五六七八九十百千万亿半]/;

/** Every quantity in normalised `text`, in text order. */
export function extractQuantities(text: string): Quantity[] {
  if (!NUMERAL.test(text)) {
    const couple = extractPeople(text);
    return couple ? [couple] : [];
  }
  const out: Quantity[] = [];
  for (const m of matchesOf(AREA, text)) {
    const low = m[2] ? parseNumber(m[1] ?? '') : null;
    const high = parseNumber(m[2] ?? m[1] ?? '');
    if (high === null || high <= 0) continue;
    out.push(withBound(text, { kind: 'area', value: high, unit: '平方米', ...rangeOf(m[2] ?? m[1] ?? '', low, high), start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }, m[3]));
  }
  for (const m of matchesOf(AREA_MU, text)) {
    const value = parseNumber(m[1] ?? '');
    if (value === null || value <= 0) continue;
    const area = Math.round((value + (m[3] ? 0.5 : 0)) * SQUARE_METRE_PER_MU);
    out.push(withBound(text, { kind: 'area', value: area, unit: '平方米', start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }, m[2]));
  }
  if (!out.some((q) => q.kind === 'area')) {
    for (const m of matchesOf(AREA_BARE, text)) {
      const value = parseNumber(m[1] ?? '');
      if (value !== null && value > 0) out.push({ kind: 'area', value, unit: '平方米', start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
    }
  }
  const people = extractPeople(text);
  if (people) out.push(people);
  const compound: { start: number; end: number }[] = [];
  for (const m of matchesOf(MONEY_COMPOUND, text)) {
    const high = parseNumber(m[1] ?? '');
    const low = parseNumber(m[2] ?? '');
    if (high === null || low === null) continue;
    const start = m.index ?? 0;
    compound.push({ start, end: start + m[0].length });
    out.push(withBound(text, { kind: 'money', value: high * 10_000 + low * (m[3] === '千' ? 1000 : 100), unit: '元', start, end: start + m[0].length }));
  }
  for (const m of matchesOf(MONEY, text)) {
    if (compound.some((c) => (m.index ?? 0) < c.end && (m.index ?? 0) + m[0].length > c.start)) continue;
    const n = parseNumber(m[1] ?? '');
    if (n === null || n <= 0) continue;
    const unit = m[3] ?? '';
    // 「25万」 and 「25万元」: the 万 may be inside the number (parseNumber reads 2.5万 as 25000) or the unit.
    const scale = unit.startsWith('万') ? 10_000 : 1;
    const range = rangeOf(m[1] ?? '', null, n);
    const ends = range.low !== undefined && range.high !== undefined ? { low: range.low * scale, high: range.high * scale } : {};
    out.push(withBound(text, { kind: 'money', value: n * scale, unit: '元', ...ends, start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }, m[2]));
  }
  for (const m of matchesOf(SEATS, text)) {
    const n = parseNumber(m[1] ?? m[3] ?? '');
    if (n !== null && n > 0) out.push(withBound(text, { kind: 'seats', value: n, unit: '座', start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }, m[2] ?? m[4]));
  }
  for (const m of matchesOf(ROOMS, text)) {
    const n = parseNumber(m[1] ?? m[3] ?? '');
    if (n !== null && n > 0) out.push({ kind: 'rooms', value: n, unit: '间', start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  }
  for (const m of matchesOf(LENGTH, text)) {
    const start = m.index ?? 0;
    if (/平方?$|平方$/.test(text.slice(Math.max(0, start - 2), start))) continue;
    const n = parseNumber(m[1] ?? '');
    if (n !== null && n > 0) out.push(withBound(text, { kind: 'length', value: n, unit: '米', start, end: start + m[0].length }, m[2]));
  }
  const capacity = extractBoilerCapacity(text);
  if (capacity !== null) {
    const m = CAPACITY.exec(text);
    CAPACITY.lastIndex = 0;
    out.push({ kind: 'capacity', value: capacity, unit: '蒸吨/小时', start: m?.index ?? 0, end: (m?.index ?? 0) + (m?.[0].length ?? 0) });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Area in m² (the larger end of a range), or null; a bare bound (不到两百平) is not an area. */
export function extractArea(text: string): number | null {
  const area = extractQuantities(text).find((q) => q.kind === 'area' && !isLimit(q));
  return area?.value ?? null;
}

/** Number of people working in the business, or null. */
export function extractEmployeeCount(text: string): number | null {
  const people = extractPeople(text);
  return people && !isLimit(people) ? people.value : null;
}

/** A quantity that only says more or less than a figure. */
export function isLimit(q: Quantity): boolean {
  return q.bound !== undefined && q.bound !== 'approx';
}

function extractPeople(text: string): Quantity | null {
  for (const pattern of EMPLOYEE_PATTERNS) {
    for (const m of matchesOf(pattern, text)) {
      const value = parseNumber(m[1] ?? '');
      if (value !== null && value >= 1 && Number.isInteger(value)) {
        return withBound(text, { kind: 'people', value, unit: '人', ...rangeOf(m[1] ?? '', null, value), start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }, m[2]);
      }
    }
  }
  for (const m of matchesOf(PEOPLE, text)) {
    const before = text.slice(Math.max(0, (m.index ?? 0) - 3), m.index ?? 0);
    if (NOT_STAFF_BEFORE.test(before)) continue;
    const value = parseNumber(m[1] ?? '');
    if (value !== null && value >= 1 && Number.isInteger(value)) {
      return withBound(text, { kind: 'people', value, unit: '人', ...rangeOf(m[1] ?? '', null, value), start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }, m[2]);
    }
  }
  const couple = COUPLE.exec(text);
  if (couple) {
    const one = /一个人|我自己|自己一个/.test(couple[0]);
    return { kind: 'people', value: one ? 1 : 2, unit: '人', start: couple.index, end: couple.index + couple[0].length };
  }
  return null;
}

/** 三四百 / 五六 (neighbouring digits) and 300到400: both ends of a range. */
function rangeOf(written: string, low: number | null, high: number): { low?: number; high?: number } {
  if (low !== null && low < high) return { low, high };
  const m = /^([一二两三四五六七八九])([一二两三四五六七八九])(.*)$/.exec(written);
  if (!m?.[1] || !m[2]) return {};
  const first = parseNumber(`${m[1]}${m[3] ?? ''}`);
  return first !== null && first < high ? { low: first, high } : {};
}

/** The words around a figure that make it a bound or an approximation (不到两百平, 三百平以上, 八百平左右). */
function withBound(text: string, q: Quantity, approxSuffix?: string): Quantity {
  const before = BEFORE_BOUND.exec(text.slice(Math.max(0, q.start - 4), q.start))?.[1];
  const after = AFTER_BOUND.exec(text.slice(q.end))?.[1];
  const bound = boundOf(before, after) ?? (approxSuffix ? 'approx' : undefined);
  return bound ? { ...q, bound } : q;
}

function boundOf(before: string | undefined, after: string | undefined): Quantity['bound'] | undefined {
  switch (after) {
    case '以上':
    case '开外':
    case '出头':
    case '多点':
    case '多一点':
      return after === '以上' ? 'gte' : 'gt';
    case '以下':
    case '以内':
    case '之内':
    case '封顶':
      return 'lte';
    case '不到':
      return 'lt';
    case '上下':
    case '左右':
      return 'approx';
    default:
      break;
  }
  switch (before) {
    case '不到':
    case '不足':
    case '少于':
    case '低于':
    case '小于':
    case '没有':
      return 'lt';
    case '不超过':
    case '没超过':
    case '最多':
    case '顶多':
      return 'lte';
    case '超过':
    case '超出':
    case '大于':
    case '多于':
    case '高于':
      return 'gt';
    case '至少':
    case '起码':
    case '最少':
      return 'gte';
    case undefined:
      return undefined;
    default:
      return 'approx';
  }
}

/** A boiler's stated capacity in 蒸吨/小时 (t/h), or null. */
export function extractBoilerCapacity(text: string): number | null {
  for (const m of matchesOf(CAPACITY, text)) {
    const value = parseNumber(m[1] ?? '');
    if (value !== null && value > 0) return value;
  }
  return null;
}
