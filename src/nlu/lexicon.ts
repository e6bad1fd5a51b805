/**
 * The lexicon files (`data/lexicon/industries.yaml`, `data/lexicon/facts.yaml`): schemas, loading
 * and validation. Errors are one line naming the file and the path inside it, e.g.
 * `data/lexicon/industries.yaml: concepts.3.fallbacks.0: must be a lower-case id`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

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
  }),
});
export type IndustriesFile = z.infer<typeof industriesFileSchema>;

const regexSource = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
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
    /** Turn a value into `atMost` or `above` by a capacity stated in the text (boilers). */
    bySize: z.strictObject({ limit: z.number().positive(), atMost: scalar, above: scalar }).optional(),
  })
  .refine((p) => p.words.length + p.regex.length > 0, { message: 'needs words or regex' });
export type FactPattern = z.infer<typeof factPatternSchema>;

export const factSchema = z.strictObject({
  kind: z.enum(['answer']),
  type: z.enum(['boolean', 'choice']),
  /** For choices: when several values are found, the first of these wins. */
  precedence: z.array(word).optional(),
  /** Extract only when the detected industry is one of these (or none is detected). */
  onlyFor: z.array(id).optional(),
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
  facts: z.record(id, factSchema),
  fields: z.record(id, z.strictObject({ patterns: z.array(factPatternSchema).min(1) })).default({}),
});
export type FactsFile = z.infer<typeof factsFileSchema>;

export interface Lexicon {
  industries: IndustriesFile;
  facts: FactsFile;
}

/** A lexicon file failed to parse or validate; `message` is one line naming the file and path. */
export class LexiconError extends Error {
  override name = 'LexiconError';
}

export const DEFAULT_LEXICON_DIR = 'data/lexicon';

/** Read and validate both lexicon files from `dir` (default `data/lexicon`, relative to the cwd). */
export function loadLexicon(dir: string = DEFAULT_LEXICON_DIR): Lexicon {
  const industriesPath = join(dir, 'industries.yaml');
  const factsPath = join(dir, 'facts.yaml');
  return parseLexicon(
    { path: industriesPath, text: readText(industriesPath) },
    { path: factsPath, text: readText(factsPath) },
  );
}

/** Validate lexicon texts; `path` only names the file in error messages. */
export function parseLexicon(
  industries: { path: string; text: string },
  facts: { path: string; text: string },
): Lexicon {
  const lexicon: Lexicon = {
    industries: validate(industriesFileSchema, industries.path, industries.text),
    facts: validate(factsFileSchema, facts.path, facts.text),
  };
  checkReferences(lexicon, industries.path, facts.path);
  return lexicon;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new LexiconError(`${path}: cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
}

function validate<T>(schema: z.ZodType<T>, path: string, text: string): T {
  let data: unknown;
  try {
    data = parseYaml(text);
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
