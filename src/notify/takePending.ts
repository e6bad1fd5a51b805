/**
 * Pull channels (web chat, terminal) have no push: a turn shows what waited for the user (waitingFor)
 * and marks it delivered when the turn commits (markDelivered), so a turn that fails loses nothing; the
 * user's turns are serialized, so two turns never show the same message.
 */
import type { DomainDeps } from '../cases/deps.ts';
import type { StoreClient } from '../store/db.ts';
import { ConflictError } from '../kernel/errors.ts';
import { renderOutboxImage } from './renderImage.ts';

export interface PendingMessage {
  id: number;
  text: string;
  createdAt: Date;
  image?: { png: Buffer; dataUrl: string; caption: string; url: string };
  /** The conversation already records it (written when it was sent, as an agent's reply is). */
  recorded?: boolean;
}

/**
 * What waits for the user now, without taking it: a turn shows these and marks them delivered in its
 * own transaction (markDelivered), so a turn that fails leaves them waiting for the next one.
 */
export async function waitingFor(
  deps: Pick<DomainDeps, 'store' | 'licence' | 'clock'>,
  to: { channel: string; userId: string },
): Promise<PendingMessage[]> {
  const rows = await deps.store.outbox.waiting(to, deps.clock.now(), PER_TURN);
  const out: PendingMessage[] = [];
  for (const row of rows) {
    const image = row.image ? await renderOutboxImage(deps, row.image) : undefined;
    out.push({
      id: row.id,
      text: row.text,
      createdAt: row.createdAt,
      ...(row.recorded ? { recorded: true } : {}),
      ...(image ? { image: { png: image.png, dataUrl: `data:image/png;base64,${image.png.toString('base64')}`, caption: image.caption, url: image.url } } : {}),
    });
  }
  return out;
}

/**
 * Marks shown messages delivered; each only if it still waits. @throws ConflictError when one was taken
 * meanwhile (by a turn that did not hold the user's lock): the caller's transaction rolls back and the
 * turn is run again.
 */
export async function markDelivered(db: StoreClient, ids: readonly number[], at: Date): Promise<void> {
  if (!ids.length) return;
  const marked = await db.outboxMessage.updateMany({
    where: { id: { in: [...ids] }, status: 'pending' },
    data: { status: 'delivered', sentAt: at, attempts: { increment: 1 } },
  });
  if (marked.count !== ids.length) throw new ConflictError('OutboxMessage', ids.join(','));
}

/** Takes what waits (outside a turn): each row claimed by a conditional update, so two takers never share one. */
export async function takePending(
  deps: Pick<DomainDeps, 'store' | 'licence' | 'clock'>,
  to: { channel: string; userId: string },
): Promise<PendingMessage[]> {
  const now = deps.clock.now();
  const out: PendingMessage[] = [];
  for (const message of await waitingFor(deps, to)) {
    if (await deps.store.outbox.takeWaiting(message.id, now)) out.push(message);
  }
  return out;
}

/** At most this many waiting messages are shown in one turn; the rest come with the next. */
const PER_TURN = 20;
