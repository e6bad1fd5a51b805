/**
 * Natural-language understanding: one {@link Reading} of each message (region, trade, facts with their
 * polarity, quantities, every request, the topic, form values). `createReader` is the offline reader.
 */
export type { AnswerValue, IndustryGuess, MatchVia, OutOfCatalog, RegionRef } from './types.ts';
export type { Quantity, Reading, Request, RequestKind, StatedFact, Topic } from './reading.ts';
export { asks, commandOf, requestsOf } from './reading.ts';
export { createReader, type MessageReader, type OfflineReader, type ReadContext } from './reader.ts';
export { DEFAULT_LEXICON_DIR, LexiconError, loadLexicon, parseLexicon, type Lexicon } from './lexicon.ts';
export { normalize } from './normalize.ts';
export { parseNumber } from './numerals.ts';
export { extractArea, extractEmployeeCount, extractQuantities } from './quantities.ts';
