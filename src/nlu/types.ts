/**
 * The seam between free text and the rest of the assistant. The offline understander
 * (`createOfflineUnderstander`) implements it with a lexicon; an LLM-backed one can implement the
 * same interface later and be swapped in by configuration.
 */

/** How a trade word was recognised. */
export type MatchVia = 'name' | 'alias' | 'typo' | 'fallback';

/** One industry of the conversation's region that the text may be about. */
export interface IndustryGuess {
  /** Industry id as in the region catalog (e.g. `convenience_store`). */
  id: string;
  /** The region's official name for it, from `ctx.industries` (e.g. 便利店, 宾馆、酒店). */
  name: string;
  /** 0..1; comparable between guesses of one call, not a calibrated probability. */
  confidence: number;
  /** The words of the (normalised) text that matched. */
  matched: string;
  via: MatchVia;
}

/** A trade the text names that the region's catalog does not have. */
export interface OutOfCatalog {
  /** Lexicon concept id (e.g. `internet_cafe`, or `gym` in a region without 健身房). */
  concept: string;
  /** The concept's usual Chinese name (e.g. 网吧). */
  name: string;
  /** Industries of the region to offer instead, closest first. */
  related: string[];
}

export type AnswerValue = string | number | boolean;

export interface Understanding {
  /** The trade the person most likely means to open, or null. */
  industry: IndustryGuess | null;
  /** All industries of the region the text points at, best first (includes `industry`). */
  candidates: IndustryGuess[];
  /** Set when the best-supported trade is outside the region's catalog and `industry` is null. */
  outOfCatalog?: OutOfCatalog;
  /** Answers to scenario questions, by question id (sells_tobacco: true, food_scope: 'other'...). */
  answers: Record<string, AnswerValue>;
  /** Form field values, by field id (business_area: 800, employee_count: 5, entity_type: 'individual'). */
  fields: Record<string, string | number>;
  /** Region id when the text names a region or a place inside one. */
  region?: string;
}

export interface RegionRef {
  id: string;
  name: string;
  aliases: string[];
  places: string[];
}

export interface UnderstandContext {
  /** The conversation's region, if already known. */
  regionId?: string;
  /**
   * Industries of that region (id + official name), the only ones a guess may name. Every other trade
   * is reported as `outOfCatalog`, so before the region is known pass the union of all regions'
   * industries rather than an empty list.
   */
  industries: { id: string; name: string }[];
  /** All regions, for recognising a mentioned region or place. */
  regions: RegionRef[];
}

export interface Understander {
  understand(text: string, ctx: UnderstandContext): Promise<Understanding> | Understanding;
}
