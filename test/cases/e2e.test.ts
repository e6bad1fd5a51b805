/**
 * From application to licence, for both regions, through the real edges: submitApplication (what the
 * dialogue calls), staff through the HTTP API (fastify inject on the real app) and the CLI, the reminder
 * through takePending (web chat) or a registered push sender, the licence QR decoded from its PNG, the
 * verify page fetched, then a single permit revoked and the region's rule checked on the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ensureBootstrapAdmin } from '../../src/auth/staff.ts';
import { caseStatusForConversation } from '../../src/cases/caseStatus.ts';
import type { DomainDeps } from '../../src/cases/deps.ts';
import { submitApplication } from '../../src/cases/submitApplication.ts';
import { caseCommand } from '../../src/cli/caseCommands.ts';
import { licenceForConversation } from '../../src/licence/licenceForConversation.ts';
import { startOutbox } from '../../src/notify/dispatcher.ts';
import { startReminders } from '../../src/notify/reminders.ts';
import type { ChannelSender, OutgoingMessage } from '../../src/notify/senders.ts';
import { takePending } from '../../src/notify/takePending.ts';
import { DEFAULT_QUIET_HOURS } from '../../src/notify/quietHours.ts';
import type { Database } from '../../src/store/db.ts';
import { decodeQr } from '../licence/decodeQr.ts';
import { BACKENDS, BASE_URL, FORM, makeDeps, staffApp, startConversation, testCatalog, testStore, TestClock } from './helpers.ts';

const ADMIN = 'admin-bootstrap-token-0123456789';

interface Scenario {
  region: 'naiman' | 'xinxiang';
  industry: string;
  answers: Record<string, string | boolean>;
  channel: 'web' | 'telegram';
  expectedItems: string[];
  /** Items the joint inspection covers by default. */
  inspected: string[];
  revoke: string;
}

const SCENARIOS: Scenario[] = [
  {
    region: 'naiman',
    industry: 'supermarket',
    answers: { sells_medicine: false, sells_tobacco: true, public_gathering: false },
    channel: 'web',
    expectedItems: ['food_business_licence', 'public_health_licence', 'tobacco_retail_licence'],
    inspected: ['food_business_licence', 'tobacco_retail_licence'],
    revoke: 'tobacco_retail_licence',
  },
  {
    region: 'xinxiang',
    industry: 'restaurant',
    answers: { small_individual: false, discharges_sewage: true, large_outdoor_ad: false },
    channel: 'telegram',
    expectedItems: ['food_business_licence', 'drainage_permit'],
    inspected: ['food_business_licence', 'drainage_permit'],
    revoke: 'drainage_permit',
  },
];

