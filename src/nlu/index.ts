/**
 * Natural-language understanding: free text → industry, scenario answers, form fields, region.
 * `Understander` is the seam; `createOfflineUnderstander` is the lexicon-based implementation.
 */
export type {
  AnswerValue,
  IndustryGuess,
  MatchVia,
  OutOfCatalog,
  RegionRef,
  UnderstandContext,
  Understander,
  Understanding,
} from './types.ts';
export { createOfflineUnderstander } from './offline.ts';
export { DEFAULT_LEXICON_DIR, LexiconError, loadLexicon, parseLexicon, type Lexicon } from './lexicon.ts';
export { normalize } from './normalize.ts';
export { parseNumber } from './numerals.ts';
export { extractArea, extractEmployeeCount } from './quantities.ts';
