/**
 * The chat page in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core): a person
 * types a question and sees the permits list; answer choices are buttons.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../server/serverProcess.ts';
import { chromiumAvailable, launchChromium } from './chromium.ts';


describe.skipIf(!chromiumAvailable)('chat page in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
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

  it('the notice comes with its flow chart drawn on the page, and an answer shows where it comes from', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(server.url);
    await page.locator('.msg.bot').first().waitFor();
    await page.locator('#text').fill('奈曼旗开个宾馆，带餐厅，有游泳池对外开放，污水排市政管网，算公众聚集场所，不在保护区，没有锅炉');
    await page.locator('#send button').click();
    await page.locator('#permits li').first().waitFor();
    await page.locator('#text').fill('告知单');
    await page.locator('#send button').click();
    const chart = page.locator('figure.chart img').last();
    await chart.waitFor();
    // The SVG is drawn: it has its own size, and its text is the applicant's items.
    const size = await chart.evaluate((img: HTMLImageElement) => new Promise<{ w: number; h: number }>((done) => {
      const report = () => done({ w: img.naturalWidth, h: img.naturalHeight });
      if (img.complete) report(); else img.addEventListener('load', report);
    }));
    expect(size.w).toBe(680);
    expect(size.h).toBeGreaterThan(600);
    expect(await chart.getAttribute('alt')).toContain('特种行业经营许可（旅馆业）');
    expect(await page.locator('figure.chart figcaption').last().textContent()).toBe('奈曼旗 · 宾馆 办理流程图');
    const box = await chart.boundingBox();
    expect(box?.width ?? 999).toBeLessThanOrEqual(390);

    await page.locator('#text').fill('行业综合许可证在全旗都能用吗');
    await page.locator('#send button').click();
    const sources = page.locator('details.sources').last();
    await sources.waitFor();
    await sources.locator('summary').click();
    expect(await sources.locator('cite').first().textContent()).toBe('《奈曼旗“一业一证”改革实施方案》二（六）');
    expect(await sources.locator('q').first().textContent()).toContain('全旗范围内互认通用');
    await page.screenshot({ path: `${server.env.VAR_DIR}/chat-chart.png`, fullPage: true });
  });

  it('answered buttons close, choices come once as buttons, a long reply is read from its top, history survives a reload, an agent is shown, and there is a favicon', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 700 } });
    await page.goto(server.url);
    await page.locator('.msg.bot').first().waitFor();
    await page.locator('#region').selectOption('xinxiang');
    await page.locator('.msg.bot', { hasText: '新乡经开区' }).first().waitFor();
    await page.locator('#text').fill('开超市');
    await page.locator('#send button').click();
    const question = page.locator('.msg.bot', { hasText: '您的店里经营食品吗' }).last();
    await question.waitFor();
    // The choices are buttons only, not also a numbered list in the text.
    expect(await question.textContent()).not.toContain('仅销售预包装食品');
    const choices = page.locator('.options').last().locator('button');
    expect(await choices.allTextContents()).toEqual(['不经营食品', '仅销售预包装食品', '销售散装食品、现制现售或提供餐饮服务', '不确定']);
    await choices.nth(1).click();
    await page.locator('.msg.bot', { hasText: '大型户外广告' }).last().waitFor();
    // The answered choices can no longer be pressed; the one chosen is marked.
    const answered = page.locator('.options').nth(-2).locator('button');
    expect(await answered.evaluateAll((bs) => bs.every((b) => (b as HTMLButtonElement).disabled))).toBe(true);
    expect(await answered.evaluateAll((bs) => bs.filter((b) => b.classList.contains('chosen')).map((b) => b.textContent))).toEqual(['仅销售预包装食品']);
    await page.locator('.options').last().locator('button', { hasText: '否' }).click();
    // The permits come as a long reply: the view starts at its top, not its end.
    const permits = page.locator('.msg.bot', { hasText: '【新乡经开区 · 超市】' }).last();
    await permits.waitFor();
    await page.waitForTimeout(200);
    const top = await permits.evaluate((el) => el.getBoundingClientRect().top);
    // Within a pixel of the top (scrolling lands on sub-pixel positions).
    expect(top).toBeGreaterThanOrEqual(-1);
    expect(top).toBeLessThan(120);

    // Reloaded, the conversation so far is there again, and not said twice.
    await page.reload();
    await page.locator('.msg.me', { hasText: '开超市' }).first().waitFor();
    expect(await page.locator('.msg.bot', { hasText: '【新乡经开区 · 超市】' }).count()).toBe(1);
    expect(await page.locator('#permits li').count()).toBeGreaterThan(0);

    // A person takes over: the page says so.
    await page.locator('#text').fill('转人工');
    await page.locator('#send button').click();
    await page.locator('#agent').waitFor({ state: 'visible' });
    expect(await page.locator('#agent').textContent()).toContain('人工坐席正在为您服务');

    const icon = await fetch(`${server.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/favicon.svg');
  });
});
