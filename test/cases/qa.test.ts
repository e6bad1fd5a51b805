/**
 * Fixes from the QA pass on the case workflow, the staff API/CLI and the licence pages: validity dates,
 * printing void and replaced licences, messages on inspection results and withdrawn 补正, auditing every
 * staff call, Chinese validation messages, region filters, and deadlines in years without a holiday notice.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, ensureBootstrapAdmin } from '../../src/auth/staff.ts';
import { acceptCase } from '../../src/cases/acceptCase.ts';
import { closeMaterialRequest } from '../../src/cases/closeMaterialRequest.ts';
import type { DomainDeps } from '../../src/cases/deps.ts';
import { recordInspection } from '../../src/cases/recordInspection.ts';
import { requestMaterials } from '../../src/cases/requestMaterials.ts';
import { scheduleInspection } from '../../src/cases/scheduleInspection.ts';
import { submitApplication } from '../../src/cases/submitApplication.ts';
import { caseCommand } from '../../src/cli/caseCommands.ts';
import { qrSvg } from '../../src/licence/qr.ts';
import { signLicenceToken } from '../../src/licence/token.ts';
import type { Database } from '../../src/store/db.ts';
import { BASE_URL, FORM, makeDeps, SECRET, staffApp, startConversation, testStore, TestClock } from './helpers.ts';

const ADMIN = 'admin-bootstrap-token-qa-0123456789';
const staffActor = { kind: 'staff' as const, id: 's-qa', name: '测试', role: 'staff' as const };
/** zod's own English must never reach staff. */
const ENGLISH = /invalid|expected|received|required|too (small|big)|must/i;

