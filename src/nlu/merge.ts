/**
 * An LLM's reading of a message, checked against the catalog and the pending question, and merged into
 * the offline reading by the rule of docs/llm.md. Pure: no model, no IO. The offline reading is the base;
 * the model's fills what the lexicon missed, and where the two disagree about a fact, neither stands
 * (the dialogue then asks).
 */
import type { Catalog } from '../catalog/load.ts';
import type { Question, Region } from '../catalog/schema.ts';
import { regionPermitIds } from '../catalog/lookup.ts';
import { QUESTION_KINDS, type Reading, type RequestKind, type StatedFact } from './reading.ts';
import type { AnswerValue } from './types.ts';

/** What an LLM reader returns, before it is checked: anything may be wrong in it. */
export interface RawModelReading {
  industry?: string | null;
  changesTrade?: boolean | null;
  answers?: { question: string; value: unknown }[] | null;
  pendingAnswer?: unknown;
  asks?: string[] | null;
  permits?: string[] | null;
  isQuestion?: boolean | null;
  businessArea?: number | null;
  employeeCount?: number | null;
}

/** The model's reading once checked: only ids of the catalog, only values the questions allow. */
export interface ModelReading {
  industry?: string;
  changesTrade: boolean;
  answers: Record<string, AnswerValue>;
  requests: RequestKind[];
  permits: string[];
  question: boolean;
  fields: { business_area?: number; employee_count?: number };
  /** What was dropped, for the logs (ids and reasons, never the message). */
  dropped: string[];
}

/**
 * Requests a model may add: questions, and asking for a person, the case's status or the licence. Never
 * what changes the conversation by itself (重新开始, 确认提交, 上一步, the form): those come from the user's
 * own words or buttons, read by the offline reader.
 */
export const MODEL_REQUESTS: readonly RequestKind[] = [...QUESTION_KINDS, 'handoff', 'status', 'licence', 'help', 'complaint', 'help_request', 'suggestion'];

export interface CheckContext {
  catalog: Catalog;
  /** The conversation's region, if known: industries and questions are its own. */
  region?: Region;
  /** The question just asked, which `pendingAnswer` answers. */
  pendingQuestion?: string;
}

const MAX_AREA = 1_000_000;
const MAX_PEOPLE = 100_000;

export function checkModelReading(raw: RawModelReading, ctx: CheckContext): ModelReading {
  const dropped: string[] = [];
  const regions = ctx.region ? [ctx.region] : ctx.catalog.regions;
  const industries = new Set(regions.flatMap((r) => r.industries.map((i) => i.id)));
  const questions = new Map(regions.flatMap((r) => r.questions.map((q) => [q.id, q] as const)));
  const permits = new Set(regions.flatMap((r) => [...regionPermitIds(r)]));

  const out: ModelReading = { changesTrade: raw.changesTrade === true, answers: {}, requests: [], permits: [], question: raw.isQuestion === true, fields: {}, dropped };
  if (typeof raw.industry === 'string' && raw.industry) {
    if (industries.has(raw.industry)) out.industry = raw.industry;
    else dropped.push(`industry:${raw.industry.slice(0, 40)}`);
  }
  const answer = (id: string, value: unknown) => {
    const question = questions.get(id);
    const checked = question ? checkValue(question, value) : undefined;
    if (checked === undefined) dropped.push(`answer:${id.slice(0, 40)}`);
    else out.answers[id] = checked;
  };
  for (const a of raw.answers ?? []) if (a && typeof a.question === 'string') answer(a.question, a.value);
  if (ctx.pendingQuestion && raw.pendingAnswer !== undefined && raw.pendingAnswer !== null) {
    // The model's answer to the question just asked stands beside what it read elsewhere, unless they differ.
    const before = out.answers[ctx.pendingQuestion];
    answer(ctx.pendingQuestion, raw.pendingAnswer);
    if (before !== undefined && out.answers[ctx.pendingQuestion] !== before) delete out.answers[ctx.pendingQuestion];
  }
  for (const kind of raw.asks ?? []) {
    if ((MODEL_REQUESTS as readonly string[]).includes(kind)) out.requests.push(kind as RequestKind);
    else dropped.push(`ask:${String(kind).slice(0, 40)}`);
  }
  out.requests = [...new Set(out.requests)];
  for (const p of raw.permits ?? []) {
    if (permits.has(p)) out.permits.push(p);
    else dropped.push(`permit:${String(p).slice(0, 40)}`);
  }
  out.permits = [...new Set(out.permits)];
  if (isCount(raw.businessArea, MAX_AREA, false)) out.fields.business_area = raw.businessArea;
  if (isCount(raw.employeeCount, MAX_PEOPLE, true)) out.fields.employee_count = raw.employeeCount;
  return out;
}

