/**
 * Security headers on every answer of the real server (helmet): the chat page, the console, a licence's
 * verify and print pages, the "not valid" page, the scripts and the API. In Chromium (when installed):
 * the pages run with that policy and report no violation, the print page's button prints, and an inline
 * script put into a page does not run.
 */
import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../../src/server/app.ts';
import { chromiumAvailable, launchChromium } from '../browser/chromium.ts';
import { approveAndIssue, createStaffToken, filledForm, startServer, type RunningServer } from './serverProcess.ts';

const ADMIN = 'admin-token-for-security-headers-0123456789';

describe('security headers', () => {
  let server: RunningServer;
  let links: { verify: string; print: string; qr: string };
  beforeAll(async () => {
    server = await startServer({ ADMIN_TOKEN: ADMIN, QUIET_HOURS: 'off', CHAT_RATE_LIMIT: 'off' });
    const agent = await createStaffToken(server.url, ADMIN, '12345坐席小李', 'hotline');
    const staff = await createStaffToken(server.url, ADMIN, '窗口王审批', 'staff');
    const answers = { sells_medicine: '否', sells_tobacco: '否', food_scope: '仅销售预包装食品' };
    const form = await filledForm(server.url, '便利店', answers);
    const res = await fetch(`${server.url}/api/agent/applications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
      body: JSON.stringify({ region: 'naiman', industry: '便利店', answers, form }),
    });
    const submitted = (await res.json()) as { caseNumber: string };
    links = await approveAndIssue(server.url, staff, submitted.caseNumber);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  const path = (link: string) => new URL(link).pathname;

  it('every page, script and API answer carries them; pages allow scripts only from the server', async () => {
    const answers: [string, RequestInit?][] = [
      ['/'],
      ['/console'],
      [path(links.verify)],
      [path(links.print)],
      [`${path(links.verify)}.json`],
      [path(links.qr)],
      ['/v/not-a-valid-token-at-all-0000'],
      ['/chat.js'],
      ['/console/console.js'],
      ['/v/print.js'],
      ['/api/regions'],
      ['/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'w-headers', text: '你好' }) }],
      ['/api/staff/me'],
      ['/no-such-page'],
    ];
    for (const [url, init] of answers) {
      const res = await fetch(`${server.url}${url}`, init);
      expect(res.status, url).toBeLessThan(500);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("img-src 'self' data:");
      expect(csp, url).toContain("object-src 'none'");
      // A service centre's intranet may serve plain http: no forced https there.
      expect(csp, url).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('strict-transport-security'), url).toBeNull();
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), url).toBe('DENY');
      expect(res.headers.get('referrer-policy'), url).toBe('no-referrer');
      expect(res.headers.get('cross-origin-opener-policy'), url).toBe('same-origin');
    }
  });

  it('a URL the router cannot read is answered 400/414 in Chinese with the headers too', async () => {
    for (const [url, status] of [
      ['/v/%ED%A0%80', 400],
      ['/api/staff/cases/%E0%A4%A', 400],
      [`/api/staff/handoffs/${'x'.repeat(3000)}/notes`, 414],
    ] as const) {
      const res = await fetch(`${server.url}${url}`, url.includes('notes') ? { method: 'POST' } : {});
      expect(res.status, url).toBe(status);
      expect(((await res.json()) as { message: string }).message, url).toMatch(/^请求地址/);
      expect(res.headers.get('content-security-policy'), url).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), url).toBe('DENY');
    }
  });

  it('the pages hold no inline script or handler; their scripts are served as JavaScript', async () => {
    for (const url of ['/', '/console', path(links.verify), path(links.print), '/v/not-a-valid-token-at-all-0000']) {
      const html = await (await fetch(`${server.url}${url}`)).text();
      // Every <script> either loads a file or is JSON data (never run).
      for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag, url).toMatch(/ src="\/|type="application\/json"/);
      expect(html, url).not.toMatch(/\son[a-z]+=/i);
      expect(html, url).not.toContain('javascript:');
    }
    for (const url of ['/chat.js', '/console/console.js', '/v/print.js', '/console/chart.js']) {
      const res = await fetch(`${server.url}${url}`);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toContain('text/javascript');
    }
    const print = await (await fetch(`${server.url}${path(links.print)}`)).text();
    expect(print).toContain('<script src="/v/print.js"></script>');
  });

  it('behind https (PUBLIC_BASE_URL), HSTS and upgrade-insecure-requests too', async () => {
    // The same options buildApp registers, on a bare fastify: a second server process is not needed for this.
    const app = Fastify({ logger: false });
    await app.register(helmet, securityHeaders(true));
    app.get('/', async () => 'ok');
    const res = await app.inject({ url: '/' });
    expect(res.headers['strict-transport-security']).toContain('max-age=31536000');
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    await app.close();
  });

  describe.skipIf(!chromiumAvailable)('in Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('the chat, the console and the print page run under the policy without a violation; an injected inline script does not run', async () => {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      page.on('pageerror', (e) => violations.push(e.message));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
        window.print = () => document.documentElement.setAttribute('data-printed', 'yes');
      });

      await page.goto(`${server.url}/`);
      await page.getByText('选择地区').waitFor({ state: 'attached' }); // the script filled the region list
      await page.locator('#text').fill('开个便利店');
      await page.locator('#send button').click();
      await page.locator('.msg.bot').first().waitFor();

      await page.goto(`${server.url}/console`);
      await page.getByText('工作人员登录').first().waitFor();

      await page.goto(`${server.url}${path(links.print)}`);
      await page.getByRole('button', { name: '打印' }).click();
      expect(await page.locator('html').getAttribute('data-printed')).toBe('yes');
      expect(violations).toEqual([]);

      // What an injected script would try: it is refused, and the refusal is reported.
      await page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = "document.documentElement.setAttribute('data-injected', 'ran')";
        document.body.append(s);
      });
      expect(await page.locator('html').getAttribute('data-injected')).toBeNull();
      await expect.poll(() => violations.length).toBeGreaterThan(0);
      await page.close();
    });
  });
});
