// Conversations and their messages, in the domain's types. The core depends on the
// ConversationRepository interface; prismaConversations() is the database implementation and
// memoryConversations() (memory.ts) the in-memory twin for tests.

import type { StoreClient } from './client.ts';
import { maskText } from '../privacy/mask.ts';
import { translatePrismaError } from './errors.ts';
import { ConflictError, NotFoundError } from '../kernel/errors.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type Direction = 'in' | 'out';

/** Who a conversation is with: the channel ('telegram', 'wechat', 'web', ...) and its own user id. */
export interface ChannelUserKey {
  channel: string;
  userId: string;
}

export interface Conversation extends ChannelUserKey {
  id: string;
  region: string | null;
  industry: string | null;
  stage: string;
  /** Dialogue state owned by the conversation engine. */
  state: JsonObject;
  /** A human has taken over; the assistant stays quiet. */
  handoff: boolean;
  /** The hotline agent who has taken the handed-off chat, if one has. */
  claimedBy?: string | null;
  /** Counts saved turns; a turn saves over the version it read (ConversationRepository.saveTurn). */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface Message {
  /** Increases with every message written, so it orders messages even within one millisecond. */
  id: number;
  conversationId: string;
  direction: Direction;
  text: string;
  createdAt: Date;
}

export type ConversationChanges = Partial<Pick<Conversation, 'region' | 'industry' | 'stage' | 'state' | 'handoff'>>;

export interface ConversationRepository {
  /** The user's most recently active conversation, or null. */
  findLatest(key: ChannelUserKey): Promise<Conversation | null>;
  /** The user's most recently active conversation; starts one (and records the user) if none. */
  findOrStart(key: ChannelUserKey): Promise<Conversation>;
  /** Starts a new conversation even if the user has one (a "start over"). */
  start(key: ChannelUserKey): Promise<Conversation>;
  /** @throws NotFoundError */
  get(id: string): Promise<Conversation>;
  /** Saves stage, state, region, industry or the handoff flag. @throws NotFoundError */
  update(id: string, changes: ConversationChanges): Promise<Conversation>;
  /** @throws NotFoundError when the conversation does not exist */
  appendMessage(message: Pick<Message, 'conversationId' | 'direction' | 'text'>): Promise<Message>;
  /** The last `limit` messages, oldest first. */
  recentMessages(conversationId: string, limit?: number): Promise<Message[]>;
  /**
   * One chat turn in one transaction: the messages in and out, in order, and the conversation's new
   * state. Either all of it is stored or none. @throws NotFoundError
   */
  saveTurn(id: string, turn: SavedTurn): Promise<void>;
}

/** One turn's writes to its conversation. */
export interface SavedTurn {
  messages: Pick<Message, 'direction' | 'text'>[];
  changes: ConversationChanges;
  /** Questions the knowledge could not answer, for the gaps report (masked when stored). */
  unanswered?: UnansweredQuestion[];
  /** Complaints, requests for help and suggestions taken down this turn. */
  tickets?: NewTicket[];
  /**
   * The conversation's version the turn read: saved only over it (compare-and-set), else ConflictError
   * and the turn is run again. Absent: saved whatever the version.
   */
  expectedVersion?: number;
}

/** A question the assistant could not answer, as stored (its text masked by the caller). */
export interface UnansweredQuestion {
  channel: string;
  region: string;
  industry?: string;
  text: string;
}

/** A complaint, request for help or suggestion taken down in the turn, written with it (src/tickets). */
export interface NewTicket {
  number: string;
  kind: 'complaint' | 'help_request' | 'suggestion';
  region: string;
  channel: string;
  userId: string;
  text: string;
  about?: string;
  contact?: string;
  createdAt: Date;
}

export const DEFAULT_RECENT_MESSAGES = 20;

export function prismaConversations(db: StoreClient): ConversationRepository {
  const repository: ConversationRepository = {
    async findLatest({ channel, userId }) {
      const row = await db.conversation.findFirst({
        where: { channel, userId },
        // cuid ids grow with time within a process: the tie-break for writes in the same millisecond.
        orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      });
      return row === null ? null : toConversation(row);
    },

    async findOrStart(key) {
      return (await repository.findLatest(key)) ?? repository.start(key);
    },

    async start({ channel, userId }) {
      // Upsert the user in the same statement: no separate round trip, and no race with a
      // concurrent first message from the same user (the unique pair decides).
      const row = await db.conversation.create({
        data: {
          state: {},
          user: {
            connectOrCreate: {
              where: { channel_externalId: { channel, externalId: userId } },
              create: { channel, externalId: userId },
            },
          },
        },
      });
      return toConversation(row);
    },

    async get(id) {
      const row = await db.conversation.findUnique({ where: { id } });
      if (row === null) throw new NotFoundError('Conversation', id);
      return toConversation(row);
    },

    async update(id, changes) {
      try {
        return toConversation(await db.conversation.update({ where: { id }, data: { ...withClaim(changes), version: { increment: 1 } } }));
      } catch (error) {
        throw translatePrismaError(error, 'Conversation', id);
      }
    },

    async appendMessage({ conversationId, direction, text }) {
      try {
        const row = await db.message.create({ data: { conversationId, direction, text } });
        // Keeps findLatest pointing at the conversation the user is active in.
        await db.conversation.update({ where: { id: conversationId }, data: { updatedAt: row.createdAt } });
        return toMessage(row);
      } catch (error) {
        throw translatePrismaError(error, 'Conversation', conversationId);
      }
    },

    async recentMessages(conversationId, limit = DEFAULT_RECENT_MESSAGES) {
      const rows = await db.message.findMany({ where: { conversationId }, orderBy: { id: 'desc' }, take: limit });
      return rows.reverse().map(toMessage);
    },

    async saveTurn(id, { messages, changes, unanswered = [], tickets = [], expectedVersion }) {
      try {
        // One nested write: Prisma runs it as one transaction, in one round of statements, with no
        // interactive transaction to hold open. Also bumps updatedAt, which keeps findLatest pointing
        // at the conversation the user is active in.
        await db.conversation.update({
          where: { id, ...(expectedVersion === undefined ? {} : { version: expectedVersion }) },
          data: {
            ...withClaim(changes),
            version: { increment: 1 },
            ...(messages.length ? { messages: { createMany: { data: messages.map((m) => ({ direction: m.direction, text: m.text })) } } } : {}),
            ...(unanswered.length
              ? { unanswered: { createMany: { data: unanswered.map((u) => ({ channel: u.channel, region: u.region, industry: u.industry ?? null, text: maskText(u.text) })) } } }
              : {}),
            ...(tickets.length
              ? { tickets: { createMany: { data: tickets.map((t) => ({ ...t, about: t.about ?? null, contact: t.contact ?? null })) } } }
              : {}),
          },
          select: { id: true },
        });
      } catch (error) {
        const translated = translatePrismaError(error, 'Conversation', id);
        // Not found over the version read, but there: another turn saved first.
        if (translated instanceof NotFoundError && expectedVersion !== undefined && (await db.conversation.findUnique({ where: { id }, select: { id: true } }))) {
          throw new ConflictError('Conversation', id, { cause: error });
        }
        throw translated;
      }
    },
  };
  return repository;
}

/** Handed back to the assistant, the chat is no longer any agent's. */
function withClaim(changes: ConversationChanges): ConversationChanges & { claimedBy?: null; claimedAt?: null } {
  return changes.handoff === false ? { ...changes, claimedBy: null, claimedAt: null } : changes;
}

interface ConversationRow {
  id: string;
  channel: string;
  userId: string;
  region: string | null;
  industry: string | null;
  stage: string;
  state: unknown;
  handoff: boolean;
  claimedBy?: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

function toConversation(row: ConversationRow): Conversation {
  return { ...row, state: jsonObject(row.state, `Conversation ${row.id} state`) };
}

function toMessage(row: { id: number; conversationId: string; direction: string; text: string; createdAt: Date }): Message {
  return { ...row, direction: direction(row.direction) };
}

function direction(value: string): Direction {
  if (value === 'in' || value === 'out') return value;
  throw new Error(`Unknown message direction in the database: ${value}`);
}

/** The column holds JSON written by this module, so checking the top level is enough. */
function jsonObject(value: unknown, what: string): JsonObject {
  if (isJsonObject(value)) return value;
  throw new Error(`${what} is not a JSON object`);
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