describe('QA fixes', () => {
  const store = testStore('sqlite');
  const clock = new TestClock(new Date('2026-11-23T10:00:00+08:00'));
  let db: Database;
  let deps: DomainDeps;
  let app: FastifyInstance;
  let staffToken = '';
  let hotlineToken = '';
  let n = 0;

  beforeAll(async () => {
    db = await store.open();
    deps = makeDeps(db, clock);
    await ensureBootstrapAdmin(deps.store, clock, ADMIN);
    const admin = { kind: 'staff' as const, id: 'a', name: '管理员', role: 'admin' as const };
    staffToken = (await createStaff(deps.store, clock, { actor: admin, name: '王审批', role: 'staff' })).token;
    hotlineToken = (await createStaff(deps.store, clock, { actor: admin, name: '赵热线', role: 'hotline' })).token;
    app = await staffApp(deps);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await store.cleanup();
  });

  const api = async (method: 'GET' | 'POST', url: string, payload?: unknown, token = staffToken) => {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
    });
    return { status: res.statusCode, body: res.json() };
  };
  const cli = async (args: string[], token = staffToken) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await caseCommand([...args, '--token', token], { domain: async () => deps }, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };
  const submit = async (regionId: string, industryId: string, answers: Record<string, string | boolean>) => {
    const userId = `qa-${++n}`;
    const conversationId = await startConversation(db, 'web', userId);
    return submitApplication(deps, { conversationId, channel: 'web', userId, regionId, industryId, answers, form: FORM });
  };
  const bookstore = () => submit('xinxiang', 'bookstore', { large_outdoor_ad: false });
  const supermarket = () => submit('naiman', 'supermarket', { sells_medicine: false, sells_tobacco: true, public_gathering: false });
  const caseId = async (number: string) => (await db.prisma.case.findUniqueOrThrow({ where: { number } })).id;
  const outboxTexts = async (number: string) =>
    (await db.prisma.outboxMessage.findMany({ where: { caseId: await caseId(number) }, orderBy: { id: 'asc' } })).map((m) => m.text);
  const snapshot = async (number: string) => {
    const id = await caseId(number);
    return {
      items: (await db.prisma.caseItem.findMany({ where: { caseId: id }, orderBy: { seq: 'asc' } })).map((i) => [i.status, i.validFrom, i.validUntil, i.permitNumber]),
      events: await db.prisma.caseEvent.count({ where: { caseId: id } }),
      outbox: await db.prisma.outboxMessage.count({ where: { caseId: id } }),
      licences: (await db.prisma.licence.findMany({ where: { caseId: id } })).map((l) => [l.status, l.version]),
    };
  };

  it('refuses a validity that ended before today, or runs backwards, or starts years away, and changes nothing', async () => {
    const { caseNumber } = await bookstore();
    await acceptCase(deps, { caseNumber, actor: staffActor });
    const before = await snapshot(caseNumber);

    const past = await cli(['item', caseNumber, 'publication_retail_licence', 'approve', '--permit-number', 'XK-1', '--valid-until', '2020-01-01']);
    expect(past.code).toBe(1);
    expect(past.stderr).toContain('早于今天（2026-11-23）');
    const backwards = await api('POST', `/api/staff/cases/${caseNumber}/items/publication_retail_licence`, { decision: 'approve', validFrom: '2027-03-01', validUntil: '2027-01-31' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toContain('晚于截止日期');
    const farAway = await api('POST', `/api/staff/cases/${caseNumber}/items/publication_retail_licence`, { decision: 'approve', validFrom: '2024-06-01' });
    expect(farAway.status).toBe(400);
    expect(farAway.body.message).toContain('相差超过一年');
    const notADate = await api('POST', `/api/staff/cases/${caseNumber}/items/publication_retail_licence`, { decision: 'approve', validUntil: '2027-02-30' });
    expect(notADate.status).toBe(400);
    expect(await snapshot(caseNumber)).toEqual(before);

    // Approved and issued; a change of the end date into the past is refused and the licence is untouched.
    expect((await cli(['item', caseNumber, 'publication_retail_licence', 'approve', '--permit-number', 'XK-1', '--valid-until', '2031-11-22'])).code).toBe(0);
    expect((await cli(['issue', caseNumber])).code).toBe(0);
    const issued = await snapshot(caseNumber);
    expect(issued.licences).toEqual([['valid', 1]]);
    const change = await cli(['change', caseNumber, '--item', 'publication_retail_licence', '--valid-until', '2026-11-22', '--reason', '更正']);
    expect(change.code).toBe(1);
    expect(change.stderr).toContain('早于今天');
    expect(await snapshot(caseNumber)).toEqual(issued);
  });

  it('prints a replaced version from its own snapshot, marked, with its own QR; a void licence gets the notice only', async () => {
    const { caseNumber } = await bookstore();
    await acceptCase(deps, { caseNumber, actor: staffActor });
    expect((await cli(['item', caseNumber, 'publication_retail_licence', 'approve', '--permit-number', 'XK-2'])).code).toBe(0);
    expect((await cli(['issue', caseNumber])).code).toBe(0);
    const licence = await db.prisma.licence.findFirstOrThrow({ where: { caseId: await caseId(caseNumber) } });
    const token = (version: number) => signLicenceToken(SECRET, { licenceId: licence.id, version });
    const changed = await api('POST', `/api/staff/cases/${caseNumber}/changes`, { fields: { business_address: '河南省新乡市经开区新址路8号' }, reason: '经营场所变更' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.licence.kind).toBe('reissued');

    const old = await app.inject({ url: `/v/${token(1)}/print` });
    expect(old.statusCode).toBe(200);
    expect(old.body).toContain('此版本已换发，请以最新版本为准');
    expect(old.body).toContain(FORM.business_address); // version 1's own print
    expect(old.body).not.toContain('新址路8号');
    expect(old.body).toContain('第1版');
    expect(old.body).toContain(await qrSvg(`${BASE_URL}/v/${token(1)}`));

    const current = await app.inject({ url: `/v/${token(2)}/print` });
    expect(current.body).not.toContain('此版本已换发');
    expect(current.body).toContain('新址路8号');
    expect(current.body).toContain(await qrSvg(`${BASE_URL}/v/${token(2)}`));

    // The only item revoked: the licence is void; neither version prints.
    expect((await cli(['revoke', caseNumber, 'publication_retail_licence', '--reason', '违法经营被依法撤销'])).code).toBe(0);
    for (const version of [1, 2]) {
      const page = await app.inject({ url: `/v/${token(version)}/print` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('已作废');
      expect(page.body).toContain('不能打印');
      expect(page.body).not.toContain('<svg');
      expect(page.body).not.toContain('<table');
    }
    expect((await app.inject({ url: `/v/${token(2)}` })).body).toContain('已作废');
  });

  it('tells the applicant when the inspection passes or fails, and when a 补正 request is withdrawn', async () => {
    const a = (await supermarket()).caseNumber;
    await acceptCase(deps, { caseNumber: a, actor: staffActor });
    await requestMaterials(deps, { caseNumber: a, materials: [{ name: '健康证明', problem: '已过期' }], actor: staffActor });
    await closeMaterialRequest(deps, { caseNumber: a, outcome: 'cancelled', reason: '窗口已核实', actor: staffActor });
    expect((await outboxTexts(a)).at(-1)).toMatch(/补正通知撤销.*健康证明.*无需再提交/);
    await scheduleInspection(deps, { caseNumber: a, at: clock.now(), actor: staffActor });
    await recordInspection(deps, { caseNumber: a, result: 'passed', actor: staffActor });
    expect((await outboxTexts(a)).at(-1)).toMatch(new RegExp(`现场核查结果.*${a}.*联合现场核查合格`));

    const b = (await supermarket()).caseNumber;
    await acceptCase(deps, { caseNumber: b, actor: staffActor });
    await scheduleInspection(deps, { caseNumber: b, at: clock.now(), actor: staffActor });
    await recordInspection(deps, { caseNumber: b, result: 'failed', note: '场所不符合要求', actor: staffActor });
    expect((await outboxTexts(b)).at(-1)).toMatch(new RegExp(`现场核查结果.*${b}.*未通过`));

    const c = (await supermarket()).caseNumber;
    await acceptCase(deps, { caseNumber: c, actor: staffActor });
    await scheduleInspection(deps, { caseNumber: c, at: clock.now(), actor: staffActor });
    await recordInspection(deps, { caseNumber: c, result: 'rectify', opinions: ['缺少防鼠设施'], actor: staffActor });
    expect((await cli(['inspect', c, 'pass'])).code).toBe(0);
    expect((await outboxTexts(c)).at(-1)).toContain('整改复查合格');
  });

  it('audits every staff call once, refused ones included', async () => {
    const since = (await db.prisma.auditEntry.findFirst({ orderBy: { id: 'desc' } }))?.id ?? 0;
    expect((await api('GET', '/api/staff/outbox', undefined, hotlineToken)).status).toBe(403);
    expect((await api('GET', '/api/staff/me')).status).toBe(200);
    expect((await api('GET', '/api/staff/users')).status).toBe(403);
    expect((await api('GET', '/api/staff/no-such-thing')).status).toBe(404);
    expect((await api('GET', '/api/staff/cases/BJ20260101000000')).status).toBe(404);
    expect((await api('GET', '/api/staff/me', undefined, 'wrong-token-0123456789')).status).toBe(401);
    expect((await api('POST', '/api/staff/outbox/999999/retry')).status).toBe(404);
    expect((await api('GET', '/api/staff/audit?limit=5', undefined, ADMIN)).status).toBe(200);
    expect((await cli(['staff', 'list'], ADMIN)).code).toBe(0);
    expect((await cli(['staff', 'list'])).code).toBe(2);
    const rows = await db.prisma.auditEntry.findMany({ where: { id: { gt: since } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.via, r.role, r.action, r.outcome])).toEqual([
      ['http', 'hotline', 'GET /api/staff/outbox', 'forbidden'],
      ['http', 'staff', 'GET /api/staff/me', 'ok'],
      ['http', 'staff', 'GET /api/staff/users', 'forbidden'],
      ['http', 'staff', 'GET /api/staff/no-such-thing', 'not_found'],
      ['http', 'staff', 'show', 'not_found'], // once, by runStaffOperation
      ['http', 'none', 'staff_auth_failures', 'unauthenticated'], // in aggregate: the address's first refused token in its window
      ['http', 'staff', 'outbox_retry', 'not_found'],
      ['http', 'admin', 'GET /api/staff/audit', 'ok'],
      ['cli', 'admin', 'staff_list', 'ok'],
      ['cli', 'staff', 'staff_list', 'forbidden'],
    ]);
  });

  it('says in Chinese which field is missing or wrong, and refuses an array body', async () => {
    const { caseNumber } = await supermarket();
    const checks: [string, string, unknown, string][] = [
      ['POST', `/api/staff/cases/${caseNumber}/items/food_business_licence`, {}, '缺少「决定」（decision）'],
      ['POST', `/api/staff/cases/${caseNumber}/items/food_business_licence/end`, { kind: 'revoked' }, '缺少「原因」（reason）'],
      ['POST', `/api/staff/cases/${caseNumber}/items/food_business_licence/end`, { kind: 'revoked', reason: '   ' }, '「原因」（reason）不能为空'],
      ['POST', `/api/staff/cases/${caseNumber}/items/food_business_licence`, { decision: 'maybe' }, 'approve、reject'],
      ['POST', `/api/staff/cases/${caseNumber}/accept`, { reason: 42 }, '「原因」（reason）应为文字'],
      ['POST', `/api/staff/cases/${caseNumber}/material-requests`, { materials: [{ name: '健康证明' }] }, '请说明该材料缺少或不符合的具体问题'],
      ['POST', `/api/staff/cases/${caseNumber}/material-requests`, { materials: [{ name: '健康证明', problem: ' ' }] }, '请说明该材料缺少或不符合的具体问题'],
      ['POST', `/api/staff/cases/${caseNumber}/accept`, [{ reason: 'x' }], '请求体应为 JSON 对象'],
      ['POST', `/api/staff/cases/${caseNumber}/changes`, ['reason'], '请求体应为 JSON 对象'],
      ['GET', '/api/staff/cases?limit=abc', undefined, '「条数」（limit）'],
      ['GET', '/api/staff/cases?limit=0', undefined, '「条数」（limit）'],
      ['GET', '/api/staff/handoffs?limit=NaN', undefined, '「条数」（limit）'],
    ];
    for (const [method, url, payload, expected] of checks) {
      const res = await api(method as 'GET' | 'POST', url, payload);
      expect(res.status, `${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(res.body.message).toContain(expected);
      expect(res.body.message).not.toMatch(ENGLISH);
    }
    const cliMissing = await cli(['request-materials', caseNumber, '--material', '健康证明']);
    expect(cliMissing.code).toBe(1);
    expect(cliMissing.stderr).toContain('请说明该材料缺少或不符合的具体问题');
    expect((await cli(['list', '--limit', 'many'])).stderr).toContain('「条数」（limit）应为数字');
    // Nothing was written by the refused calls.
    expect((await snapshot(caseNumber)).items.every(([status]) => status === 'submitted')).toBe(true);
  });

  it('filters cases by region id, Chinese name or alias; refuses an unknown region or item status', async () => {
    await supermarket();
    await bookstore();
    for (const region of ['naiman', '奈曼旗']) {
      const res = await api('GET', `/api/staff/cases?region=${encodeURIComponent(region)}`);
      expect(res.status).toBe(200);
      expect(res.body.length).toBeGreaterThan(0);
      expect(new Set(res.body.map((c: { region: string }) => c.region))).toEqual(new Set(['奈曼旗']));
    }
    const unknown = await api('GET', `/api/staff/cases?region=${encodeURIComponent('火星')}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('未找到地区「火星」');
    const badStatus = await api('GET', '/api/staff/cases?itemStatus=lost');
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.message).toContain('没有事项状态「lost」');
    expect((await api('GET', '/api/staff/cases?itemStatus=submitted')).status).toBe(200);

    const listed = await cli(['list', '--region', '奈曼旗', '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).every((c: { region: string }) => c.region === '奈曼旗')).toBe(true);
    const refused = await cli(['list', '--region', '火星']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('未找到地区「火星」');
    expect((await cli(['list', '--item-status', 'lost'])).code).toBe(1);
  });

  it('flags approximate deadlines only when the one the applicant is told lies in a year without a notice', async () => {
    // Thu 2026-12-17: promised limits (60% cut) end in December; tobacco's statutory 20 days run into 2027.
    clock.set('2026-12-17T10:00');
    const early = await supermarket();
    expect(early.items.every((i) => (i.promisedDeadline ?? i.statutoryDeadline ?? '2026').startsWith('2026'))).toBe(true);
    expect(early.items.some((i) => i.statutoryDeadline?.startsWith('2027'))).toBe(true);
    expect(early.approximateDeadlines).toBe(false);
    // staff still see which item's (statutory) deadline was counted without the 2027 notice.
    const shown = await api('GET', `/api/staff/cases/${early.caseNumber}`);
    const tobacco = shown.body.items.find((i: { permitId: string }) => i.permitId === 'tobacco_retail_licence');
    expect(tobacco.approximate).toBe(true);
    const food = shown.body.items.find((i: { permitId: string }) => i.permitId === 'food_business_licence');
    expect(food.approximate).toBe(false);

    clock.set('2026-12-28T10:00');
    const late = await supermarket();
    expect(late.items.some((i) => (i.promisedDeadline ?? '').startsWith('2027'))).toBe(true);
    expect(late.approximateDeadlines).toBe(true);
    clock.set('2026-11-23T10:00');
  });
});
