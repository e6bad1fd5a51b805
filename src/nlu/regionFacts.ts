/**
 * The facts a region file adds to the lexicon's: its questions' answer words (`answers: { yes, no }`)
 * and, for a choice question the lexicon does not know, its options' labels and synonyms, so that a
 * free sentence answers the region's own questions as it does the lexicon's. Per region: one county's
 * words never answer another's questions.
 */
import type { Region } from '../catalog/schema.ts';
import { factPatternSchema, type Fact, type FactsFile } from './lexicon.ts';

/** The lexicon's facts file with the region's question words added (the same object when it adds none). */
export function factsForRegions(file: FactsFile, regions: readonly Region[]): FactsFile {
  const facts: Record<string, Fact> = { ...file.facts };
  let added = false;
  for (const region of regions) {
    for (const question of region.questions) {
      const patterns = questionPatterns(question, facts[question.id] !== undefined);
      if (!patterns.length) continue;
      added = true;
      const known = facts[question.id];
      facts[question.id] = known
        ? { ...known, patterns: [...known.patterns, ...patterns] }
        : {
            kind: 'answer',
            type: question.type === 'choice' ? 'choice' : 'boolean',
            anyOf: false,
            patterns,
            ...(question.type === 'choice' ? { precedence: (question.options ?? []).map((o) => o.id) } : {}),
          };
    }
  }
  return added ? { ...file, facts } : file;
}

function questionPatterns(question: Region['questions'][number], lexiconKnows: boolean) {
  const raw: unknown[] = [];
  if (question.type === 'boolean' && question.answers) {
    if (question.answers.yes.length) raw.push({ words: question.answers.yes, value: true });
    // A no word carries its own negation (不搞演出): negating it again is not a yes.
    if (question.answers.no.length) raw.push({ words: question.answers.no, value: false, negatable: false });
  }
  // The lexicon's own patterns for a choice are tuned; a choice it does not know is read from the options.
  if (question.type === 'choice' && !lexiconKnows) {
    for (const option of question.options ?? []) {
      const words = [option.label, ...option.synonyms].filter((w) => w.length >= 2);
      if (words.length) raw.push({ words, value: option.id, negated: null });
    }
  }
  return raw.map((p) => factPatternSchema.parse(p));
}
