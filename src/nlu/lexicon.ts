/**
 * The lexicon files (`data/lexicon/industries.yaml`, `data/lexicon/facts.yaml`): schemas, loading
 * and validation. Errors are one line naming the file and the path inside it, e.g.
 * `data/lexicon/industries.yaml: concepts.3.fallbacks.0: must be a lower-case id`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseYamlCached } from '../catalog/yamlCache.ts';
import { z } from 'zod';
import { REQUEST_KINDS } from './reading.ts';

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a lower-case id');
const word = z.string().trim().min(1, 'must not be empty');
const words = z.array(word).default([]);
const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const conceptSchema = z.strictObject({
  id,
  /** The catalog industry this concept is, when it differs from `id` (咖啡馆 → cafe_teahouse). */
  industry: id.optional(),
  names: z.array(word).min(1, 'needs at least one name'),
  aliases: words,
  colloquial: words,
  english: words,
  typos: words,
  /** Activity words, used only when the text has no stronger trade word. */
  weak: words,
  /** Industries to use, in order, when the region lacks `industry`. */
  fallbacks: z.array(id).default([]),
  /** Industries to offer when neither `industry` nor a fallback is in the region. */
  related: z.array(id).default([]),
  note: word.optional(),
});
export type Concept = z.infer<typeof conceptSchema>;

export const industriesFileSchema = z.strictObject({
  version: z.literal(1),
  concepts: z.array(conceptSchema).min(1),
  cues: z.strictObject({
    opener: words,
    desire: words,
    secondary: words,
    location_after: words,
    past: words,
    source: words,
    inside: words,
  }),
});
export type IndustriesFile = z.infer<typeof industriesFileSchema>;

