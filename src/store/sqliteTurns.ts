/**
 * The chat turn's path on SQLite (turnStore.ts): better-sqlite3 on a connection of its own, every
 * statement prepared once, the WAL checkpointed by a worker thread (checkpointer.ts). A turn's read is one SELECT; its write one transaction of a few statements,
 * run in one synchronous call. SQLite serves one process, so the lock is the in-process queue.
 * Dates are written as Prisma writes DateTime columns here (ISO text with `+00:00`), so both read
 * what the other wrote.
 */
import BetterSqlite3 from 'better-sqlite3';
import { maskText } from '../privacy/mask.ts';
import { startCheckpointer } from './checkpointer.ts';
import { DEFAULT_RECENT_MESSAGES, type ConversationRepository, type SavedTurn } from './conversations.ts';
import { ConflictError, NotFoundError } from '../kernel/errors.ts';
import { userLockKey, type TurnLocks } from './turnLocks.ts';
import { conversationColumns, newId, toConversation, toMessage, toWaiting, WAITING_PER_TURN, type DecodedRow, type TurnDatabase, type TurnOpening, type TurnWrite } from './turnStore.ts';

export interface SqliteTurnOptions {
  /** How long a write waits for another process's lock on the file, in ms. */
  busyMs: number;
  /** PRAGMA synchronous: NORMAL (the default in WAL) or FULL (an fsync at every commit). */
  synchronous: 'normal' | 'full';
  /** The process's turn locks, shared with the other holders of a user's lock (an agent's 帮办代办). */
  locks: TurnLocks;
  /** Called with every statement run (benchmarks count statements per turn). */
  onQuery?: (sql: string) => void;
}

type Row = Record<string, unknown>;

const at = (date: Date) => date.toISOString().replace('Z', '+00:00');

