/**
 * The questions the assistant could not answer, read back for staff by frequency: which FAQ entries to
 * write next. Written with the turn that asked them (`ConversationRepository.saveTurn`).
 */
import type { StoreClient } from './client.ts';

export interface UnansweredFilter {
  region?: string;
  since?: Date;
  /** At most this many rows are read (the newest). */
  limit?: number;
}

export interface UnansweredGroup {
  /** The question as asked (masked), in its most recent wording. */
  text: string;
  region: string;
  /** The trades it was asked in, most frequent first. */
  industries: string[];
  count: number;
  lastAskedAt: Date;
}

export interface UnansweredRepository {
  /** The unanswered questions grouped by wording (punctuation and spaces aside), most frequent first. */
  report(filter?: UnansweredFilter): Promise<UnansweredGroup[]>;
}

export interface UnansweredRow {
  region: string;
  industry: string | null;
  text: string;
  createdAt: Date;
}

const DEFAULT_LIMIT = 10_000;

export function prismaUnanswered(db: StoreClient): UnansweredRepository {
  return {
    async report(filter = {}) {
      const rows = await db.unansweredQuestion.findMany({
        where: { ...(filter.region ? { region: filter.region } : {}), ...(filter.since ? { createdAt: { gte: filter.since } } : {}) },
        orderBy: { id: 'desc' },
        take: filter.limit ?? DEFAULT_LIMIT,
        select: { region: true, industry: true, text: true, createdAt: true },
      });
      return groupUnanswered(rows);
    },
  };
}

/** Rows newest first → groups by region and wording, most frequent first, then most recent. */
export function groupUnanswered(rows: readonly UnansweredRow[]): UnansweredGroup[] {
  const groups = new Map<string, UnansweredGroup & { trades: Map<string, number> }>();
  for (const row of rows) {
    const key = `${row.region}\u0000${row.text.replace(/[\p{P}\p{S}\s]+/gu, '').toLowerCase()}`;
    let group = groups.get(key);
    if (!group) {
      group = { text: row.text, region: row.region, industries: [], count: 0, lastAskedAt: row.createdAt, trades: new Map() };
      groups.set(key, group);
    }
    group.count += 1;
    if (row.createdAt > group.lastAskedAt) group.lastAskedAt = row.createdAt;
    if (row.industry) group.trades.set(row.industry, (group.trades.get(row.industry) ?? 0) + 1);
  }
  return [...groups.values()]
    .map(({ trades, ...g }) => ({ ...g, industries: [...trades.entries()].sort((a, b) => b[1] - a[1]).map(([t]) => t) }))
    .sort((a, b) => b.count - a.count || b.lastAskedAt.getTime() - a.lastAskedAt.getTime());
}
