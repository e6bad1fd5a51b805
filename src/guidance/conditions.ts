/**
 * Three-valued evaluation of the catalog's conditions over the answers given so far: a condition is
 * true, false, or unknown while a question it depends on is unanswered (or answered 不确定).
 */
import type { Condition } from '../catalog/schema.ts';

/**
 * A figure known only between limits, in the question's unit, as the user said it: 不到200平 → `{ lt: 200 }`,
 * 两三百平 → `{ gte: 200, lte: 300 }`. `said` is how it reads back (不到200平方米), never an invented figure.
 */
export interface Bounds {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  said?: string;
}

export type AnswerValue = string | number | boolean | Bounds;
/** The user said they do not know; the question is not asked again, the item stays undecided. */
export const UNSURE = 'unsure';
export type Answers = Readonly<Record<string, AnswerValue>>;
export type Truth = true | false | undefined;

export function evaluate(cond: Condition, answers: Answers): Truth {
  if ('all' in cond) {
    let unknown = false;
    for (const c of cond.all) {
      const v = evaluate(c, answers);
      if (v === false) return false;
      if (v === undefined) unknown = true;
    }
    return unknown ? undefined : true;
  }
  if ('any' in cond) {
    let unknown = false;
    for (const c of cond.any) {
      const v = evaluate(c, answers);
      if (v === true) return true;
      if (v === undefined) unknown = true;
    }
    return unknown ? undefined : false;
  }
  if ('not' in cond) {
    const v = evaluate(cond.not, answers);
    return v === undefined ? undefined : !v;
  }
  const value = answers[cond.q];
  if (value === undefined || value === UNSURE) return undefined;
  if (isBounds(value)) return compareBounds(cond, value);
  if ('eq' in cond) return value === cond.eq;
  if ('ne' in cond) return value !== cond.ne;
  if ('in' in cond) return cond.in.includes(value);
  if (typeof value !== 'number') return false;
  if ('gt' in cond) return value > cond.gt;
  if ('gte' in cond) return value >= cond.gte;
  if ('lt' in cond) return value < cond.lt;
  return value <= cond.lte;
}

/**
 * The unanswered questions whose answers could still decide `cond`, in the order a person would ask
 * them: the first undecided branch first, so that an answer which settles the condition spares the rest.
 */
export function openQuestions(cond: Condition, answers: Answers): string[] {
  if (evaluate(cond, answers) !== undefined) return [];
  if ('all' in cond || 'any' in cond) {
    const parts = 'all' in cond ? cond.all : cond.any;
    return unique(parts.flatMap((c) => openQuestions(c, answers)));
  }
  if ('not' in cond) return openQuestions(cond.not, answers);
  // A figure known only between limits that do not settle this comparison is asked again, for the figure.
  const value = answers[cond.q];
  return value === undefined || isBounds(value) ? [cond.q] : [];
}

/** Every question a condition mentions. */
export function questionsOf(cond: Condition): string[] {
  if ('all' in cond) return unique(cond.all.flatMap(questionsOf));
  if ('any' in cond) return unique(cond.any.flatMap(questionsOf));
  if ('not' in cond) return questionsOf(cond.not);
  return [cond.q];
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

export function isBounds(value: AnswerValue | undefined): value is Bounds {
  return typeof value === 'object' && value !== null;
}

/** Two answers say the same (a figure's limits compared by value). */
export function sameAnswer(a: AnswerValue | undefined, b: AnswerValue | undefined): boolean {
  if (isBounds(a) && isBounds(b)) return a.gt === b.gt && a.gte === b.gte && a.lt === b.lt && a.lte === b.lte;
  return a === b;
}

type Leaf = Extract<Condition, { q: string }>;

/**
 * A comparison over a figure known between limits: true or false when every figure within them agrees,
 * otherwise unknown (三百平以上 does not settle 超过300平方米).
 */
function compareBounds(cond: Leaf, b: Bounds): Truth {
  const low = b.gt ?? b.gte ?? -Infinity;
  const lowOpen = b.gt !== undefined;
  const high = b.lt ?? b.lte ?? Infinity;
  const highOpen = b.lt !== undefined;
  const settle = (yes: boolean, no: boolean): Truth => (yes ? true : no ? false : undefined);
  if ('gt' in cond) return settle(low > cond.gt || (low === cond.gt && lowOpen), high <= cond.gt);
  if ('gte' in cond) return settle(low >= cond.gte, high < cond.gte || (high === cond.gte && highOpen));
  if ('lt' in cond) return settle(high < cond.lt || (high === cond.lt && highOpen), low >= cond.lt);
  if ('lte' in cond) return settle(high <= cond.lte, low > cond.lte || (low === cond.lte && lowOpen));
  // eq / ne / in: a figure between limits equals a value only when it is outside them (then it does not).
  const outside = (v: string | number | boolean) => typeof v !== 'number' || v < low || v > high || (v === low && lowOpen) || (v === high && highOpen);
  if ('eq' in cond) return outside(cond.eq) ? false : undefined;
  if ('ne' in cond) return outside(cond.ne) ? true : undefined;
  return cond.in.every(outside) ? false : undefined;
}
