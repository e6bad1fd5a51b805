/**
 * Telegram through the real telegraf client against a Bot API server on loopback: a whole applicant
 * journey over long polling (buttons pressed as callback queries), staff moving the case while the
 * outbox pushes reminders to the chat, the licence QR as a multipart photo, a duplicate update, sends
 * that fail and are retried, the webhook with its secret, a failed turn redelivered, a restart of the
 * long poll, stop() draining a turn, two instances on one database, and a channel that is down at start.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Update } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { cjkFont } from '../../src/guidance/flowchart.ts';
import { mountTelegramWebhook } from '../../src/channels/start.ts';
import { createTelegramChannel, type TelegramChannel } from '../../src/channels/telegram.ts';
import { prismaStore } from '../../src/store/store.ts';
import type { IncomingMessage } from '../../src/dialogue/types.ts';
import { BACKENDS, testStore, type TestStore } from '../cases/helpers.ts';
import { decodeQr } from '../licence/decodeQr.ts';
import { freePort } from '../server/serverProcess.ts';
import { callbackUpdate, startFakeBotApi, textUpdate, type FakeBotApi, type SentMessage } from './fakeBotApi.ts';
import { BASE_URL, caseNumberOf, manualOutbox, staff, testCore, type TestCore } from './helpers.ts';

const FAST = { perChatMs: 5, perSecond: 1000 };

describe('Telegram: an applicant journey over long polling', () => {
  let api: FakeBotApi;
  let t: TestCore;
  let channel: TelegramChannel;
  const USER = 5550001;

  beforeAll(async () => {
    api = await startFakeBotApi();
    t = await testCore();
    channel = createTelegramChannel({
      token: api.token,
      apiRoot: api.url,
      assistant: t.core.assistant,
      pace: FAST,
    });
    channel.start();
  });
  afterAll(async () => {
    await channel?.stop();
    await api?.close();
    await t?.close();
  });

  /** Sends an update the way Telegram would (queued for the long poll); returns what the bot sent back. */
  async function deliver(update: Update): Promise<SentMessage[]> {
    const before = api.sent.length;
    const queued = api.push(update);
    await api.confirmed(queued.update_id);
    await channel.idle();
    return api.sent.slice(before);
  }
  const say = (text: string) => deliver(textUpdate(USER, text));
  const lastWithButtons = () => [...api.sent].reverse().find((m) => m.buttons?.length);
  async function press(label: string): Promise<SentMessage[]> {
    const message = lastWithButtons();
    const button = message?.buttons?.flat().find((b) => b.text === label);
    if (!message || !button) throw new Error(`no button ${label} on ${JSON.stringify(message?.buttons)}`);
    return deliver(callbackUpdate(USER, message, button.callback_data));
  }
  const texts = (messages: SentMessage[]) => messages.map((m) => m.text ?? m.caption ?? '').join('\n');

  it('goes from 「我想在大沁他拉开个小卖部，也卖烟」 to a submitted application, reminders and the licence QR', async () => {
    const started = await say('/start');
    expect(started.length).toBeGreaterThan(0);
    expect(started.every((m) => m.chatId === USER)).toBe(true);
    expect(api.calls).toContain('setMyCommands');

    const first = await say('我想在大沁他拉开个小卖部，也卖烟');
    expect(texts(first)).toContain('奈曼旗');
    expect(texts(first)).toContain('药品');
    // The scenario answers come as an inline keyboard whose callback_data carries the value.
    expect(first.at(-1)?.buttons?.flat().map((b) => b.text)).toEqual(['是', '否', '不确定']);
    expect(first.at(-1)?.buttons?.flat().map((b) => b.callback_data)).toEqual(['v:是', 'v:否', 'v:不确定']);

    const answersBefore = api.callbackAnswers.length;
    const permits = await press('否');
    expect(api.callbackAnswers.length).toBe(answersBefore + 1);
    expect(texts(permits)).toContain('烟草专卖零售许可证核发');
    expect(texts(permits)).toContain('食品经营许可');

    // The notice, then its flow chart as a photo (where the host has a CJK font; otherwise the notice's
    // text alone says the steps).
    const notice = await press('告知单');
    expect(texts(notice)).toContain('一次告知单');
    const chart = notice.find((m) => m.method === 'sendPhoto');
    if (cjkFont()) {
      const image = PNG.sync.read(chart?.photo ?? Buffer.alloc(0));
      expect(image.width).toBe(1360);
      expect(image.height).toBeGreaterThan(900);
      expect(chart?.caption).toBe('奈曼旗 · 便利店 办理流程图');
    } else {
      expect(chart).toBeUndefined();
    }

    expect(texts(await say('填表'))).toContain('主体名称');
    await say('老王便利店');
    await press('个体工商户');
    for (const text of ['92150525MA00000013', '王五', '11010519491231002X', '王五', '13912345678', '奈曼旗大沁他拉镇团结路12号', '60平', '2']) await say(text);
    await press('食品销售经营者');
    await say('1');
    await say('冷藏柜、货架');
    const summary = await press('否');
    expect(texts(summary)).toContain('请核对您的申请信息');
    expect(texts(summary)).toContain('139****5678');
    expect(texts(summary)).not.toContain('13912345678');
    const submitted = await press('确认提交');
    expect(texts(submitted)).toContain('申请已提交');

    // The case belongs to the Telegram user: reminders go back to this chat.
    const caseNumber = await caseNumberOf(t, 'telegram', String(USER));
    expect(texts(submitted)).toContain(caseNumber);
    expect(texts(await say('/status'))).toContain(`办件 ${caseNumber}`);

    // Staff act; the outbox dispatcher pushes to the chat through the channel's sender.
    const outbox = manualOutbox(t, new Map([['telegram', channel.sender]]));
    await staff.accept(t, caseNumber);
    await staff.requestMaterials(t, caseNumber);
    const before = api.sent.length;
    expect(await outbox.tick()).toBe(2);
    const pushed = api.sent.slice(before);
    expect(pushed.every((m) => m.chatId === USER && m.method === 'sendMessage')).toBe(true);
    expect(texts(pushed)).toContain('健康证明');
    expect(texts(pushed)).toContain('从业人员健康证明已过期');

    await staff.resolveMaterials(t, caseNumber);
    await staff.approveAndIssue(t, caseNumber);
    const afterIssue = api.sent.length;
    await outbox.tick();
    const photos = api.sent.slice(afterIssue).filter((m) => m.method === 'sendPhoto');
    expect(photos.length).toBeGreaterThan(0);
    await outbox.stop();

    // 「把许可证发我」: the licence as text, then its QR code as a photo uploaded as multipart.
    const licence = await say('把许可证发我');
    const photo = licence.find((m) => m.method === 'sendPhoto');
    expect(photo?.photo).toBeInstanceOf(Buffer);
    const url = decodeQr(photo?.photo ?? Buffer.alloc(0));
    expect(url.startsWith(`${BASE_URL}/v/`)).toBe(true);
    expect(photo?.caption).toContain('行业综合许可证');
    expect(decodeQr(photos.at(-1)?.photo ?? Buffer.alloc(0))).toBe(url);
  });

  it('handles an update delivered twice once, also after a restart', async () => {
    const update = textUpdate(USER, '进度', 777_001);
    const before = api.sent.length;
    await channel.handleUpdate(structuredClone(update));
    await channel.handleUpdate(structuredClone(update));
    // The same update again, to a fresh channel (a restarted process) on the same database.
    const restarted = createTelegramChannel({ token: api.token, apiRoot: api.url, assistant: t.core.assistant, pace: FAST });
    await restarted.handleUpdate(structuredClone(update));
    await channel.idle();
    await restarted.idle();
    const replies = api.sent.slice(before);
    expect(replies).toHaveLength(1);
    const stored = await t.core.db.prisma.message.count({ where: { direction: 'in', text: '进度', conversation: { userId: String(USER) } } });
    expect(stored).toBe(2); // the /status earlier in the journey, and this update once
  });

  it('answers once an update the long poll gets again after a restart', async () => {
    const inbound = () => t.core.db.prisma.message.count({ where: { direction: 'in', text: '进度', conversation: { userId: String(USER) } } });
    const stored = await inbound();
    const update = textUpdate(USER, '进度', 777_101);
    expect((await deliver(structuredClone(update))).length).toBeGreaterThan(0);
    // The process stops and starts again, and Telegram hands the update over again (as it does when its
    // offset was not confirmed), with a fresh one after it.
    await channel.stop();
    channel = createTelegramChannel({ token: api.token, apiRoot: api.url, assistant: t.core.assistant, pace: FAST });
    channel.start();
    const before = api.sent.length;
    api.push(structuredClone(update));
    const fresh = api.push(textUpdate(USER, '帮助', 777_102));
    await api.confirmed(fresh.update_id);
    await channel.idle();
    expect(api.sent.length).toBeGreaterThan(before);
    expect(await inbound()).toBe(stored + 1);
    expect(await t.core.db.prisma.inboundUpdate.count({ where: { key: { in: ['telegram:4242:777101', 'telegram:4242:777102'] } } })).toBe(2);
  });
});

