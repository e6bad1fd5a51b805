/**
 * Answers to scenario questions and form fields stated in free text (卖烟 → sells_tobacco: true,
 * 不卖吃的 → food_scope: none, 八百平 → business_area: 800), driven by `data/lexicon/facts.yaml`.
 */
import type { FactPattern, FactsFile } from './lexicon.ts';
import { isNegated, isQuestionOrSupposition, type NegationRules } from './negation.ts';
import { extractArea, extractBoilerCapacity, extractEmployeeCount } from './quantities.ts';
import type { AnswerValue } from './types.ts';

interface Hit {
  start: number;
  end: number;
  pattern: FactPattern;
}

export interface ExtractedFacts {
  answers: Record<string, AnswerValue>;
  fields: Record<string, string | number>;
}

/** Extract answers and fields from normalised `text`; `industryId` scopes facts with `onlyFor`. */
export function extractFacts(text: string, file: FactsFile, industryId: string | null): ExtractedFacts {
  const rules: NegationRules = file.negation;
  const answers: Record<string, AnswerValue> = {};
  for (const [factId, fact] of Object.entries(file.facts)) {
    if (fact.onlyFor && industryId && !fact.onlyFor.includes(industryId)) continue;
    const values = valuesOf(text, fact.patterns, fact.type === 'boolean', rules, file.hypothetical);
    if (values.length === 0) continue;
    if (fact.type === 'boolean') {
      answers[factId] = values[values.length - 1] as AnswerValue; // the last statement stands
    } else {
      const chosen = (fact.precedence ?? []).find((p) => values.includes(p));
      if (chosen !== undefined) answers[factId] = chosen;
    }
  }

  const fields: Record<string, string | number> = {};
  const area = extractArea(text);
  if (area !== null) fields.business_area = area;
  const employees = extractEmployeeCount(text);
  if (employees !== null) fields.employee_count = employees;
  for (const [fieldId, field] of Object.entries(file.fields)) {
    const values = valuesOf(text, field.patterns, false, rules, file.hypothetical);
    const last = values[values.length - 1];
    if (typeof last === 'string' || typeof last === 'number') fields[fieldId] = last;
  }
  return { answers, fields };
}

/** Values stated by the hits of `patterns`, in text order. */
function valuesOf(
  text: string,
  patterns: FactPattern[],
  boolean: boolean,
  rules: NegationRules,
  hypothetical: string[],
): AnswerValue[] {
  const hits = outermost(patterns.flatMap((p) => findHits(text, p)));
  const values: AnswerValue[] = [];
  for (const hit of hits) {
    const { pattern } = hit;
    if (isQuestionOrSupposition(text, hit.start, hit.end, hypothetical)) continue;
    const negated = pattern.negatable && isNegated(text, hit.start, rules);
    let value: AnswerValue | null;
    if (!negated) value = pattern.value;
    else if (pattern.negated !== undefined) value = pattern.negated;
    else value = boolean && typeof pattern.value === 'boolean' ? !pattern.value : null;
    if (value === null) continue;
    if (pattern.bySize && !negated) {
      const capacity = extractBoilerCapacity(text);
      if (capacity === null) continue; // gas, but the size that decides the answer is not stated
      value = capacity <= pattern.bySize.limit ? pattern.bySize.atMost : pattern.bySize.above;
    }
    values.push(value);
  }
  return values;
}

function findHits(text: string, pattern: FactPattern): Hit[] {
  const hits: Hit[] = [];
  for (const word of pattern.words) {
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
      hits.push({ start: at, end: at + word.length, pattern });
    }
  }
  for (const source of pattern.regex) {
    for (const m of text.matchAll(new RegExp(source, 'g'))) {
      const start = m.index ?? 0;
      if (m[0].length > 0) hits.push({ start, end: start + m[0].length, pattern });
    }
  }
  return hits.filter((h) => !pattern.exclude.some((w) => covers(text, w, h)));
}

/** Drop hits that lie inside a longer hit (处方药 inside 非处方药), then sort by position. */
function outermost(hits: Hit[]): Hit[] {
  const kept = hits.filter(
    (h) => !hits.some((o) => o !== h && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start),
  );
  const unique = kept.filter((h, i) => kept.findIndex((o) => o.start === h.start && o.end === h.end) === i);
  return unique.sort((a, b) => a.start - b.start);
}

/** True when an occurrence of `word` covers the hit. */
function covers(text: string, word: string, hit: Hit): boolean {
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    if (at <= hit.start && at + word.length >= hit.end) return true;
  }
  return false;
}
