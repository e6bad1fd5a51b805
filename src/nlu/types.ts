/** The parts of a reading that name trades and regions (see reading.ts for the whole). */

/** How a trade word was recognised (`model`: by the LLM reader, docs/llm.md). */
export type MatchVia = 'name' | 'alias' | 'typo' | 'fallback' | 'model';

/**
 * What the words before a trade say about it: `open`, it is the one to open (开个X, 想开X, 我是做X的);
 * `other`, something the place has or is near (有个X, X旁边); `past`, one run before (以前开过X).
 */
export type TradeCue = 'open' | 'other' | 'past';

/** One industry of the conversation's region that the text may be about. */
export interface IndustryGuess {
  /** Industry id as in the region catalog (e.g. `convenience_store`). */
  id: string;
  /** The region's official name for it (e.g. 便利店, 宾馆、酒店). */
  name: string;
  /** 0..1; comparable between guesses of one call, not a calibrated probability. */
  confidence: number;
  /** The words of the (normalised) text that matched. */
  matched: string;
  via: MatchVia;
  cue?: TradeCue;
}

/** A trade the text names that the region's catalog does not have. */
export interface OutOfCatalog {
  /** Lexicon concept id (e.g. `internet_cafe`, or `gym` in a region without 健身房). */
  concept: string;
  /** The concept's usual Chinese name (e.g. 网吧). */
  name: string;
  /** Industries of the region to offer instead, closest first. */
  related: string[];
  cue?: TradeCue;
}

export type AnswerValue = string | number | boolean;

export interface RegionRef {
  id: string;
  name: string;
  aliases: string[];
  places: string[];
}
