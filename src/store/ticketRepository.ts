/** Tickets (工单) over Prisma, as the domain's records. They are written with the turn that takes them down (conversations.ts). */
import type { StoreClient } from './client.ts';
import type { TicketRecord, TicketRepository } from './repositories.ts';

export function prismaTickets(db: StoreClient): TicketRepository {
  return {
    async list({ status, region, limit }) {
      const rows = await db.ticket.findMany({ where: { ...(status ? { status } : {}), ...(region ? { region } : {}) }, orderBy: { createdAt: 'desc' }, take: limit });
      return rows.map(toTicket);
    },
    async findByNumber(number) {
      const row = await db.ticket.findUnique({ where: { number } });
      return row ? toTicket(row) : null;
    },
    async update(id, changes) {
      return toTicket(await db.ticket.update({ where: { id }, data: changes }));
    },
    async latestOpenOf(channel, userId) {
      const row = await db.ticket.findFirst({ where: { channel, userId, status: { not: 'answered' } }, orderBy: { createdAt: 'desc' } });
      return row ? toTicket(row) : null;
    },
    async ofPerson(channel, userId, number) {
      const rows = await db.ticket.findMany({ where: { channel, userId, ...(number ? { number } : {}) }, orderBy: { createdAt: 'desc' }, take: 5 });
      return rows.map(toTicket);
    },
    async tally(region) {
      return db.ticket.findMany({ where: region ? { region } : {}, select: { kind: true, status: true }, take: 10_000 });
    },
  };
}

function toTicket(row: TicketRecord): TicketRecord {
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    region: row.region,
    channel: row.channel,
    userId: row.userId,
    conversationId: row.conversationId,
    text: row.text,
    about: row.about,
    contact: row.contact,
    status: row.status,
    department: row.department,
    answer: row.answer,
    answeredBy: row.answeredBy,
    answeredAt: row.answeredAt,
    createdAt: row.createdAt,
  };
}
