/**
 * Hostile input through every HTTP entry point that takes text, on SQLite and (with TEST_DATABASE_URL) on
 * PostgreSQL, through the real server: unpaired surrogates, bidi overrides and isolates, zero-width
 * characters, NUL and other controls inside every string; malformed, deeply nested and wrongly typed JSON;
 * strings beyond the limits. Nothing answers 5xx; afterwards no table holds any of those characters (nor
 * U+FFFD, what a surrogate would have become), and emoji and CJK extension characters, which are valid,
 * are stored and printed on the licence exactly as typed.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, PG_URL, testStore, type TestStore } from '../cases/helpers.ts';
import { chat, createStaffToken, filledForm, startServer, type RunningServer } from './serverProcess.ts';

const ADMIN = 'admin-token-for-hostile-input-0123456789';
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Each hostile character on its own, by name (in an order where no high surrogate precedes a low one). */
const HOSTILE = {
  loneLow: '\uDFFF',
  rlo: '\u202E',
  loneHigh: '\uD800',
  lri: '\u2066',
  swappedPair: '\uDFFF\uD800',
  pdi: '\u2069',
  rlm: '\u200F',
  zwsp: '\u200B',
  bom: '\uFEFF',
  wordJoiner: '\u2060',
  softHyphen: '\u00AD',
  nul: '\u0000',
  bell: '\u0007',
  escape: '\u001B',
} as const;
const ALL = Object.values(HOSTILE).join('');
/** Valid characters that must survive: emoji (a ZWJ family, a flag, a skin tone) and CJK extensions B and G. */
const VALID = '😀👨‍👩‍👧🇨🇳👍🏽𠀀𪚥𰻝';

/** `text` with hostile characters after its first character (every one of them unless told). */
const dirty = (text: string, hostile = ALL) => `${[...text][0] ?? ''}${hostile}${[...text].slice(1).join('')}`;

/** The same in a URL path or query, percent-encoded (a URL cannot carry a surrogate: see SURROGATE_BYTES). */
const inUrl = (text: string, hostile = ALL.replace(/[\uD800-\uDFFF]/g, '')) => encodeURIComponent(dirty(text, hostile));
/** A lone surrogate's bytes in the (invalid) UTF-8 of a URL, and a NUL. */
const SURROGATE_BYTES = '%ED%A0%80%00';

/** A valid answer to a form field the chat asks for, as an applicant would type it (as in test/e2e/journey.test.ts). */
function answerFor(field: { type: string }, options: { value: string }[] | undefined): string {
  if (options?.length) return options[0]?.value ?? '1';
  return { number: '2', integer: '2', multi_choice: '1', date: '2026-12-01', boolean: '否', address: '测试路12号一层' }[field.type] ?? '详见附件说明';
}

/** What must never be stored: the characters above, their JSON escapes (SQLite keeps JSON as text), U+FFFD. */
const STORED_HIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u00AD\u061C\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFFD]|\p{Cs}|\\u(?:00[01][0-9a-f]|00ad|200[bcef]|202[a-e]|206[0-9]|feff|d[89a-f][0-9a-f]{2})/iu;

