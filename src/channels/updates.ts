/**
 * Inbound updates taken for handling, so that one the platform delivers twice is handled once: Telegram
 * redelivers a webhook call it did not see answered and, after a restart, the updates of a long poll
 * whose offset was not confirmed; a WeChat puppet may replay messages after reconnecting.
 *
 * A claim is a row keyed by the update (unique), written before the turn: the first claimant wins; a
 * second delivery, even on another instance behind the load balancer or after a restart, finds the row
 * and is skipped. A row stays `processing` under a lease while its turn runs, then becomes `done`. A claim
 * whose handler died (the process crashed mid-turn) is taken again once its lease ends, or at once by
 * a long-polling instance, which is the only consumer there can be. What remains: a crash after the turn
 * committed and before the row was marked done handles that update again (at-least-once in that window).
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, translatePrismaError } from '../store/errors.ts';
import type { Database } from '../store/db.ts';

export interface UpdateClaims {
  /** True when this process should handle the update; false when it was (or is being) handled. */
  claim(key: string): Promise<boolean>;
  /** The turn finished: later deliveries are skipped. */
  done(key: string): Promise<void>;
  /** Rows older than `ms`, removed (Telegram keeps undelivered updates for 24 hours). */
  prune(olderThanMs: number): Promise<number>;
}

export interface ClaimOptions {
  /** How long a claim protects a turn in progress (default 2 minutes). */
  leaseMs?: number;
  /**
   * Take over `processing` claims of other processes at once: right for a single consumer (long polling,
   * one WeChat login), wrong behind a load balancer where another instance may be mid-turn.
   */
  soleConsumer?: boolean;
  now?: () => Date;
}

export function databaseClaims(db: Pick<Database, 'prisma'>, options: ClaimOptions = {}): UpdateClaims {
  const owner = randomUUID();
  const leaseMs = options.leaseMs ?? 120_000;
  const now = options.now ?? (() => new Date());
  const table = db.prisma.inboundUpdate;

  return {
    async claim(key) {
      const at = now();
      const leaseUntil = new Date(at.getTime() + leaseMs);
      const existing = await table.findUnique({ where: { key }, select: { status: true } });
      if (!existing) {
        try {
          await table.create({ data: { key, status: 'processing', owner, leaseUntil, receivedAt: at } });
          return true;
        } catch (error) {
          // Another instance created it between our look and our write.
          if (translatePrismaError(error, 'InboundUpdate', key) instanceof ConflictError) return false;
          throw error;
        }
      }
      if (existing.status !== 'processing') return false;
      // A claim whose handler is gone: the lease ran out, or (sole consumer) it belongs to an earlier process.
      const taken = await table.updateMany({
        where: {
          key,
          status: 'processing',
          OR: [{ leaseUntil: { lt: at } }, ...(options.soleConsumer ? [{ owner: { not: owner } }] : [])],
        },
        data: { owner, leaseUntil },
      });
      return taken.count === 1;
    },
    async done(key) {
      await table.updateMany({ where: { key, owner }, data: { status: 'done' } });
    },
    async prune(olderThanMs) {
      const removed = await table.deleteMany({ where: { receivedAt: { lt: new Date(now().getTime() - olderThanMs) } } });
      return removed.count;
    },
  };
}
