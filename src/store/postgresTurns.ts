/**
 * The chat turn's path on PostgreSQL (turnStore.ts): node-postgres on two small pools of its own, one
 * whose connections hold the users' turn locks (session advisory locks, as turnLocks.ts takes them for
 * the other callers) and one for the repository's other statements. A steady-state turn is two round
 * trips on one connection: yiye_open_turn takes the user's lock and reads, yiye_save_turn writes
 * everything and releases it, holding the user's commit fence until it commits, which the next turn's
 * read waits for (both in the migration 20261202010000_turn_functions). A turn that ends without that write (a duplicate update, a refusal,
 * a submission committed through Prisma, a refused save) releases the lock with one more.
 *
 * Dates: the DateTime columns are `timestamp(3)` holding UTC wall time, as Prisma writes them; they are
 * bound as ISO text without a zone and read back as UTC.
 */
import pg from 'pg';
import { maskText } from '../privacy/mask.ts';
import { DEFAULT_RECENT_MESSAGES, type ConversationRepository } from './conversations.ts';
import { ConflictError, NotFoundError } from '../kernel/errors.ts';
import { lockId, lockNotAvailable, LockTimeoutError, lockPoolOptions, postgresLocks, processLocks, userLockKey, type TurnLocks } from './turnLocks.ts';
import { conversationColumns, newId, toConversation, toMessage, toWaiting, WAITING_PER_TURN, type DecodedRow, type HeldTurn, type TurnDatabase, type TurnWrite } from './turnStore.ts';

export interface PostgresTurnOptions {
  connectionString: string;
  schema: string;
  /** How long a turn waits for its user's lock, in ms (default 30 s). */
  waitMs?: number;
  /** Connections of the pool (default 10): turns beyond wait for one. */
  connections?: number;
  /** Called with every statement sent (benchmarks count statements per turn). */
  onQuery?: (sql: string) => void;
}

type Row = Record<string, unknown>;

const TIMESTAMP = 1114;
const utc = (date: Date) => date.toISOString().slice(0, 23);