describe('Telegram: sends that fail', () => {
  let api: FakeBotApi;
  let t: TestCore;
  let channel: TelegramChannel;
  const CHAT = 5550002;

  beforeAll(async () => {
    api = await startFakeBotApi();
    t = await testCore();
    channel = createTelegramChannel({ token: api.token, apiRoot: api.url, assistant: t.core.assistant, pace: FAST });
  });
  afterAll(async () => {
    await channel?.stop();
    await api?.close();
    await t?.close();
  });

  const push = (text: string) => prismaStore(t.core.db).transaction((tx) => tx.outbox.enqueue({ channel: 'telegram', userId: String(CHAT), text }, t.clock.now()));
  const row = (text: string) => t.core.db.prisma.outboxMessage.findFirstOrThrow({ where: { text } });

  it('retries a push after a 5xx and after a dropped connection, with the outbox backoff', async () => {
    const outbox = manualOutbox(t, new Map([['telegram', channel.sender]]), { maxAttempts: 5, baseDelayMs: 1000, factor: 2 });
    await push('补正提醒：5xx');
    api.failNext('sendMessage', { status: 500 });
    expect(await outbox.tick()).toBe(0);
    let r = await row('补正提醒：5xx');
    expect(r.status).toBe('pending');
    expect(r.lastError).toMatch(/^transient: TelegramApiError: 500/);
    t.clock.advance(1000);
    expect(await outbox.tick()).toBe(1);
    expect(api.sent.at(-1)?.text).toBe('补正提醒：5xx');

    await push('补正提醒：断线');
    api.failNext('sendMessage', 'close');
    expect(await outbox.tick()).toBe(0);
    r = await row('补正提醒：断线');
    expect(r.status).toBe('pending');
    expect(r.lastError).toMatch(/^transient: TelegramWireError/);
    t.clock.advance(2000);
    expect(await outbox.tick()).toBe(1);
    expect(api.sent.at(-1)?.text).toBe('补正提醒：断线');
    expect(api.sent.filter((m) => m.text === '补正提醒：断线')).toHaveLength(1);
    await outbox.stop();
  });

  it('gives up at once when the user blocked the bot (403), and waits out a 429 retry_after', async () => {
    const outbox = manualOutbox(t, new Map([['telegram', channel.sender]]));
    await push('已拉黑');
    api.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    await outbox.tick();
    const blocked = await row('已拉黑');
    expect(blocked.status).toBe('failed');
    expect(blocked.lastError).toContain('refused: PermanentSendError: telegram refused: 403');

    await push('限流');
    api.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });
    const startedAt = Date.now();
    expect(await outbox.tick()).toBe(1);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(950);
    expect((await row('限流')).status).toBe('sent');
    await outbox.stop();
  });

  it('keeps a second between messages to one chat and 30 a second overall', async () => {
    const paced = createTelegramChannel({ token: api.token, apiRoot: api.url, assistant: t.core.assistant });
    const before = api.sent.length;
    const started = Date.now();
    await Promise.all([
      paced.sender.send({ userId: '6001' }, { text: '一' }),
      paced.sender.send({ userId: '6001' }, { text: '二' }),
      ...Array.from({ length: 12 }, (_, n) => paced.sender.send({ userId: String(6100 + n) }, { text: `群发${n}` })),
    ]);
    const sent = api.sent.slice(before);
    const toOne = sent.filter((m) => m.chatId === 6001);
    expect(toOne.map((m) => m.text)).toEqual(['一', '二']);
    expect((toOne[1]?.at ?? 0) - (toOne[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    // 14 sends at 30 a second take at least 13 gaps of 1/30 s; the other chats were not held up a second.
    const others = sent.filter((m) => m.chatId !== 6001);
    expect((others.at(-1)?.at ?? 0) - started).toBeGreaterThanOrEqual(12 * (1000 / 30) - 50);
    expect((others.at(-1)?.at ?? 0) - started).toBeLessThan(1500);
    await paced.stop();
  });
});

describe('Telegram: webhook mode and a channel that is down', () => {
  it('accepts webhook calls only with the secret, and handles a redelivered update once', async () => {
    const api = await startFakeBotApi();
    const t = await testCore();
    const secret = 'webhook-secret-0123456789';
    const channel = createTelegramChannel({
      token: api.token,
      apiRoot: api.url,
      webhook: { url: 'https://yiye.example.gov.cn/telegram/hook', secret },
      assistant: t.core.assistant,
      pace: FAST,
    });
    const app = Fastify({ logger: false });
    mountTelegramWebhook(app, channel);
    await app.ready();
    try {
      channel.start();
      const deadline = Date.now() + 5000;
      while (!api.webhook && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(api.webhook).toEqual({ url: 'https://yiye.example.gov.cn/telegram/hook', secret });
      expect(api.calls).not.toContain('getUpdates');

      const update = textUpdate(5550003, '你好', 900_001);
      const refused = await app.inject({ method: 'POST', url: '/telegram/hook', payload: update, headers: { 'x-telegram-bot-api-secret-token': 'wrong-secret-0123456789' } });
      expect(refused.statusCode).toBe(401);
      expect((await app.inject({ method: 'POST', url: '/telegram/hook', payload: update })).statusCode).toBe(401);
      expect(api.sent).toHaveLength(0);

      for (let i = 0; i < 2; i++) {
        const res = await app.inject({ method: 'POST', url: '/telegram/hook', payload: update, headers: { 'x-telegram-bot-api-secret-token': secret } });
        expect(res.statusCode).toBe(200);
      }
      await channel.idle();
      expect(api.sent).toHaveLength(1);
      expect(api.sent[0]?.chatId).toBe(5550003);
    } finally {
      await channel.stop();
      await app.close();
      await api.close();
      await t.close();
    }
    // Stopping one instance leaves the webhook set for the others behind the load balancer.
    expect(api.calls).not.toContain('deleteWebhook');
  });

  it('answers 500 when the turn failed, so that Telegram sends the update again, and answers that once', async () => {
    const api = await startFakeBotApi();
    const t = await testCore();
    const secret = 'webhook-secret-0123456789';
    let failures = 1;
    const assistant = {
      handleMessage: async (message: IncomingMessage) => {
        if (failures-- > 0) throw new Error('database unreachable');
        return t.core.assistant.handleMessage(message);
      },
    };
    const channel = createTelegramChannel({ token: api.token, apiRoot: api.url, webhook: { url: 'https://yiye.example.gov.cn/telegram/hook', secret }, assistant, pace: FAST });
    const app = Fastify({ logger: false });
    mountTelegramWebhook(app, channel);
    await app.ready();
    const post = (payload: object, headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': secret }) => app.inject({ method: 'POST', url: '/telegram/hook', payload, headers });
    try {
      const update = textUpdate(5550006, '你好', 900_101);
      expect((await post(update)).statusCode).toBe(500);
      await channel.idle();
      expect(api.sent).toHaveLength(0);
      // Telegram's redelivery is answered, and a further one is not answered again.
      expect((await post(update)).statusCode).toBe(200);
      expect((await post(update)).statusCode).toBe(200);
      await channel.idle();
      expect(api.sent.map((m) => m.chatId)).toEqual([5550006]);
      // A body that is no update: refused without the secret, unreadable with it.
      expect((await post({ hello: 'world' }, {})).statusCode).toBe(401);
      expect((await post({ hello: 'world' })).statusCode).toBe(415);
    } finally {
      await channel.stop();
      await app.close();
      await api.close();
      await t.close();
    }
  });

  it('stop() lets a running turn finish, sends its reply, and confirms its update to Telegram', async () => {
    const api = await startFakeBotApi();
    const t = await testCore();
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered: (() => void) | undefined;
    const started = new Promise<void>((resolve) => (entered = resolve));
    const assistant = {
      handleMessage: async (message: IncomingMessage) => {
        entered?.();
        await gate;
        return t.core.assistant.handleMessage(message);
      },
    };
    const channel = createTelegramChannel({ token: api.token, apiRoot: api.url, assistant, pace: FAST });
    try {
      channel.start();
      const update = api.push(textUpdate(5550007, '帮助'));
      await started;
      let stopped = false;
      const stopping = channel.stop().then(() => (stopped = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(stopped).toBe(false);
      expect(api.sent).toHaveLength(0);
      release?.();
      await stopping;
      expect(api.sent.some((m) => m.chatId === 5550007)).toBe(true);
      await api.confirmed(update.update_id, 1000);
    } finally {
      release?.();
      await channel.stop();
      await api.close();
      await t.close();
    }
  });

  it('retries with backoff while the Bot API is unreachable, and serves once it is up', async () => {
    const port = await freePort();
    const t = await testCore();
    const warnings: string[] = [];
    const log = { info() {}, error() {}, warn: (_obj: object, msg: string) => warnings.push(msg) };
    const channel = createTelegramChannel({
      token: '123456:TEST-token',
      apiRoot: `http://127.0.0.1:${port}`,
      assistant: t.core.assistant,
      log,
      pace: FAST,
      backoff: { initialMs: 50, maxMs: 200 },
    });
    channel.start();
    let api: FakeBotApi | undefined;
    try {
      // Nothing listens yet: connection refused, retried.
      const deadline = Date.now() + 5000;
      while (warnings.filter((w) => w.includes('telegram channel is down')).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(warnings.filter((w) => w.includes('telegram channel is down')).length).toBeGreaterThanOrEqual(2);

      // Up, but failing getMe once more with a 502; then it connects and answers.
      api = await startFakeBotApi({ port });
      api.failNext('getMe', { status: 502, description: 'Bad Gateway' });
      const update = api.push(textUpdate(5550004, '帮助'));
      await api.confirmed(update.update_id);
      await channel.idle();
      expect(api.sent.some((m) => m.chatId === 5550004)).toBe(true);
    } finally {
      await channel.stop();
      await api?.close();
      await t.close();
    }
  });
});

describe.each(BACKENDS)('Telegram webhook: two instances on one %s database', (backend) => {
  const secret = 'webhook-secret-0123456789';
  let api: FakeBotApi;
  let store: TestStore;
  const instances: { t: TestCore; channel: TelegramChannel; app: FastifyInstance }[] = [];

  beforeAll(async () => {
    api = await startFakeBotApi();
    store = testStore(backend);
    // One after the other: the first migrates the database.
    for (let i = 0; i < 2; i++) {
      const t = await testCore({ databaseUrl: store.url });
      const channel = createTelegramChannel({ token: api.token, apiRoot: api.url, webhook: { url: 'https://yiye.example.gov.cn/telegram/hook', secret }, assistant: t.core.assistant, pace: FAST });
      const app = Fastify({ logger: false });
      mountTelegramWebhook(app, channel);
      await app.ready();
      instances.push({ t, channel, app });
    }
  });
  afterAll(async () => {
    for (const { t, channel, app } of instances) {
      await channel.stop();
      await app.close();
      await t.close();
    }
    await api?.close();
    await store?.cleanup();
  });

  const post = (n: number, update: Update) =>
    instances[n]!.app.inject({ method: 'POST', url: '/telegram/hook', payload: update, headers: { 'x-telegram-bot-api-secret-token': secret } });
  const idle = () => Promise.all(instances.map((i) => i.channel.idle()));

  it('answers an update redelivered to the other instance once', async () => {
    const update = textUpdate(5551000, '你好', 910_000);
    expect((await post(0, update)).statusCode).toBe(200);
    expect((await post(1, update)).statusCode).toBe(200);
    await idle();
    expect(api.sent.filter((m) => m.chatId === 5551000)).toHaveLength(1);
  });

  // SQLite serves one process: two writers on one file wait on each other's locks, so only PostgreSQL
  // is tried with both instances at once.
  const onPostgres = backend === 'postgres' ? it : () => undefined;
  onPostgres('answers an update delivered to both instances at once once, in 10 of 10 trials', async () => {
    const chats = Array.from({ length: 10 }, (_, n) => 5552000 + n);
    const statuses = await Promise.all(
      chats.map(async (chat, n) => {
        const update = textUpdate(chat, '你好', 920_000 + n);
        return Promise.all([post(0, update), post(1, update)]).then((r) => r.map((x) => x.statusCode));
      }),
    );
    await idle();
    expect(statuses.flat().every((s) => s === 200)).toBe(true);
    const counts = chats.map((chat) => api.sent.filter((m) => m.chatId === chat).length);
    expect(counts).toEqual(chats.map(() => 1));
    const inbound = await instances[0]!.t.core.db.prisma.message.count({ where: { direction: 'in', conversation: { userId: { in: chats.map(String) } } } });
    expect(inbound).toBe(10);
  });
});
