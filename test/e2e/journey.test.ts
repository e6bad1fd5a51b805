/**
 * The applicant's whole journey through the real entry points, for both regions: the web chat
 * (`POST /api/chat` on `npm start`'s server) to submit, staff through the staff HTTP API, the reminder
 * shown in the chat, status and the licence's QR in the chat, the QR decoded to the verification page,
 * then a single permit revoked and the region's rule seen on that page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQr } from '../licence/decodeQr.ts';
import { chat, staffClient, startServer, type RunningServer } from '../server/serverProcess.ts';

const ADMIN = 'admin-token-for-e2e-0123456789';

/** A valid answer for a form field of each type, as an applicant would type it. */
function answerFor(field: { id: string; type: string; required: boolean }, options: { label: string; value: string }[] | undefined): string {
  const byId: Record<string, string> = {
    entity_name: '老王商贸有限公司',
    entity_type: '企业',
    credit_code: '91350100M000100Y43',
    legal_rep_name: '王五',
    legal_rep_id_number: '11010519491231002X',
    contact_name: '王五',
    contact_mobile: '13912345678',
    business_address: '测试路12号一层',
    business_area: '大概八十平',
    employee_count: '3个人',
  };
  if (byId[field.id]) return byId[field.id] as string;
  if (options?.length) return options[0]?.value ?? '1';
  switch (field.type) {
    case 'number':
    case 'integer':
      return '2';
    case 'multi_choice':
      return '1';
    case 'date':
      return '2026-12-01';
    case 'boolean':
      return '否';
    case 'address':
      return '测试路12号一层';
    default:
      return '详见附件说明';
  }
}

const SCENARIOS = [
  {
    region: 'naiman',
    opening: '我想在大沁他拉开个小卖部，也卖烟，不卖药',
    items: ['食品经营许可', '公共场所卫生许可', '烟草专卖零售许可证核发'],
    revoke: 'tobacco_retail_licence',
  },
  {
    region: 'xinxiang',
    opening: '我想在新乡经开区开个饭店，公司经营，要往市政管网排污水，不设大型户外广告',
    items: ['食品经营许可', '城镇污水排入排水管网许可'],
    revoke: 'drainage_permit',
  },
];