const regexSource = z.string().refine(
  (s) => {
    try {
      new RegExp(s, 'u');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a valid regular expression' },
);

export const factPatternSchema = z
  .strictObject({
    words: words,
    regex: z.array(regexSource).default([]),
    /** The value a hit gives; null: the hit only counts when negated. */
    value: scalar.nullable(),
    /** The value a negated hit gives; absent: the opposite boolean, or nothing for a choice. */
    negated: scalar.nullable().optional(),
    /** False when the words carry their own negation (不卖吃的). */
    negatable: z.boolean().default(true),
    /** Longer words in which a hit means something else. */
    exclude: words,
    /**
     * Turn a value into `atMost` or `above` by a size stated in the text: a boiler's capacity in 蒸吨
     * (default), a sign's length in 米. `inclusive`: the limit itself counts as above (4米及以上).
     * `unstated`: without a size, `keep` the pattern's value, or give none (`drop`, the default).
     */
    bySize: z
      .strictObject({
        quantity: z.enum(['capacity', 'length']).default('capacity'),
        limit: z.number().positive(),
        inclusive: z.boolean().default(false),
        atMost: scalar,
        above: scalar,
        unstated: z.enum(['keep', 'drop']).default('drop'),
      })
      .optional(),
  })
  .refine((p) => p.words.length + p.regex.length > 0, { message: 'needs words or regex' })
  // Compiled once at load, not on every message.
  .transform((p) => ({ ...p, compiled: p.regex.map((source) => new RegExp(source, 'gu')) }));
export type FactPattern = z.infer<typeof factPatternSchema>;

/** A noun that can stand as the topic of a comment: 烟 in 「烟酒都卖」, 药 in 「药不卖」. */
export const topicNounSchema = z.strictObject({
  words: z.array(word).min(1),
  /** The fact a comment about this noun states; absent for nouns that are only list members (酒, 饮料). */
  fact: id.optional(),
  /** The value a positive comment gives (null: a positive comment says nothing). */
  value: scalar.nullable().default(null),
  /** The value a negative comment gives; absent: the opposite boolean. */
  negated: scalar.nullable().optional(),
});
export type TopicNoun = z.infer<typeof topicNounSchema>;

export const factSchema = z.strictObject({
  kind: z.enum(['answer']),
  type: z.enum(['boolean', 'choice']),
  /** For choices: when several values are found, the first of these wins. */
  precedence: z.array(word).optional(),
  /** Extract only when the detected industry is one of these (or none is detected). */
  onlyFor: z.array(id).optional(),
  /**
   * For booleans whose words name different things, any one of which makes it true (游泳、攀岩、潜水):
   * 「有攀岩墙 不搞游泳」 is true. Each pattern names one thing; each thing's last statement stands, and
   * a yes for any thing wins.
   */
  anyOf: z.boolean().default(false),
  patterns: z.array(factPatternSchema).min(1),
});
export type Fact = z.infer<typeof factSchema>;

export const factsFileSchema = z.strictObject({
  version: z.literal(1),
  negation: z.strictObject({
    cues: z.array(word).min(1),
    ignore: words,
    breakers: words,
    window: z.number().int().min(0).max(20),
  }),
  hypothetical: words,
  /** Topic–comment sentences: 「烟酒都卖，药不卖」 (see src/nlu/facts.ts). */
  topics: z.strictObject({
    nouns: z.array(topicNounSchema).min(1),
    /** Comment verbs that say yes (卖, 都卖, 也有) and no (不卖, 没有, 不经营). */
    positive: z.array(word).min(1),
    negative: z.array(word).min(1),
    /** Adverbs between the topic and the comment (都, 也, 就, 暂时). */
    adverbs: words,
    /** Words joining topic nouns (和, 跟, 、). */
    joiners: words,
    /** Subjects that may open the clause before the topic (我们, 店里). */
    subjects: words,
  }),
  facts: z.record(id, factSchema),
  fields: z.record(id, z.strictObject({ patterns: z.array(factPatternSchema).min(1) })).default({}),
});
export type FactsFile = z.infer<typeof factsFileSchema>;

export const requestsFileSchema = z.strictObject({
  version: z.literal(1),
  requests: z.array(
    z.strictObject({
      id: z.enum(REQUEST_KINDS),
      exact: words,
      phrases: words,
      /** Words right before a phrase that turn it around (不用人工). */
      notAfter: words,
    }),
  ),
});
export type RequestsFile = z.infer<typeof requestsFileSchema>;

export const topicsFileSchema = z.strictObject({
  version: z.literal(1),
  permits: z.record(id, z.array(word)).default({}),
  materials: z.record(id, z.array(word)).default({}),
});
export type TopicsFile = z.infer<typeof topicsFileSchema>;

export interface Lexicon {
  industries: IndustriesFile;
  facts: FactsFile;
  requests: RequestsFile;
  topics: TopicsFile;
}

/** A lexicon file failed to parse or validate; `message` is one line naming the file and path. */
export class LexiconError extends Error {
  override name = 'LexiconError';
}

export const DEFAULT_LEXICON_DIR = fileURLToPath(new URL('../../data/lexicon/', import.meta.url));

type LexiconTexts = Record<keyof Lexicon, { path: string; text: string }>;

/** Read and validate the lexicon files from `dir` (default: the project's `data/lexicon`). */
export function loadLexicon(dir: string = DEFAULT_LEXICON_DIR): Lexicon {
  const file = (name: string) => {
    const path = join(dir, name);
    return { path, text: readText(path) };
  };
  return parseLexicon({
    industries: file('industries.yaml'),
    facts: file('facts.yaml'),
    requests: file('requests.yaml'),
    topics: file('topics.yaml'),
  });
}

/** Validate lexicon texts; `path` only names the file in error messages. */
export function parseLexicon(texts: LexiconTexts): Lexicon {
  const lexicon: Lexicon = {
    industries: validate(industriesFileSchema, texts.industries.path, texts.industries.text),
    facts: validate(factsFileSchema, texts.facts.path, texts.facts.text),
    requests: validate(requestsFileSchema, texts.requests.path, texts.requests.text),
    topics: validate(topicsFileSchema, texts.topics.path, texts.topics.text),
  };
  checkReferences(lexicon, texts.industries.path, texts.facts.path);
  return lexicon;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new LexiconError(`${path}: cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
}

function validate<S extends z.ZodType>(schema: S, path: string, text: string): z.output<S> {
  let data: unknown;
  try {
    data = parseYamlCached(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new LexiconError(`${path}: not valid YAML: ${reason}`);
  }
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.map(String).join('.') || '(top level)';
    return `${where}: ${issue.message}`;
  });
  const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';
  throw new LexiconError(`${path}: ${issues.join('; ')}${more}`);
}

/** Cross-references a schema cannot see: unique ids, known industries, consistent choices. */
function checkReferences(lexicon: Lexicon, industriesPath: string, factsPath: string): void {
  const concepts = lexicon.industries.concepts;
  const known = new Set<string>();
  concepts.forEach((concept, i) => {
    if (known.has(concept.id)) throw new LexiconError(`${industriesPath}: concepts.${i}.id: duplicate id ${concept.id}`);
    known.add(concept.id);
  });
  // A fallback or related id must be an industry some concept stands for.
  const industries = new Set(concepts.map((c) => c.industry ?? c.id));
  concepts.forEach((concept, i) => {
    for (const key of ['fallbacks', 'related'] as const) {
      concept[key].forEach((target, j) => {
        if (!industries.has(target)) {
          throw new LexiconError(`${industriesPath}: concepts.${i}.${key}.${j}: unknown industry ${target}`);
        }
      });
    }
  });
  lexicon.facts.topics.nouns.forEach((noun, i) => {
    if (!noun.fact) return;
    const fact = lexicon.facts.facts[noun.fact];
    if (!fact) throw new LexiconError(`${factsPath}: topics.nouns.${i}.fact: unknown fact ${noun.fact}`);
    if (fact.type !== 'choice') return;
    for (const value of [noun.value, noun.negated]) {
      if (value !== null && value !== undefined && !fact.precedence?.includes(String(value))) {
        throw new LexiconError(`${factsPath}: topics.nouns.${i}: value ${String(value)} is not in the precedence of ${noun.fact}`);
      }
    }
  });
  for (const [factId, fact] of Object.entries(lexicon.facts.facts)) {
    if (fact.type !== 'choice') continue;
    if (!fact.precedence) throw new LexiconError(`${factsPath}: facts.${factId}.precedence: required for a choice`);
    const allowed = new Set(fact.precedence);
    fact.patterns.forEach((pattern, i) => {
      const produced = [pattern.bySize ? null : pattern.value, pattern.negated, pattern.bySize?.atMost, pattern.bySize?.above];
      for (const value of produced) {
        if (value !== null && value !== undefined && !allowed.has(String(value))) {
          throw new LexiconError(`${factsPath}: facts.${factId}.patterns.${i}: value ${String(value)} is not in precedence`);
        }
      }
    });
  }
}
