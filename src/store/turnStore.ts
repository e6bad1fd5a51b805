/**
 * The chat turn's own path to the database, on the raw driver (better-sqlite3, pg) rather than Prisma:
 * a steady-state turn is one read (the conversation, whether the channel update was answered, what
 * waits in the outbox) and one write batch (the conversation's new state over the version read, its
 * messages, and what else the turn carries), each a prepared statement. Prisma's model API costs about
 * 14 times the driver for the same statements (docs/performance.md); staff and case work stay on it.
 *
 * The same {@link ConversationRepository} contract holds for this path as for prismaConversations
 * (test/store/conversations.contract.ts runs against both, on SQLite and PostgreSQL).
 */
import { randomBytes } from 'node:crypto';
import type { Conversation, ConversationRepository, Message, SavedTurn } from './conversations.ts';
import { outboxImage } from './outboxImage.ts';
import type { OutboxImage } from './repositories.ts';

/** An outbox message waiting for the user's next turn (a pull channel has no push). */
export interface WaitingMessage {
  id: number;
  text: string;
  /** The conversation already records it (an agent's reply). */
  recorded: boolean;
  /** A licence's QR code to draw with it. */
  image?: OutboxImage;
}

/** What a turn reads first, in one statement. */
export interface TurnOpening {
  /** The user's most recently active conversation; null for a new user. */
  conversation: Conversation | null;
  /** The channel update (`updateKey`) was answered by a committed turn already. */
  handled: boolean;
  /** Waiting outbox messages, oldest first, at most {@link WAITING_PER_TURN}. */
  waiting: WaitingMessage[];
}

/** One turn's write: the conversation's, and the channel update and waiting messages it answers. */
export interface TurnWrite extends SavedTurn {
  conversationId: string;
  /** The channel's update this turn answers (telegram:…, wechat:…): recorded with it, so it is answered once. */
  updateKey?: string;
  /** Waiting outbox messages the turn showed: marked delivered, each only if it still waits. */
  delivered?: number[];
}

/** A user's turn in progress, holding their lock. */
export interface HeldTurn {
  /** `now`: the domain's clock, which decides what waits (a message not before its time). */
  open(request: { updateKey?: string; now: Date }): Promise<TurnOpening>;
  /**
   * `at`: the domain's clock, for the update's answer and the messages delivered; the conversation and
   * its new rows are stamped with the wall clock, as Prisma stamps them.
   * @throws ConflictError (version moved on, update answered, message taken) · NotFoundError
   */
  save(turn: TurnWrite, at: Date): Promise<void>;
}

/** The raw-driver store of one database: the conversations, and turns under the user's lock. */
export interface TurnDatabase {
  readonly conversations: ConversationRepository;
  /** Runs `fn` holding the user's lock. @throws LockTimeoutError */
  run<T>(user: { channel: string; userId: string }, fn: (turn: HeldTurn) => Promise<T>): Promise<T>;
  /** One round trip (`SELECT 1`): the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** At most this many waiting messages are shown in one turn; the rest come with the next. */
export const WAITING_PER_TURN = 20;

let lastTime = 0;
let counter = 0;
/**
 * A new row id in the shape of Prisma's cuid (25 characters, `c` first): time, then a counter, then
 * randomness, so ids made by one process grow with time, which findLatest's tie-break relies on.
 */
export function newId(now = Date.now()): string {
  if (now > lastTime) {
    lastTime = now;
    counter = 0;
  }
  counter = (counter + 1) % 36 ** 4;
  const random = randomBytes(8).readBigUInt64BE(0).toString(36).padStart(12, '0').slice(0, 12);
  return `c${lastTime.toString(36).padStart(8, '0')}${counter.toString(36).padStart(4, '0')}${random}`;
}

/** The conversation changes a turn writes, with the claim cleared when the chat is handed back. */
export function conversationColumns(changes: SavedTurn['changes']): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  if (changes.state !== undefined) columns['state'] = JSON.stringify(changes.state);
  if (changes.stage !== undefined) columns['stage'] = changes.stage;
  if (changes.region !== undefined) columns['region'] = changes.region;
  if (changes.industry !== undefined) columns['industry'] = changes.industry;
  if (changes.handoff !== undefined) columns['handoff'] = changes.handoff;
  if (changes.handoff === false) {
    columns['claimedBy'] = null;
    columns['claimedAt'] = null;
  }
  return columns;
}

/** A row as a driver returns it, with the state, the flag and the dates already decoded by the dialect. */
export type DecodedRow = Record<string, unknown> & { state: unknown; handoff: boolean; createdAt: Date; updatedAt?: Date };

export function toConversation(row: DecodedRow): Conversation {
  const { state } = row;
  if (typeof state !== 'object' || state === null || Array.isArray(state)) throw new Error(`Conversation ${String(row['id'])} state is not a JSON object`);
  return {
    id: String(row['id']),
    channel: String(row['channel']),
    userId: String(row['userId']),
    region: (row['region'] as string | null) ?? null,
    industry: (row['industry'] as string | null) ?? null,
    stage: String(row['stage']),
    state: state as Conversation['state'],
    handoff: row.handoff,
    claimedBy: (row['claimedBy'] as string | null) ?? null,
    version: Number(row['version']),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt ?? row.createdAt,
  };
}

export function toMessage(row: Record<string, unknown> & { createdAt: Date }): Message {
  const direction = row['direction'];
  if (direction !== 'in' && direction !== 'out') throw new Error(`Unknown message direction in the database: ${String(direction)}`);
  return { id: Number(row['id']), conversationId: String(row['conversationId']), direction, text: String(row['text']), createdAt: row.createdAt };
}

/** A waiting outbox row as the turn's read returns it (JSON), in the domain's words. */
export function toWaiting(row: { id: number; text: string; recorded: boolean | number; image: unknown }): WaitingMessage {
  const image = outboxImage(row.image);
  return { id: Number(row.id), text: String(row.text), recorded: row.recorded === true || row.recorded === 1, ...(image ? { image } : {}) };
}
