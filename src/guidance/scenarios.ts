/**
 * Every path a conversation can take through an industry's questions: start with no answers, ask the
 * next question, branch on each possible answer, until nothing is left to ask. Used by lint (to prove
 * that alternatives never apply together) and by tests (to check every outcome against the catalog).
 */
import type { Catalog } from '../catalog/load.ts';
import type { Condition, Industry, Question, Region } from '../catalog/schema.ts';
import { assess, type Assessment } from './assess.ts';
import type { AnswerValue, Answers } from './conditions.ts';

export function walkScenarios(catalog: Catalog, region: Region, industry: Industry, start: Answers = {}): Assessment[] {
  const leaves: Assessment[] = [];
  const visit = (answers: Answers, depth: number): void => {
    const assessment = assess(catalog, region, industry, answers);
    const next = assessment.nextQuestion;
    if (!next || depth > region.questions.length) {
      leaves.push(assessment);
      return;
    }
    for (const value of possibleAnswers(next, industry)) visit({ ...answers, [next.id]: value }, depth + 1);
  };
  visit(start, 0);
  return leaves;
}

/** The answers that can make a difference: every option, or each side of every threshold. */
export function possibleAnswers(question: Question, industry: Industry): AnswerValue[] {
  if (question.type === 'boolean') return [true, false];
  if (question.type === 'choice') return (question.options ?? []).map((o) => o.id);
  const thresholds = industry.items.flatMap((i) => (i.when ? thresholdsOf(i.when, question.id) : []));
  const values = new Set<number>([0]);
  for (const t of thresholds) [t - 1, t, t + 1].filter((v) => v >= 0).forEach((v) => values.add(v));
  return [...values].sort((a, b) => a - b);
}

function thresholdsOf(cond: Condition, q: string): number[] {
  if ('all' in cond) return cond.all.flatMap((c) => thresholdsOf(c, q));
  if ('any' in cond) return cond.any.flatMap((c) => thresholdsOf(c, q));
  if ('not' in cond) return thresholdsOf(cond.not, q);
  if (cond.q !== q) return [];
  if ('gt' in cond) return [cond.gt];
  if ('gte' in cond) return [cond.gte];
  if ('lt' in cond) return [cond.lt];
  if ('lte' in cond) return [cond.lte];
  if ('eq' in cond) return typeof cond.eq === 'number' ? [cond.eq] : [];
  if ('ne' in cond) return typeof cond.ne === 'number' ? [cond.ne] : [];
  return 'in' in cond ? cond.in.filter((v): v is number => typeof v === 'number') : [];
}
