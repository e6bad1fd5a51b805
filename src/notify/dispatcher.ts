/**
 * Sends due outbox messages through the sender registered for their channel.
 *
 * Exactly-once across crashes and restarts: a row is claimed by a conditional update (pending → sending,
 * with a lease) that only one dispatcher can win, on SQLite and PostgreSQL alike; it is marked sent after
 * the sender returns. A crash between claim and send leaves a lease that expires, and the row is claimed
 * again. The one window left is a crash after the platform accepted the message and before the row is
 * marked: the message is then sent again when the lease expires (at-least-once there; a send takes
 * milliseconds, the lease minutes).
 *
 * Failures: PermanentSendError → failed at once; anything else → retried with exponential backoff, then
 * failed after `maxAttempts`. Failed rows are listed for staff (GET /api/staff/outbox?status=failed).
 * Quiet hours: nothing is pushed while they last; due rows wait.
 */
import type { Clock, DomainDeps } from '../cases/deps.ts';
import type { Database } from '../store/db.ts';
import { outboxImage } from './outbox.ts';
import { startPolling } from './poll.ts';
import { isQuiet, type QuietHours } from './quietHours.ts';
import { renderOutboxImage } from './renderImage.ts';
import { PermanentSendError, type OutgoingMessage, type SenderRegistry } from './senders.ts';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  factor: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 30_000, factor: 4 };

export interface OutboxOptions {
  db: Database;
  senders: SenderRegistry;
  clock: Clock;
  quietHours: QuietHours | null;
  retry?: RetryPolicy;
  licence: DomainDeps['licence'];
  /** How long a claim holds before another dispatcher may take the row (default 5 minutes). */
  leaseMs?: number;
  /** Poll interval of the background loop (default 5 s); 0 = no loop, call tick() yourself. */
  pollMs?: number;
  batchSize?: number;
  onError?: (error: unknown, messageId?: number) => void;
}

export interface OutboxDispatcher {
  /** Sends what is due now; resolves to the number of messages sent. */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

export function startOutbox(options: OutboxOptions): OutboxDispatcher {
  const { db, senders, clock } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const leaseMs = options.leaseMs ?? 300_000;
  const batch = options.batchSize ?? 20;
  const report = options.onError ?? (() => {});

  async function sendOne(id: number): Promise<boolean> {
    const now = clock.now();
    // The claim: only the dispatcher whose update matched the row sends it.
    const claimed = await db.prisma.outboxMessage.updateMany({
      where: {
        id,
        OR: [
          { status: 'pending', availableAt: { lte: now } },
          { status: 'sending', leaseUntil: { lt: now } },
        ],
      },
      data: { status: 'sending', leaseUntil: new Date(now.getTime() + leaseMs), attempts: { increment: 1 } },
    });
    if (claimed.count !== 1) return false;
    const row = await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id } });
    const sender = senders.get(row.channel);
    if (!sender) {
      await db.prisma.outboxMessage.update({ where: { id }, data: { status: 'pending', leaseUntil: null, attempts: { decrement: 1 } } });
      return false;
    }
    try {
      const message: OutgoingMessage = { text: row.text };
      const ref = outboxImage(row.image);
      if (ref) {
        const image = await renderOutboxImage({ db, licence: options.licence }, ref);
        if (image) message.image = { png: image.png, caption: image.caption };
      }
      await sender.send({ userId: row.userId }, message);
    } catch (error) {
      const permanent = error instanceof PermanentSendError;
      const exhausted = row.attempts >= retry.maxAttempts;
      const after = clock.now();
      await db.prisma.outboxMessage.update({
        where: { id },
        data:
          permanent || exhausted
            ? { status: 'failed', leaseUntil: null, lastError: describe(error, permanent) }
            : {
                status: 'pending',
                leaseUntil: null,
                lastError: describe(error, false),
                availableAt: new Date(after.getTime() + retry.baseDelayMs * retry.factor ** (row.attempts - 1)),
              },
      });
      report(error, id);
      return false;
    }
    await db.prisma.outboxMessage.update({ where: { id }, data: { status: 'sent', sentAt: clock.now(), leaseUntil: null, lastError: null } });
    return true;
  }

  async function runTick(): Promise<number> {
    const channels = [...senders.keys()];
    const now = clock.now();
    if (channels.length === 0 || isQuiet(now, options.quietHours)) return 0;
    const due = await db.prisma.outboxMessage.findMany({
      where: {
        channel: { in: channels },
        OR: [
          { status: 'pending', availableAt: { lte: now } },
          { status: 'sending', leaseUntil: { lt: now } },
        ],
      },
      orderBy: { id: 'asc' },
      take: batch,
      select: { id: true },
    });
    let sent = 0;
    // One at a time, in order: a user gets their messages in the order they were written.
    for (const { id } of due) {
      try {
        if (await sendOne(id)) sent += 1;
      } catch (error) {
        report(error, id);
      }
    }
    return sent;
  }

  // Never two ticks of this dispatcher at once; other dispatchers are kept apart by the claim.
  return startPolling(runTick, options.pollMs ?? 5000, (error: unknown) => report(error));
}

function describe(error: unknown, permanent: boolean): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `${permanent ? 'refused' : 'transient'}: ${text}`.slice(0, 500);
}
