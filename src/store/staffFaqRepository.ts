/** FAQ entries written by staff over Prisma; their sources are stored as JSON text, as suggestion feedback keeps them. */
import type { StoreClient } from './client.ts';
import type { StaffFaqRecord, StaffFaqRepository } from './repositories.ts';
import { parseSources } from './suggestionFeedback.ts';

export function prismaStaffFaq(db: StoreClient): StaffFaqRepository {
  return {
    async current({ region, newestFirst = false, limit } = {}) {
      const rows = await db.staffFaqEntry.findMany({
        where: { retiredAt: null, ...(region ? { region } : {}) },
        orderBy: { id: newestFirst ? 'desc' : 'asc' },
        ...(limit ? { take: limit } : {}),
      });
      return rows.map(toEntry);
    },
    async create({ sources, ...input }) {
      return toEntry(await db.staffFaqEntry.create({ data: { ...input, sources: JSON.stringify(sources) } }));
    },
    async retire(id, at) {
      const done = await db.staffFaqEntry.updateMany({ where: { id, retiredAt: null }, data: { retiredAt: at } });
      return done.count === 1;
    },
  };
}

function toEntry(row: Omit<StaffFaqRecord, 'sources'> & { sources: string }): StaffFaqRecord {
  return { id: row.id, region: row.region, question: row.question, answer: row.answer, sources: parseSources(row.sources), createdBy: row.createdBy, createdAt: row.createdAt };
}
