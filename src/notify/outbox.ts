/**
 * The durable outbox. A message is a row written inside the same transaction as the change that causes
 * it (a 补正 request, a reminder falling due, a licence issued): if the change commits, the message
 * will go out; if it rolls back, it never existed. The dispatcher (dispatcher.ts) pushes rows to
 * channels that have a sender; pull channels (web, terminal) collect them with takePending.
 */
import type { StoreClient } from '../store/db.ts';

export type OutboxImage = { kind: 'licence_qr'; licenceId: string };

export interface OutboxInput {
  channel: string;
  userId: string;
  conversationId?: string;
  caseId?: string;
  text: string;
  image?: OutboxImage;
  /** A second enqueue with the same key is ignored: what makes scheduled reminders exactly-once. */
  dedupeKey?: string;
  /** Not before this time (default: now). */
  availableAt?: Date;
  /** Already in the conversation's transcript (see {@link sayInConversation}). */
  recorded?: boolean;
}

/** Where messages about a case go: back to the channel and person it came from. */
export function toApplicant(record: { id: string; channel: string; userId: string; conversationId: string }) {
  return { channel: record.channel, userId: record.userId, conversationId: record.conversationId, caseId: record.id };
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'delivered' | 'failed';

/**
 * Writes a message to the outbox in `tx`. Returns false when a message with the same `dedupeKey` exists.
 * `now` is the caller's clock, so tests and the dispatcher agree on time.
 */
/**
 * A person's words to the user of a conversation (an agent's reply, a ticket's answer): written to its
 * transcript and sent on its channel, in the caller's transaction. The pull channels show it without
 * recording it again.
 */
export async function sayInConversation(
  tx: StoreClient,
  to: { channel: string; userId: string; conversationId: string | null },
  text: string,
  now: Date,
  dedupeKey?: string,
): Promise<void> {
  if (to.conversationId) await tx.message.create({ data: { conversationId: to.conversationId, direction: 'out', text } });
  await enqueue(tx, { channel: to.channel, userId: to.userId, ...(to.conversationId ? { conversationId: to.conversationId, recorded: true } : {}), text, ...(dedupeKey ? { dedupeKey } : {}) }, now);
}

export async function enqueue(tx: StoreClient, message: OutboxInput, now: Date = new Date()): Promise<boolean> {
  if (message.dedupeKey) {
    // Checked first rather than by catching the unique violation: on PostgreSQL a failed insert aborts the
    // caller's whole transaction. Two racing writers are still stopped by the unique index.
    const existing = await tx.outboxMessage.findUnique({ where: { dedupeKey: message.dedupeKey }, select: { id: true } });
    if (existing) return false;
  }
  await tx.outboxMessage.create({
    data: {
      channel: message.channel,
      userId: message.userId,
      conversationId: message.conversationId ?? null,
      caseId: message.caseId ?? null,
      text: message.text,
      recorded: message.recorded === true,
      ...(message.image ? { image: { ...message.image } } : {}),
      dedupeKey: message.dedupeKey ?? null,
      availableAt: message.availableAt ?? now,
      createdAt: now,
    },
  });
  return true;
}

export function outboxImage(value: unknown): OutboxImage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if ('kind' in value && value.kind === 'licence_qr' && 'licenceId' in value && typeof value.licenceId === 'string') {
    return { kind: 'licence_qr', licenceId: value.licenceId };
  }
  return undefined;
}
