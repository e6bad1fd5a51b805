/**
 * WeChat, on wechaty: a private text message becomes one `handleMessage({ channel: 'wechat', userId,
 * text })` (userId: the contact's id), and the replies go back as texts, choices as a numbered list
 * (WeChat has no buttons for a personal or WeCom account), images as image messages.
 *
 * - The bot hears its own messages too (wechaty reports them): skipped. Group chats are skipped unless
 *   the bot is @-mentioned; then the answer goes to the group, mentioning the asker, and the
 *   conversation is still that person's. Official accounts are skipped.
 * - The puppet (WECHATY_PUPPET) decides which WeChat this is; see docs/channels.md for which suit a
 *   pilot and which production. The login QR code is drawn in the terminal, logged, and written as a PNG.
 * - Pushes go to a contact by id (`Contact.find({ id })`): no such contact is permanent for the outbox,
 *   not logged in is transient.
 * - Each text message is one turn of the shared turn loop (turnLoop.ts), keyed by its message id: a
 *   puppet that replays messages after reconnecting does not make the assistant answer twice. Puppets
 *   do not redeliver, so a turn that fails is answered with the polite UNAVAILABLE text.
 */
import { FileBox } from 'file-box';
import QRCode from 'qrcode';
import { ScanStatus, types, WechatyBuilder, type Message, type OfficialPuppetNpmName, type Wechaty, type WechatyOptions } from 'wechaty';
import { ConfigError } from '../config.ts';
import type { Assistant } from '../dialogue/assistant.ts';
import type { Reply } from '../dialogue/types.ts';
import { PermanentSendError, type ChannelSender } from '../notify/senders.ts';
import { silentLog, type Channel, type ChannelLog } from './channel.ts';
import { createPacer, type PaceOptions } from './pace.ts';
import { OptionMemory, planReplies, TEXT_ONLY, withNumberedOptions, type Outbound } from './render.ts';
import { supervise, type BackoffOptions, type Supervisor } from './retry.ts';
import { createTurnLoop } from './turnLoop.ts';

type PuppetInstance = Exclude<NonNullable<WechatyOptions['puppet']>, string>;
type ContactLike = ReturnType<Message['talker']>;
type RoomLike = NonNullable<ReturnType<Message['room']>>;

/** No limit is published for personal-account puppets; a phone shows shorter messages better anyway. */
const MAX_TEXT = 2000;
/** Messages older than this when they arrive are history a puppet replays after logging in. */
const MAX_AGE_S = 600;
/**
 * A deliberately slow pace: personal accounts that send bursts get restricted, and no limit is published.
 * One message a second per contact, five a second overall.
 */
export const WECHAT_PACE: PaceOptions = { perChatMs: 1000, perSecond: 5, maxRateLimitRetries: 0, maxWaitMs: 0, timeoutMs: 30_000 };

/** The puppets wechaty 1.20 knows by package name (its OFFICIAL_PUPPET_DEPENDENCIES), for WECHATY_PUPPET. */
export const KNOWN_PUPPETS = [
  'wechaty-puppet-service',
  'wechaty-puppet-mock',
  'wechaty-puppet-wechat',
  'wechaty-puppet-wechat4u',
  'wechaty-puppet-padlocal',
  'wechaty-puppet-xp',
  'wechaty-puppet-oicq',
  'wechaty-puppet-official-account',
  'wechaty-puppet-gitter',
  'wechaty-puppet-lark',
  'wechaty-puppet-whatsapp',
  'wechaty-puppet-walnut',
  '@juzibot/wechaty-puppet-donut',
  '@juzibot/wechaty-puppet-wxwork',
] as const satisfies readonly OfficialPuppetNpmName[];

export interface WechatChannelOptions {
  /** A puppet's package name (WECHATY_PUPPET), or a puppet instance (tests: wechaty-puppet-mock). */
  puppet: string | PuppetInstance;
  /** WECHATY_PUPPET_TOKEN: the token of a puppet service (wechaty-puppet-service, padlocal, WeCom). */
  puppetToken?: string;
  /** The memory card that keeps the login across restarts: `${memoryPath}.memory-card.json`. */
  memoryPath: string;
  /** The login QR code is also written here as a PNG, for servers without a terminal at hand. */
  loginQrFile?: string;
  assistant: Pick<Assistant, 'handleMessage'>;
  log?: ChannelLog;
  pace?: Partial<PaceOptions>;
  backoff?: Partial<BackoffOptions>;
  /** Where the login QR code is drawn (default: standard error, beside the JSON log on standard output). */
  terminal?: (text: string) => void;
}

export interface WechatChannel extends Channel {
  /** The wechaty instance (tests wait for its login). */
  readonly bot: Wechaty;
  /** Resolves when the turns in progress are done and their replies sent. */
  idle(): Promise<void>;
}

/** WeChat is not reachable right now (not logged in, puppet down). Transient. */
export class WechatUnavailableError extends Error {
  override readonly name = 'WechatUnavailableError';
}

