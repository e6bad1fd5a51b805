/** The pieces under both channels: the paced send queue, restart with backoff, update claims, settings. */
import { describe, expect, it } from 'vitest';
import { createPacer, RateLimitedError } from '../../src/channels/pace.ts';
import { supervise } from '../../src/channels/retry.ts';
import { databaseClaims } from '../../src/channels/updates.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { BACKENDS, testStore } from '../cases/helpers.ts';

class TooMany extends Error {
  constructor(readonly retryAfterMs: number) {
    super('429');
  }
}
const retryAfter = (e: unknown) => (e instanceof TooMany ? e.retryAfterMs : undefined);

describe('send pacing', () => {
  it('spaces one chat, keeps its order, and lets other chats through', async () => {
    const pacer = createPacer({ perChatMs: 100, perSecond: 1000, maxRateLimitRetries: 2, maxWaitMs: 1000, timeoutMs: 1000 });
    const log: [string, number][] = [];
    const start = Date.now();
    const send = (chat: string, n: number) => pacer.run(chat, async () => void log.push([`${chat}${n}`, Date.now() - start]));
    await Promise.all([send('a', 1), send('a', 2), send('a', 3), send('b', 1)]);
    expect(log.filter(([k]) => k.startsWith('a')).map(([k]) => k)).toEqual(['a1', 'a2', 'a3']);
    const at = Object.fromEntries(log);
    expect((at.a3 ?? 0) - (at.a1 ?? 0)).toBeGreaterThanOrEqual(190);
    expect(at.b1 ?? 999).toBeLessThan(50);
    expect(pacer.pending).toBe(0);
  });

  it('waits out the platform’s retry-after, and gives up when it is too long', async () => {
    const pacer = createPacer({ perChatMs: 0, perSecond: 1000, maxRateLimitRetries: 2, maxWaitMs: 500, timeoutMs: 1000 }, retryAfter);
    let calls = 0;
    const start = Date.now();
    await pacer.run('a', async () => {
      calls += 1;
      if (calls === 1) throw new TooMany(200);
    });
    expect(calls).toBe(2);
    expect(Date.now() - start).toBeGreaterThanOrEqual(190);
    await expect(pacer.run('a', async () => Promise.reject(new TooMany(5000)))).rejects.toBeInstanceOf(RateLimitedError);
    await expect(pacer.run('a', async () => Promise.reject(new Error('wire')))).rejects.toThrow('wire');
    await pacer.idle();
  });

  it('fails a send that hangs, without stalling the chat', async () => {
    const pacer = createPacer({ perChatMs: 0, perSecond: 1000, maxRateLimitRetries: 0, maxWaitMs: 0, timeoutMs: 50 });
    const hung = pacer.run('a', () => new Promise<void>(() => {}));
    const next = pacer.run('a', async () => 'next');
    await expect(hung).rejects.toThrow('within 50 ms');
    await expect(next).resolves.toBe('next');
  });
});

describe('restart with backoff', () => {
  it('retries a failing connection with growing waits and stops cleanly', async () => {
    const waits: number[] = [];
    let runs = 0;
    let release: (() => void) | undefined;
    const supervisor = supervise({
      name: 'test',
      backoff: { initialMs: 20, factor: 2, maxMs: 80 },
      random: () => 0.5,
      log: { info() {}, error() {}, warn: (obj: object) => waits.push('retryInMs' in obj ? Number(obj.retryInMs) : -1) },
      run: async () => {
        runs += 1;
        if (runs <= 4) throw new Error('unreachable');
        await new Promise<void>((resolve) => (release = resolve));
      },
      halt: () => release?.(),
    });
    const deadline = Date.now() + 3000;
    while (runs < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(waits).toEqual([20, 40, 80, 80]);
    expect(supervisor.failures).toBe(4);
    await supervisor.stop();
    expect(runs).toBe(5);
  });
});

describe.each(BACKENDS)('update claims on %s', (backend) => {
  it('lets one claimant handle an update, and takes over a claim whose handler died', async () => {
    const store = testStore(backend);
    const db = await store.open();
    const t = { core: { db } };
    try {
      let now = new Date('2026-11-23T02:00:00Z');
      const a = databaseClaims(t.core.db, { leaseMs: 60_000, now: () => now });
      const b = databaseClaims(t.core.db, { leaseMs: 60_000, now: () => now });
      expect(await a.claim('telegram:1:1')).toBe(true);
      expect(await a.claim('telegram:1:1')).toBe(false);
      expect(await b.claim('telegram:1:1')).toBe(false);
      await a.done('telegram:1:1');
      now = new Date(now.getTime() + 120_000);
      expect(await b.claim('telegram:1:1')).toBe(false);

      // a crashed mid-turn on update 2: b (behind a load balancer) waits for the lease, a sole consumer does not.
      expect(await a.claim('telegram:1:2')).toBe(true);
      expect(await b.claim('telegram:1:2')).toBe(false);
      const sole = databaseClaims(t.core.db, { leaseMs: 60_000, soleConsumer: true, now: () => now });
      expect(await sole.claim('telegram:1:2')).toBe(true);
      expect(await a.claim('telegram:1:3')).toBe(true);
      now = new Date(now.getTime() + 61_000);
      expect(await b.claim('telegram:1:3')).toBe(true);

      now = new Date(now.getTime() + 8 * 86_400_000);
      expect(await a.prune(7 * 86_400_000)).toBe(3);
    } finally {
      await db.close();
      await store.cleanup();
    }
  });
});

describe('channel settings', () => {
  it('reads the Telegram and WeChat settings, all optional', () => {
    expect(loadConfig({}).telegram).toBeUndefined();
    expect(loadConfig({}).wechat).toBeUndefined();
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081' }).telegram).toEqual({ token: '123:abc', apiRoot: 'http://127.0.0.1:8081' });
    expect(
      loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_WEBHOOK_URL: 'https://yiye.example.gov.cn/telegram/hook', TELEGRAM_WEBHOOK_SECRET: 'a-long-enough-secret_1' }).telegram,
    ).toEqual({ token: '123:abc', webhook: { url: 'https://yiye.example.gov.cn/telegram/hook', secret: 'a-long-enough-secret_1' } });
    expect(loadConfig({ WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_TOKEN: 'puppet_token' }).wechat).toEqual({ puppet: 'wechaty-puppet-service', puppetToken: 'puppet_token' });
  });

  it('refuses settings that cannot work, naming them', () => {
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_WEBHOOK_URL: 'https://yiye.example.gov.cn/hook' })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_WEBHOOK_URL: 'https://x.cn/h', TELEGRAM_WEBHOOK_SECRET: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_API_ROOT: 'not a url' })).toThrow(/TELEGRAM_API_ROOT/);
    expect(() => loadConfig({ TELEGRAM_API_ROOT: 'http://127.0.0.1:8081' })).toThrow(/TELEGRAM_BOT_TOKEN/);
  });
});
