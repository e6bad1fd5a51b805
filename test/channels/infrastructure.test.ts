/** The pieces under both channels: the turn loop, the paced send queue, restart with backoff, pruning answered updates, settings. */
import { describe, expect, it } from 'vitest';
import { createPacer, RateLimitedError } from '../../src/channels/pace.ts';
import { supervise } from '../../src/channels/retry.ts';
import { UNAVAILABLE } from '../../src/channels/render.ts';
import { prismaStore } from '../../src/store/store.ts';
import { createTurnLoop, MAX_REDELIVERIES, type ChannelTurn } from '../../src/channels/turnLoop.ts';
import type { IncomingMessage, Reply, TurnResult } from '../../src/dialogue/types.ts';
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

describe('the channel turn loop', () => {
  /** A core twin: answers each update once, fails while `failing`, and can be held mid-turn. */
  function fakeAssistant() {
    const answered = new Set<string>();
    const calls: IncomingMessage[] = [];
    const state = { failing: false, hold: undefined as Promise<void> | undefined };
    return {
      calls,
      state,
      async handleMessage(message: IncomingMessage): Promise<TurnResult> {
        calls.push(message);
        await state.hold;
        if (state.failing) throw new Error('database unreachable');
        const base = { conversationId: 'c1', state: {} as TurnResult['state'] };
        if (message.updateKey && answered.has(message.updateKey)) return { ...base, replies: [], duplicate: true };
        if (message.updateKey) answered.add(message.updateKey);
        return { ...base, replies: [{ text: `答：${message.text}` }] };
      },
    };
  }
  const turn = (delivered: Reply[][], updateKey: string, extra: Partial<ChannelTurn> = {}): ChannelTurn => ({
    userId: 'u1',
    text: '进度',
    updateKey,
    deliver: async (replies) => void delivered.push(replies),
    ...extra,
  });

  it('passes the update key to the core and delivers nothing for a duplicate', async () => {
    const assistant = fakeAssistant();
    const loop = createTurnLoop({ channel: 'telegram', assistant });
    const delivered: Reply[][] = [];
    expect(await loop.run(turn(delivered, 'telegram:1:1'))).toBe('answered');
    expect(await loop.run(turn(delivered, 'telegram:1:1'))).toBe('duplicate');
    await loop.idle();
    expect(delivered).toEqual([[{ text: '答：进度' }]]);
    expect(assistant.calls.map((m) => [m.channel, m.userId, m.updateKey])).toEqual([
      ['telegram', 'u1', 'telegram:1:1'],
      ['telegram', 'u1', 'telegram:1:1'],
    ]);
  });

  it('apologises for a failed turn where nothing is redelivered, and asks a redelivering platform again a bounded number of times', async () => {
    const assistant = fakeAssistant();
    assistant.state.failing = true;
    const loop = createTurnLoop({ channel: 'wechat', assistant });
    const delivered: Reply[][] = [];
    expect(await loop.run(turn(delivered, 'wechat:m1'))).toBe('answered');
    await loop.idle();
    expect(delivered).toEqual([[{ text: UNAVAILABLE }]]);

    delivered.length = 0;
    for (let n = 0; n < MAX_REDELIVERIES; n++) expect(await loop.run(turn(delivered, 'telegram:1:2', { redelivered: true }))).toBe('failed');
    expect(delivered).toEqual([]);
    // The same update failing once more: the user is told rather than left waiting.
    expect(await loop.run(turn(delivered, 'telegram:1:2', { redelivered: true }))).toBe('answered');
    await loop.idle();
    expect(delivered).toEqual([[{ text: UNAVAILABLE }]]);

    // Once the core is back, the redelivery is answered.
    delivered.length = 0;
    expect(await loop.run(turn(delivered, 'telegram:1:3', { redelivered: true }))).toBe('failed');
    assistant.state.failing = false;
    expect(await loop.run(turn(delivered, 'telegram:1:3', { redelivered: true }))).toBe('answered');
    await loop.idle();
    expect(delivered).toEqual([[{ text: '答：进度' }]]);
  });

  it('drains: waits for a running turn and its delivery, then refuses new turns', async () => {
    const assistant = fakeAssistant();
    let release: (() => void) | undefined;
    assistant.state.hold = new Promise<void>((resolve) => (release = resolve));
    const loop = createTurnLoop({ channel: 'telegram', assistant });
    const delivered: Reply[][] = [];
    const slowSend = (replies: Reply[]) => new Promise<void>((resolve) => setTimeout(() => resolve(void delivered.push(replies)), 30));
    const running = loop.run(turn(delivered, 'telegram:1:4', { deliver: slowSend }));
    let drained = false;
    const draining = loop.drain().then(() => (drained = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    release?.();
    await draining;
    expect(await running).toBe('answered');
    expect(delivered).toEqual([[{ text: '答：进度' }]]);
    // After the drain: a webhook update is handed back (another instance takes it), a polled one apologised for.
    expect(await loop.run(turn(delivered, 'telegram:1:5', { redelivered: true }))).toBe('failed');
    expect(assistant.calls.map((m) => m.updateKey)).toEqual(['telegram:1:4']);
  });
});

describe.each(BACKENDS)('answered updates on %s', (backend) => {
  it('are pruned after a week', async () => {
    const store = testStore(backend);
    const db = await store.open();
    try {
      const day = 86_400_000;
      const now = new Date('2026-11-23T02:00:00Z').getTime();
      const row = (key: string, at: number) => ({ key, status: 'done', owner: 'turn', leaseUntil: new Date(at), receivedAt: new Date(at) });
      await db.prisma.inboundUpdate.createMany({ data: [row('telegram:1:1', now - 8 * day), row('wechat:m1', now - 8 * day), row('telegram:1:2', now - day)] });
      expect(await prismaStore(db).inboundUpdates.pruneBefore(new Date(now - 7 * day))).toBe(2);
      expect((await db.prisma.inboundUpdate.findMany()).map((r) => r.key)).toEqual(['telegram:1:2']);
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
