/**
 * What hotline agents did with suggested answers (used, edited, wrong), masked when stored, and read back
 * for the suggestions report: how often each outcome, the wrong ones to fix, the edited ones as candidate
 * FAQ entries (the agent's own wording).
 */
import { maskText } from '../privacy/mask.ts';
import type { StoreClient } from './client.ts';

export const FEEDBACK_OUTCOMES = ['used', 'edited', 'wrong'] as const;
export type FeedbackOutcome = (typeof FEEDBACK_OUTCOMES)[number];

export interface FeedbackInput {
  region: string;
  staffId: string;
  outcome: FeedbackOutcome;
  question: string;
  suggestion: string;
  /** The text the agent sent instead (edited). */
  sent?: string;
  sources: { title: string; ref: string }[];
  conversationId?: string;
}

export interface FeedbackEntry {
  id: number;
  region: string;
  outcome: FeedbackOutcome;
  question: string;
  suggestion: string;
  sent?: string;
  sources: { title: string; ref: string }[];
  createdAt: Date;
}

export interface FeedbackReport {
  counts: Record<FeedbackOutcome, number>;
  /** The sources most often marked wrong, most first. */
  wrongSources: { title: string; ref: string; count: number }[];
  /** The latest wrong and edited entries, newest first. */
  wrong: FeedbackEntry[];
  edited: FeedbackEntry[];
}

export interface FeedbackFilter {
  region?: string;
  since?: Date;
  limit?: number;
}

export interface SuggestionFeedbackRepository {
  record(input: FeedbackInput): Promise<{ id: number }>;
  find(id: number): Promise<FeedbackEntry | null>;
  report(filter?: FeedbackFilter): Promise<FeedbackReport>;
}

const READ_LIMIT = 10_000;
const LISTED = 20;

export function prismaSuggestionFeedback(db: StoreClient): SuggestionFeedbackRepository {
  return {
    async record(input) {
      const row = await db.suggestionFeedback.create({
        data: {
          region: input.region,
          staffId: input.staffId,
          outcome: input.outcome,
          question: maskText(input.question),
          suggestion: maskText(input.suggestion),
          ...(input.sent ? { sent: maskText(input.sent) } : {}),
          sources: JSON.stringify(input.sources.map(({ title, ref }) => ({ title, ref }))),
          ...(input.conversationId ? { conversationId: input.conversationId } : {}),
        },
        select: { id: true },
      });
      return { id: row.id };
    },
    async report(filter = {}) {
      const rows = await db.suggestionFeedback.findMany({
        where: { ...(filter.region ? { region: filter.region } : {}), ...(filter.since ? { createdAt: { gte: filter.since } } : {}) },
        orderBy: { id: 'desc' },
        take: READ_LIMIT,
      });
      return feedbackReport(rows.map(toEntry), filter.limit ?? LISTED);
    },
    async find(id) {
      const row = await db.suggestionFeedback.findUnique({ where: { id } });
      return row ? toEntry(row) : null;
    },
  };
}

function toEntry(r: { id: number; region: string; outcome: string; question: string; suggestion: string; sent: string | null; sources: string; createdAt: Date }): FeedbackEntry {
  return {
    id: r.id,
    region: r.region,
    outcome: FEEDBACK_OUTCOMES.find((o) => o === r.outcome) ?? 'used',
    question: r.question,
    suggestion: r.suggestion,
    ...(r.sent ? { sent: r.sent } : {}),
    sources: parseSources(r.sources),
    createdAt: r.createdAt,
  };
}

/** Entries newest first → the report. */
export function feedbackReport(entries: readonly FeedbackEntry[], listed = LISTED): FeedbackReport {
  const counts: Record<FeedbackOutcome, number> = { used: 0, edited: 0, wrong: 0 };
  const wrongSources = new Map<string, { title: string; ref: string; count: number }>();
  for (const e of entries) {
    counts[e.outcome]++;
    if (e.outcome !== 'wrong') continue;
    for (const s of e.sources) {
      const key = `${s.title}\u0000${s.ref}`;
      const found = wrongSources.get(key) ?? { ...s, count: 0 };
      found.count++;
      wrongSources.set(key, found);
    }
  }
  return {
    counts,
    wrongSources: [...wrongSources.values()].sort((a, b) => b.count - a.count),
    wrong: entries.filter((e) => e.outcome === 'wrong').slice(0, listed),
    edited: entries.filter((e) => e.outcome === 'edited').slice(0, listed),
  };
}

/** The stored sources column ([{"title","ref"}]); anything else reads as none. */
export function parseSources(json: string): { title: string; ref: string }[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((s): s is { title: string; ref: string } => typeof s?.title === 'string' && typeof s?.ref === 'string') : [];
  } catch {
    return [];
  }
}
