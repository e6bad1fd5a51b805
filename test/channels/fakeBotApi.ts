/**
 * A small Telegram Bot API server on 127.0.0.1 for driving the real telegraf client: getMe, getUpdates
 * (long polling with offsets, as Telegram confirms updates), sendMessage, sendPhoto (multipart),
 * answerCallbackQuery, setWebhook/deleteWebhook, setMyCommands. Tests queue updates, read what the bot
 * sent, and make the next call of a method fail (an HTTP status with Telegram's error body, or a closed
 * socket).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Update } from 'telegraf/types';

export const BOT = { id: 4242, is_bot: true, first_name: '一业一证助手', username: 'yiye_test_bot' };

export interface SentMessage {
  method: 'sendMessage' | 'sendPhoto';
  chatId: number;
  text?: string;
  caption?: string;
  photo?: Buffer;
  /** Inline keyboard buttons, row by row. */
  buttons?: { text: string; callback_data: string }[][];
  messageId: number;
  at: number;
}

export type Failure = { status: number; description?: string; retryAfter?: number } | 'close';

export interface FakeBotApi {
  url: string;
  token: string;
  sent: SentMessage[];
  /** Every call, in order: method names. */
  calls: string[];
  /** Calls answered by the callback-query method, with their text. */
  callbackAnswers: { id: string; text?: string }[];
  webhook: { url: string; secret?: string } | null;
  /** Queues an update for the long poll; returns it. */
  push(update: Update): Update;
  /** Resolves once the bot has confirmed (moved its offset past) the update. */
  confirmed(updateId: number, timeoutMs?: number): Promise<void>;
  /** The next call(s) of `method` fail this way. */
  failNext(method: string, failure: Failure, times?: number): void;
  waitForSent(count: number, timeoutMs?: number): Promise<SentMessage[]>;
  close(): Promise<void>;
}

