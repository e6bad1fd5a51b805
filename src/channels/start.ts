/**
 * The messaging channels the config turns on, assembled for the server: each gets the one core and a
 * logger; their senders go into the outbox's registry. A channel's SDK is loaded only when the channel
 * is configured (wechaty alone takes about a second to load).
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../app/core.ts';
import type { ChannelSender } from '../notify/senders.ts';
import type { Channel, ChannelLog } from './channel.ts';
import type { TelegramChannel } from './telegram.ts';

/**
 * The updates turns answered (InboundUpdate, written with each turn) are kept a week: Telegram holds
 * undelivered updates for 24 hours, puppets replay less; older rows only grow the table.
 */
const KEEP_UPDATES_MS = 7 * 86_400_000;
const PRUNE_EVERY_MS = 6 * 3_600_000;

export interface Channels {
  /** (channel name, sender) pairs for the outbox's registry. */
  senders: [string, ChannelSender][];
  telegram?: TelegramChannel;
  /** Connects every channel in the background; a channel that is down is retried while the rest serves. */
  start(): void;
  stop(): Promise<void>;
}

export async function createChannels(core: Pick<Core, 'config' | 'assistant' | 'domain'>, log: ChannelLog & { child(bindings: object): ChannelLog }): Promise<Channels> {
  const { config } = core;
  const list: Channel[] = [];
  let telegram: TelegramChannel | undefined;
  if (config.telegram) {
    const { createTelegramChannel } = await import('./telegram.ts');
    telegram = createTelegramChannel({
      token: config.telegram.token,
      ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
      ...(config.telegram.webhook ? { webhook: config.telegram.webhook } : {}),
      assistant: core.assistant,
      log: log.child({ channel: 'telegram' }),
    });
    list.push(telegram);
  }
  if (config.wechat) {
    const { createWechatChannel } = await import('./wechat.ts');
    list.push(
      createWechatChannel({
        puppet: config.wechat.puppet,
        ...(config.wechat.puppetToken ? { puppetToken: config.wechat.puppetToken } : {}),
        memoryPath: path.join(config.varDir, 'wechaty'),
        loginQrFile: path.join(config.varDir, 'wechat-login-qr.png'),
        assistant: core.assistant,
        log: log.child({ channel: 'wechat' }),
      }),
    );
  }

  let pruner: NodeJS.Timeout | undefined;
  const prune = () => {
    core.domain.store.inboundUpdates.pruneBefore(new Date(Date.now() - KEEP_UPDATES_MS)).catch((error: unknown) => log.warn({ err: error }, 'pruning answered channel updates failed'));
  };

  return {
    senders: list.map((c) => [c.name, c.sender]),
    ...(telegram ? { telegram } : {}),
    start() {
      if (!list.length) return;
      for (const channel of list) channel.start();
      prune();
      pruner = setInterval(prune, PRUNE_EVERY_MS).unref();
    },
    async stop() {
      if (pruner) clearInterval(pruner);
      await Promise.all(list.map((c) => c.stop().catch((error: unknown) => log.warn({ err: error, channel: c.name }, 'channel did not stop cleanly'))));
    },
  };
}

/**
 * Webhook mode: Telegram posts updates to the path of TELEGRAM_WEBHOOK_URL on this server, and telegraf's
 * webhook callback answers on the raw response (fastify has parsed the JSON body already): 401 without
 * the right secret header, 500 when the turn failed so that Telegram sends the update again (nothing was
 * committed; a second delivery of an update that was answered is answered nothing).
 */
export function mountTelegramWebhook(app: FastifyInstance, telegram: TelegramChannel | undefined): void {
  const route = telegram?.webhookPath;
  if (!telegram || !route) return;
  app.post(route, async (request, reply) => {
    reply.hijack();
    try {
      await telegram.handleWebhook(Object.assign(request.raw, { body: request.body }), reply.raw);
    } catch (error) {
      request.log.error({ err: error }, 'telegram webhook call failed');
      if (!reply.raw.headersSent) reply.raw.writeHead(500).end();
    }
  });
}
