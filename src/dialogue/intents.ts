/**
 * What a message asks for beyond naming a trade or answering a question (reset, 转人工, status, the
 * notice…), from the phrases in `data/lexicon/intents.yaml`. An LLM classifier can replace it behind
 * the same {@link IntentDetector} seam.
 */
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_DATA_DIR, parseFile } from '../catalog/load.ts';

export const INTENTS = [
  'reset',
  'handoff',
  'resume_bot',
  'help',
  'licence',
  'status',
  'back',
  'skip',
  'form',
  'notice',
  'permits',
  'change_region',
  'change_industry',
] as const;
export type Intent = (typeof INTENTS)[number];

const intentsFileSchema = z.strictObject({
  version: z.literal(1),
  intents: z.array(
    z.strictObject({
      id: z.enum(INTENTS),
      exact: z.array(z.string().min(1)).default([]),
      phrases: z.array(z.string().min(1)).default([]),
    }),
  ),
});

export interface DetectedIntent {
  intent: Intent;
  /** The whole message was the phrase (a command), not a phrase inside a longer message. */
  exact: boolean;
}

export interface IntentDetector {
  detect(text: string): DetectedIntent | null;
}

/** Full-width to half-width, lower case, no spaces or trailing punctuation: how phrases are compared. */
export function normaliseMessage(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/[。！!，,~～…]+$/u, '');
}

export function loadIntentDetector(file = path.join(DEFAULT_DATA_DIR, 'lexicon', 'intents.yaml')): IntentDetector {
  const { intents } = parseFile(file, intentsFileSchema);
  const table = intents.map((i) => ({
    id: i.id,
    exact: new Set(i.exact.map(normaliseMessage)),
    phrases: i.phrases.map(normaliseMessage),
  }));
  return {
    detect(text) {
      const t = normaliseMessage(text);
      if (!t) return null;
      for (const intent of table) if (intent.exact.has(t) || intent.phrases.includes(t)) return { intent: intent.id, exact: true };
      for (const intent of table) if (intent.phrases.some((p) => t.includes(p))) return { intent: intent.id, exact: false };
      return null;
    },
  };
}