export async function startFakeBotApi(options: { token?: string; port?: number } = {}): Promise<FakeBotApi> {
  const token = options.token ?? '123456:TEST-token';
  const port = options.port ?? 0;
  const sent: SentMessage[] = [];
  const calls: string[] = [];
  const callbackAnswers: { id: string; text?: string }[] = [];
  const queue: Update[] = [];
  const failures = new Map<string, Failure[]>();
  let nextMessageId = 1;
  let confirmedOffset = 0;
  let wake: (() => void)[] = [];
  const notify = () => {
    const w = wake;
    wake = [];
    for (const f of w) f();
  };
  const waitChange = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });

  const api: FakeBotApi = {
    url: '',
    token,
    sent,
    calls,
    callbackAnswers,
    webhook: null,
    push(update) {
      queue.push(update);
      notify();
      return update;
    },
    async confirmed(updateId, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (confirmedOffset <= updateId) {
        if (Date.now() > deadline) throw new Error(`update ${updateId} not confirmed (offset ${confirmedOffset})`);
        await waitChange(50);
      }
    },
    failNext(method, failure, times = 1) {
      failures.set(method, [...(failures.get(method) ?? []), ...Array.from({ length: times }, () => failure)]);
    },
    async waitForSent(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (sent.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} sent messages, got ${sent.length}: ${JSON.stringify(sent.map((s) => s.text ?? s.caption))}`);
        await waitChange(50);
      }
      return sent;
    },
    close: async () => {
      notify();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.from(chunk));
    const raw = Buffer.concat(chunks);
    if (!match || match[1] !== token) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const method = match[2] ?? '';
    calls.push(method);
    const failure = failures.get(method)?.shift();
    if (failure === 'close') {
      req.socket.destroy();
      return;
    }
    if (failure) {
      return reply(res, failure.status, {
        ok: false,
        error_code: failure.status,
        description: failure.description ?? 'Internal Server Error',
        ...(failure.retryAfter ? { parameters: { retry_after: failure.retryAfter } } : {}),
      });
    }
    const body = await parseBody(req, raw);
    switch (method) {
      case 'getMe':
        return ok(res, BOT);
      case 'deleteWebhook':
        api.webhook = null;
        return ok(res, true);
      case 'setWebhook':
        api.webhook = { url: String(body.url), ...(body.secret_token ? { secret: String(body.secret_token) } : {}) };
        return ok(res, true);
      case 'setMyCommands':
        return ok(res, true);
      case 'answerCallbackQuery':
        callbackAnswers.push({ id: String(body.callback_query_id), ...(body.text ? { text: String(body.text) } : {}) });
        notify();
        return ok(res, true);
      case 'getUpdates': {
        const offset = Number(body.offset ?? 0);
        if (offset > confirmedOffset) confirmedOffset = offset;
        while (queue.length && (queue[0]?.update_id ?? 0) < offset) queue.shift();
        notify();
        const deadline = Date.now() + Number(body.timeout ?? 0) * 1000;
        let closed = false;
        res.on('close', () => (closed = true));
        while (!queue.some((u) => u.update_id >= offset) && Date.now() < deadline && !closed) await waitChange(Math.min(200, deadline - Date.now()));
        if (closed) return;
        const limit = Number(body.limit ?? 100);
        return ok(res, queue.filter((u) => u.update_id >= offset).slice(0, limit));
      }
      case 'sendMessage':
      case 'sendPhoto': {
        const chatId = Number(body.chat_id);
        const markup = typeof body.reply_markup === 'string' ? JSON.parse(body.reply_markup) : body.reply_markup;
        const message: SentMessage = {
          method,
          chatId,
          messageId: nextMessageId++,
          at: Date.now(),
          ...(typeof body.text === 'string' ? { text: body.text } : {}),
          ...(typeof body.caption === 'string' ? { caption: body.caption } : {}),
          ...(Buffer.isBuffer(body.photo) ? { photo: body.photo } : {}),
          ...(markup?.inline_keyboard ? { buttons: markup.inline_keyboard } : {}),
        };
        if (method === 'sendPhoto' && !message.photo) return reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: photo must be uploaded as a file' });
        sent.push(message);
        notify();
        return ok(res, {
          message_id: message.messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: 'private', first_name: '测试' },
          ...(message.text ? { text: message.text } : {}),
          ...(markup ? { reply_markup: markup } : {}),
        });
      }
      default:
        return reply(res, 404, { ok: false, error_code: 404, description: `Not Found: method ${method}` });
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 500, { ok: false, error_code: 500, description: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  api.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  return api;
}

/** JSON, or multipart/form-data (what telegraf sends with a file): fields as strings, files as Buffers. */
async function parseBody(req: IncomingMessage, raw: Buffer): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (!raw.length) return {};
  if (type.startsWith('application/json')) return JSON.parse(raw.toString('utf8'));
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
    const out: Record<string, unknown> = {};
    for (const [key, value] of form.entries()) out[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
    return out;
  }
  return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
}

function ok(res: ServerResponse, result: unknown): void {
  reply(res, 200, { ok: true, result });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

let nextMessage = 1;
let nextUpdate = 1;

/** A private text message from a user, as Telegram delivers it. */
export function textUpdate(userId: number, text: string, updateId = nextUpdate++): Update {
  const command = /^\/\w+/.exec(text)?.[0];
  return {
    update_id: updateId,
    message: {
      message_id: nextMessage++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: 'private', first_name: '张' },
      from: { id: userId, is_bot: false, first_name: '张', language_code: 'zh-hans' },
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
    },
  };
}

/** A button press on a message the bot sent. */
export function callbackUpdate(userId: number, message: SentMessage, data: string): Update {
  return {
    update_id: nextUpdate++,
    callback_query: {
      id: `cb-${nextMessage++}`,
      from: { id: userId, is_bot: false, first_name: '张' },
      chat_instance: 'ci-1',
      data,
      message: {
        message_id: message.messageId,
        date: Math.floor(message.at / 1000),
        chat: { id: message.chatId, type: 'private', first_name: '张' },
        from: BOT,
        text: message.text ?? '',
        ...(message.buttons ? { reply_markup: { inline_keyboard: message.buttons } } : {}),
      },
    },
  };
}
