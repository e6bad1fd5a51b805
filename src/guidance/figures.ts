/**
 * A figure as the answer to a number question: read with its unit (250000元, 二十五万块, 三百平以上, 1.5亩)
 * and converted to the question's unit; a bare figure takes the question's unit; one in a unit of another
 * kind (300米 for an area) is not an answer. Limits (不到两百平, 两三百平) stay limits: see {@link Bounds}.
 */
import type { Catalog } from '../catalog/load.ts';
import { getPermit } from '../catalog/lookup.ts';
import type { Condition, Industry, Question, Region } from '../catalog/schema.ts';
import { BASE_UNITS, fromBase, unitOf, type Unit } from '../catalog/units.ts';
import { extractQuantities } from '../nlu/quantities.ts';
import { NUMBER_SOURCE, parseNumber } from '../nlu/numerals.ts';
import type { Quantity } from '../nlu/reading.ts';
import { evaluate, type Bounds } from './conditions.ts';

export type Figure =
  /** A figure in the question's unit, exact or between limits. */
  | { kind: 'value'; value: number | Bounds; written?: string }
  /** A figure in a unit the question's cannot be converted from, as written (300米). */
  | { kind: 'other_unit'; said: string };

/** A comparison of a number question with a figure, as the catalog writes it. */
export type Comparison = Extract<Condition, { gt: number } | { gte: number } | { lt: number } | { lte: number }>;

const BARE = new RegExp(`(${NUMBER_SOURCE})(多|来|余|几)?`, 'g');
/** What may follow a figure given without a unit: the end, punctuation, a limit word or a particle. */
const AFTER_BARE = /^(?:$|[,.;:!?、。，；：！？~～)）]|以上|以下|以内|之内|上下|左右|出头|开外|不到|封顶|吧|啊|呀|的|了|哈|嘛|呢|哦|就|差不多|这样|样子)/;
const COUNTER = /^(?:个|名|位)/;
/** Units of no question's kind that people put after a figure (300公里, 5年): the figure is not taken. */
const OTHER_UNIT = /^(?:公里|千米|厘米|毫米|公分|尺|寸|公斤|千克|斤|克|吨|升|立方|层|楼|台|辆|张|栋|套|户|天|年|月|小时|分钟|岁|度|个|名|位|米|元|块|万|人|平|亩|间|座)/;
const MORE = /[多余几]/;
const CLAUSE_END = /[,.;:!?、。，；：！？]/;
const SUPPOSE_START = /^(?:要是|如果|假如|假设|万一|比如|若是|倘若)/;
/** 「以后扩到三百五十平」: a figure the shop may have one day, not the one it has. */
const LATER = /(?:以后|将来|今后|往后|日后|扩到|扩大到|扩成|扩建到|扩充到|再扩)/;
const SUPPOSE_END = /(?:呢|的话|怎么办|会怎样|会怎么样)$/;
/** 约300平 is read as 300 give or take a tenth. */
const ABOUT = 0.1;

/** The figure `text` gives for `question`, or undefined when it gives none. */
export function readFigure(question: Question, text: string): Figure | undefined {
  const t = text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
  const unit = unitOf(question.unit);
  if (!unit) {
    const n = firstNumber(t);
    return n === null ? undefined : { kind: 'value', value: n };
  }
  const quantities = extractQuantities(t);
  const own = quantities.find((q) => q.kind === unit.kind);
  if (own) {
    const value = figureOf(question, own, t);
    const written = t.slice(own.start, own.end);
    // 250000元 read as 25万元, 1.5亩 as 1000平方米: the reply says both, so the conversion shows.
    return typeof value === 'number' && writtenSize(written) !== unit.size ? { kind: 'value', value, written } : { kind: 'value', value };
  }
  const bare = bareFigure(question, unit, t, quantities);
  if (bare) return bare;
  const other = quantities[0];
  return other ? { kind: 'other_unit', said: t.slice(other.start, other.end) } : undefined;
}

/**
 * A quantity the offline reader found, in `question`'s unit: exact, or the limits it states. `text` is the
 * normalised text its offsets refer to.
 */
export function figureOf(question: Question, q: Quantity, text: string): number | Bounds {
  const unit = unitOf(question.unit);
  const name = question.unit ?? BASE_UNITS[q.kind];
  const conv = (n: number) => (unit ? fromBase(n, unit) : n);
  const value = conv(q.value);
  const low = q.low !== undefined && q.high !== undefined && q.low < q.high ? conv(q.low) : undefined;
  const high = low !== undefined && q.high !== undefined ? conv(q.high) : undefined;
  switch (q.bound) {
    case 'gt':
      return { gt: low ?? value, said: `超过${low ?? value}${name}` };
    case 'gte':
      return { gte: low ?? value, said: `${low ?? value}${name}以上` };
    case 'lt':
      return { lt: value, said: `不到${value}${name}` };
    case 'lte':
      return { lte: value, said: `不超过${value}${name}` };
    case 'approx':
      // 三百多平: more than 300, less than 400; 三百平左右 / 大概三百平: about 300.
      if (MORE.test(text.slice(q.start, q.end))) return { gt: value, lt: value + step(value), said: `${value}多${name}` };
      return { gte: round(value * (1 - ABOUT)), lte: round(value * (1 + ABOUT)), said: `约${value}${name}` };
    default:
      if (low !== undefined && high !== undefined) return { gte: low, lte: high, said: `${low}至${high}${name}` };
      return value;
  }
}

