/**
 * Conversations as hotline agents work on them over Prisma: who has a handed-off chat (one agent per
 * chat, taken by a conditional update), its latest messages, the agents' notes, and the conversations
 * that hold cases submitted for callers on the phone.
 */
import type { StoreClient } from './client.ts';
import type { HandoffRecord, HandoffRepository } from './repositories.ts';

export function prismaHandoffs(db: StoreClient): HandoffRepository {
  return {
    async find(conversationId, messages) {
      const row = await db.conversation.findUnique({ where: { id: conversationId }, include: { messages: { orderBy: { id: 'desc' }, take: messages } } });
      return row ? toHandoff(row) : null;
    },
    async listHandedOff(limit) {
      const rows = await db.conversation.findMany({
        where: { handoff: true },
        orderBy: { updatedAt: 'asc' },
        take: limit,
        include: { messages: { orderBy: { id: 'desc' }, take: 10 } },
      });
      return rows.map(toHandoff);
    },
    async applicationOf(conversationId) {
      const row = await db.application.findUnique({ where: { conversationId }, select: { number: true, case: { select: { number: true } } } });
      return row ? { number: row.number, caseNumber: row.case?.number ?? null } : null;
    },
    async claim(conversationId, heldBy, staffId, at, handedOff) {
      const taken = await db.conversation.updateMany({
        where: { id: conversationId, ...(handedOff ? { handoff: true } : {}), claimedBy: heldBy },
        data: { claimedBy: staffId, claimedAt: at },
      });
      return taken.count === 1;
    },
    async release(conversationId) {
      const released = await db.conversation.updateMany({ where: { id: conversationId, handoff: true }, data: { handoff: false, claimedBy: null, claimedAt: null } });
      return released.count === 1;
    },
    async markSubmitted(conversationId, { state, region, industry }) {
      await db.conversation.update({ where: { id: conversationId }, data: { state, region, industry, stage: 'submitted', version: { increment: 1 } } });
    },
    async startFor({ channel, userId, region, industry, state }) {
      await db.channelUser.create({ data: { channel, externalId: userId } });
      return db.conversation.create({ data: { channel, userId, region, industry, stage: 'start', state }, select: { id: true, channel: true, userId: true } });
    },
    async notes(conversationId) {
      const rows = await db.agentNote.findMany({ where: { conversationId }, orderBy: { id: 'asc' }, take: 200 });
      return rows.map((n) => ({ id: n.id, staffName: n.staffName, text: n.text, createdAt: n.createdAt }));
    },
    async addNote(input) {
      const note = await db.agentNote.create({ data: input, select: { id: true } });
      return { id: note.id };
    },
  };
}

function toHandoff(row: HandoffRecord): HandoffRecord {
  return {
    id: row.id,
    channel: row.channel,
    userId: row.userId,
    region: row.region,
    industry: row.industry,
    state: row.state,
    handoff: row.handoff,
    updatedAt: row.updatedAt,
    claimedBy: row.claimedBy,
    claimedAt: row.claimedAt,
    messages: row.messages.map((m) => ({ direction: m.direction, text: m.text, createdAt: m.createdAt })),
  };
}