/** The raw-driver turn store, and the pool's locks for the other holders of a user's lock. */
export function postgresTurns(options: PostgresTurnOptions): TurnDatabase & { locks: TurnLocks } {
  const waitMs = options.waitMs ?? 30_000;
  const schema = options.schema;
  const q = `"${schema.replaceAll('"', '""')}"`;
  const types = { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === TIMESTAMP ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`) : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser };
  // Two pools: one whose connections hold turn locks (and wait for them), one for the repository's other
  // statements. A turn holding a lock that needed a connection of a pool filled with turns waiting for
  // locks would wait for ever.
  // The functions find their tables through search_path: each connection sets it to the schema.
  const searchPath = `-c search_path=${q.replaceAll(' ', '\\ ')}`;
  const locking = lockPoolOptions(options.connectionString, waitMs, options.connections);
  const pool = new pg.Pool({ ...locking, options: `${locking.options} ${searchPath}`, types });
  const queries = new pg.Pool({ connectionString: options.connectionString, max: options.connections ?? 10, idleTimeoutMillis: 30_000, options: searchPath, types });
  const { onQuery } = options;
  for (const each of [pool, queries]) {
    // A connection that breaks while idle in the pool is dropped by pg; without a listener it would crash the process.
    each.on('error', () => {});
    if (onQuery) each.on('connect', (client) => countQueries(client, onQuery));
  }
  const T = (name: string) => `${q}."${name}"`;
  const local = processLocks();

  const saveSql = `SELECT ${q}.yiye_save_turn($1::bigint, $2, $3::integer, $4::jsonb, $5::jsonb, $6::integer[], $7, $8::jsonb, $9::jsonb, $10::timestamp(3), $11::timestamp(3))`;
  function saveParams(lock: string | null, turn: TurnWrite, at: Date): unknown[] {
    const now = new Date();
    const changes = conversationColumns(turn.changes);
    if (turn.changes.state !== undefined) changes['state'] = turn.changes.state;
    return [
      lock,
      turn.conversationId,
      turn.expectedVersion ?? null,
      JSON.stringify(changes),
      JSON.stringify(turn.messages.map((m) => ({ direction: m.direction, text: m.text }))),
      turn.delivered ?? [],
      turn.updateKey ?? null,
      JSON.stringify((turn.unanswered ?? []).map((u) => ({ channel: u.channel, region: u.region, industry: u.industry ?? null, text: maskText(u.text) }))),
      JSON.stringify((turn.tickets ?? []).map((t) => ({ ...t, id: newId(now.getTime()), about: t.about ?? null, contact: t.contact ?? null, createdAt: utc(t.createdAt) }))),
      utc(now),
      utc(at),
    ];
  }

  async function save(client: pg.Pool | pg.PoolClient, lock: string | null, turn: TurnWrite, at: Date): Promise<void> {
    try {
      await client.query(saveSql, saveParams(lock, turn, at));
    } catch (error) {
      throw meaning(error, turn);
    }
  }

  const conversations: ConversationRepository = {
    async findLatest({ channel, userId }) {
      const { rows } = await queries.query(`SELECT * FROM ${T('Conversation')} WHERE "channel" = $1 AND "userId" = $2 ORDER BY "updatedAt" DESC, "id" DESC LIMIT 1`, [channel, userId]);
      return rows[0] ? conversationOf(rows[0]) : null;
    },
    async findOrStart(key) {
      return (await conversations.findLatest(key)) ?? conversations.start(key);
    },
    async start({ channel, userId }) {
      const now = new Date();
      // The user and the conversation in one statement: the unique pair decides a race between first messages.
      const { rows } = await queries.query(
        `WITH u AS (INSERT INTO ${T('ChannelUser')} ("id", "channel", "externalId", "createdAt") VALUES ($1, $3, $4, $5::timestamp(3)) ON CONFLICT ("channel", "externalId") DO NOTHING)
         INSERT INTO ${T('Conversation')} ("id", "channel", "userId", "stage", "state", "handoff", "createdAt", "updatedAt", "version")
         VALUES ($2, $3, $4, 'start', '{}', false, $5::timestamp(3), $5::timestamp(3), 0) RETURNING *`,
        [newId(now.getTime()), newId(now.getTime()), channel, userId, utc(now)],
      );
      return conversationOf(rows[0]);
    },
    async get(id) {
      const { rows } = await queries.query(`SELECT * FROM ${T('Conversation')} WHERE "id" = $1`, [id]);
      if (!rows[0]) throw new NotFoundError('Conversation', id);
      return conversationOf(rows[0]);
    },
    async update(id, changes) {
      const columns = conversationColumns(changes);
      const names = Object.keys(columns);
      const sets = [...names.map((n, i) => `"${n}" = $${i + 3}`), '"version" = "version" + 1', '"updatedAt" = $2::timestamp(3)'];
      const values = names.map((n) => columns[n]);
      const { rows } = await queries.query(`UPDATE ${T('Conversation')} SET ${sets.join(', ')} WHERE "id" = $1 RETURNING *`, [id, utc(new Date()), ...values]);
      if (!rows[0]) throw new NotFoundError('Conversation', id);
      return conversationOf(rows[0]);
    },
    async appendMessage({ conversationId, direction, text }) {
      try {
        const { rows } = await queries.query(
          `WITH m AS (INSERT INTO ${T('Message')} ("conversationId", "direction", "text", "createdAt") VALUES ($1, $2, $3, $4::timestamp(3)) RETURNING *),
                c AS (UPDATE ${T('Conversation')} SET "updatedAt" = $4::timestamp(3) WHERE "id" = $1)
           SELECT * FROM m`,
          [conversationId, direction, text, utc(new Date())],
        );
        return messageOf(rows[0]);
      } catch (error) {
        throw (error as { code?: string }).code === '23503' ? new NotFoundError('Conversation', conversationId, { cause: error }) : error;
      }
    },
    async recentMessages(conversationId, limit = DEFAULT_RECENT_MESSAGES) {
      const { rows } = await queries.query(`SELECT * FROM ${T('Message')} WHERE "conversationId" = $1 ORDER BY "id" DESC LIMIT $2`, [conversationId, limit]);
      return rows.reverse().map(messageOf);
    },
    async saveTurn(id, turn) {
      await save(queries, null, { ...turn, conversationId: id }, new Date());
    },
  };

  const openSql = `SELECT * FROM ${q}.yiye_open_turn($1::bigint, $2, $3, $4::timestamp(3), $5, ${WAITING_PER_TURN})`;

  async function run<R>(user: { channel: string; userId: string }, fn: (turn: HeldTurn) => Promise<R>): Promise<R> {
    const lock = lockId(schema, userLockKey(user));
    const client = await pool.connect();
    // A connection whose lock statements failed is closed, not reused: closing it releases what it holds.
    let broken: Error | undefined;
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    let held = false;
    const turn: HeldTurn = {
      async open({ updateKey, now }) {
        let rows: Row[];
        try {
          ({ rows } = await client.query(openSql, [held ? null : lock, user.channel, user.userId, utc(now), updateKey ?? null]));
        } catch (error) {
          if (lockNotAvailable(error)) throw new LockTimeoutError(`turn lock not free after ${waitMs} ms`, { cause: error });
          broken = error instanceof Error ? error : new Error(String(error));
          throw error;
        }
        held = true;
        const row = rows[0] ?? {};
        return {
          conversation: row['conversation'] ? toConversation(jsonRow(row['conversation'] as Row)) : null,
          handled: row['handled'] === true,
          waiting: ((row['waiting'] as Parameters<typeof toWaiting>[0][] | undefined) ?? []).map(toWaiting),
        };
      },
      async save(write, now) {
        await save(client, held ? lock : null, write, now);
        held = false;
      },
    };
    try {
      return await fn(turn);
    } finally {
      if (held && !broken) await client.query('SELECT pg_advisory_unlock($1::bigint)', [lock]).catch((error: Error) => (broken = error));
      client.off('error', onError);
      client.release(broken);
    }
  }

  return {
    conversations,
    run: (user, fn) => local.run(userLockKey(user), () => run(user, fn)),
    locks: postgresLocks({ pool, schema, waitMs }),
    ping: async () => {
      await queries.query('SELECT 1');
    },
    async close() {
      await local.close();
      await Promise.all([pool.end(), queries.end()]);
    },
  };
}

/** Reports each statement a connection sends (the benchmark's count); the query itself is unchanged. */
function countQueries(client: pg.PoolClient, onQuery: (sql: string) => void): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const [first] = args;
    onQuery(typeof first === 'string' ? first : String((first as { text?: string })?.text ?? ''));
    return query(...args);
  };
}

/** The save function's own SQLSTATEs and the constraint errors, in the domain's words. */
function meaning(error: unknown, turn: TurnWrite): unknown {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'YY409') return new ConflictError('Conversation', turn.conversationId, { cause: error });
  if (code === 'YY404' || code === '23503') return new NotFoundError('Conversation', turn.conversationId, { cause: error });
  if (code === '23505') return new ConflictError(turn.updateKey ? 'InboundUpdate' : 'Ticket', turn.updateKey ?? turn.conversationId, { cause: error });
  return error;
}

/** node-postgres's row: the state as JSON, the flag as a boolean, the dates parsed (as UTC). */
const conversationOf = (row: Row) => toConversation(row as DecodedRow);
const messageOf = (row: Row) => toMessage(row as Row & { createdAt: Date });

/** A row as to_jsonb wrote it: timestamps as ISO text without a zone (UTC). */
function jsonRow(row: Row): DecodedRow {
  return { ...row, state: row['state'], handoff: row['handoff'] === true, createdAt: new Date(`${String(row['createdAt'])}Z`), updatedAt: new Date(`${String(row['updatedAt'])}Z`) };
}
