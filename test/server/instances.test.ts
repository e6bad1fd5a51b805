// Two server processes (`node bin/server.js`) on one PostgreSQL database, as behind a load balancer: a
// user's turns are serialized across them, a submission is made once, and a crash mid-submission leaves
// no duplicate. Runs when TEST_DATABASE_URL names a PostgreSQL database.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, testStore, type TestStore } from '../cases/helpers.ts';
import { CALLER_FORM, chat, startServer, tempDir, type RunningServer } from './serverProcess.ts';

const OPENING = '我想在大沁他拉开个小卖部';
/** A 个体工商户's code (92…), as the form asks of the entity type the caller gives. */
const INDIVIDUAL_CREDIT_CODE = '92150525MA00000013';

describe.skipIf(!PG_URL)('two instances on one PostgreSQL database', () => {
  let store: TestStore;
  let a: RunningServer;
  let b: RunningServer;
  let sql: pg.Pool;
  const running: RunningServer[] = [];

  beforeAll(async () => {
    store = testStore('postgres');
    const env = { DATABASE_URL: store.url, CHAT_RATE_LIMIT: '1000/10', HTTP_RATE_LIMIT: 'off' };
    // Started together, as a deployment does: the migration runs once.
    [a, b] = await Promise.all([startServer({ ...env, VAR_DIR: tempDir() }), startServer({ ...env, VAR_DIR: tempDir() })]);
    running.push(a, b);
    // A pool: the trials query side by side. Every connection looks in the test's schema.
    sql = new pg.Pool({ connectionString: PG_URL, max: 4, options: `-c search_path=${new URL(store.url).searchParams.get('schema')}` });
  }, 120_000);

  afterAll(async () => {
    for (const s of running) await s.stop('SIGKILL');
    await sql?.end();
    await store?.cleanup();
  });

  it('keeps both of two answers sent at once to the two instances, in 20 of 20 trials', async () => {
    const trials = Array.from({ length: 20 }, (_, i) => `w-both-${i}`);
    const kept = await Promise.all(
      trials.map(async (userId) => {
        await chat(a.url, { userId, text: OPENING });
        const [x, y] = await Promise.all([chat(a.url, { userId, text: '卖烟' }), chat(b.url, { userId, text: '不卖药' })]);
        expect([x.status, y.status]).toEqual([200, 200]);
        const last = await chat(a.url, { userId, text: '' });
        const answers = last.json.state.answers as Record<string, unknown>;
        const inbound = await sql.query(`SELECT m.text FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId" WHERE c."userId" = $1 AND m.direction = 'in'`, [userId]);
        return answers['sells_tobacco'] === true && answers['sells_medicine'] === false && inbound.rows.length === 3;
      }),
    );
    expect(kept.filter(Boolean).length).toBe(20);
  }, 120_000);

  it('makes one case of one 确认提交 sent to both instances at once, in 20 of 20 trials', async () => {
    const users = Array.from({ length: 20 }, (_, i) => `w-twice-${i}`);
    await Promise.all(users.map((userId) => toConfirm(a.url, userId)));
    const outcomes = await Promise.all(
      users.map(async (userId) => {
        const [x, y] = await Promise.all([chat(a.url, { userId, text: '确认提交' }), chat(b.url, { userId, text: '确认提交' })]);
        return [x.status, y.status, await applicationsOf(userId)];
      }),
    );
    expect(outcomes.filter(([x, y, n]) => x === 200 && y === 200 && n === 1).length).toBe(20);
  }, 180_000);

  it('shows 1,000 waiting messages exactly once each to web users visiting both instances at once', async () => {
    const users = Array.from({ length: 50 }, (_, i) => `w-waiting-${i}`);
    await Promise.all(users.map((userId) => chat(a.url, { userId, text: OPENING })));
    // Notices waiting for pull channels, as staff actions and reminders write them: 20 for each user.
    const values = users.flatMap((userId) => Array.from({ length: 20 }, (_, n) => [userId, `通知 ${userId} #${n}`]));
    await sql.query(
      `INSERT INTO "OutboxMessage" (channel, "userId", text, status, attempts, "availableAt", "createdAt", recorded)
       SELECT 'web', u, t, 'pending', 0, now(), now(), false FROM unnest($1::text[], $2::text[]) AS x(u, t)`,
      [values.map((v) => v[0]), values.map((v) => v[1])],
    );
    const shown = new Map<string, number>();
    await Promise.all(
      users.map(async (userId) => {
        // The same person's page open on two devices, each visit landing on another instance.
        const visits = await Promise.all([chat(a.url, { userId, text: '' }), chat(b.url, { userId, text: '' }), chat(a.url, { userId, text: '进度' })]);
        for (const r of visits) {
          expect(r.status).toBe(200);
          for (const reply of r.json.replies as { kind: string; text: string }[]) if (reply.kind === 'notice_message') shown.set(reply.text, (shown.get(reply.text) ?? 0) + 1);
        }
      }),
    );
    expect(shown.size).toBe(1000);
    expect([...shown.values()].every((n) => n === 1)).toBe(true);
    const left = await sql.query(`SELECT status, count(*)::int AS n FROM "OutboxMessage" WHERE "userId" LIKE 'w-waiting-%' GROUP BY status`);
    expect(left.rows).toEqual([{ status: 'delivered', n: 1000 }]);
  }, 180_000);

  it('leaves no duplicate when an instance is killed mid-submission: 50 of 50', async () => {
    const users = Array.from({ length: 50 }, (_, i) => `w-killed-${i}`);
    await Promise.all(users.map((userId) => toConfirm(b.url, userId)));
    // All fifty submit on one instance, which is killed while their turns run; each then submits again on
    // the other, as a person whose page showed an error would.
    const sent = users.map((userId) => chat(b.url, { userId, text: '确认提交' }).catch(() => null));
    await new Promise((resolve) => setTimeout(resolve, 40));
    await b.stop('SIGKILL');
    await Promise.all(sent);
    const again = await Promise.all(users.map((userId) => chat(a.url, { userId, text: '确认提交' })));
    expect(again.every((r) => r.status === 200)).toBe(true);
    const counts = await Promise.all(users.map((userId) => applicationsOf(userId)));
    expect(counts.filter((n) => n === 1).length).toBe(50);
    // Every case belongs to one application, and every conversation that says it was submitted has its case.
    const orphans = await sql.query(`SELECT count(*)::int AS n FROM "Conversation" c WHERE c.stage = 'submitted' AND NOT EXISTS (SELECT 1 FROM "Application" x WHERE x."conversationId" = c.id)`);
    expect(orphans.rows[0].n).toBe(0);
  }, 240_000);

  async function applicationsOf(userId: string): Promise<number> {
    const r = await sql.query(`SELECT count(*)::int AS n FROM "Application" WHERE "userId" = $1`, [userId]);
    return r.rows[0].n;
  }
});

/** A web user at the confirmation step of a 便利店 in 奈曼旗, the form filled as a caller would. */
async function toConfirm(url: string, userId: string): Promise<void> {
  let r = await chat(url, { userId, text: `${OPENING}，也卖烟，不卖药` });
  r = await chat(url, { userId, text: '填表' });
  if (r.status !== 200) throw new Error(`HTTP ${r.status} on 填表: ${JSON.stringify(r.json)}`);
  for (let guard = 0; r.json.state.stage === 'form' && guard < 40; guard += 1) {
    const field = r.json.state.pendingField as { id: string; type: string; required: boolean };
    const options = r.json.replies.at(-1)?.options as { value: string }[] | undefined;
    const text = (field.id === 'credit_code' ? INDIVIDUAL_CREDIT_CODE : CALLER_FORM[field.id]) ?? options?.[0]?.value ?? (!field.required ? '跳过' : field.type === 'text' ? '详见附件说明' : '1');
    r = await chat(url, { userId, text });
    if (r.status !== 200) throw new Error(`HTTP ${r.status} on 「${text}」: ${JSON.stringify(r.json)}`);
  }
  if (r.json.state.stage !== 'confirm') throw new Error(`not at confirm: ${JSON.stringify(r.json.state)}`);
}