for (const backend of BACKENDS) {
  for (const sc of SCENARIOS) {
    describe(`application to licence: ${sc.region} on ${backend}`, () => {
      const store = testStore(backend);
      // Monday 2026-11-23 10:00 in Shanghai: a working day, outside quiet hours.
      const clock = new TestClock(new Date('2026-11-23T10:00:00+08:00'));
      let db: Database;
      let deps: DomainDeps;
      let app: FastifyInstance;
      let staffToken = '';
      const pushed: OutgoingMessage[] = [];
      const fakeTelegram: ChannelSender = {
        async send(_to, message) {
          pushed.push(message);
        },
      };

      beforeAll(async () => {
        db = await store.open();
        deps = makeDeps(db, clock);
        await ensureBootstrapAdmin(deps.store, clock, ADMIN);
        app = await staffApp(deps);
      });
      afterAll(async () => {
        await app?.close();
        await db?.close();
        await store.cleanup();
      });

      const api = async (method: 'GET' | 'POST', url: string, payload?: object, token = staffToken) => {
        const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
        return { status: res.statusCode, body: res.json() };
      };
      const cli = async (args: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await caseCommand([...args, '--token', staffToken], { domain: async () => deps }, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
        return { code, stdout: out.join('\n'), stderr: err.join('\n') };
      };
      /** What the applicant receives: pulled by the web chat, or pushed by the dispatcher to the fake sender. */
      const received = async (userId: string): Promise<OutgoingMessage[]> => {
        if (sc.channel === 'web') return (await takePending(deps, { channel: 'web', userId })).map((m) => ({ text: m.text, ...(m.image ? { image: { png: m.image.png } } : {}) }));
        const outbox = startOutbox({ db, senders: new Map([['telegram', fakeTelegram]]), clock, quietHours: DEFAULT_QUIET_HOURS, licence: deps.licence, pollMs: 0 });
        const before = pushed.length;
        await outbox.tick();
        await outbox.stop();
        return pushed.slice(before);
      };

      it('runs the whole way', async () => {
        // An admin creates a staff token through the API.
        const created = await api('POST', '/api/staff/users', { name: '王审批', role: 'staff' }, ADMIN);
        expect(created.status).toBe(201);
        staffToken = created.body.token;
        expect((await api('GET', '/api/staff/cases', undefined, 'wrong-token-0123456789')).status).toBe(401);

        // The dialogue submits.
        const userId = `u-${sc.region}`;
        const conversationId = await startConversation(db, sc.channel, userId);
        const submitted = await submitApplication(deps, {
          conversationId,
          channel: sc.channel,
          userId,
          regionId: sc.region,
          industryId: sc.industry,
          answers: sc.answers,
          form: FORM,
        });
        expect(submitted.items.map((i) => i.permitId)).toEqual(sc.expectedItems);
        for (const item of submitted.items) expect(item.statutoryDeadline).toMatch(/^2026-12-\d\d$/);
        const caseNo = submitted.caseNumber;

        // Listing masks the phone; the detail masks the ID number unless revealed.
        const listed = await api('GET', '/api/staff/cases?status=open');
        expect(listed.status).toBe(200);
        const text = JSON.stringify(listed.body);
        expect(text).toContain(caseNo);
        expect(text).not.toContain('13912345678');
        const shown = await api('GET', `/api/staff/cases/${caseNo}`);
        expect(JSON.stringify(shown.body)).not.toContain('11010519491231002X');
        expect(shown.body.form.legal_rep_id_number).toBe('110105********002X');

        // Accept (HTTP), then request materials (CLI).
        const accepted = await api('POST', `/api/staff/cases/${caseNo}/accept`, {});
        expect(accepted.status).toBe(200);
        await received(userId); // the acceptance notice
        const req = await cli(['request-materials', caseNo, '--material', '健康证明：从业人员健康证明已过期', '--material', '经营场所平面图：缺少', '--json']);
        expect(req.code, req.stderr).toBe(0);
        const request = JSON.parse(req.stdout);
        expect(request.permits.length).toBe(sc.expectedItems.length);

        // The applicant gets it on the channel they applied through, saying exactly what is missing.
        const first = await received(userId);
        expect(first).toHaveLength(1);
        expect(first[0]?.text).toContain('健康证明：从业人员健康证明已过期');
        expect(first[0]?.text).toContain('经营场所平面图');
        expect(first[0]?.text).toContain(caseNo);

        // Status in the conversation shows 补正 and what to hand in.
        const status = await caseStatusForConversation(deps, conversationId);
        expect(status[0]?.items.every((i) => i.status === 'needs_correction')).toBe(true);
        expect(status[0]?.items[0]?.nextStep).toContain('健康证明');

        // A follow-up falls due two days later and reaches the applicant once.
        clock.advance(2 * 86_400_000 + 60_000);
        const reminders = startReminders(deps, { pollMs: 0 });
        expect((await reminders.tick()).followUps).toBe(1);
        expect((await reminders.tick()).followUps).toBe(0);
        const followUp = await received(userId);
        expect(followUp).toHaveLength(1);
        expect(followUp[0]?.text).toContain('补正提醒（第1次）');

        // Materials handed in (HTTP): items back under review, follow-ups stop.
        const resolved = await api('POST', `/api/staff/cases/${caseNo}/material-requests/current`, { outcome: 'resolved' });
        expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
        clock.advance(10 * 86_400_000);
        expect((await reminders.tick()).followUps).toBe(0);
        await reminders.stop();
        await received(userId);

        // 一同核查: one appointment for every item that needs one, one list of opinions, one re-check.
        // In the past it is refused; an appointment not yet held can be moved; the result waits for its day.
        expect((await api('POST', `/api/staff/cases/${caseNo}/inspection`, { at: '2026-11-20T09:30' })).status).toBe(400);
        expect((await api('POST', `/api/staff/cases/${caseNo}/inspection`, { at: '2026-12-28T09:30' })).status).toBe(200);
        expect((await api('POST', `/api/staff/cases/${caseNo}/inspection/result`, { result: 'passed' })).status).toBe(409);
        const scheduled = await api('POST', `/api/staff/cases/${caseNo}/inspection`, { at: clock.now().toISOString() });
        expect(scheduled.body.moved).toBe(true);
        expect((await received(userId)).map((m) => m.text).join('\n')).toContain('现场核查改期');
        expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
        expect(scheduled.body.permits).toEqual(sc.inspected);
        expect((await api('POST', `/api/staff/cases/${caseNo}/inspection/result`, { result: 'rectify', opinions: ['消防通道堆放杂物', '缺少防鼠设施'] })).status).toBe(200);
        expect((await api('POST', `/api/staff/cases/${caseNo}/inspection/result`, { result: 'rectify', opinions: ['再次整改'] })).status).toBe(409);
        expect((await cli(['inspect', caseNo, 'pass'])).code).toBe(0);
        const opinions = (await received(userId)).map((m) => m.text).join('\n');
        expect(opinions).toContain('消防通道堆放杂物');

        // Items approved: in 奈曼旗 the licence may be issued with an item still pending (未许可事项).
        const [firstItem, ...others] = sc.expectedItems;
        const approve = (permit: string, n: number) => api('POST', `/api/staff/cases/${caseNo}/items/${permit}`, { decision: 'approve', permitNumber: `XK-${n}` });
        expect((await approve(firstItem ?? '', 1)).status).toBe(200);
        if (sc.region === 'naiman') {
          const issued = await cli(['issue', caseNo, '--json']);
          expect(issued.code, issued.stderr).toBe(0);
          expect(JSON.parse(issued.stdout).pendingItems.length).toBe(others.length);
        } else {
          const refused = await cli(['issue', caseNo]);
          expect(refused.code).toBe(4);
          expect(refused.stderr).toContain('统一出证');
        }
        for (const [i, permit] of others.entries()) expect((await approve(permit, i + 2)).status).toBe(200);
        if (sc.region === 'xinxiang') expect((await cli(['issue', caseNo])).code).toBe(0);

        // Status and licence in the chat.
        const done = await caseStatusForConversation(deps, conversationId);
        expect(done[0]?.items.every((i) => i.status === 'approved')).toBe(true);
        const licence = await licenceForConversation(deps, conversationId);
        expect(licence).not.toBeNull();
        if (!licence) return;
        expect(licence.pendingItems).toEqual([]);
        expect(licence.version).toBe(sc.region === 'naiman' ? 1 + others.length : 1); // 奈曼旗 reissues as each pending item is approved
        const url = decodeQr(await licence.qrPng());
        expect(url).toBe(licence.verifyUrl);
        expect(url.startsWith(`${BASE_URL}/v/`)).toBe(true);
        const path = url.slice(BASE_URL.length);
        const page = await app.inject({ method: 'GET', url: path });
        expect(page.statusCode).toBe(200);
        const region = testCatalog().regions.find((r) => r.id === sc.region);
        const names = region?.industries.find((i) => i.id === sc.industry)?.items.filter((i) => sc.expectedItems.includes(i.permit)).map((i) => i.name) ?? [];
        for (const name of names) expect(page.body).toContain(name);
        expect(page.body).toContain('有效');
        expect(page.body).not.toContain('13912345678');
        expect(page.body).not.toContain('11010519491231002X');
        // The licence message carried the QR image.
        const withImage = (await received(userId)).filter((m) => m.image);
        expect(withImage.length).toBeGreaterThan(0);
        expect(decodeQr(withImage[withImage.length - 1]?.image?.png ?? Buffer.alloc(0))).toBe(url);

        // A single permit is revoked (CLI): the region's rule applies.
        const revoked = await cli(['revoke', caseNo, sc.revoke, '--reason', '违法经营被依法撤销']);
        expect(revoked.code, revoked.stderr).toBe(0);
        const after = await app.inject({ method: 'GET', url: `${path}.json` });
        const json = after.json();
        if (sc.region === 'naiman') {
          expect(after.statusCode).toBe(200);
          expect(json.valid).toBe(false);
          expect(json.licence.status).toBe('void');
          const html = (await app.inject({ method: 'GET', url: path })).body;
          expect(html).toContain('已作废');
          expect(html).toContain('同时作废');
        } else {
          // The old paper's code says it was replaced; the new version lacks the item and was free.
          expect(json.licence.status).toBe('superseded');
          const current = await licenceForConversation(deps, conversationId);
          expect(current?.version).toBe(2);
          expect(current?.items.map((i) => i.name)).not.toContain(names.find((n) => n.includes('排水') || n.includes('污水')));
          const fresh = await app.inject({ method: 'GET', url: `${(current?.verifyUrl ?? '').slice(BASE_URL.length)}.json` });
          const licenceNow = fresh.json().licence;
          expect(licenceNow.status).toBe('valid');
          expect(licenceNow.history[1].free).toBe(true);
          expect(licenceNow.items.find((i: { state: string }) => i.state === 'ended')?.stateLabel).toContain('已撤销');
        }

        // Every change is an event; every staff action is audited.
        const detail = await api('GET', `/api/staff/cases/${caseNo}`);
        const actions = detail.body.events.map((e: { action: string }) => e.action);
        expect(actions).toEqual(expect.arrayContaining(['submitted', 'accepted', 'materials_requested', 'materials_resolved', 'inspection_scheduled', 'inspection_rectification', 'recheck_passed', 'approved', 'licence_issued', 'revoked']));
        // The CLI's text says it in Chinese, in Beijing time.
        const shownText = await cli(['show', caseNo]);
        expect(shownText.code, shownText.stderr).toBe(0);
        expect(shownText.stdout).toContain('事件（北京时间）');
        expect(shownText.stdout).toMatch(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2} .*受理/);
        expect(shownText.stdout).toContain('整改复查通过');
        expect(shownText.stdout).not.toMatch(/\b(?:accepted|approved|licence_issued|recheck_passed|valid|void)\b/);
        const cases = await cli(['list']);
        expect(cases.stdout).not.toMatch(/\b(?:approved|revoked|submitted)\b/);
        const auditLog = await api('GET', '/api/staff/audit?limit=200', undefined, ADMIN);
        const audited = auditLog.body.map((a: { action: string; via: string }) => `${a.via}:${a.action}`);
        expect(audited).toEqual(expect.arrayContaining(['http:accept', 'cli:requestMaterials', 'cli:issue', 'cli:end', 'http:show']));
        expect(JSON.stringify(auditLog.body)).not.toContain('13912345678');
      });
    });
  }
}
