/**
 * Sends due outbox messages through the sender registered for their channel, from one instance or many.
 *
 * Once each: rows are claimed in batches by the outbox repository's claimDue (one UPDATE … FOR UPDATE
 * SKIP LOCKED on PostgreSQL, conditional updates on SQLite's single writer), and no two dispatchers win
 * the same row. A claimed row
 * is `sending` under a lease; a crash between claim and send leaves the lease to expire and the row is
 * claimed again. Each user's messages go out in the order written: only a user's oldest unsent row can
 * be claimed, so a batch holds at most one row per user and its rows are sent side by side.
 *
 * The at-least-once window, and why it is as short as it can be: a message the platform accepted is sent
 * again only if the row could not be marked sent, that is a crash or a lost database between the
 * platform's answer and one UPDATE, which is issued the moment the answer arrives (not after the batch).
 * The row is then sent again when its lease ends. Neither Telegram's sendMessage nor WeChat takes an
 * idempotency key, so the platform cannot close the window; a send that timed out (the platform may
 * have taken it without our hearing) is retried for the same reason. The lease must outlast one send or
 * a second instance would send a row still in flight: Telegram's pacer may take four tries of 30 s with
 * three waits of up to 60 s between them, hence 5 minutes. Because a batch's rows are sent at once, the
 * lease covers one send, not a batch of them.
 *
 * Failures: PermanentSendError → failed at once; anything else → retried with exponential backoff, then
 * failed after `maxAttempts`. Until then the user's later messages wait (order over speed). Failed rows
 * are listed for staff (GET /api/staff/outbox?status=failed).
 * Quiet hours: nothing is pushed while they last; due rows wait.
 */
import type { DomainDeps } from '../cases/deps.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Database } from '../store/db.ts';
import { startPolling } from './poll.ts';
import { isQuiet, type QuietHours } from './quietHours.ts';
import { renderOutboxImage } from './renderImage.ts';
import { PermanentSendError, type OutgoingMessage, type SenderRegistry } from './senders.ts';
import type { ClaimedMessage, OutboxStatus } from '../store/repositories.ts';
import { prismaStore } from '../store/store.ts';

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
  /** How long a claim holds before another dispatcher may take the row (default 5 minutes: one send at the platform's slowest). */
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
  const { senders, clock } = options;
  const store = prismaStore(options.db);
  const retry = options.retry ?? DEFAULT_RETRY;
  const leaseMs = options.leaseMs ?? 300_000;
  const batch = options.batchSize ?? 20;
  const report = options.onError ?? (() => {});

  async function runTick(): Promise<number> {
    const channels = [...senders.keys()];
    if (channels.length === 0 || isQuiet(clock.now(), options.quietHours)) return 0;
    let sent = 0;
    // Claim again as soon as a batch is sent: a user's next message becomes claimable once the one
    // before it went out. Bounded, so that a steady stream of new rows cannot keep a tick (and stop()) going.
    for (let round = 0; round < MAX_ROUNDS_PER_TICK; round += 1) {
      const now = clock.now();
      const claimed = await store.outbox.claimDue({ channels, now, leaseUntil: new Date(now.getTime() + leaseMs), limit: batch });
      if (claimed.length === 0) break;
      const results = await Promise.all(
        claimed.map((row) =>
          deliver(row).catch((error: unknown) => {
            report(error, row.id);
            return false;
          }),
        ),
      );
      sent += results.filter(Boolean).length;
    }
    return sent;
  }

  async function deliver(row: ClaimedMessage): Promise<boolean> {
    const sender = senders.get(row.channel);
    if (!sender) {
      await release(row, { status: 'pending', leaseUntil: null, attempts: row.attempts - 1 });
      return false;
    }
    try {
      const message: OutgoingMessage = { text: row.text };
      if (row.image) {
        const image = await renderOutboxImage({ store, licence: options.licence }, row.image);
        if (image) message.image = { png: image.png, caption: image.caption };
      }
      await sender.send({ userId: row.userId }, message);
    } catch (error) {
      const permanent = error instanceof PermanentSendError;
      const exhausted = row.attempts >= retry.maxAttempts;
      await release(
        row,
        permanent || exhausted
          ? { status: 'failed', leaseUntil: null, lastError: describe(error, permanent) }
          : {
              status: 'pending',
              leaseUntil: null,
              lastError: describe(error, false),
              availableAt: new Date(clock.now().getTime() + retry.baseDelayMs * retry.factor ** (row.attempts - 1)),
            },
      );
      report(error, row.id);
      return false;
    }
    // At once, unconditionally: the platform has it. This one statement is the at-least-once window.
    await store.outbox.markSent(row.id, clock.now());
    return true;
  }

  /**
   * Gives up this dispatcher's claim, only if it still holds it: after an overlong send another
   * dispatcher may have claimed the row again (or sent it), and that claim is not ours to undo.
   */
  async function release(row: ClaimedMessage, data: { status: OutboxStatus; leaseUntil: null; attempts?: number; lastError?: string; availableAt?: Date }): Promise<void> {
    await store.outbox.release(row.id, row.attempts, data);
  }

  // Never two ticks of this dispatcher at once; other dispatchers are kept apart by the claim.
  return startPolling(runTick, options.pollMs ?? 5000, (error: unknown) => report(error));
}

/** Batches per tick at most (20 rows each by default); what is left waits for the next tick. */
const MAX_ROUNDS_PER_TICK = 50;

function describe(error: unknown, permanent: boolean): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `${permanent ? 'refused' : 'transient'}: ${text}`.slice(0, 500);
}
