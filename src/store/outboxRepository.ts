/**
 * The durable outbox over Prisma. A message is a row written inside the same transaction as the change
 * that causes it: if the change commits, the message will go out; if it rolls back, it never existed.
 * The dispatcher's batch claim is one raw statement per dialect (claimDue below).
 */
import type { StoreClient } from './client.ts';
import type { Database } from './db.ts';
import { outboxImage } from './outboxImage.ts';
import type { ClaimedMessage, ClaimOptions, OutboxImage, OutboxRecord, OutboxRepository } from './repositories.ts';

export function prismaOutbox(db: Database, client: StoreClient): OutboxRepository {
  const outbox: OutboxRepository = {
    async enqueue(message, now) {
      if (message.dedupeKey) {
        // Checked first rather than by catching the unique violation: on PostgreSQL a failed insert aborts the
        // caller's whole transaction. Two racing writers are still stopped by the unique index.
        if (await outbox.hasKey(message.dedupeKey)) return false;
      }
      await client.outboxMessage.create({
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
    },
    async say(to, text, now, dedupeKey) {
      if (to.conversationId) await client.message.create({ data: { conversationId: to.conversationId, direction: 'out', text } });
      await outbox.enqueue({ channel: to.channel, userId: to.userId, ...(to.conversationId ? { conversationId: to.conversationId, recorded: true } : {}), text, ...(dedupeKey ? { dedupeKey } : {}) }, now);
    },
    async hasKey(dedupeKey) {
      return (await client.outboxMessage.findUnique({ where: { dedupeKey }, select: { id: true } })) !== null;
    },
    async waiting(to, now, limit) {
      const rows = await client.outboxMessage.findMany({
        where: { channel: to.channel, userId: to.userId, status: 'pending', availableAt: { lte: now } },
        orderBy: { id: 'asc' },
        take: limit,
      });
      return rows.map(toRecord);
    },
    async takeWaiting(ids, at) {
      if (!ids.length) return true;
      const claimed = await client.outboxMessage.updateMany({ where: { id: { in: [...ids] }, status: 'pending' }, data: { status: 'delivered', sentAt: at, attempts: { increment: 1 } } });
      return claimed.count === ids.length;
    },
    async claimDue(options) {
      if (options.channels.length === 0) return [];
      const claimed = db.provider === 'postgres' ? await claimOnPostgres(db, options) : await claimOnSqlite(db, options);
      if (claimed.length === 0) return [];
      const rows = await client.outboxMessage.findMany({
        where: { id: { in: claimed.map((row) => row.id) } },
        orderBy: { id: 'asc' },
        select: { id: true, channel: true, userId: true, text: true, image: true, attempts: true },
      });
      return rows.map(({ image, ...row }): ClaimedMessage => {
        const ref = outboxImage(image);
        return { ...row, ...(ref ? { image: ref } : {}) };
      });
    },
    async markSent(id, at) {
      await client.outboxMessage.updateMany({ where: { id }, data: { status: 'sent', sentAt: at, leaseUntil: null, lastError: null } });
    },
    async release(id, attempts, changes) {
      await client.outboxMessage.updateMany({ where: { id, status: 'sending', attempts }, data: changes });
    },
    async ofCase(caseId) {
      return (await client.outboxMessage.findMany({ where: { caseId }, orderBy: { id: 'asc' } })).map(toRecord);
    },
    async withStatus(status) {
      return (await client.outboxMessage.findMany({ where: { status }, orderBy: { id: 'desc' }, take: 200 })).map(toRecord);
    },
    async retry(id, at) {
      const done = await client.outboxMessage.updateMany({ where: { id, status: 'failed' }, data: { status: 'pending', attempts: 0, availableAt: at } });
      return done.count === 1;
    },
  };
  return outbox;
}

function toRecord(row: Omit<OutboxRecord, 'image'> & { image: unknown }): OutboxRecord {
  const image = outboxImage(row.image);
  return {
    id: row.id,
    channel: row.channel,
    userId: row.userId,
    caseId: row.caseId,
    text: row.text,
    ...(image ? { image } : {}),
    recorded: row.recorded,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt,
  };
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
