/**
 * Telegram, on telegraf: each update becomes one turn of the shared turn loop (turnLoop.ts) and the
 * replies go back as messages, choices as inline keyboards, images as photos (multipart).
 *
 * - Receiving, through telegraf's own mechanisms: long polling by default (`bot.launch()`, one instance),
 *   or webhook mode for several instances behind a load balancer (`bot.webhookCallback(path, {
 *   secretToken })` mounted on the HTTP server; a call without the secret set with setWebhook is answered
 *   401). Either way the turn records the update in its own transaction, so one delivered twice, to any
 *   instance, is answered once.
 * - Sending: replies and outbox pushes share one paced queue (pace.ts): a second between messages to a
 *   chat, 30 a second overall, and Telegram's own retry_after honoured.
 * - Errors: Telegram refusing (400 bad request, 403 blocked by the user) is permanent for the outbox;
 *   a broken wire (no connection, reset, timeout) and Telegram's 5xx are transient and retried.
 * - Private chats only: in a group the conversation would not be one person's.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
// telegraf's client takes the abort-controller polyfill's signal type; Node's own is not assignable to it.
import { AbortController } from 'abort-controller';
import { Telegraf, TelegramError } from 'telegraf';
import type { InlineKeyboardButton, InlineKeyboardMarkup, Update } from 'telegraf/types';
import type { Assistant } from '../dialogue/assistant.ts';
import type { Reply, ReplyOption } from '../dialogue/types.ts';
import { PermanentSendError, type ChannelSender, type OutgoingMessage } from '../notify/senders.ts';
import { silentLog, type Channel, type ChannelLog } from './channel.ts';
import { createPacer, RateLimitedError, SendTimeoutError, TELEGRAM_PACE, type PaceOptions } from './pace.ts';
import { commandText, COMMAND_MENU, planReplies, STALE_BUTTON, TEXT_ONLY, type Outbound } from './render.ts';
import { supervise, type BackoffOptions, type Supervisor } from './retry.ts';
import { createTurnLoop } from './turnLoop.ts';

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
  log?: ChannelLog;
  pace?: Partial<PaceOptions>;
  backoff?: Partial<BackoffOptions>;
}

export interface TelegramChannel extends Channel {
  /** Webhook mode: the path of the webhook URL, to mount on the HTTP server. */
  readonly webhookPath: string | undefined;
  /**
   * One webhook call, answered on `res` by telegraf's webhook callback: 401 without the right secret
   * header, 500 when the turn failed (nothing was committed, so Telegram's redelivery is safe), else 200
   * once the turn has committed. `req.body` is the parsed JSON body when the server parsed it already.
   */
  handleWebhook(req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void>;
  /** One update, as long polling hands it over (tests feed updates this way). */
  handleUpdate(update: Update): Promise<void>;
  /** Resolves when the turns in progress are done and every queued send is out (or failed). */
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
  const loop = createTurnLoop({ channel: 'telegram', assistant: options.assistant, log });
  const choices = new TelegramChoices();
  const webhook = options.webhook;
  const webhookUrl = webhook ? new URL(webhook.url) : undefined;
  // telegraf's filter compares the request's URL (path and query) and the secret header, in constant time.
  const webhookCallback = webhook && webhookUrl ? bot.webhookCallback(webhookUrl.pathname + webhookUrl.search, { secretToken: webhook.secret }) : undefined;
  /** The responses of webhook calls in progress, by their update: a failed turn answers 500 on it. */
  const webhookCalls = new WeakMap<Update, ServerResponse>();
  let supervisor: Supervisor | undefined;
  let connection: AbortController | undefined;
  let stopping = false;
  /** telegraf's long poll, from bot.launch() until it returns. */
  let polling: Promise<void> | undefined;

  // Turns never throw here (the turn loop answers their failures); this is a handler's bug. It is logged
  // and not rethrown: rethrown, it would end telegraf's long poll, which confirms the batch's offset as it
  // ends, so the update would not come again anyway; a webhook call is answered 500 and comes again.
  bot.catch((error, ctx) => {
    log.error({ error: error instanceof Error ? describe(error) : String(error), updateId: ctx.update.update_id }, 'telegram update failed');
    const res = webhookCalls.get(ctx.update);
    if (res && !res.headersSent) res.statusCode = 500;
  });

  bot.on('callback_query', async (ctx) => {
    const query = ctx.callbackQuery;
    const message = query.message;
    const value = 'data' in query ? choices.value(query.data, message && 'reply_markup' in message ? message.reply_markup : undefined) : undefined;
    // Answered first, so the button stops spinning while the core works.
    await ctx.answerCbQuery(value === undefined ? STALE_BUTTON : undefined).catch((error: unknown) => log.warn({ error: describe(translate(error)) }, 'answerCallbackQuery failed'));
    if (value === undefined || !message || message.chat.type !== 'private') return;
    await turn(ctx.update, ctx.botInfo.id, message.chat.id, String(query.from.id), value);
  });

  // Stickers, photos and group messages start no turn, so they need no record: a second delivery of one
  // is hinted at again, which is harmless.
  bot.on('message', async (ctx) => {
    if (ctx.chat.type !== 'private') return;
    if (!('text' in ctx.message)) {
      void deliver(ctx.chat.id, [{ text: TEXT_ONLY }]);
      return;
    }
    await turn(ctx.update, ctx.botInfo.id, ctx.chat.id, String(ctx.from.id), commandText(ctx.message.text));
  });

  /**
   * One turn of the shared loop. A webhook call whose turn failed is answered 500, so Telegram sends the
   * update again (to this or another instance). Long polling cannot ask for that: telegraf's Polling
   * moves its offset past a batch when it fetches it and confirms it with the next getUpdates (or, when
   * the poll ends, its final offset sync) whatever the handlers did, so there the user is told
   * UNAVAILABLE at once. A restart before the confirmation gets the batch again; its committed turns are
   * then duplicates and answered nothing.
   */
  async function turn(update: Update, botId: number, chatId: number, userId: string, text: string): Promise<void> {
    const res = webhookCalls.get(update);
    const outcome = await loop.run({
      userId,
      text,
      updateKey: `telegram:${botId}:${update.update_id}`,
      deliver: (replies) => deliver(chatId, replies),
      redelivered: res !== undefined,
    });
    if (outcome === 'failed' && res && !res.headersSent) res.statusCode = 500;
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

  /** One connection; its failure is reported without telegraf's request payload (setWebhook's carries the secret). */
  async function connect(): Promise<void> {
    try {
      await connectOnce();
    } catch (error) {
      if (error instanceof TelegramError) throw new TelegramApiError(error.code, error.description);
      throw new TelegramWireError(error instanceof Error ? error.message : String(error));
    }
  }

  /** Who we are and the command menu, then the webhook registration (held until stop) or telegraf's long poll. */
  async function connectOnce(): Promise<void> {
    const abort = new AbortController();
    connection = abort;
    bot.botInfo = await bot.telegram.callApi('getMe', {}, { signal: abort.signal });
    if (stopping) return;
    await bot.telegram.setMyCommands([...COMMAND_MENU]).catch((error: unknown) => log.warn({ error: describe(translate(error)) }, 'setMyCommands failed'));
    if (webhook) {
      await bot.telegram.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
      log.info({ bot: bot.botInfo.username, webhook: webhook.url }, 'telegram webhook set');
      if (!abort.signal.aborted) await new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
      return;
    }
    if (stopping) return;
    log.info({ bot: bot.botInfo.username }, 'telegram long polling');
    // launch() deletes the webhook first (a bot has either a webhook or a long poll; polling while one is
    // set fails with 409), keeping the updates Telegram holds; it returns when bot.stop() ends the poll.
    polling = bot.launch({ allowedUpdates: [...ALLOWED_UPDATES], dropPendingUpdates: false });
    try {
      await polling;
    } finally {
      polling = undefined;
    }
  }

  /**
   * Ends the connection: aborts a getMe in flight, releases the webhook wait, and stops telegraf's poll,
   * which lets the batch's turns finish and confirms its offset. launch() creates the poll only after its
   * deleteWebhook answers, and a bot.stop() before that finds nothing to stop, so it is repeated until
   * launch() has returned.
   */
  async function halt(): Promise<void> {
    stopping = true;
    connection?.abort();
    while (polling) {
      const running = polling;
      try {
        bot.stop('stopping');
      } catch {
        // "Bot is not running!": launch() has not started its poll yet.
      }
      await Promise.race([running.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 50))]);
    }
  }

  return {
    name: 'telegram',
    sender,
    webhookPath: webhookUrl?.pathname,
    handleUpdate: (update) => bot.handleUpdate(update),
    async idle() {
      await loop.idle();
      await pacer.idle();
    },
    async handleWebhook(req, res) {
      if (!webhookCallback) {
        res.writeHead(404).end();
        return;
      }
      // Without a parsed update telegraf reads the body itself (already consumed here): 415 once the secret passed.
      const update = isUpdate(req.body) ? req.body : undefined;
      if (update) webhookCalls.set(update, res);
      try {
        await webhookCallback(Object.assign(req, { body: update }), res, () => {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Unauthorized', message: 'wrong or missing secret token' }));
        });
      } finally {
        if (update) webhookCalls.delete(update);
      }
    },
    start() {
      supervisor ??= supervise({ name: 'telegram', run: connect, halt, log, ...(options.backoff ? { backoff: options.backoff } : {}) });
    },
    async stop() {
      stopping = true;
      await supervisor?.stop();
      // Webhook calls that come now are answered 500, so Telegram gives them to another instance.
      await loop.drain();
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

function isUpdate(body: unknown): body is Update {
  return typeof body === 'object' && body !== null && 'update_id' in body && Number.isSafeInteger(body.update_id);
}
