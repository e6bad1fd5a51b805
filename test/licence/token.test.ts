/** Licence tokens: genuine ones verify; forged, tampered and unknown ones get the same clear "not valid" page. */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainDeps } from '../../src/cases/deps.ts';
import { submitApplication } from '../../src/cases/submitApplication.ts';
import { decideItem } from '../../src/cases/decideItem.ts';
import { acceptCase } from '../../src/cases/acceptCase.ts';
import { issueLicence } from '../../src/licence/issueLicence.ts';
import { licenceForConversation } from '../../src/licence/licenceForConversation.ts';
import { signLicenceToken, verifyLicenceToken } from '../../src/licence/token.ts';
import { registerLicenceRoutes } from '../../src/server/licenceRoutes.ts';
import type { Database } from '../../src/store/db.ts';
import { BASE_URL, FORM, makeDeps, SECRET, startConversation, testStore, TestClock } from '../cases/helpers.ts';

describe('licence token', () => {
  it('round-trips and rejects any change', () => {
    const token = signLicenceToken(SECRET, { licenceId: 'cmabc123xyz', version: 3 });
    expect(verifyLicenceToken(SECRET, token)).toEqual({ licenceId: 'cmabc123xyz', version: 3 });
    expect(verifyLicenceToken('another-secret-0123456789', token)).toBeNull();
    for (let i = 0; i < token.length; i++) {
      const c = token[i] === 'A' ? 'B' : 'A';
      expect(verifyLicenceToken(SECRET, token.slice(0, i) + c + token.slice(i + 1))).toBeNull();
    }
    expect(verifyLicenceToken(SECRET, token.slice(0, -1))).toBeNull();
    expect(verifyLicenceToken(SECRET, '../../etc/passwd')).toBeNull();
  });
});

describe('verify page', () => {
  const store = testStore('sqlite');
  const clock = new TestClock(new Date('2026-11-23T10:00:00+08:00'));
  let db: Database;
  let deps: DomainDeps;
  let app: FastifyInstance;
  let genuinePath = '';
  const staff = { kind: 'staff' as const, id: 's1', name: '测试', role: 'staff' as const };

  beforeAll(async () => {
    db = await store.open();
    deps = makeDeps(db, clock);
    app = Fastify({ logger: false });
    registerLicenceRoutes(app, deps);
    await app.ready();
    const conversationId = await startConversation(db, 'web', 'tok');
    const { caseNumber } = await submitApplication(deps, {
      conversationId,
      channel: 'web',
      userId: 'tok',
      regionId: 'xinxiang',
      industryId: 'bookstore',
      answers: { large_outdoor_ad: false },
      form: FORM,
    });
    await acceptCase(deps, { caseNumber, actor: staff });
    await decideItem(deps, { caseNumber, permit: 'publication_retail_licence', decision: 'approve', permitNumber: '新出发2026001', actor: staff });
    await issueLicence(deps, { caseNumber, actor: staff });
    const licence = await licenceForConversation(deps, conversationId);
    genuinePath = (licence?.verifyUrl ?? '').slice(BASE_URL.length);
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await store.cleanup();
  });

  it('shows a genuine licence, as HTML, JSON, printable page and QR images', async () => {
    const page = await app.inject({ url: genuinePath });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('出版物经营许可（零售）');
    expect(page.body).toContain('新出发2026001');
    expect((await app.inject({ url: `${genuinePath}.json` })).json().valid).toBe(true);
    const print = await app.inject({ url: `${genuinePath}/print` });
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain('<svg');
    // The print carries what a licence shows: the credit code, the legal representative, the issuing authority.
    expect(print.body).toContain('统一社会信用代码：91150525MA0N000000');
    expect(print.body).toContain('法定代表人（负责人）：张三');
    expect(print.body).toContain('发证机关：经开区行政审批和营商环境服务局');
    // The verify page anyone scans shows neither ID nor phone numbers.
    expect(page.body).not.toContain('11010519491231002X');
    expect(page.body).not.toContain('13912345678');
    expect((await app.inject({ url: `${genuinePath}/qr.png` })).headers['content-type']).toBe('image/png');
  });

  const token = () => genuinePath.slice('/v/'.length);
  const cases: [string, () => string][] = [
    ['forged (signed with another secret)', () => signLicenceToken('attacker-secret-0123456789', { licenceId: 'x'.repeat(25), version: 1 })],
    ['tampered (one character changed)', () => token().slice(0, 10) + (token()[10] === 'A' ? 'B' : 'A') + token().slice(11)],
    ['tampered (a later version claimed)', () => signLicenceToken('attacker-secret-0123456789', { licenceId: 'y', version: 9 })],
    ['unknown (genuinely signed, no such licence)', () => signLicenceToken(SECRET, { licenceId: 'cmnonexistent000000000000', version: 1 })],
    ['garbage', () => 'not-a-token'],
  ];
  for (const [what, make] of cases) {
    it(`refuses a ${what} token with a clear page`, async () => {
      const html = await app.inject({ url: `/v/${make()}` });
      expect(html.statusCode).toBe(404);
      expect(html.body).toContain('此二维码无效');
      const json = await app.inject({ url: `/v/${make()}.json` });
      expect(json.statusCode).toBe(404);
      expect(json.json()).toMatchObject({ valid: false });
    });
  }
});