export function sqliteTurns(path: string, options: SqliteTurnOptions): TurnDatabase {
  const db = new BetterSqlite3(path, { timeout: options.busyMs, ...(options.onQuery ? { verbose: (sql: unknown) => options.onQuery?.(String(sql)) } : {}) });
  db.pragma(`synchronous = ${options.synchronous}`);
  // Checkpoints run in a worker (checkpointer.ts), never inside a turn's commit.
  db.pragma('wal_autocheckpoint = 0');
  const checkpoints = startCheckpointer(path, { busyMs: options.busyMs });
  const { locks } = options;

  const latest = db.prepare('SELECT * FROM "Conversation" WHERE "channel" = ? AND "userId" = ? ORDER BY "updatedAt" DESC, "id" DESC LIMIT 1');
  const opening = db.prepare(`
    SELECT c.*,
      (SELECT json_group_array(json_object('id', o."id", 'text', o."text", 'recorded', o."recorded", 'image', json(o."image")))
         FROM (SELECT "id", "text", "recorded", "image" FROM "OutboxMessage"
               WHERE "channel" = @channel AND "userId" = @userId AND "status" = 'pending' AND "availableAt" <= @now
               ORDER BY "id" LIMIT ${WAITING_PER_TURN}) o) AS "waiting$",
      EXISTS (SELECT 1 FROM "InboundUpdate" WHERE "key" = @updateKey AND "status" = 'done') AS "handled$"
    FROM (SELECT 1) one
    LEFT JOIN (SELECT * FROM "Conversation" WHERE "channel" = @channel AND "userId" = @userId ORDER BY "updatedAt" DESC, "id" DESC LIMIT 1) c ON 1`);
  const byId = db.prepare('SELECT * FROM "Conversation" WHERE "id" = ?');
  const exists = db.prepare('SELECT 1 FROM "Conversation" WHERE "id" = ?').pluck();
  const addUser = db.prepare('INSERT INTO "ChannelUser" ("id", "channel", "externalId", "createdAt") VALUES (?, ?, ?, ?) ON CONFLICT ("channel", "externalId") DO NOTHING');
  const addConversation = db.prepare(
    `INSERT INTO "Conversation" ("id", "channel", "userId", "stage", "state", "handoff", "createdAt", "updatedAt", "version") VALUES (?, ?, ?, 'start', '{}', 0, ?, ?, 0) RETURNING *`,
  );
  const addMessage = db.prepare('INSERT INTO "Message" ("conversationId", "direction", "text", "createdAt") VALUES (?, ?, ?, ?) RETURNING *');
  const touch = db.prepare('UPDATE "Conversation" SET "updatedAt" = ? WHERE "id" = ?');
  const recent = db.prepare('SELECT * FROM "Message" WHERE "conversationId" = ? ORDER BY "id" DESC LIMIT ?');
  const deliver = db.prepare(`UPDATE "OutboxMessage" SET "status" = 'delivered', "sentAt" = ?, "attempts" = "attempts" + 1 WHERE "id" = ? AND "status" = 'pending'`);
  const answer = db.prepare(`INSERT INTO "InboundUpdate" ("key", "status", "owner", "leaseUntil", "receivedAt") VALUES (?, 'done', 'turn', ?, ?)`);
  const addUnanswered = db.prepare('INSERT INTO "UnansweredQuestion" ("conversationId", "channel", "region", "industry", "text", "createdAt") VALUES (?, ?, ?, ?, ?, ?)');
  const addTicket = db.prepare(
    `INSERT INTO "Ticket" ("id", "number", "kind", "region", "channel", "userId", "conversationId", "text", "about", "contact", "status", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
  );
  // One UPDATE per set of changed columns (and with or without the version check), prepared once.
  const updates = new Map<string, BetterSqlite3.Statement>();
  function update(columns: Record<string, unknown>, checked: boolean): BetterSqlite3.Statement {
    const names = Object.keys(columns);
    const key = `${names.join(',')}|${checked}`;
    let statement = updates.get(key);
    if (!statement) {
      const sets = [...names.map((n) => `"${n}" = @${n}`), '"version" = "version" + 1', '"updatedAt" = @p_updatedAt'];
      statement = db.prepare(`UPDATE "Conversation" SET ${sets.join(', ')} WHERE "id" = @p_id${checked ? ' AND "version" = @p_version' : ''} RETURNING *`);
      updates.set(key, statement);
    }
    return statement;
  }
  // The turn's messages in one INSERT, one statement per number of rows (a turn writes a few).
  const inserts = new Map<number, BetterSqlite3.Statement>();
  function addMessages(id: string, messages: TurnWrite['messages'], stamp: string): void {
    if (!messages.length) return;
    let statement = inserts.get(messages.length);
    if (!statement) {
      statement = db.prepare(`INSERT INTO "Message" ("conversationId", "direction", "text", "createdAt") VALUES ${messages.map(() => '(?, ?, ?, ?)').join(', ')}`);
      inserts.set(messages.length, statement);
    }
    statement.run(messages.flatMap((m) => [id, m.direction, m.text, stamp]));
  }
  const bind = (columns: Record<string, unknown>) => Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v]));

  /** Writes the conversation's changes over `version` (when given); the row as saved. */
  function write(id: string, changes: SavedTurn['changes'], version: number | undefined, now: Date): Row {
    const columns = conversationColumns(changes);
    const row = update(columns, version !== undefined).get({ ...bind(columns), p_id: id, p_updatedAt: at(now), ...(version !== undefined ? { p_version: version } : {}) }) as Row | undefined;
    if (row) return row;
    if (version !== undefined && exists.get(id)) throw new ConflictError('Conversation', id);
    throw new NotFoundError('Conversation', id);
  }

  const saveTurn = db.transaction((turn: TurnWrite, clock: Date) => {
    const id = turn.conversationId;
    const now = new Date();
    const stamp = at(now);
    const answered = at(clock);
    if (turn.updateKey) {
      try {
        answer.run(turn.updateKey, answered, answered);
      } catch (error) {
        throw constraint(error) === 'taken' ? new ConflictError('InboundUpdate', turn.updateKey, { cause: error }) : error;
      }
    }
    for (const outboxId of turn.delivered ?? []) {
      if (deliver.run(answered, outboxId).changes !== 1) throw new ConflictError('OutboxMessage', String(outboxId));
    }
    write(id, turn.changes, turn.expectedVersion, now);
    addMessages(id, turn.messages, stamp);
    for (const u of turn.unanswered ?? []) addUnanswered.run(id, u.channel, u.region, u.industry ?? null, maskText(u.text), stamp);
    for (const t of turn.tickets ?? []) {
      addTicket.run(newId(now.getTime()), t.number, t.kind, t.region, t.channel, t.userId, id, t.text, t.about ?? null, t.contact ?? null, at(t.createdAt), stamp);
    }
  });

  const start = db.transaction((channel: string, userId: string, now: Date) => {
    addUser.run(newId(now.getTime()), channel, userId, at(now));
    return addConversation.get(newId(now.getTime()), channel, userId, at(now), at(now)) as Row;
  });
  const append = db.transaction((conversationId: string, direction: string, text: string, now: Date) => {
    const row = addMessage.get(conversationId, direction, text, at(now)) as Row;
    touch.run(at(now), conversationId);
    return row;
  });

  const conversations: ConversationRepository = {
    async findLatest({ channel, userId }) {
      const row = latest.get(channel, userId) as Row | undefined;
      return row ? conversationOf(row) : null;
    },
    async findOrStart(key) {
      return (await conversations.findLatest(key)) ?? conversations.start(key);
    },
    async start({ channel, userId }) {
      return conversationOf(start(channel, userId, new Date()));
    },
    async get(id) {
      const row = byId.get(id) as Row | undefined;
      if (!row) throw new NotFoundError('Conversation', id);
      return conversationOf(row);
    },
    async update(id, changes) {
      return conversationOf(write(id, changes, undefined, new Date()));
    },
    async appendMessage({ conversationId, direction, text }) {
      try {
        return messageOf(append(conversationId, direction, text, new Date()));
      } catch (error) {
        throw constraint(error) === 'missing' ? new NotFoundError('Conversation', conversationId, { cause: error }) : error;
      }
    },
    async recentMessages(conversationId, limit = DEFAULT_RECENT_MESSAGES) {
      return (recent.all(conversationId, limit) as Row[]).reverse().map(messageOf);
    },
    async saveTurn(id, turn) {
      saveWithMeaning({ ...turn, conversationId: id }, new Date());
    },
  };

  function saveWithMeaning(turn: TurnWrite, clock: Date): void {
    try {
      saveTurn(turn, clock);
    } catch (error) {
      // A message for a conversation that is gone: the foreign key says so. A ticket number taken: run again.
      const kind = constraint(error);
      if (kind === 'missing') throw new NotFoundError('Conversation', turn.conversationId, { cause: error });
      if (kind === 'taken') throw new ConflictError('Ticket', turn.conversationId, { cause: error });
      throw error;
    }
  }

  return {
    conversations,
    run: (user, fn) =>
      locks.run(userLockKey(user), () =>
        fn({
          async open({ updateKey, now }): Promise<TurnOpening> {
            const row = opening.get({ channel: user.channel, userId: user.userId, now: at(now), updateKey: updateKey ?? null }) as Row;
            const { waiting$: waiting, handled$: handled, ...conversation } = row;
            return {
              conversation: conversation['id'] == null ? null : conversationOf(conversation),
              handled: handled === 1,
              waiting: (JSON.parse(String(waiting)) as Parameters<typeof toWaiting>[0][]).map(toWaiting),
            };
          },
          async save(turn, clock) {
            saveWithMeaning(turn, clock);
          },
        }),
      ),
    ping: async () => {
      db.prepare('SELECT 1').get();
    },
    async close() {
      await locks.close();
      await checkpoints.stop();
      db.close();
    },
  };
}

/** A foreign key pointing nowhere (the conversation is gone) or a unique key taken, by better-sqlite3's code. */
function constraint(error: unknown): 'missing' | 'taken' | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'missing';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'taken';
  return undefined;
}

/** SQLite's row: the state as JSON text, the flag as 0/1, the dates as ISO text. */
function decoded(row: Row): DecodedRow {
  return { ...row, state: JSON.parse(String(row['state'])), handoff: row['handoff'] === 1, createdAt: new Date(String(row['createdAt'])), updatedAt: new Date(String(row['updatedAt'])) };
}

const conversationOf = (row: Row) => toConversation(decoded(row));
const messageOf = (row: Row) => toMessage({ ...row, createdAt: new Date(String(row['createdAt'])) });
