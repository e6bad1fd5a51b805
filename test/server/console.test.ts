/**
 * The console's API through the real server: signing in for a session cookie (CSRF, sign-out, revoked
 * tokens); 投诉 taken down in the web chat as a ticket, assigned and answered back to the chat; 帮办代办 for a
 * caller in a handed-off chat and for one on the phone alone, who follows the case by message; finding a
 * case by phone, credit code and name; a staff member's department; the dashboard's CSV; an edited answer
 * turned into an FAQ entry that the assistant then answers with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, createStaffToken, filledForm, startServer, type RunningServer } from './serverProcess.ts';

const ADMIN = 'admin-token-for-console-api-0123456789';
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ANSWERS = { sells_medicine: '否', sells_tobacco: '是', food_scope: '仅销售预包装食品' };

describe('the console API', () => {
  let server: RunningServer;
  let agent = '';
  let staff = '';
  beforeAll(async () => {
    server = await startServer({ ADMIN_TOKEN: ADMIN, QUIET_HOURS: 'off', CHAT_RATE_LIMIT: 'off' });
    agent = await createStaffToken(server.url, ADMIN, '12345坐席小李', 'hotline');
    staff = await createStaffToken(server.url, ADMIN, '窗口王审批', 'staff');
  });
  afterAll(async () => {
    await server?.stop();
  });

  const call = async (method: string, path: string, options: { token?: string; cookie?: string; csrf?: string; body?: unknown } = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(options.csrf ? { 'x-csrf-token': options.csrf } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, headers: res.headers, body: (type.includes('json') ? await res.json() : await res.text()) as Json };
  };
  const say = async (userId: string, text: string) => (await chat(server.url, { userId, text, region: 'naiman' })).json as Json;
  const texts = (r: Json) => (r.replies as { text: string }[]).map((x) => x.text).join('\n');
  const guideForm = (industry: string, answers: object) => filledForm(server.url, industry, answers);

  it('signs in for an httpOnly cookie; changes need the CSRF token; sign-out and a revoked token end it', async () => {
    expect((await call('POST', '/api/console/session', { body: { token: 'yy_wrong-token-000000000000' } })).status).toBe(401);
    const page = await call('GET', '/console');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.body).toContain('工作人员登录');
    expect((await call('GET', '/console/chart.js')).body.length).toBeGreaterThan(100_000);

    const member = await createStaffToken(server.url, ADMIN, '临时坐席', 'hotline');
    const signed = await call('POST', '/api/console/session', { body: { token: member } });
    expect(signed.status).toBe(200);
    const setCookie = signed.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/yiye_console=[\w-]+/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).not.toContain(member);
    const cookie = setCookie.split(';')[0] ?? '';
    const csrf = signed.body.csrf as string;
    expect(signed.body.actor).toMatchObject({ name: '临时坐席', role: 'hotline' });

    expect((await call('GET', '/api/staff/me', { cookie })).body.name).toBe('临时坐席');
    expect((await call('GET', '/api/console/session', { cookie })).body.csrf).toBe(csrf);
    // A change without the CSRF token (a forged cross-site form) is refused; with it, it runs.
    const forged = await call('POST', '/api/agent/suggest', { cookie, body: { region: 'naiman', text: '要多久' } });
    expect(forged.status).toBe(403);
    expect(forged.body.message).toContain('刷新页面');
    expect((await call('POST', '/api/agent/suggest', { cookie, csrf, body: { region: 'naiman', text: '要多久' } })).status).toBe(200);

    // Signing out ends the session for any copy of the cookie.
    expect((await call('DELETE', '/api/console/session', { cookie, csrf })).status).toBe(200);
    expect((await call('GET', '/api/staff/me', { cookie })).status).toBe(401);

    // A revoked member's open session ends too.
    const again = await call('POST', '/api/console/session', { body: { token: member } });
    const cookie2 = (again.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const users = (await call('GET', '/api/staff/users', { token: ADMIN })).body as { id: string; name: string }[];
    const id = users.find((u) => u.name === '临时坐席')?.id ?? '';
    expect((await call('DELETE', `/api/staff/users/${id}`, { token: ADMIN })).status).toBe(200);
    expect((await call('GET', '/api/staff/me', { cookie: cookie2 })).status).toBe(401);
  });

  it('takes a complaint down in the chat as a ticket; staff assign and answer it, and the answer reaches the chat', async () => {
    const user = 'w-complaint';
    let r = await say(user, '我要投诉');
    expect(texts(r)).toContain('请说说具体情况');
    r = await say(user, '上周三在政务大厅办食品经营许可，窗口说材料不全但没说缺什么，让我跑了三趟');
    expect(texts(r)).toContain('和哪个办件或哪家店铺有关');
    r = await say(user, '我开的便利店叫老王便利店');
    expect(texts(r)).toContain('答复会发到这个对话里');
    r = await say(user, '电话13912345678');
    const number = /GD\d{14}/.exec(texts(r))?.[0] ?? '';
    expect(number, texts(r)).not.toBe('');
    expect(texts(r)).toContain('已为您登记投诉');

    // In the console: listed with the contact masked; the hotline may not reveal it.
    const list = (await call('GET', '/api/staff/tickets?status=open', { token: agent })).body as Json[];
    const ticket = list.find((t) => t.number === number);
    expect(ticket).toMatchObject({ kindLabel: '投诉', statusLabel: '待分派', about: '老王便利店' });
    expect(ticket.contact).toBe('139****5678');
    expect(JSON.stringify(list)).not.toContain('13912345678');
    expect((await call('GET', `/api/staff/tickets/${number}?reveal=1`, { token: agent })).status).toBe(403);
    const shown = (await call('GET', `/api/staff/tickets/${number}?reveal=1`, { token: staff })).body;
    expect(shown.contact).toBe('13912345678');
    expect(shown.messages.map((m: Json) => m.text).join('\n')).toContain('让我跑了三趟');

    expect((await call('POST', `/api/staff/tickets/${number}/assign`, { token: staff, body: { department: '没有的局' } })).status).toBe(400);
    expect((await call('POST', `/api/staff/tickets/${number}/assign`, { token: staff, body: { department: '政数局' } })).body.statusLabel).toBe('办理中');
    const answered = await call('POST', `/api/staff/tickets/${number}/answer`, { token: staff, body: { answer: '经核实，已对窗口人员批评教育，并安排专人一次性告知您所缺材料。' } });
    expect(answered.status).toBe(200);
    expect((await call('POST', `/api/staff/tickets/${number}/answer`, { token: staff, body: { answer: '再答一次' } })).status).toBe(409);

    // The person hears of it on their channel (the web chat collects it at the next visit) and can ask after it.
    r = await say(user, '');
    expect(texts(r)).toContain('已转交政数局办理');
    expect(texts(r)).toContain('【工单答复】');
    r = await say(user, `工单 ${number}`);
    expect(texts(r)).toContain('已答复');
    r = await say(user, '我的投诉有结果了吗');
    expect(texts(r)).toContain(number);
  });

  it('a suggestion with its content in the first message; 「取消」 drops one; 求助 about permits is a consultation', async () => {
    let r = await say('w-suggest', '提个建议，网上填表能不能加个保存草稿的功能');
    expect(texts(r)).toContain('和哪个办件或哪家店铺有关');
    r = await say('w-suggest', '无');
    r = await say('w-suggest', '不用');
    expect(texts(r)).toMatch(/已为您登记建议，工单号 GD\d{14}/);

    r = await say('w-cancel', '我要投诉');
    r = await say('w-cancel', '算了');
    expect(texts(r)).toContain('这次投诉不登记了');

    r = await say('w-help', '求助，我想开个饭店不知道要办哪些证');
    expect(texts(r)).not.toContain('工单');
    expect(texts(r)).toContain('饭店');
  });

  it('帮办代办: for a caller in a handed-off chat, and for one on the phone, who follows the case by message', async () => {
    const user = 'w-assisted';
    await say(user, '我想在奈曼旗开个便利店');
    const handed = await say(user, '转人工');
    const conversationId = handed.conversationId as string;
    expect((await call('POST', `/api/staff/handoffs/${conversationId}/claim`, { token: agent, body: {} })).status).toBe(200);
    // Once an agent has the chat, the assistant no longer answers for them; the waiting time starts at the message.
    expect((await say(user, '在吗？我想请你们帮我填一下申请')).replies).toEqual([]);
    const waiting = (await call('GET', `/api/staff/handoffs/${conversationId}`, { token: agent })).body;
    expect(waiting.waitingSince).not.toBeNull();
    expect(waiting.answers).toEqual({});
    const form = await guideForm('便利店', ANSWERS);

    // A chat the assistant is still having is the applicant's own: no agent submits into it.
    const own = await say('w-not-handed', '我想在奈曼旗开个便利店');
    const intoOwn = await call('POST', '/api/agent/applications', { token: agent, body: { region: 'naiman', industry: '便利店', answers: ANSWERS, form, conversationId: own.conversationId } });
    expect(intoOwn.status).toBe(409);
    expect(intoOwn.body.message).toContain('没有转人工');

    // A field left out, or wrong, is named; nothing is submitted.
    const missing = await call('POST', '/api/agent/applications', { token: agent, body: { region: 'naiman', industry: '便利店', answers: ANSWERS, form: { ...form, contact_mobile: '12345' }, conversationId } });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('联系电话');
    const unanswered = await call('POST', '/api/agent/applications', { token: agent, body: { region: 'naiman', industry: '便利店', answers: {}, form, conversationId } });
    expect(unanswered.body.message).toContain('还需要回答');

    const done = await call('POST', '/api/agent/applications', { token: agent, body: { region: 'naiman', industry: '便利店', answers: ANSWERS, form, conversationId } });
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    const caseNumber = done.body.caseNumber as string;
    let r = await say(user, '');
    expect(texts(r)).toContain(`办件号 ${caseNumber}`);
    expect(texts(r)).toContain('代办提交');
    const shown = (await call('GET', `/api/staff/cases/${caseNumber}`, { token: staff })).body;
    expect(shown.submittedBy).toBe('12345坐席小李');
    expect(shown.events[0]).toMatchObject({ actor: '12345坐席小李', action: 'submitted' });

    // A caller on the phone alone: the case lives on the hotline; they follow it by message from anywhere.
    const phoneBody = { region: 'naiman', industry: '便利店', answers: ANSWERS, form: { ...form, contact_mobile: '13700001111', entity_name: '奈曼旗电话来的小店' } };
    const sent = await Promise.all([call('POST', '/api/agent/applications', { token: agent, body: phoneBody }), call('POST', '/api/agent/applications', { token: agent, body: phoneBody })]);
    // The same form sent twice at once (a double click) makes one case; the other answer names it.
    const phone = sent.find((x) => x.status === 201)!;
    const twice = sent.find((x) => x !== phone)!;
    expect(twice.status).toBe(409);
    expect(twice.body.message).toContain(phone.body.caseNumber);
    expect(phone.body.followUp).toContain(`查询 ${phone.body.caseNumber}`);
    r = await say('w-follow', `查询 ${phone.body.caseNumber} 1111`);
    expect(texts(r)).toContain(phone.body.caseNumber);
    expect(texts(r)).toContain('食品经营许可');

    // Found by phone, credit code and part of the name; a hotline agent sees the phone masked.
    const byPhone = (await call('GET', '/api/staff/cases?q=13700001111', { token: agent })).body as Json[];
    expect(byPhone.map((c) => c.number)).toEqual([phone.body.caseNumber]);
    expect(byPhone[0].phone).toBe('*******1111');
    expect(((await call('GET', '/api/staff/cases?q=91350100M000100Y43', { token: staff })).body as Json[]).length).toBe(2);
    expect(((await call('GET', `/api/staff/cases?q=${encodeURIComponent('电话来的')}`, { token: staff })).body as Json[]).map((c) => c.number)).toEqual([phone.body.caseNumber]);
    // LIKE's wildcards are not a search: a name holds none of them.
    for (const q of ['%', '_', '%%']) expect((await call('GET', `/api/staff/cases?q=${encodeURIComponent(q)}`, { token: staff })).status, q).toBe(400);
    expect(((await call('GET', `/api/staff/cases?q=${encodeURIComponent('电话%来的')}`, { token: staff })).body as Json[]).map((c) => c.number)).toEqual([phone.body.caseNumber]);
  });

  it('a member of one department decides only its items; inspections are never in the past and wait for their day', async () => {
    const form = await guideForm('便利店', ANSWERS);
    const { caseNumber } = (await call('POST', '/api/agent/applications', { token: staff, body: { region: 'naiman', industry: '便利店', answers: ANSWERS, form: { ...form, contact_mobile: '13600002222' } } })).body;
    const created = await call('POST', '/api/staff/users', { token: ADMIN, body: { name: '烟草专卖局老刘', role: 'staff', department: '烟草专卖局' } });
    expect(created.body.department).toBe('烟草专卖局');
    expect((await call('POST', '/api/staff/users', { token: ADMIN, body: { name: '某人', role: 'staff', department: '不存在的局' } })).status).toBe(400);
    const tobacco = created.body.token as string;
    expect((await call('POST', `/api/staff/cases/${caseNumber}/accept`, { token: staff, body: {} })).status).toBe(200);
    // A case with no tobacco item is not theirs to accept at all.
    const noTobacco = (await call('POST', '/api/agent/applications', { token: staff, body: { region: 'naiman', industry: '便利店', answers: { ...ANSWERS, sells_tobacco: '否' }, form: { ...(await guideForm('便利店', { ...ANSWERS, sells_tobacco: '否' })), contact_mobile: '13600003333' } } })).body;
    const refused = await call('POST', `/api/staff/cases/${noTobacco.caseNumber}/accept`, { token: tobacco, body: {} });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('没有烟草专卖局的事项');
    const food = await call('POST', `/api/staff/cases/${caseNumber}/items/food_business_licence`, { token: tobacco, body: { decision: 'approve' } });
    expect(food.status).toBe(403);
    expect(food.body.message).toContain('您只能审批烟草专卖局的事项');

    expect((await call('POST', `/api/staff/cases/${caseNumber}/inspection`, { token: staff, body: { at: '2020-01-01T09:30' } })).body.message).toContain('已经过去');
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString();
    expect((await call('POST', `/api/staff/cases/${caseNumber}/inspection`, { token: staff, body: { at: later } })).status).toBe(200);
    expect((await call('POST', `/api/staff/cases/${caseNumber}/inspection/result`, { token: staff, body: { result: 'passed' } })).body.message).toContain('核查之后才能记录结果');
    const moved = await call('POST', `/api/staff/cases/${caseNumber}/inspection`, { token: staff, body: { at: new Date().toISOString() } });
    expect(moved.body.moved).toBe(true);
    expect((await call('POST', `/api/staff/cases/${caseNumber}/inspection/result`, { token: staff, body: { result: 'passed' } })).status).toBe(200);
    const shown = (await call('GET', `/api/staff/cases/${caseNumber}`, { token: staff })).body;
    expect(shown.noticeMaterials.length).toBeGreaterThan(3);
    expect(shown.events.some((e: Json) => e.action === 'inspection_moved')).toBe(true);
  });

  it('the dashboard as JSON and CSV', async () => {
    const stats = (await call('GET', '/api/staff/stats?region=naiman', { token: agent })).body;
    expect(stats.cases.total).toBeGreaterThanOrEqual(3);
    expect(stats.merging[0].materialsBefore).toBeGreaterThanOrEqual(stats.merging[0].materialsAfter);
    expect(stats.merging[0].fieldsBefore).toBeGreaterThan(stats.merging[0].fieldsAfter);
    expect(stats.tickets.find((t: Json) => t.kind === 'complaint').answered).toBe(1);
    const csv = await call('GET', '/api/staff/stats.csv?table=merging', { token: agent });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="yiye-merging-\d{4}-\d{2}-\d{2}\.csv"/);
    // fetch's text() drops a byte-order mark: the bytes show it is there, for Excel.
    const bytes = new Uint8Array(await (await fetch(`${server.url}/api/staff/stats.csv?table=merging`, { headers: { authorization: `Bearer ${agent}` } })).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.body.startsWith('办件号,行业,合并前材料')).toBe(true);
    expect(csv.body.split('\r\n').length).toBeGreaterThanOrEqual(4);
    expect((await call('GET', '/api/staff/stats.csv?table=nothing', { token: agent })).status).toBe(400);
  });

  it('an edited answer an admin turns into an FAQ entry is what the assistant answers with from then on', async () => {
    const question = '老年人办证有没有绿色通道';
    expect(texts(await say('w-faq-before', question))).not.toContain('设有老年人绿色通道');
    const sent = '奈曼旗政务服务大厅设有老年人绿色通道，可优先办理；行动不便的可预约上门帮办。';
    const given = await call('POST', '/api/agent/suggestions/feedback', { token: agent, body: { region: 'naiman', question, suggestion: { text: '没有确切答案', sources: [] }, outcome: 'edited', sent } });
    expect(given.status).toBe(201);
    expect((await call('POST', '/api/agent/faq', { token: agent, body: { feedbackId: given.body.id } })).status).toBe(403);
    const entry = await call('POST', '/api/agent/faq', { token: ADMIN, body: { feedbackId: given.body.id } });
    expect(entry.status, JSON.stringify(entry.body)).toBe(201);
    const r = await say('w-faq-after', '老人办证有绿色通道吗');
    expect(texts(r)).toContain('设有老年人绿色通道');
    expect(((await call('GET', '/api/agent/faq?region=naiman', { token: agent })).body as Json[]).map((f) => f.answer)).toContain(sent);
    // A question the assistant answers on its own (the time of an item) is answered with the office's entry once one is made for it.
    const timeQuestion = '面包房的食品经营许可要多久能办下来';
    const own = texts(await say('w-faq-time-before', timeQuestion));
    const timeSent = '食品经营许可材料齐全的，窗口承诺4个工作日内办结；需要现场核查的，以核查通知为准。';
    const timeFeedback = await call('POST', '/api/agent/suggestions/feedback', { token: agent, body: { region: 'naiman', question: timeQuestion, suggestion: { text: own, sources: [] }, outcome: 'edited', sent: timeSent } });
    const timeEntry = await call('POST', '/api/agent/faq', { token: ADMIN, body: { feedbackId: timeFeedback.body.id } });
    expect(timeEntry.status).toBe(201);
    expect(texts(await say('w-faq-time-after', '面包房食品经营许可多久能办下来？'))).toContain('窗口承诺4个工作日内办结');
    expect((await call('DELETE', `/api/agent/faq/${timeEntry.body.id}`, { token: ADMIN })).status).toBe(200);
    expect((await call('DELETE', `/api/agent/faq/${entry.body.id}`, { token: ADMIN })).status).toBe(200);
    expect(texts(await say('w-faq-retired', '老人办证有绿色通道吗'))).not.toContain('设有老年人绿色通道');
  });
});
