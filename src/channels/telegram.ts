/**
 * Telegram, on telegraf: each update becomes one `handleMessage({ channel: 'telegram', userId, text })`
 * and the replies go back as messages, choices as inline keyboards, images as photos (multipart).
 *
 * - Receiving: long polling by default (one instance); webhook mode for several instances behind a load
 *   balancer, where every call must carry the secret set with setWebhook
 *   (X-Telegram-Bot-Api-Secret-Token). Either way an update is claimed in the database first, so one
 *   delivered twice is handled once (updates.ts).
 * - Sending: replies and outbox pushes share one paced queue (pace.ts): a second between messages to a
 *   chat, 30 a second overall, and Telegram's own retry_after honoured.
 * - Errors: Telegram refusing (400 bad request, 403 blocked by the user) is permanent for the outbox;
 *   a broken wire (no connection, reset, timeout) and Telegram's 5xx are transient and retried.
 * - Private chats only: in a group the conversation would not be one person's.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
// telegraf's client takes the abort-controller polyfill's signal type; Node's own is not assignable to it.
import { AbortController } from 'abort-controller';
import { Telegraf, TelegramError } from 'telegraf';
import type { InlineKeyboardButton, InlineKeyboardMarkup, Update } from 'telegraf/types';
import type { Assistant } from '../dialogue/assistant.ts';
import type { Reply, ReplyOption } from '../dialogue/types.ts';
import { PermanentSendError, type ChannelSender, type OutgoingMessage } from '../notify/senders.ts';
import { silentLog, type Channel, type ChannelLog } from './channel.ts';
import { createPacer, RateLimitedError, SendTimeoutError, TELEGRAM_PACE, type PaceOptions } from './pace.ts';
import { commandText, COMMAND_MENU, planReplies, STALE_BUTTON, TEXT_ONLY, UNAVAILABLE, type Outbound } from './render.ts';
import { supervise, type BackoffOptions, type Supervisor } from './retry.ts';
import type { UpdateClaims } from './updates.ts';

/** Telegram's limits: message text, photo caption, callback_data bytes. */
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
const MAX_CALLBACK_BYTES = 64;
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export interface TelegramChannelOptions {
  token: string;
  /** A self-hosted Bot API server (or a test's fake); default https://api.telegram.org. */
  apiRoot?: string;
  /** Webhook mode: the public URL Telegram posts to and the secret it sends back. */
  webhook?: { url: string; secret: string };
  assistant: Pick<Assistant, 'handleMessage'>;
  claims: UpdateClaims;
  log?: ChannelLog;
  pace?: Partial<PaceOptions>;
  backoff?: Partial<BackoffOptions>;
  /** Long-poll wait in seconds (default 50). */
  pollTimeoutS?: number;
}

export type WebhookOutcome = 'handled' | 'forbidden' | 'ignored';

export interface TelegramChannel extends Channel {
  /** Webhook mode: the path of the webhook URL, to mount on the HTTP server. */
  readonly webhookPath: string | undefined;
  /** One webhook call: checks the secret header, then handles the update. */
  handleWebhook(secretHeader: unknown, body: unknown): Promise<WebhookOutcome>;
  /** One update, as long polling and the webhook hand it over. */
  handleUpdate(update: Update): Promise<void>;
  /** Resolves when every queued send is out (or failed). */
  idle(): Promise<void>;
}

/** The Bot API answered with an error that may pass (5xx, a wrong token being fixed, 404 from a proxy). Transient. */
export class TelegramApiError extends Error {
  override readonly name = 'TelegramApiError';
  constructor(
    readonly code: number,
    description: string,
    options?: { cause?: unknown },
  ) {
    super(`${code} ${description}`, options);
  }
}

/** A network failure talking to the Bot API: nothing was refused, the request did not get through. Transient. */
export class TelegramWireError extends Error {
  override readonly name = 'TelegramWireError';
}