describe('the whole journey: chat → submit → staff → reminder → licence QR → revocation', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ ADMIN_TOKEN: ADMIN, QUIET_HOURS: 'off', CHAT_RATE_LIMIT: 'off' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const staff = (method: 'GET' | 'POST', path: string, body?: object) => staffClient(server.url, ADMIN)(method, path, body);

  for (const sc of SCENARIOS) {
    it(`${sc.region}`, async () => {
      const userId = `e2e-${sc.region}`;
      const say = async (text: string) => {
        const r = await chat(server.url, { userId, text, region: sc.region });
        expect(r.status, JSON.stringify(r.json)).toBe(200);
        return r.json;
      };

      // The applicant describes the shop; answers any question left with 否 / the first choice.
      let r = await say(sc.opening);
      for (let guard = 0; r.state.stage === 'questions' && guard < 10; guard++) {
        const q = r.state.pendingQuestion;
        r = await say(q.type === 'boolean' ? '否' : q.options[0].label);
      }
      expect(r.state.stage).toBe('guided');
      expect(r.state.permits.filter((p: { status: string }) => p.status === 'required').map((p: { name: string }) => p.name)).toEqual(sc.items);

      // The one form, then the summary and submission.
      r = await say('填表');
      for (let guard = 0; r.state.stage === 'form' && guard < 40; guard++) {
        r = await say(answerFor(r.state.pendingField, r.replies.at(-1)?.options));
      }
      expect(r.state.stage).toBe('confirm');
      r = await say('确认提交');
      expect(r.state.stage).toBe('submitted');
      const caseNo: string = r.state.caseNumber;
      expect(caseNo).toMatch(/^BJ\d{14}$/);
      expect(r.replies[0].text).toContain(r.state.applicationNumber);

      // Staff accept and ask for missing materials; the applicant sees it at the next visit.
      expect((await staff('POST', `/cases/${caseNo}/accept`, {})).status).toBe(200);
      const requested = await staff('POST', `/cases/${caseNo}/material-requests`, {
        materials: [{ name: '从业人员健康证明', problem: '已过期' }],
      });
      expect(requested.status, JSON.stringify(requested.body)).toBe(200);
      r = await say('你好');
      const notices = r.replies.filter((x: { kind?: string }) => x.kind === 'notice_message').map((x: { text: string }) => x.text).join('\n');
      expect(notices).toContain('从业人员健康证明');
      expect(notices).toContain('已过期');
      expect(notices).toContain(caseNo);

      // Status in the chat shows 补正.
      const statusText = (json: { replies: { kind?: string; text: string }[] }) => json.replies.filter((x) => x.kind === 'status').map((x) => x.text).join('\n');
      r = await say('我的申请到哪一步了');
      expect(statusText(r)).toContain('补正');

      // Materials handed in; the joint inspection passes; every item approved; the licence issued.
      expect((await staff('POST', `/cases/${caseNo}/material-requests/current`, { outcome: 'resolved' })).status).toBe(200);
      const shown = await staff('GET', `/cases/${caseNo}`);
      const needsInspection = shown.body.items.some((i: { inspection: string }) => i.inspection === 'always');
      if (needsInspection) {
        // Held now (a result is recorded on or after the inspection's day; a time in the past is refused).
        expect((await staff('POST', `/cases/${caseNo}/inspection`, { at: new Date().toISOString() })).status).toBe(200);
        expect((await staff('POST', `/cases/${caseNo}/inspection/result`, { result: 'passed' })).status).toBe(200);
      }
      for (const [n, item] of shown.body.items.entries()) {
        const decided = await staff('POST', `/cases/${caseNo}/items/${item.permitId}`, { decision: 'approve', permitNumber: `XK-${n + 1}` });
        expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      }
      const issued = await staff('POST', `/cases/${caseNo}/licence`);
      expect([200, 409]).toContain(issued.status); // 奈曼旗 already issued it as items were approved

      // Status and the licence with its QR code, in the chat.
      r = await say('我的申请到哪一步了');
      for (const name of sc.items) expect(statusText(r)).toContain(name);
      expect(statusText(r)).toContain('已许可');
      r = await say('把许可证发我');
      const licenceReply = r.replies.find((x: { image?: unknown }) => x.image);
      expect(licenceReply, JSON.stringify(r.replies)).toBeDefined();
      const png = Buffer.from(licenceReply.image.dataUrl.split(',')[1], 'base64');
      const url = decodeQr(png);
      expect(url.startsWith(`${server.url}/v/`)).toBe(true);
      const page = await (await fetch(url)).text();
      for (const name of sc.items) expect(page).toContain(name);
      expect(page).not.toContain('13912345678');
      expect(page).not.toContain('11010519491231002X');

      // Someone else asking in another chat needs the case number and the phone's last four digits.
      const stranger = async (text: string) => (await chat(server.url, { userId: `stranger-${sc.region}`, text, region: sc.region })).json;
      let other = await stranger(`查询 ${caseNo}`);
      expect(statusText(other)).toContain('后四位');
      other = await stranger(`查询 ${caseNo} 5678`);
      expect(statusText(other)).toContain(sc.items[0] ?? '');
      if (sc.region === 'naiman') {
        // Wrong digits and an unknown case get the same words; the fifth failure locks the look-up.
        const wrong = statusText(await stranger(`查询 ${caseNo} 0000`));
        const unknown = statusText(await stranger('查询 BJ20990101000000 5678'));
        expect(unknown).toBe(wrong);
        for (let i = 0; i < 3; i++) await stranger(`查询 ${caseNo} 1111`);
        const locked = statusText(await stranger(`查询 ${caseNo} 5678`));
        expect(locked).toContain('失败次数过多');
        expect(locked).not.toContain(sc.items[0] ?? '');
      }

      // One permit revoked: the region's rule, from its data, shows on the page.
      const ended = await staff('POST', `/cases/${caseNo}/items/${sc.revoke}/end`, { kind: 'revoked', reason: '依法撤销' });
      expect(ended.status, JSON.stringify(ended.body)).toBe(200);
      const after = await (await fetch(`${url}.json`)).json();
      if (sc.region === 'naiman') {
        expect(after.licence.status).toBe('void');
        expect(await (await fetch(url)).text()).toContain('已作废');
      } else {
        expect(after.licence.status).toBe('superseded');
        r = await say('把许可证发我');
        const fresh = decodeQr(Buffer.from(r.replies.find((x: { image?: unknown }) => x.image).image.dataUrl.split(',')[1], 'base64'));
        const now = await (await fetch(`${fresh}.json`)).json();
        expect(now.licence.status).toBe('valid');
        expect(now.licence.items.filter((i: { state: string }) => i.state !== 'ended').map((i: { name: string }) => i.name)).toEqual(['食品经营许可']);
      }
    });
  }
});
