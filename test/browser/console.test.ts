/**
 * The console in headless Chromium: a hotline agent signs in, claims a handed-off chat, sees a suggestion
 * with its source, sends it, and the applicant's web chat shows it; window staff take a case from submitted
 * to licence issued on the case board, and the dashboard draws its charts.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffToken, filledForm, startServer, type RunningServer } from '../server/serverProcess.ts';
import { chromiumAvailable, launchChromium } from './chromium.ts';

const ADMIN = 'admin-token-for-console-0123456789';


describe.skipIf(!chromiumAvailable)('the console in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let agentToken = '';
  let staffToken = '';
  beforeAll(async () => {
    server = await startServer({ ADMIN_TOKEN: ADMIN, QUIET_HOURS: 'off', CHAT_RATE_LIMIT: 'off' });
    agentToken = await createStaffToken(server.url, ADMIN, '12345坐席小李', 'hotline');
    staffToken = await createStaffToken(server.url, ADMIN, '窗口王审批', 'staff');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Waits for the console's notice (or its error, which fails the test with the message shown). */
  const noticed = async (page: Page, text: string) => {
    await page.waitForFunction((t) => (document.getElementById('notice')?.textContent ?? '').includes(t) || (document.getElementById('error')?.textContent ?? '') !== '', text);
    expect(await page.locator('#error').textContent()).toBe('');
    expect(await page.locator('#notice').textContent()).toContain(text);
  };

  const signIn = async (page: Page, token: string) => {
    await page.goto(`${server.url}/console`);
    await page.locator('#token').fill(token);
    await page.locator('#signin-form button').click();
    await page.locator('#who').waitFor();
  };

  it('an agent claims a handed-off chat, sends a suggested answer with its source, and the web chat shows it', async () => {
    // The applicant, in the web chat: a trade, a request for a person, then a question while waiting.
    const applicant = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await applicant.goto(server.url);
    await applicant.locator('.msg.bot').first().waitFor();
    const send = async (text: string) => {
      const before = await applicant.locator('.msg.bot').count();
      await applicant.locator('#text').fill(text);
      await applicant.locator('#send button').click();
      await applicant.waitForFunction((n) => document.querySelectorAll('.msg.bot').length > n, before);
    };
    await send('我想在奈曼旗开个便利店');
    await send('转人工');
    await send('这些证办下来要多久');

    const agent = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const problems: string[] = [];
    agent.on('pageerror', (e) => problems.push(e.message));
    await signIn(agent, agentToken);
    expect(await agent.locator('#who').textContent()).toContain('12345坐席小李（热线坐席）');
    // The token went into a session cookie the page's script cannot read.
    const cookies = await agent.context().cookies();
    expect(cookies.find((c) => c.name === 'yiye_console')?.httpOnly).toBe(true);
    expect(await agent.evaluate(() => document.cookie)).not.toContain('yiye_console');

    await agent.locator('#queue li').first().click();
    await agent.locator('#claim').click();
    await agent.locator('#claim-state', { hasText: '由您接手' }).waitFor();
    const suggestion = agent.locator('.suggestion').first();
    await suggestion.waitFor();
    await agent.locator('#suggestions', { hasText: '这些证办下来要多久' }).waitFor();
    const sources = await suggestion.locator('details.sources').textContent();
    expect(sources).toMatch(/来源（[1-9]/);
    await suggestion.locator('button.insert').click();
    const text = await agent.locator('#reply').inputValue();
    expect(text.length).toBeGreaterThan(10);
    await agent.locator('#send').click();
    await noticed(agent, '已发送');

    // The web chat polls while a person has the conversation: the agent's answer appears there.
    await applicant.locator('.msg.bot', { hasText: '【人工坐席】' }).waitFor({ timeout: 15_000 });
    expect(await applicant.locator('.msg.bot', { hasText: '【人工坐席】' }).last().textContent()).toContain(text.slice(0, 20));

    // The agent's reply is in the transcript once, marked as the agent's, also after the page collected it.
    await agent.waitForTimeout(5500);
    await agent.locator('#transcript .msg.agent').first().waitFor();
    expect(await agent.locator('#transcript .msg.agent').count()).toBe(1);
    expect(await agent.locator('#chat').textContent()).not.toContain('null');

    // A second agent sees who has the chat and cannot reply over them.
    const other = await createStaffToken(server.url, ADMIN, '12345坐席小赵', 'hotline');
    const second = await (await browser.newContext()).newPage();
    await signIn(second, other);
    await second.locator('#queue li').first().waitFor();
    expect(await second.locator('#queue li').first().textContent()).toContain('12345坐席小李 已接手');

    // Signing out ends the session: the cookie no longer opens the API.
    await agent.locator('#signout').click();
    await agent.locator('#signin').waitFor();
    const after = await agent.evaluate(async () => (await fetch('/api/staff/handoffs')).status);
    expect(after).toBe(401);
    expect(problems).toEqual([]);
  });

  it('window staff take a case from submitted to licence issued, and the dashboard draws', async () => {
    // A caller's case, submitted by an agent on their behalf (帮办代办), with every field of its merged form.
    const answers = { sells_medicine: '否', sells_tobacco: '否', food_scope: '销售散装食品、现制现售或提供餐饮服务' };
    const form = await filledForm(server.url, '便利店', answers);
    const submitted = await fetch(`${server.url}/api/agent/applications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ region: 'naiman', industry: '便利店', answers, form }),
    });
    const body = (await submitted.json()) as { caseNumber: string; message?: string };
    expect(submitted.status, JSON.stringify(body)).toBe(201);

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('dialog', (d) => void (d.type() === 'prompt' ? d.accept('XK-001') : d.accept()));
    await signIn(page, staffToken);
    await page.locator('#case-q').fill('13912345678');
    await page.locator('#case-search button').click();
    await page.locator('#case-rows tr', { hasText: body.caseNumber }).click();
    await page.locator('#case-detail', { hasText: '由12345坐席小李帮办代办' }).waitFor();
    expect(await page.locator('#case-detail').textContent()).not.toMatch(/null|submitted|hotline/);

    await page.locator('#accept').click();
    await noticed(page, '已受理');
    // The joint inspection, when an item needs one: scheduled now, then recorded as passed.
    if (await page.locator('#schedule').count()) {
      const now = await page.evaluate(() => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16));
      await page.locator('#inspect-at').fill(now);
      await page.locator('#schedule').click();
      await noticed(page, '核查已预约');
      await page.locator('#inspect-pass').click();
      await noticed(page, '核查合格');
    }
    while (await page.locator('button.approve').count()) {
      const before = await page.locator('button.approve').count();
      await page.locator('input.permit-number').first().fill(`XK-00${before}`);
      await page.locator('button.approve').first().click();
      await page.waitForFunction((n) => document.querySelectorAll('button.approve').length < n, before);
    }
    await page.locator('#issue').click();
    await noticed(page, '已核发行业综合许可证');
    const qr = page.locator('#case-detail img.qr');
    await qr.waitFor();
    expect(await qr.evaluate((img: HTMLImageElement) => new Promise<number>((done) => (img.complete ? done(img.naturalWidth) : img.addEventListener('load', () => done(img.naturalWidth)))))).toBeGreaterThan(100);
    const print = await page.locator('#print-link').getAttribute('href');
    const printed = await (await fetch(print ?? '')).text();
    expect(printed).toContain('行业综合许可证');
    expect(printed).toContain('91350100M000100Y43');

    await page.locator('#tabs button[data-tab="stats"]').click();
    await page.locator('#stats-summary', { hasText: '办件 1 件' }).waitFor();
    const drawn = await page.evaluate(() => [...document.querySelectorAll('canvas')].map((c) => c.width > 0 && c.height > 0));
    expect(drawn).toEqual([true, true, true, true]);
    expect(await page.locator('#stats-summary').textContent()).toMatch(/材料 \d+ → \d+ 份/);
    await page.screenshot({ path: `${server.env.VAR_DIR}/console-stats.png` });
    expect(problems).toEqual([]);
  });

  it('staff assign and answer a complaint made in the chat, and the answer reaches the chat', async () => {
    const say = async (text: string) => (await (await fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'w-browser-complaint', text, region: 'naiman' }) })).json()) as { replies: { text: string }[] };
    await say('我要投诉，窗口让我来回跑了三趟，每次只说一样缺的材料');
    await say('无');
    const filed = (await say('不用')).replies.map((r) => r.text).join('\n');
    const number = /GD\d{14}/.exec(filed)?.[0] ?? '';
    expect(number).not.toBe('');

    const page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await signIn(page, staffToken);
    await page.locator('#tabs button[data-tab="tickets"]').click();
    await page.locator('#ticket-list li', { hasText: number }).click();
    await page.locator('#ticket-dept').selectOption('政数局');
    await page.locator('#ticket-detail button', { hasText: '转交' }).click();
    await noticed(page, '已转交');
    await page.locator('#ticket-answer').fill('已核实，窗口将一次性告知您全部所缺材料，并安排专人跟进。');
    await page.locator('#ticket-detail button', { hasText: '答复' }).click();
    await noticed(page, '已答复');
    expect(await page.locator('#ticket-detail').textContent()).not.toContain('null');
    const seen = (await say('')).replies.map((r) => r.text).join('\n');
    expect(seen).toContain('【工单答复】');
    expect(seen).toContain('一次性告知您全部所缺材料');
    expect(problems).toEqual([]);
  });
});
