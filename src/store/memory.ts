// In-memory twin of the database repositories, for unit tests of the code that uses them. It keeps
// the same contract (test/store/conversations.contract.ts runs against both).

import { randomUUID } from 'node:crypto';
import {
  DEFAULT_RECENT_MESSAGES,
  type Conversation,
  type ConversationRepository,
  type Message,
  type NewTicket,
} from './conversations.ts';
import { ConflictError, NotFoundError } from '../kernel/errors.ts';
import { groupUnanswered, type UnansweredRepository, type UnansweredRow } from './unanswered.ts';
import { maskText } from '../privacy/mask.ts';

/** The questions saved with turns, newest first, shared by the twins of one test. */
/** `tickets`: where the tickets taken down are kept (newest last), for a caller that reads them back. */
export function memoryConversations(unanswered: UnansweredRow[] = [], tickets: NewTicket[] = []): ConversationRepository {
  const conversations = new Map<string, Conversation>();
  const messages: Message[] = [];
  let lastMessageId = 0;
  // Strictly increasing, so "latest" is well defined even for writes within one millisecond.
  let lastTime = 0;
  const now = () => new Date((lastTime = Math.max(Date.now(), lastTime + 1)));

  const repository: ConversationRepository = {
    async findLatest({ channel, userId }) {
      let latest: Conversation | null = null;
      for (const c of conversations.values()) {
        if (c.channel === channel && c.userId === userId && (latest === null || c.updatedAt >= latest.updatedAt)) latest = c;
      }
      return latest === null ? null : copy(latest);
    },

    async findOrStart(key) {
      return (await repository.findLatest(key)) ?? repository.start(key);
    },

    async start({ channel, userId }) {
      const at = now();
      const conversation: Conversation = {
        id: randomUUID(),
        channel,
        userId,
        region: null,
        industry: null,
        stage: 'start',
        state: {},
        handoff: false,
        version: 0,
        createdAt: at,
        updatedAt: at,
      };
      conversations.set(conversation.id, conversation);
      return copy(conversation);
    },

    async get(id) {
      return copy(existing(id));
    },

    async update(id, changes) {
      const conversation = existing(id);
      const updated = { ...conversation, ...changes, version: conversation.version + 1, updatedAt: now() };
      conversations.set(id, updated);
      return copy(updated);
    },

    async appendMessage({ conversationId, direction, text }) {
      const conversation = existing(conversationId);
      const message: Message = { id: ++lastMessageId, conversationId, direction, text, createdAt: now() };
      messages.push(message);
      conversations.set(conversationId, { ...conversation, updatedAt: message.createdAt });
      return { ...message };
    },

    async recentMessages(conversationId, limit = DEFAULT_RECENT_MESSAGES) {
      return messages
        .filter((m) => m.conversationId === conversationId)
        .slice(-limit)
        .map((m) => ({ ...m }));
    },

    async saveTurn(id, { messages: turn, changes, unanswered: questions = [], tickets: taken = [], expectedVersion }) {
      const conversation = existing(id);
      if (expectedVersion !== undefined && conversation.version !== expectedVersion) throw new ConflictError('Conversation', id);
      tickets.push(...taken);
      const at = now();
      for (const m of turn) messages.push({ id: ++lastMessageId, conversationId: id, direction: m.direction, text: m.text, createdAt: at });
      for (const q of questions) unanswered.unshift({ region: q.region, industry: q.industry ?? null, text: maskText(q.text), createdAt: at });
      conversations.set(id, { ...conversation, ...changes, state: structuredClone(changes.state ?? conversation.state), version: conversation.version + 1, updatedAt: at });
    },
  };
  return repository;

  function existing(id: string): Conversation {
    const conversation = conversations.get(id);
    if (conversation === undefined) throw new NotFoundError('Conversation', id);
    return conversation;
  }
}

function copy(conversation: Conversation): Conversation {
  return { ...conversation, state: structuredClone(conversation.state) };
}

/** The twin of the unanswered-questions report over the rows `memoryConversations(rows)` writes. */
export function memoryUnanswered(rows: UnansweredRow[]): UnansweredRepository {
  return {
    async report(filter = {}) {
      return groupUnanswered(rows.filter((r) => (!filter.region || r.region === filter.region) && (!filter.since || r.createdAt >= filter.since)));
    },
  };
}
