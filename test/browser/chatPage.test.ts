/**
 * The chat page in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core): a person
 * types a question and sees the permits list; answer choices are buttons.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../server/serverProcess.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

describe.skipIf(!available)('chat page in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('types a question, sees the permits list, answers with a button, and nothing typed is run as HTML', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(server.url);
    await page.locator('.msg.bot').first().waitFor();
    await page.locator('#text').fill('我想在大沁他拉开个小卖部，也卖烟');
    await page.locator('#send button').click();
    await page.locator('#permits li').first().waitFor();
    const permits = await page.locator('#permits li').allTextContents();
    expect(permits.some((t) => t.includes('食品经营许可') && t.includes('需办理'))).toBe(true);
    expect(permits.some((t) => t.includes('烟草专卖零售许可证核发') && t.includes('需办理'))).toBe(true);
    expect(permits.some((t) => t.includes('药品零售企业许可') && t.includes('待确认'))).toBe(true);

    // The pending question's choices are buttons.
    await page.locator('.options button', { hasText: '否' }).last().click();
    await page.locator('#permits li.not_needed', { hasText: '药品零售企业许可' }).waitFor();
    const bot = await page.locator('.msg.bot').allTextContents();
    expect(bot.join('\n')).toContain('需要办理的事项（3项）');

    // Hostile input is shown as text, never parsed.
    await page.locator('#text').fill('<img src=x onerror="window.__pwned=1">');
    await page.locator('#send button').click();
    await page.locator('.msg.me', { hasText: '<img src=x' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: `${server.env.VAR_DIR}/chat-page.png` });
  });
});
