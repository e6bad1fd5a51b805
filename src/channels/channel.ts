/**
 * What every messaging channel (Telegram, WeChat) offers the server: a sender for the outbox, and a
 * start and stop that never take the rest of the assistant down with them.
 */
import type { ChannelSender } from '../notify/senders.ts';

/** The part of a pino logger the channels use; `app.log.child(...)` fits, and so does a test's array. */
export interface ChannelLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLog: ChannelLog = { info() {}, warn() {}, error() {} };

export interface Channel {
  /** The `channel` of the messages it hands the core and of the outbox rows it sends ('telegram', 'wechat'). */
  readonly name: string;
  readonly sender: ChannelSender;
  /** Connects in the background, retrying with backoff while the platform is unreachable; never throws. */
  start(): void;
  /** Stops receiving, lets the turns in progress finish and the queued sends go out, then disconnects. */
  stop(): Promise<void>;
}
