/**
 * Claims, in one statement, the outbox rows a dispatcher may send now: due (pending and available, or
 * sending under an expired lease), on one of its channels, and each the oldest unsent row of its user.
 * The claim sets them `sending` under a lease and counts the attempt; no two dispatchers win one row.
 *
 * Order per user: only a user's head row is claimable, the oldest still pending or sending on that
 * channel. While it is in flight (or waiting for a retry) the user's later rows wait, so two instances
 * can never send one user's messages out of order. The price is one message per user per claim, which
 * the dispatcher makes up for by claiming again as soon as a batch is sent. (Claiming all of a user's
 * due rows at once instead would need a lock per user: two instances could each lock part of one
 * user's queue and send the parts side by side.) A row scheduled for later (`availableAt` ahead) holds
 * back the user's later rows the same way; nothing schedules ahead today.
 */
import type { Database } from '../store/db.ts';

export interface ClaimedMessage {
  id: number;
  channel: string;
  userId: string;
  text: string;
  image: unknown;
  /** Including this one. */
  attempts: number;
}

export interface ClaimOptions {
  channels: readonly string[];
  now: Date;
  leaseUntil: Date;
  limit: number;
}

/** The claimed rows, in the order they were written. */
export async function claimDue(db: Database, options: ClaimOptions): Promise<ClaimedMessage[]> {
  if (options.channels.length === 0) return [];
  const claimed = db.provider === 'postgres' ? await claimOnPostgres(db, options) : await claimOnSqlite(db, options);
  if (claimed.length === 0) return [];
  return db.prisma.outboxMessage.findMany({
    where: { id: { in: claimed.map((row) => row.id) } },
    orderBy: { id: 'asc' },
    select: { id: true, channel: true, userId: true, text: true, image: true, attempts: true },
  });
}

/**
 * SKIP LOCKED passes over the heads another dispatcher is claiming at this moment instead of waiting
 * for them. Why the head rule holds with two claims at once: a claim sees the rows as they were when it
 * started; if it saw a user's head pending or sending it leaves the user's later rows alone, and if it
 * saw the head sent, the head was sent. Locking a head that another claim has just committed re-checks
 * the row as it now is (sending under a live lease), so it is not taken twice. MATERIALIZED makes the
 * selection run once: as a subquery PostgreSQL may rescan it, and a rescan of SKIP LOCKED … LIMIT can
 * pick other rows.
 */
function claimOnPostgres(db: Database, { channels, now, leaseUntil, limit }: ClaimOptions): Promise<{ id: number }[]> {
  const outbox = db.table('OutboxMessage');
  return db.queryRaw<{ id: number }>(
    `WITH head AS MATERIALIZED (
       SELECT o.id FROM ${outbox} o
       WHERE o.id IN (
           SELECT min(e.id) FROM ${outbox} e
           WHERE e.channel = ANY($1) AND e.status IN ('pending', 'sending')
           GROUP BY e.channel, e."userId")
         AND ((o.status = 'pending' AND o."availableAt" <= $2) OR (o.status = 'sending' AND o."leaseUntil" < $2))
       ORDER BY o.id
       LIMIT $4
       FOR UPDATE SKIP LOCKED)
     UPDATE ${outbox} m SET status = 'sending', "leaseUntil" = $3, attempts = m.attempts + 1
     FROM head WHERE m.id = head.id
     RETURNING m.id`,
    [...channels],
    now,
    leaseUntil,
    limit,
  );
}

/**
 * SQLite runs one write at a time (one instance, or the CLI beside it), so the same statement without
 * row locks is already atomic. Its parameters are positional `?`; dates compare as Prisma's ISO text.
 */
function claimOnSqlite(db: Database, { channels, now, leaseUntil, limit }: ClaimOptions): Promise<{ id: number }[]> {
  const outbox = db.table('OutboxMessage');
  return db.queryRaw<{ id: number }>(
    `UPDATE ${outbox} SET status = 'sending', "leaseUntil" = ?, attempts = attempts + 1
     WHERE id IN (
       SELECT o.id FROM ${outbox} o
       WHERE o.id IN (
           SELECT min(e.id) FROM ${outbox} e
           WHERE e.channel IN (SELECT value FROM json_each(?)) AND e.status IN ('pending', 'sending')
           GROUP BY e.channel, e."userId")
         AND ((o.status = 'pending' AND o."availableAt" <= ?) OR (o.status = 'sending' AND o."leaseUntil" < ?))
       ORDER BY o.id
       LIMIT ?)
     RETURNING id`,
    leaseUntil,
    JSON.stringify(channels),
    now,
    now,
    limit,
  );
}