/**
 * A figure put as a supposition or asked about (「要是超过300平呢」「如果300平以上的话」) rather than stated:
 * its clause starts with 要是/如果… or ends with 呢.
 */
export function supposed(text: string, q: { start: number; end: number }): boolean {
  const before = text.slice(0, q.start).split(CLAUSE_END).at(-1) ?? '';
  const after = text.slice(q.end).split(CLAUSE_END)[0] ?? '';
  return SUPPOSE_START.test(before) || LATER.test(before) || SUPPOSE_END.test(after);
}

/** Every comparison of `questionId` that decides something in `industry` of `region`: its items, caveats and materials. */
export function comparisonsOn(catalog: Catalog, region: Region, industry: Industry, questionId: string): Comparison[] {
  const conditions: Condition[] = industry.items.flatMap((item) => [
    ...(item.when ? [item.when] : []),
    ...item.caveats.map((c) => c.when),
    ...getPermit(catalog, item.permit, region).materials.flatMap((m) => (m.when ? [m.when] : [])),
  ]);
  const out: Comparison[] = [];
  const walk = (c: Condition): void => {
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('not' in c) walk(c.not);
    else if (c.q === questionId && isComparison(c)) out.push(c);
  };
  conditions.forEach(walk);
  return out;
}

/** The first comparison a figure between limits does not settle, or undefined when it settles all. */
export function unsettled(comparisons: readonly Comparison[], questionId: string, value: Bounds): Comparison | undefined {
  return comparisons.find((c) => evaluate(c, { [questionId]: value }) === undefined);
}

export function isComparison(c: Condition): c is Comparison {
  return 'gt' in c || 'gte' in c || 'lt' in c || 'lte' in c;
}

/** The figure a comparison compares with. */
export function thresholdOf(c: Comparison): number {
  return 'gt' in c ? c.gt : 'gte' in c ? c.gte : 'lt' in c ? c.lt : c.lte;
}

/** A figure written without a unit, in the question's unit (320, 不到五百, 两三百, 五个). */
function bareFigure(question: Question, unit: Unit, t: string, quantities: Quantity[]): Figure | undefined {
  let other: string | undefined;
  for (const m of t.matchAll(BARE)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (quantities.some((q) => start < q.end && end > q.start)) continue;
    // 「一百多万」 leaves a lone 万 behind: a unit, not a figure.
    if (parseNumber(m[1] ?? '') === null || /^[万亿]+$/.test(m[1] ?? '')) continue;
    let rest = t.slice(end);
    const counter = unit.kind === 'people' || unit.kind === 'seats' || unit.kind === 'rooms' ? (COUNTER.exec(rest)?.[0] ?? '') : '';
    rest = rest.slice(counter.length);
    if (!AFTER_BARE.test(rest)) {
      if (other === undefined && OTHER_UNIT.test(rest)) other = `${m[0]}${OTHER_UNIT.exec(rest)?.[0] ?? ''}`;
      continue;
    }
    // The question's unit put after the figure, read again: the limit words around it still count.
    const word = unitWord(question.unit ?? '', m[1] ?? '');
    const written = `${t.slice(0, end)}${counter}${word}${rest}`;
    const q = word ? extractQuantities(written).find((x) => x.kind === unit.kind && x.start <= start && x.end >= end) : undefined;
    if (q) return { kind: 'value', value: figureOf(question, q, written) };
    const n = parseNumber(m[1] ?? '');
    if (n !== null) return { kind: 'value', value: n };
  }
  return other === undefined ? undefined : { kind: 'other_unit', said: other };
}

/** The word the offline reader knows for a unit, to read a bare figure in it (一百万 in 万元 is 一百万元). */
function unitWord(unit: string, written: string): string {
  switch (unit) {
    case '平方米':
    case '亩':
    case '元':
    case '人':
    case '米':
    case '座':
      return unit;
    case '万元':
      return written.endsWith('万') ? '元' : '万元';
    case '蒸吨/小时':
      return '蒸吨';
    default:
      return '';
  }
}

/** The size of the unit a figure is written in, of those that convert: 万 (10000 元), 亩, else 1. */
function writtenSize(written: string): number {
  if (/万(?:元|块|$)/.test(written)) return 10000;
  if (/亩/.test(written)) return 10000 / 15;
  return 1;
}

function firstNumber(t: string): number | null {
  for (const m of t.matchAll(BARE)) {
    const n = parseNumber(m[1] ?? '');
    if (n !== null) return n;
  }
  return null;
}

/** The place of a figure's last significant digit: 300 → 100, 350 → 10, 30 → 10. */
function step(n: number): number {
  let s = 1;
  while (n >= s * 10 && Number.isInteger(n / (s * 10))) s *= 10;
  return s;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