export function createWechatChannel(options: WechatChannelOptions): WechatChannel {
  const log = options.log ?? silentLog;
  const bot = build(options);
  const pacer = createPacer({ ...WECHAT_PACE, ...options.pace });
  const memory = new OptionMemory();
  const loop = createTurnLoop({ channel: 'wechat', assistant: options.assistant, log });
  /** Messages being handled: looked at (for us? a mention? text?), then their turn run. */
  const arriving = new Set<Promise<void>>();
  const terminal = options.terminal ?? ((text: string) => process.stderr.write(`${text}\n`));
  let supervisor: Supervisor | undefined;
  let halt: (() => void) | undefined;

  bot.on('scan', (qrcode, status) => {
    if (status !== ScanStatus.Waiting && status !== ScanStatus.Timeout) {
      log.info({ status: ScanStatus[status] }, 'wechat login: scan status');
      return;
    }
    log.info({ qrcode, status: ScanStatus[status] }, "wechat login: scan this QR code with the bot account's WeChat");
    void showLoginQr(qrcode).catch((error: unknown) => log.warn({ err: error }, 'wechat login QR not drawn'));
  });
  bot.on('login', (user) => log.info({ user: user.name() }, 'wechat logged in'));
  bot.on('logout', (user, reason) => log.warn({ user: user.name(), reason }, 'wechat logged out; waiting for a new login'));
  // Without a listener wechaty's error events would throw (an EventEmitter's 'error').
  bot.on('error', (error) => log.warn({ err: error }, 'wechat error'));
  bot.on('message', (message) => {
    const running = onMessage(message).catch((error: unknown) => log.error({ err: error }, 'wechat message failed'));
    arriving.add(running);
    void running.finally(() => arriving.delete(running));
  });

  async function showLoginQr(value: string): Promise<void> {
    terminal(await QRCode.toString(value, { type: 'terminal', small: true }));
    if (options.loginQrFile) await QRCode.toFile(options.loginQrFile, value, { type: 'png' });
  }

  async function onMessage(message: Message): Promise<void> {
    if (message.self()) return;
    const talker = message.talker();
    if (talker.type() === types.Contact.Official) return;
    const room = message.room();
    if (room && !(await message.mentionSelf())) return;
    if (message.age() > MAX_AGE_S) return;
    // Stickers, photos and voice start no turn and need no record: a replayed one is hinted at again.
    if (message.type() !== types.Message.Text) {
      if (!room) void deliver(talker, undefined, [{ text: TEXT_ONLY }]);
      return;
    }
    const said = room ? await message.mentionText() : message.text();
    await loop.run({
      userId: talker.id,
      text: memory.resolve(talker.id, said),
      updateKey: `wechat:${message.id}`,
      deliver: (replies) => {
        memory.remember(talker.id, replies);
        return deliver(talker, room ?? undefined, replies);
      },
    });
  }

  /** Replies in order, paced; failures are logged (the user can ask again). */
  async function deliver(contact: ContactLike, room: RoomLike | undefined, replies: Reply[]): Promise<void> {
    const chat = room ? room.id : contact.id;
    const sends = planReplies(replies, MAX_TEXT).map((part) =>
      pacer.run(chat, () => sayOne(room ?? contact, part, room ? contact : undefined)).catch((error: unknown) => {
        log.warn({ err: error }, 'wechat reply not sent');
      }),
    );
    await Promise.all(sends);
  }

  async function sayOne(to: ContactLike | RoomLike, part: Outbound, mention?: ContactLike): Promise<void> {
    if (part.kind === 'image') {
      // fromBase64, not fromBuffer: puppets serialise the FileBox, and a buffer-backed one cannot be.
      await to.say(FileBox.fromBase64(part.png.toString('base64'), 'licence-qr.png'));
      return;
    }
    const text = withNumberedOptions(part.text, part.options);
    if (mention && 'topic' in to) await to.say(text, mention);
    else await to.say(text);
  }

  const sender: ChannelSender = {
    async send(to, message) {
      if (!bot.isLoggedIn) throw new WechatUnavailableError('WeChat is not logged in');
      const contact = await bot.Contact.find({ id: to.userId });
      if (!contact) throw new PermanentSendError(`no WeChat contact ${to.userId}`);
      const image = message.image ? { png: message.image.png, alt: message.image.caption ?? '' } : undefined;
      for (const part of planReplies([{ text: message.text, ...(image ? { image } : {}) }], MAX_TEXT)) {
        await pacer.run(to.userId, () => sayOne(contact, part));
      }
    },
  };

  async function connect(): Promise<void> {
    const halted = new Promise<void>((resolve) => (halt = resolve));
    try {
      await bot.start();
    } catch (error) {
      await bot.stop().catch(() => undefined);
      throw error;
    }
    log.info({ puppet: typeof options.puppet === 'string' ? options.puppet : 'instance' }, 'wechat started; waiting for login');
    await halted;
  }

  return {
    name: 'wechat',
    sender,
    bot,
    async idle() {
      await Promise.allSettled([...arriving]);
      await loop.idle();
      await pacer.idle();
    },
    start() {
      supervisor ??= supervise({ name: 'wechat', run: connect, halt: () => halt?.(), log, ...(options.backoff ? { backoff: options.backoff } : {}) });
    },
    async stop() {
      await supervisor?.stop();
      await Promise.allSettled([...arriving]);
      await loop.drain();
      await Promise.race([pacer.idle(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      if (bot.isLoggedIn || bot.state.active()) await bot.stop().catch((error: unknown) => log.warn({ err: error }, 'wechat did not stop cleanly'));
    },
  };
}

function build(options: WechatChannelOptions): Wechaty {
  const { puppet } = options;
  if (typeof puppet !== 'string') return WechatyBuilder.build({ name: options.memoryPath, puppet });
  if (!isKnownPuppet(puppet)) {
    throw new ConfigError(`invalid setting WECHATY_PUPPET: ${puppet} is not a puppet wechaty knows (${KNOWN_PUPPETS.join(', ')})`);
  }
  return WechatyBuilder.build({ name: options.memoryPath, puppet, ...(options.puppetToken ? { puppetOptions: { token: options.puppetToken } } : {}) });
}

function isKnownPuppet(name: string): name is (typeof KNOWN_PUPPETS)[number] {
  return (KNOWN_PUPPETS as readonly string[]).includes(name);
}