export function createTelegramChannel(options: TelegramChannelOptions): TelegramChannel {
  const log = options.log ?? silentLog;
  const bot = new Telegraf(options.token, {
    telegram: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}), webhookReply: false },
    handlerTimeout: 60_000,
  });
  const pacer = createPacer({ ...TELEGRAM_PACE, ...options.pace }, retryAfterMs);
  const choices = new TelegramChoices();
  const turns = new Set<Promise<void>>();
  const webhook = options.webhook;
  let supervisor: Supervisor | undefined;
  let connection: AbortController | undefined;
  /** The next update the long poll asks for; kept across reconnects. */
  let offset = 0;

  // Claims that cannot be written (the database unreachable) propagate: the webhook answers 500 and
  // Telegram redelivers; the long poll restarts with backoff without confirming the update.
  bot.catch((error, ctx) => {
    log.error({ error: error instanceof Error ? describe(error) : String(error), updateId: ctx.update.update_id }, 'telegram update failed');
    throw error;
  });

  bot.use(async (ctx, next) => {
    const key = `telegram:${ctx.botInfo.id}:${ctx.update.update_id}`;
    if (!(await options.claims.claim(key))) {
      log.info({ updateId: ctx.update.update_id }, 'telegram update already handled; skipped');
      return;
    }
    try {
      await next();
    } catch (error) {
      // A handler bug: logged and the update counted as handled, so one bad update cannot stall the poll.
      log.error({ err: error, updateId: ctx.update.update_id }, 'telegram handler failed');
    }
    await options.claims.done(key);
  });

  bot.on('callback_query', async (ctx) => {
    const query = ctx.callbackQuery;
    const message = query.message;
    const value = 'data' in query ? choices.value(query.data, message && 'reply_markup' in message ? message.reply_markup : undefined) : undefined;
    // Answered first, so the button stops spinning while the core works.
    await ctx.answerCbQuery(value === undefined ? STALE_BUTTON : undefined).catch((error: unknown) => log.warn({ error: describe(translate(error)) }, 'answerCallbackQuery failed'));
    if (value === undefined || !message || message.chat.type !== 'private') return;
    await turn(message.chat.id, String(query.from.id), value);
  });

  bot.on('message', async (ctx) => {
    if (ctx.chat.type !== 'private') return;
    if (!('text' in ctx.message)) {
      void deliver(ctx.chat.id, [{ text: TEXT_ONLY }]);
      return;
    }
    await turn(ctx.chat.id, String(ctx.from.id), commandText(ctx.message.text));
  });

  /** One core turn; its replies are queued, not awaited, so the next updates need not wait for the pace. */
  async function turn(chatId: number, userId: string, text: string): Promise<void> {
    const running = (async () => {
      let replies: Reply[];
      try {
        replies = (await options.assistant.handleMessage({ channel: 'telegram', userId, text })).replies;
      } catch (error) {
        log.error({ err: error, chatId }, 'telegram turn failed');
        replies = [{ text: UNAVAILABLE }];
      }
      void deliver(chatId, replies);
    })();
    turns.add(running);
    try {
      await running;
    } finally {
      turns.delete(running);
    }
  }

  /** Replies: each message queued in order; a transient failure is tried twice more, then logged. */
  async function deliver(chatId: number, replies: Reply[]): Promise<void> {
    const sends = planReplies(replies, MAX_TEXT).map((message) =>
      pacer.run(String(chatId), () => withRetries(() => sendOne(chatId, message))).catch((error: unknown) => {
        log.warn({ error: describe(translate(error)), chatId }, 'telegram reply not sent');
      }),
    );
    await Promise.all(sends);
  }

  async function withRetries<T>(send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await send();
      } catch (error) {
        const failure = translate(error);
        if (attempt >= 3 || failure instanceof PermanentSendError || retryAfterMs(error) !== undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  }

  async function sendOne(chatId: number, message: Outbound): Promise<void> {
    if (message.kind === 'text') {
      await bot.telegram.sendMessage(chatId, message.text, message.options ? { reply_markup: keyboard(message.options, choices) } : {});
    } else {
      await bot.telegram.sendPhoto(
        chatId,
        { source: message.png, filename: 'licence-qr.png' },
        message.caption ? { caption: message.caption.slice(0, MAX_CAPTION) } : {},
      );
    }
  }

  const sender: ChannelSender = {
    async send(to: { userId: string }, message: OutgoingMessage) {
      if (!/^-?\d{1,20}$/.test(to.userId)) throw new PermanentSendError(`not a Telegram chat id: ${to.userId}`);
      const chatId = Number(to.userId);
      const image = message.image ? { png: message.image.png, alt: message.image.caption ?? '', ...(message.image.caption ? { caption: message.image.caption } : {}) } : undefined;
      for (const part of planReplies([{ text: message.text, ...(image ? { image } : {}) }], MAX_TEXT)) {
        try {
          await pacer.run(to.userId, () => sendOne(chatId, part));
        } catch (error) {
          throw translate(error);
        }
      }
    },
  };

  async function handleUpdate(update: Update): Promise<void> {
    await bot.handleUpdate(update);
  }

  /** One connection: who we are, then the long poll (until halted) or the webhook registration. */
  /** One connection; its failure is reported without telegraf's request payload (setWebhook's carries the secret). */
  async function connect(): Promise<void> {
    try {
      await connectOnce();
    } catch (error) {
      if (error instanceof TelegramError) throw new TelegramApiError(error.code, error.description);
      throw new TelegramWireError(error instanceof Error ? error.message : String(error));
    }
  }

  async function connectOnce(): Promise<void> {
    const abort = new AbortController();
    connection = abort;
    bot.botInfo = await bot.telegram.callApi('getMe', {}, { signal: abort.signal });
    if (abort.signal.aborted) return;
    await bot.telegram.setMyCommands([...COMMAND_MENU]).catch((error: unknown) => log.warn({ error: describe(translate(error)) }, 'setMyCommands failed'));
    if (webhook) {
      await bot.telegram.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
      log.info({ bot: bot.botInfo.username, webhook: webhook.url }, 'telegram webhook set');
      await new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
      return;
    }
    // A bot has either a webhook or a long poll; polling while a webhook is set fails with 409.
    await bot.telegram.deleteWebhook();
    log.info({ bot: bot.botInfo.username }, 'telegram long polling');
    await poll(abort.signal);
  }

  async function poll(signal: AbortController['signal']): Promise<void> {
    try {
      while (!signal.aborted) {
        const updates = await bot.telegram.callApi(
          'getUpdates',
          { timeout: options.pollTimeoutS ?? 50, offset, allowed_updates: [...ALLOWED_UPDATES] },
          { signal },
        );
        await Promise.all(updates.map((update) => handleUpdate(update)));
        const last = updates.at(-1);
        if (last) offset = last.update_id + 1;
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      // Confirms what was handled, so Telegram does not hand it over again to the next poll.
      if (offset > 0) await bot.telegram.callApi('getUpdates', { offset, limit: 1, timeout: 0 }).catch(() => undefined);
    }
  }

  return {
    name: 'telegram',
    sender,
    webhookPath: webhook ? new URL(webhook.url).pathname : undefined,
    handleUpdate,
    idle: () => pacer.idle(),
    async handleWebhook(secretHeader, body) {
      if (!webhook || typeof secretHeader !== 'string' || !sameSecret(secretHeader, webhook.secret)) return 'forbidden';
      if (!isUpdate(body)) return 'ignored';
      await handleUpdate(body);
      return 'handled';
    },
    start() {
      supervisor ??= supervise({
        name: 'telegram',
        run: connect,
        halt: () => connection?.abort(),
        log,
        ...(options.backoff ? { backoff: options.backoff } : {}),
      });
    },
    async stop() {
      await supervisor?.stop();
      await Promise.allSettled([...turns]);
      await Promise.race([pacer.idle(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    },
  };
}

/**
 * Button values travel as callback_data, which Telegram caps at 64 bytes: a value that fits goes as is
 * (stateless: the button works after a restart and on any instance); a longer one as a key into a map
 * of this process, and when the key is unknown (restart, other instance) the button's label stands in,
 * which the core understands as well (long values are the choices' own labels).
 */
export class TelegramChoices {
  private readonly long = new Map<string, string>();

  constructor(private readonly max = 5000) {}

  data(value: string): string {
    const direct = `v:${value}`;
    if (Buffer.byteLength(direct, 'utf8') <= MAX_CALLBACK_BYTES) return direct;
    const key = `h:${createHash('sha256').update(value).digest('base64url').slice(0, 22)}`;
    this.long.delete(key);
    this.long.set(key, value);
    if (this.long.size > this.max) {
      const oldest = this.long.keys().next().value;
      if (oldest !== undefined) this.long.delete(oldest);
    }
    return key;
  }

  value(data: string, markup: InlineKeyboardMarkup | undefined): string | undefined {
    if (data.startsWith('v:')) return data.slice(2);
    if (!data.startsWith('h:')) return undefined;
    const known = this.long.get(data);
    if (known !== undefined) return known;
    for (const row of markup?.inline_keyboard ?? []) {
      for (const button of row) if ('callback_data' in button && button.callback_data === data) return button.text;
    }
    return undefined;
  }
}

/** Choices as an inline keyboard: short labels share a row (up to three), long ones get their own. */
export function keyboard(options: readonly ReplyOption[], choices: TelegramChoices): InlineKeyboardMarkup {
  const rows: InlineKeyboardButton[][] = [];
  let row: InlineKeyboardButton[] = [];
  let width = 0;
  for (const option of options) {
    if (row.length && (row.length >= 3 || width + option.label.length > 14)) {
      rows.push(row);
      row = [];
      width = 0;
    }
    row.push({ text: option.label, callback_data: choices.data(option.value) });
    width += option.label.length;
  }
  if (row.length) rows.push(row);
  return { inline_keyboard: rows };
}

/** Telegram's "too many requests": how long it asked us to wait. */
function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof TelegramError) || error.code !== 429) return undefined;
  return (error.parameters?.retry_after ?? 1) * 1000;
}

/** Refused (400, 403) → permanent; Telegram's other errors → TelegramApiError (transient); anything else is the wire. */
function translate(error: unknown): Error {
  if (error instanceof TelegramError) {
    if (error.code === 400 || error.code === 403) return new PermanentSendError(`telegram refused: ${error.code} ${error.description}`, { cause: error });
    return new TelegramApiError(error.code, error.description, { cause: error });
  }
  if (error instanceof PermanentSendError || error instanceof RateLimitedError || error instanceof SendTimeoutError) return error;
  return new TelegramWireError(error instanceof Error ? error.message : String(error), { cause: error });
}

/**
 * For logs: the error's name and message only. telegraf's errors carry the request payload (the message
 * text), which is not for logs.
 */
function describe(error: Error): string {
  return `${error.name}: ${error.message}`;
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function isUpdate(body: unknown): body is Update {
  return typeof body === 'object' && body !== null && 'update_id' in body && Number.isSafeInteger(body.update_id);
}
