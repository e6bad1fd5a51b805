/**
 * One reading of a message: everything it says and asks, at once. The offline reader produces it from
 * the lexicon; an LLM reader (configured later) produces the same type, so the dialogue decides from
 * a reading without knowing which reader made it.
 */
import type { AnswerValue, IndustryGuess, OutOfCatalog } from './types.ts';

/** Requests that steer the conversation (the whole message is often one: a button, 「重新开始」). */
export const COMMAND_KINDS = [
  'reset',
  'handoff',
  'resume_bot',
  'help',
  'back',
  'skip',
  'form',
  'confirm',
  'change_region',
  'change_industry',
  'status',
  'licence',
  // 投诉、求助、建议: a ticket (工单) for the department concerned (src/dialogue/steps/ticket.ts).
  'complaint',
  'help_request',
  'suggestion',
] as const;

/** Questions about the application, to answer from the knowledge. */
export const QUESTION_KINDS = [
  'permits',
  'materials',
  'time',
  'fees',
  'where',
  'online',
  'post',
  'agency',
  'validity',
  'inspection',
  'reform',
  'holder_change',
  'materials_later',
  'pending_items',
  'electronic',
  'hotline',
] as const;

/** What a message asks for: commands and questions. */
export const REQUEST_KINDS = [...COMMAND_KINDS, ...QUESTION_KINDS] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** A question about the application (not a command). */
export function isQuestionKind(kind: RequestKind): boolean {
  return (QUESTION_KINDS as readonly string[]).includes(kind);
}

export interface Request {
  kind: RequestKind;
  /** The whole message was this request (a command typed or a button pressed), not a phrase inside it. */
  exact: boolean;
  /** Offset of the phrase in the normalised text. */
  at: number;
}

/** A scenario answer the message states, with the clause it was read from. */
export interface StatedFact {
  question: string;
  value: AnswerValue;
  /** True when the value comes from a negation (不卖烟 → false). */
  negated: boolean;
  /** Read from the trade's own word (烟酒店 → sells tobacco): it goes if the trade does. */
  inTrade?: boolean;
  start: number;
  end: number;
}

export type QuantityKind = 'area' | 'people' | 'money' | 'seats' | 'capacity' | 'rooms' | 'length';

/**
 * A number with its unit. `value` is the figure to use (the larger end of a range, the stated figure
 * of an approximation); `low`/`high` keep a range; `bound` says the figure is only a limit.
 */
export interface Quantity {
  kind: QuantityKind;
  value: number;
  /** 平方米, 人, 元, 座, 蒸吨/小时, 间, 米. Money is always in 元. */
  unit: string;
  low?: number;
  high?: number;
  /** 不到两百平 → lt; 三百平以上 → gte; 两百平以下 → lte; 超过 → gt; 左右/大概 → approx. */
  bound?: 'lt' | 'lte' | 'gt' | 'gte' | 'approx';
  start: number;
  end: number;
}

/** What a question is about: permits and materials the message names (registry ids). */
export interface Topic {
  permits: string[];
  materials: string[];
}

export interface Reading {
  /** The message as received (control characters removed). */
  raw: string;
  /** The normalised text every offset refers to. */
  text: string;
  /** The region the message names last (「其实不是奈曼，是新乡经开区」 → xinxiang). */
  region?: string;
  /** Every region the message names, in order. */
  regions: string[];
  /** The trade the person most likely means to open, or null. */
  industry: IndustryGuess | null;
  /** All industries of the region the text points at, best first (includes `industry`). */
  candidates: IndustryGuess[];
  /** Set when the best-supported trade is outside the region's catalog and `industry` is null. */
  outOfCatalog?: OutOfCatalog;
  /** The message corrects or changes the trade (不对/其实/改开/换成 … X). */
  changesTrade: boolean;
  /** Scenario answers stated, in text order. */
  facts: StatedFact[];
  /** The facts as answers by question id (the last statement of each stands). */
  answers: Record<string, AnswerValue>;
  quantities: Quantity[];
  /** Form values stated (business_area, employee_count, entity_type). */
  fields: Record<string, string | number>;
  /** Every request the message makes, in text order. */
  requests: Request[];
  topic: Topic;
  /** A short reply's polarity: 是的 / 不是 / 不清楚. */
  polarity?: 'yes' | 'no' | 'unsure';
  /** The verb a polarity echoes (「会排」「不卖」): it answers only a question about that. */
  polarityVerb?: string;
  /** 「第二个」「2」: a choice by its number. */
  ordinal?: number;
  /** The message reads as a question (a question mark, 吗, 多久, 什么…). */
  question: boolean;
  /** A 办件号 (BJ + 14 digits) in the message. */
  caseNumber?: string;
}

/** The requests of a reading that are of one of `kinds`. */
export function requestsOf(reading: Reading, kinds: readonly RequestKind[]): Request[] {
  return reading.requests.filter((r) => kinds.includes(r.kind));
}

export function asks(reading: Reading, kind: RequestKind): boolean {
  return reading.requests.some((r) => r.kind === kind);
}

/** The whole message is this command. */
export function commandOf(reading: Reading): RequestKind | undefined {
  const exact = reading.requests.find((r) => r.exact);
  return exact?.kind;
}