describe.each(BACKENDS)('hostile input on %s', (backend) => {
  let store: TestStore;
  let server: RunningServer;
  let agent = '';
  let staff = '';
  const responses: { what: string; status: number }[] = [];

  beforeAll(async () => {
    store = testStore(backend);
    server = await startServer({ DATABASE_URL: store.url, ADMIN_TOKEN: ADMIN, QUIET_HOURS: 'off', CHAT_RATE_LIMIT: 'off' });
    agent = await createStaffToken(server.url, ADMIN, '12345坐席小李', 'hotline');
    staff = await createStaffToken(server.url, ADMIN, '窗口王审批', 'staff');
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await store?.cleanup();
  });

  /** One request; every answer is kept for the no-5xx check. */
  const call = async (method: string, path: string, options: { token?: string; body?: unknown; raw?: string; type?: string } = {}) => {
    const body = options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(body !== undefined ? { 'content-type': options.type ?? 'application/json' } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    responses.push({ what: `${method} ${path.slice(0, 80)} ${(body ?? '').slice(0, 80)}`, status: res.status });
    let json: Json = text;
    try {
      json = JSON.parse(text);
    } catch {
      // an HTML page
    }
    return { status: res.status, body: json };
  };
  const say = async (userId: string, text: string) => {
    const r = await call('POST', '/api/chat', { body: { userId, text, region: 'naiman' } });
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
    return r.body;
  };
  const texts = (r: Json) => (r.replies as { text: string }[]).map((x) => x.text).join('\n');
  const expectNo5xx = () => expect(responses.filter((r) => r.status >= 500)).toEqual([]);

  it('a whole chat whose form values carry hostile characters stores and prints them clean, emoji and rare characters kept', async () => {
    const user = 'w-hostile-chat';
    const clean = {
      entity_name: `老王${VALID}商贸有限公司`,
      business_address: '奈曼旗大沁他拉镇测试路12号一层',
      legal_rep_name: '王五',
      contact_name: '王五',
    };
    const typed: Record<string, string> = {
      entity_name: dirty(clean.entity_name),
      entity_type: dirty('企业', HOSTILE.rlo),
      credit_code: dirty('91350100M000100Y43', HOSTILE.zwsp),
      legal_rep_name: dirty(clean.legal_rep_name),
      legal_rep_id_number: dirty('11010519491231002X', HOSTILE.bom),
      contact_name: dirty(clean.contact_name, HOSTILE.lri + HOSTILE.pdi),
      contact_mobile: dirty('13912345678', HOSTILE.loneHigh),
      business_address: dirty(clean.business_address),
      business_area: dirty('大概八十平', HOSTILE.nul),
      employee_count: '3个人',
    };
    let r = await say(user, dirty('我想在大沁他拉开个小卖部，也卖烟，不卖药'));
    expect(r.state.industry?.name, texts(r)).toBe('便利店');
    for (let guard = 0; r.state.stage === 'questions' && guard < 10; guard++) {
      const q = r.state.pendingQuestion;
      r = await say(user, dirty(q.type === 'boolean' ? '否' : q.options[0].label, HOSTILE.zwsp));
    }
    expect(r.state.stage).toBe('guided');
    r = await say(user, dirty('填表'));
    for (let guard = 0; r.state.stage === 'form' && guard < 40; guard++) {
      const f = r.state.pendingField;
      r = await say(user, typed[f.id] ?? dirty(answerFor(f, r.replies.at(-1)?.options), HOSTILE.zwsp));
    }
    expect(r.state.stage, texts(r)).toBe('confirm');
    r = await say(user, dirty('确认提交', HOSTILE.rlo));
    expect(r.state.stage).toBe('submitted');
    const caseNumber = r.state.caseNumber as string;

    const shown = (await call('GET', `/api/staff/cases/${caseNumber}?reveal=1`, { token: staff })).body;
    expect(shown.form).toMatchObject({ ...clean, credit_code: '91350100M000100Y43', legal_rep_id_number: '11010519491231002X', contact_mobile: '13912345678' });

    // Approved and issued: the licence page and its print show the name and address as meant.
    expect((await call('POST', `/api/staff/cases/${caseNumber}/accept`, { token: staff, body: {} })).status).toBe(200);
    if (shown.items.some((i: Json) => i.inspection === 'always')) {
      expect((await call('POST', `/api/staff/cases/${caseNumber}/inspection`, { token: staff, body: { at: new Date().toISOString() } })).status).toBe(200);
      expect((await call('POST', `/api/staff/cases/${caseNumber}/inspection/result`, { token: staff, body: { result: 'passed' } })).status).toBe(200);
    }
    for (const [n, item] of (shown.items as Json[]).entries()) {
      const decided = await call('POST', `/api/staff/cases/${caseNumber}/items/${item.permitId}`, { token: staff, body: { decision: 'approve', permitNumber: dirty(`XK-${n + 1}`) } });
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    }
    expect([200, 409]).toContain((await call('POST', `/api/staff/cases/${caseNumber}/licence`, { token: staff })).status); // 奈曼旗 issues it as items are approved
    const links = (await call('GET', `/api/staff/cases/${caseNumber}`, { token: staff })).body.licenceLinks;
    const verify = new URL(links.verify).pathname;
    const licence = (await call('GET', `${verify}.json`)).body.licence;
    expect(licence).toMatchObject({ holder: clean.entity_name, address: clean.business_address });
    expect(licence.items.map((i: Json) => i.permitNumber)).toEqual(shown.items.map((_: unknown, n: number) => `XK-${n + 1}`));
    const print = (await call('GET', `${verify}/print`)).body as string;
    expect(print).toContain(clean.entity_name);
    expect(print).not.toMatch(STORED_HIDDEN);
  });

  it('every public, staff and agent entry point that takes text: hostile strings are cleaned, never a 5xx', async () => {
    // The public: the chat (text, region and userId), its history, the guidance, the catalog, sign-in, licence pages.
    for (const [name, h] of Object.entries(HOSTILE)) {
      const r = await call('POST', '/api/chat', { body: { userId: `w-${name}`, text: dirty(`开个药店${name}`, h), region: dirty('奈曼旗', h) } });
      expect(r.status, name).toBe(200);
      expect(r.body.state.region?.id, name).toBe('naiman');
    }
    expect((await call('POST', '/api/chat', { body: { userId: dirty('w-dirty-id'), text: dirty('你好') } })).status).toBe(200);
    expect((await call('GET', `/api/chat/history?userId=${inUrl('w-dirty-id', HOSTILE.zwsp + HOSTILE.rlo)}`)).body.messages.length).toBeGreaterThan(0);
    for (const url of [`/api/chat/history?userId=w-${SURROGATE_BYTES}`, `/api/catalog/${SURROGATE_BYTES}`, `/v/${SURROGATE_BYTES}`, `/v/${SURROGATE_BYTES}.json`, `/console?x=${SURROGATE_BYTES}`]) {
      expect((await call('GET', url)).status, url).toBeLessThan(500);
    }
    for (const url of [`/api/staff/cases/${SURROGATE_BYTES}`, `/api/staff/cases?q=${SURROGATE_BYTES}`, `/api/staff/tickets/${SURROGATE_BYTES}`, `/api/staff/handoffs/${SURROGATE_BYTES}`]) {
      expect((await call('GET', url, { token: staff })).status, url).toBeLessThan(500);
    }
    const guide = await call('POST', '/api/guide', { body: { region: dirty('奈曼旗'), text: dirty('开个小卖部，卖烟'), answers: { [dirty('sells_tobacco', HOSTILE.zwsp)]: dirty('是') } } });
    expect(guide.status, JSON.stringify(guide.body).slice(0, 300)).toBe(200);
    expect((await call('GET', `/api/catalog/${inUrl('奈曼旗')}`)).status).toBe(200);
    expect((await call('POST', '/api/console/session', { body: { token: dirty('yy_not-a-real-token-000000') } })).status).toBe(401);
    expect((await call('POST', '/api/console/session', { body: { token: dirty(ADMIN, HOSTILE.zwsp) } })).status).toBe(200);
    expect((await call('GET', `/v/${inUrl('AQABY2xfbm90LWEtdG9rZW4tYXQtYWxs')}`)).status).toBe(404);
    expect((await call('GET', `/v/${inUrl('AQABY2xfbm90LWEtdG9rZW4tYXQtYWxs')}.json`)).status).toBe(404);

    // 帮办代办 with every form value dirty.
    const form = await filledForm(server.url, '便利店', { sells_medicine: '否', sells_tobacco: '是', food_scope: '仅销售预包装食品' });
    const dirtyForm = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, dirty(v)]));
    const assisted = await call('POST', '/api/agent/applications', { token: agent, body: { region: dirty('奈曼旗'), industry: dirty('便利店'), answers: { sells_medicine: dirty('否'), sells_tobacco: dirty('是'), food_scope: dirty('仅销售预包装食品') }, form: { ...dirtyForm, entity_name: dirty(`奈曼旗${VALID}小店`) } } });
    expect(assisted.status, JSON.stringify(assisted.body)).toBe(201);
    const caseNumber = assisted.body.caseNumber as string;
    const detail = (await call('GET', `/api/staff/cases/${caseNumber}?reveal=1`, { token: staff })).body;
    expect(detail.form.entity_name).toBe(`奈曼旗${VALID}小店`);
    expect(detail.form.business_address).toBe(form['business_address']);

    // Staff case operations, with the case number itself dirty in the path.
    const path = `/api/staff/cases/${inUrl(caseNumber, HOSTILE.zwsp + HOSTILE.rlo)}`;
    expect((await call('POST', `${path}/accept`, { token: staff, body: { reason: dirty('材料齐全') } })).status).toBe(200);
    expect((await call('POST', `${path}/material-requests`, { token: staff, body: { materials: [{ name: dirty('从业人员健康证明'), problem: dirty('已过期') }], howToSubmit: dirty('到窗口提交') } })).status).toBe(200);
    expect((await call('POST', `${path}/material-requests/current`, { token: staff, body: { outcome: 'resolved', reason: dirty('已收到') } })).status).toBe(200);
    const items = detail.items as Json[];
    const first = items[0]?.permitId as string;
    expect((await call('POST', `${path}/inspection`, { token: staff, body: { at: new Date().toISOString(), note: dirty('带上营业执照') } })).status).toBe(200);
    expect((await call('POST', `${path}/inspection/result`, { token: staff, body: { result: 'rectify', opinions: [dirty('货架离地不足'), dirty('灭火器过期')], note: dirty('一周内整改') } })).status).toBeLessThan(500);
    const decided = await call('POST', `${path}/items/${inUrl(first, HOSTILE.zwsp)}`, { token: staff, body: { decision: 'reject', reason: dirty('不符合条件') } });
    expect(decided.status, JSON.stringify(decided.body)).toBeLessThan(500);
    expect((await call('POST', `${path}/changes`, { token: staff, body: { reason: dirty('名称变更'), fields: { entity_name: dirty(`奈曼旗${VALID}新店`) } } })).status).toBeLessThan(500);
    expect((await call('GET', `/api/staff/cases?q=${inUrl('小店')}`, { token: staff })).status).toBe(200);

    // A complaint taken down in the chat, assigned and answered; a handed-off chat with a note and a reply.
    const user = 'w-hostile-ticket';
    await say(user, dirty('我要投诉'));
    await say(user, dirty('上周在政务大厅办证，窗口说材料不全但没说缺什么，让我跑了三趟'));
    await say(user, dirty('我开的便利店叫老王便利店'));
    const number = /GD\d{14}/.exec(texts(await say(user, dirty('电话13912345678', HOSTILE.zwsp))))?.[0] ?? '';
    expect(number).not.toBe('');
    const ticket = `/api/staff/tickets/${inUrl(number, HOSTILE.bom)}`;
    expect((await call('POST', `${ticket}/assign`, { token: staff, body: { department: dirty('政数局') } })).status).toBe(200);
    expect((await call('POST', `${ticket}/answer`, { token: staff, body: { answer: dirty('经核实，已安排专人一次性告知所缺材料。') } })).status).toBe(200);
    const shownTicket = (await call('GET', `/api/staff/tickets/${number}?reveal=1`, { token: staff })).body;
    expect(shownTicket.about).toBe('老王便利店');

    const handed = await say('w-hostile-handoff', dirty('转人工'));
    const conversation = `/api/staff/handoffs/${inUrl(handed.conversationId, HOSTILE.zwsp)}`;
    expect((await call('POST', `${conversation}/claim`, { token: agent, body: {} })).status).toBe(200);
    expect((await call('POST', `${conversation}/notes`, { token: agent, body: { text: dirty('来电人要开便利店') } })).status).toBe(201);
    expect((await call('POST', `${conversation}/reply`, { token: agent, body: { text: dirty('您好，这里是12345，请讲。') } })).status).toBe(200);

    // The agents' suggestions, what they did with one, and the FAQ made from it; a new staff member.
    const suggested = await call('POST', '/api/agent/suggest', { token: agent, body: { region: dirty('奈曼旗'), text: dirty('开便利店要多久') } });
    expect(suggested.status).toBe(200);
    const feedback = await call('POST', '/api/agent/suggestions/feedback', {
      token: agent,
      body: { region: dirty('奈曼旗'), question: dirty('开便利店要多久'), suggestion: { text: dirty('一般五个工作日'), sources: [{ title: dirty('奈曼旗方案'), ref: dirty('第三条') }] }, outcome: 'edited', sent: dirty('一般五个工作日内办结。') },
    });
    expect(feedback.status, JSON.stringify(feedback.body)).toBe(201);
    expect((await call('POST', '/api/agent/faq', { token: ADMIN, body: { feedbackId: feedback.body.id, question: dirty('便利店多久能办好'), answer: dirty('一般五个工作日内办结。') } })).status).toBe(201);
    expect((await call('GET', `/api/agent/faq?region=${inUrl('奈曼旗')}`, { token: agent })).status).toBe(200);
    expect((await call('DELETE', `/api/agent/faq/${inUrl('999999')}`, { token: ADMIN })).status).toBeLessThan(500);
    expect((await call('POST', '/api/staff/users', { token: ADMIN, body: { name: dirty(`窗口${VALID}小张`), role: dirty('staff', HOSTILE.zwsp) } })).status).toBe(201);

    // Reads show nothing hidden, and the valid characters as typed.
    const reads = [
      await call('GET', `/api/staff/cases/${caseNumber}?reveal=1`, { token: staff }),
      await call('GET', `/api/staff/tickets/${number}?reveal=1`, { token: staff }),
      await call('GET', `/api/staff/handoffs/${handed.conversationId}`, { token: agent }),
      await call('GET', '/api/agent/faq', { token: agent }),
      await call('GET', '/api/staff/users', { token: ADMIN }),
      await call('GET', '/api/chat/history?userId=w-dirty-id'),
    ];
    for (const read of reads) expect(JSON.stringify(read.body)).not.toMatch(STORED_HIDDEN);
    expect(JSON.stringify(reads[4]?.body)).toContain(`窗口${VALID}小张`);
    expectNo5xx();
  });

  it('malformed, deeply nested, wrongly typed and oversized bodies get a 4xx on every route that takes a body', async () => {
    const routes: [string, string, string?][] = [
      ['POST', '/api/chat'],
      ['POST', '/api/guide'],
      ['POST', '/api/console/session'],
      ['POST', '/api/agent/suggest', agent],
      ['POST', '/api/agent/applications', agent],
      ['POST', '/api/agent/suggestions/feedback', agent],
      ['POST', '/api/agent/faq', ADMIN],
      ['POST', '/api/staff/cases/BJ20260101000001/accept', staff],
      ['POST', '/api/staff/cases/BJ20260101000001/material-requests', staff],
      ['POST', '/api/staff/cases/BJ20260101000001/changes', staff],
      ['POST', '/api/staff/tickets/GD20260101000001/answer', staff],
      ['POST', '/api/staff/handoffs/nope/notes', agent],
      ['POST', '/api/staff/users', ADMIN],
    ];
    const deep = (n: number) => `{"text":${'['.repeat(n)}"x"${']'.repeat(n)}}`;
    const bodies: { raw: string; type?: string }[] = [
      { raw: '{"userId":' },
      { raw: '{"a":1,}' },
      { raw: deep(40) },
      { raw: deep(20_000) },
      { raw: JSON.stringify([1, 2, 3]) },
      { raw: '42' },
      { raw: '"just a string"' },
      { raw: 'null' },
      { raw: JSON.stringify({ userId: 'w-types', text: { nested: true }, region: ['奈曼旗'], answers: 'yes', form: [1], token: 7, materials: 'x', name: null, fields: { entity_name: 5 } }) },
      { raw: JSON.stringify({ userId: 'w-long', text: 'a'.repeat(60_000), token: 'a'.repeat(60_000), region: '奈'.repeat(20_000) }) },
      { raw: JSON.stringify({ text: 'a'.repeat(70_000) }) },
      { raw: '{"__pro\\u200bto__":{"polluted":true},"text":"x"}' },
      { raw: '{"constructor":{"prototype":{"polluted":true}}}' },
      { raw: '{"text":"\\ud800\\udfff\\u0000"}' },
      { raw: 'text=hello', type: 'application/x-www-form-urlencoded' },
      { raw: '<xml/>', type: 'text/plain' },
    ];
    for (const [method, path, token] of routes) {
      for (const body of bodies) {
        const r = await call(method, path, { ...(token ? { token } : {}), raw: body.raw, ...(body.type ? { type: body.type } : {}) });
        expect(r.status, `${method} ${path} ${body.raw.slice(0, 60)}`).toBeLessThan(500);
        expect(JSON.stringify(r.body), path).not.toMatch(/at .*\.ts:\d+/);
      }
    }
    // No prototype was changed on the way.
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expectNo5xx();
  }, 120_000);

  it('afterwards no table holds a hidden character, an escape of one, or a replacement character', async () => {
    const found = await scanStore(store, backend);
    expect(found).toEqual([]);
    const all = await scanStore(store, backend, new RegExp(VALID.slice(0, 4), 'u'));
    // The valid characters were stored (in the application, the licence print, the staff member's name).
    expect(all.length).toBeGreaterThan(0);
  });
});

