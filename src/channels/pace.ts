/**
 * One send queue per channel, shared by replies and outbox pushes, that keeps to the platform's pace:
 * at least `perChatMs` between two messages to the same chat, at most `perSecond` messages overall, and
 * when the platform says "too many requests, retry after N s", a pause for that chat before trying again.
 * Messages to one chat go out in the order they were queued.
 *
 * Written here rather than taken from a library: the pieces needed (per-chat spacing, a global rate,
 * the platform's own retry-after, a drain on shutdown) are a few dozen lines, and the throttlers on npm
 * either do one of them or belong to another bot framework (grammY's throttler).
 */
export interface PaceOptions {
  /** Minimum gap between two messages to the same chat (Telegram: about one per second). */
  perChatMs: number;
  /** Messages per second over all chats (Telegram: 30). */
  perSecond: number;
  /** How often a send the platform rate-limited is tried again before giving up. */
  maxRateLimitRetries: number;
  /** A retry-after longer than this is not waited for in the queue: the send fails (and the outbox retries later). */
  maxWaitMs: number;
  /** A send that takes longer than this fails (as a transient error) so that one hung request cannot stall the chat. */
  timeoutMs: number;
}

export const TELEGRAM_PACE: PaceOptions = { perChatMs: 1000, perSecond: 30, maxRateLimitRetries: 3, maxWaitMs: 60_000, timeoutMs: 30_000 };

/** The platform asked us to slow down and the queue gave up waiting. Transient: the outbox retries it later. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(`rate limited by the platform; retry after ${Math.ceil(retryAfterMs / 1000)} s`, options);
  }
}

/** A send that did not finish in time; it may still arrive. Transient. */
export class SendTimeoutError extends Error {
  override readonly name = 'SendTimeoutError';
}

export interface SendPacer {
  /** Runs `send` in `chat`'s turn and within the global rate; resolves or rejects with it. */
  run<T>(chat: string, send: () => Promise<T>): Promise<T>;
  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void>;
  /** Sends queued or in flight. */
  readonly pending: number;
}

export function createPacer(
  options: PaceOptions,
  /** How long the platform asked us to wait, when `error` is its "too many requests". */
  retryAfterMs: (error: unknown) => number | undefined = () => undefined,
  now: () => number = Date.now,
): SendPacer {
  const spacing = 1000 / options.perSecond;
  const chains = new Map<string, Promise<unknown>>();
  const nextForChat = new Map<string, number>();
  let nextGlobal = 0;
  let pending = 0;
  let idleWaiters: (() => void)[] = [];

  async function sendInTurn<T>(chat: string, send: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      await sleep((nextForChat.get(chat) ?? 0) - now());
      // Reserve the next global slot: sends are spaced evenly, never more than perSecond in a second.
      const slot = Math.max(now(), nextGlobal);
      nextGlobal = slot + spacing;
      await sleep(slot - now());
      nextForChat.set(chat, now() + options.perChatMs);
      try {
        return await withTimeout(send(), options.timeoutMs);
      } catch (error) {
        const wait = retryAfterMs(error);
        if (wait === undefined) throw error;
        if (attempt >= options.maxRateLimitRetries || wait > options.maxWaitMs) throw new RateLimitedError(wait, { cause: error });
        nextForChat.set(chat, now() + wait);
      }
    }
  }

  function run<T>(chat: string, send: () => Promise<T>): Promise<T> {
    pending += 1;
    const previous = chains.get(chat) ?? Promise.resolve();
    const result = previous.then(
      () => sendInTurn(chat, send),
      () => sendInTurn(chat, send),
    );
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    chains.set(chat, settled);
    void settled.then(() => {
      pending -= 1;
      if (chains.get(chat) === settled) {
        chains.delete(chat);
        // A chat that has been quiet longer than its gap needs no entry; keeps the map small.
        if ((nextForChat.get(chat) ?? 0) <= now()) nextForChat.delete(chat);
      }
      if (pending === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
      }
    });
    return result;
  }

  return {
    run,
    idle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    get pending() {
      return pending;
    },
  };
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new SendTimeoutError(`send did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
