/**
 * Pull channels (web chat, terminal) have no push: a turn shows what waited for the user (read with the
 * turn, src/store/turnStore.ts) and marks it delivered when the turn commits, so a turn that fails loses
 * nothing; the user's turns are serialized, so two turns never show the same message.
 */
import type { DomainDeps } from '../cases/deps.ts';
import type { OutboxImage } from '../store/repositories.ts';
import { WAITING_PER_TURN } from '../store/turnStore.ts';
import { renderOutboxImage } from './renderImage.ts';

export interface PendingMessage {
  id: number;
  text: string;
  createdAt?: Date;
  image?: { png: Buffer; dataUrl: string; caption: string; url: string };
  /** The conversation already records it (written when it was sent, as an agent's reply is). */
  recorded?: boolean;
}

/**
 * What waits for the user now, without taking it (outside a turn, which reads it with its conversation).
 */
export async function waitingFor(
  deps: Pick<DomainDeps, 'store' | 'licence' | 'clock'>,
  to: { channel: string; userId: string },
): Promise<PendingMessage[]> {
  return withImages(deps, await deps.store.outbox.waiting(to, deps.clock.now(), WAITING_PER_TURN));
}

/** Waiting messages with their images drawn (a licence's current QR code). */
export async function withImages(
  deps: Pick<DomainDeps, 'store' | 'licence'>,
  rows: readonly { id: number; text: string; createdAt?: Date; recorded: boolean; image?: OutboxImage }[],
): Promise<PendingMessage[]> {
  const out: PendingMessage[] = [];
  for (const row of rows) {
    const image = row.image ? await renderOutboxImage(deps, row.image) : undefined;
    out.push({
      id: row.id,
      text: row.text,
      ...(row.createdAt ? { createdAt: row.createdAt } : {}),
      ...(row.recorded ? { recorded: true } : {}),
      ...(image ? { image: { png: image.png, dataUrl: `data:image/png;base64,${image.png.toString('base64')}`, caption: image.caption, url: image.url } } : {}),
    });
  }
  return out;
}

/** Takes what waits (outside a turn): each row claimed by a conditional update, so two takers never share one. */
export async function takePending(
  deps: Pick<DomainDeps, 'store' | 'licence' | 'clock'>,
  to: { channel: string; userId: string },
): Promise<PendingMessage[]> {
  const now = deps.clock.now();
  const out: PendingMessage[] = [];
  for (const message of await waitingFor(deps, to)) {
    if (await deps.store.outbox.takeWaiting([message.id], now)) out.push(message);
  }
  return out;
}

