/**
 * Counters with a window: how many times something happened to a key (a chat user, a case number, a
 * client address) since the key's window began. A window starts with its first count and ends `windowMs`
 * later, whatever happens meanwhile (a fixed window: hammering does not extend it, nor does waiting
 * inside it shorten it). The chat's flood limit, the status look-up lock and the staff sign-in failures
 * all count here: in memory on one instance, in Redis (src/limits/redisCounters.ts) when `REDIS_URL` is
 * set, so that every instance behind a balancer counts the same tries.
 */

export interface WindowCount {
  /** Counts in the key's current window (0 when none). */
  count: number;
  /** Milliseconds until the window ends (0 when none). */
  resetInMs: number;
}

export interface WindowCounters {
  /** Counts one more for `key`; a new window of `windowMs` starts when none is open. */
  hit(key: string, windowMs: number): Promise<WindowCount>;
  /** Takes one back (a try that turned out allowed); nothing when the window has ended. */
  giveBack(key: string): Promise<void>;
  /** The count now, without counting. */
  peek(key: string): Promise<WindowCount>;
  close(): Promise<void>;
}

/**
 * The one-instance twin. `now` is the domain's clock, so tests move time by hand. Ended windows are
 * swept now and then, so a flood of one-off keys (rotating user ids) does not grow the map for good.
 */
export function memoryCounters(now: () => number = Date.now): WindowCounters {
  const windows = new Map<string, { count: number; endsAt: number }>();
  let lastSweep = now();
  const open = (key: string, at: number) => {
    const w = windows.get(key);
    if (w && w.endsAt > at) return w;
    if (w) windows.delete(key);
    return undefined;
  };
  const sweep = (at: number) => {
    if (windows.size < 10_000 && at - lastSweep < 60_000) return;
    lastSweep = at;
    for (const [key, w] of windows) if (w.endsAt <= at) windows.delete(key);
  };
  return {
    async hit(key, windowMs) {
      const at = now();
      sweep(at);
      const w = open(key, at) ?? { count: 0, endsAt: at + windowMs };
      w.count += 1;
      windows.set(key, w);
      return { count: w.count, resetInMs: w.endsAt - at };
    },
    async giveBack(key) {
      const w = open(key, now());
      if (w && w.count > 0) w.count -= 1;
    },
    async peek(key) {
      const at = now();
      const w = open(key, at);
      return w ? { count: w.count, resetInMs: w.endsAt - at } : { count: 0, resetInMs: 0 };
    },
    async close() {
      windows.clear();
    },
  };
}

/**
 * For limits that are a courtesy to the service, not a lock (the chat's flood limit): while the store
 * cannot be reached, nothing is counted and nothing refused, rather than every message failing.
 */
export function lenientCounters(counters: WindowCounters, onError: (error: unknown) => void): WindowCounters {
  const none: WindowCount = { count: 0, resetInMs: 0 };
  return {
    hit: (key, windowMs) => counters.hit(key, windowMs).catch((error: unknown) => (onError(error), none)),
    giveBack: (key) => counters.giveBack(key).catch(onError),
    peek: (key) => counters.peek(key).catch((error: unknown) => (onError(error), none)),
    close: () => counters.close(),
  };
}
