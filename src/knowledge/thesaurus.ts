/**
 * The thesaurus (`data/knowledge/thesaurus.yaml`): everyday words and the documents' words for the same
 * thing. A key of two or more characters is found anywhere in the question; a single character only as a
 * word of its own (「寄」 in 「寄给我」, not 「告」 in 「告知」).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseYamlCached } from '../catalog/yamlCache.ts';
import { z } from 'zod';

export const DEFAULT_THESAURUS_FILE = fileURLToPath(new URL('../../data/knowledge/thesaurus.yaml', import.meta.url));

const thesaurusSchema = z.strictObject({
  version: z.literal(1),
  words: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)),
});

export interface Thesaurus {
  /** The keys the question contains, each with the documents' words for it. */
  expand(text: string, words: readonly string[]): { key: string; alternatives: string[] }[];
}

export function loadThesaurus(file: string = DEFAULT_THESAURUS_FILE): Thesaurus {
  const parsed = thesaurusSchema.safeParse(parseYamlCached(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues[0]?.message ?? 'invalid thesaurus'}`);
  const entries = Object.entries(parsed.data.words);
  return {
    expand(text, words) {
      const asWords = new Set(words);
      return entries
        .filter(([key]) => (key.length >= 2 ? text.includes(key) : asWords.has(key)))
        .map(([key, alternatives]) => ({ key, alternatives }));
    },
  };
}