/** Every text and JSON value of every table matching `pattern` (default: what must never be stored), as table.column: excerpt. */
async function scanStore(store: TestStore, backend: 'sqlite' | 'postgres', pattern = STORED_HIDDEN): Promise<string[]> {
  const found: string[] = [];
  const check = (table: string, column: string, value: unknown) => {
    if (typeof value === 'string' && pattern.test(value)) found.push(`${table}.${column}: ${JSON.stringify(value.slice(0, 120))}`);
  };
  if (backend === 'sqlite') {
    const db = new BetterSqlite3(store.url.slice('file:'.length), { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      for (const { name } of tables) {
        for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) for (const [column, value] of Object.entries(row)) check(name, column, value);
      }
    } finally {
      db.close();
    }
    return found;
  }
  const schema = new URL(store.url).searchParams.get('schema') ?? 'public';
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const columns = await client.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND data_type IN ('text', 'jsonb', 'json', 'character varying')",
      [schema],
    );
    for (const { table_name: table, column_name: column } of columns.rows) {
      const rows = await client.query<{ v: string | null }>(`SELECT "${column}"::text AS v FROM "${schema}"."${table}"`);
      for (const row of rows.rows) check(table, column, row.v);
    }
  } finally {
    await client.end();
  }
  return found;
}
