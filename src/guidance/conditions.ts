/**
 * Three-valued evaluation of the catalog's conditions over the answers given so far: a condition is
 * true, false, or unknown while a question it depends on is unanswered (or answered 不确定).
 */
import type { Condition } from '../catalog/schema.ts';

export type AnswerValue = string | number | boolean;
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
  return answers[cond.q] === undefined ? [cond.q] : [];
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