function isCount(value: unknown, max: number, integer: boolean): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= max && (!integer || Number.isInteger(value));
}

/** The value if the question allows it: a boolean for a yes-or-no, an option id for a choice, a figure in range. */
function checkValue(question: Question, value: unknown): AnswerValue | undefined {
  switch (question.type) {
    case 'boolean':
      return typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : undefined;
    case 'choice':
      return typeof value === 'string' && question.options?.some((o) => o.id === value) ? value : undefined;
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
      return Number.isFinite(n) && n >= 0 && n <= MAX_AREA ? n : undefined;
    }
  }
}

export interface MergeContext {
  catalog: Catalog;
  region?: Region;
  /** The trade the conversation already has: the model changes it only when it reads a correction. */
  industry?: string;
}

/**
 * The merge rule (docs/llm.md):
 * - trade: the lexicon's exact name or alias stands; a trade outside the catalog stays outside; otherwise the
 *   model's trade is taken (a new trade mid-conversation only when the model reads a correction);
 * - facts: both agree, or one says it → taken; they disagree → neither (the question is asked);
 * - requests, permits named, 「is a question」: the union, the offline ones first;
 * - region, quantities, polarity, ordinals, case numbers: offline only;
 * - form values: the offline ones, the model's where the offline reader found none.
 */
export function mergeReadings(offline: Reading, model: ModelReading, ctx: MergeContext): Reading {
  const merged: Reading = { ...offline, answers: { ...offline.answers }, facts: [...offline.facts], fields: { ...offline.fields }, requests: [...offline.requests], topic: { ...offline.topic } };
  const exact = offline.industry && (offline.industry.via === 'name' || offline.industry.via === 'alias');
  if (model.industry && !exact && !offline.outOfCatalog) {
    const industry = (ctx.region ? [ctx.region] : ctx.catalog.regions).flatMap((r) => r.industries).find((i) => i.id === model.industry);
    const switching = ctx.industry !== undefined && ctx.industry !== model.industry;
    if (industry && (!switching || model.changesTrade)) {
      const guess = { id: industry.id, name: industry.name, confidence: 0.9, matched: industry.name, via: 'model' as const, cue: 'open' as const };
      merged.industry = guess;
      merged.candidates = [guess, ...offline.candidates.filter((c) => c.id !== guess.id)];
      merged.changesTrade = offline.changesTrade || (switching && model.changesTrade);
    }
  }
  for (const [id, value] of Object.entries(model.answers)) {
    const said = offline.answers[id];
    if (said === undefined) {
      merged.answers[id] = value;
      merged.facts.push(modelFact(id, value, offline.text.length));
    } else if (said !== value) {
      delete merged.answers[id];
      merged.facts = merged.facts.filter((f) => f.question !== id);
    }
  }
  const kinds = new Set(offline.requests.map((r) => r.kind));
  for (const kind of model.requests) if (!kinds.has(kind)) merged.requests.push({ kind, exact: false, at: offline.text.length });
  merged.topic.permits = [...new Set([...offline.topic.permits, ...model.permits])];
  merged.question = offline.question || model.question;
  if (merged.fields.business_area === undefined && model.fields.business_area !== undefined) merged.fields.business_area = model.fields.business_area;
  if (merged.fields.employee_count === undefined && model.fields.employee_count !== undefined) merged.fields.employee_count = model.fields.employee_count;
  return merged;
}

function modelFact(question: string, value: AnswerValue, at: number): StatedFact {
  return { question, value, negated: value === false, start: at, end: at };
}
