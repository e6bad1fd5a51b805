/**
 * `TELEGRAM_BOT_TOKEN=… TELEGRAM_API_ROOT=http://127.0.0.1:PORT npm start`: the real server process,
 * long polling a Bot API server on loopback, answers a user with no other set-up, and stops cleanly.
 */
import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../server/serverProcess.ts';
import { startFakeBotApi, textUpdate, type FakeBotApi } from './fakeBotApi.ts';

let server: RunningServer | undefined;
let api: FakeBotApi | undefined;
afterAll(async () => {
  await server?.stop('SIGKILL');
  await api?.close();
});

describe('npm start with a Telegram bot token', () => {
  it('answers a Telegram user over long polling and still serves the web chat', async () => {
    api = await startFakeBotApi();
    server = await startServer({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.url });

    const update = api.push(textUpdate(8880001, '我想在大沁他拉开个小卖部，也卖烟'));
    const sent = await api.waitForSent(1, 20_000);
    expect(sent[0]?.chatId).toBe(8880001);
    const all = (await api.waitForSent(1)).map((m) => m.text ?? '').join('\n');
    expect(all).toContain('奈曼旗');
    await api.confirmed(update.update_id);

    // The rest of the assistant is unaffected.
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);

    // SIGTERM: the long poll ends, the offset is confirmed, the process exits 0.
    const code = await server.stop('SIGTERM');
    expect(code, server.output()).toBe(0);
    expect(api.calls.filter((c) => c === 'getUpdates').length).toBeGreaterThanOrEqual(2);
    expect(server.output()).not.toContain('"level":50');
  });

  it('starts WeChat when WECHATY_PUPPET is set, keeps its memory card under VAR_DIR, and stops cleanly', async () => {
    const wechat = await startServer({ WECHATY_PUPPET: 'wechaty-puppet-mock', LOG_LEVEL: 'info' });
    server = wechat;
    const deadline = Date.now() + 15_000;
    while (!wechat.output().includes('wechat started') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(wechat.output()).toContain('"channel":"wechat"');
    expect((await fetch(`${wechat.url}/health`)).status).toBe(200);
    expect(await wechat.stop('SIGTERM')).toBe(0);
    expect(readdirSync(process.cwd()).filter((f) => f.endsWith('.memory-card.json'))).toEqual([]);
  });

  it('refuses an unknown puppet with one line naming the setting', async () => {
    await expect(startServer({ WECHATY_PUPPET: 'wechaty-puppet-nonesuch' })).rejects.toThrow(/configuration error: invalid setting WECHATY_PUPPET/);
  });
});
