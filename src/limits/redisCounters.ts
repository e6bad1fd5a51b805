/**
 * {@link WindowCounters} in Redis, shared by every instance: each operation is one Lua script, so a
 * count and its window's expiry are set together and parallel tries on several instances are counted
 * exactly (INCR, PEXPIRE on the window's first count; DECR only while the window is open).
 */
import { Redis } from 'ioredis';
import type { WindowCount, WindowCounters } from './counters.ts';

const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }`;

// Only while the window is open: a DECR after it expired would leave a key with no expiry.
const GIVE_BACK = `
if redis.call('PTTL', KEYS[1]) > 0 and tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
  redis.call('DECR', KEYS[1])
end
return 0`;

const PEEK = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then return { 0, 0 } end
return { tonumber(redis.call('GET', KEYS[1]) or '0'), ttl }`;

export interface RedisCountersOptions {
  url: string;
  /** Put before every key: several deployments (or test runs) can share one Redis. */
  prefix: string;
}

export function redisCounters(options: RedisCountersOptions): WindowCounters & { client: Redis } {
  // A command waits for a lost connection a little, then fails: a request is answered, never left hanging.
  const client = new Redis(options.url, { maxRetriesPerRequest: 2, connectTimeout: 5000 });
  // Without a listener a lost connection is an uncaught error event. It shows where it matters: in the
  // commands that fail (a request answered 500, or not limited: see openLimits) and in /health.
  client.on('error', () => undefined);
  const key = (k: string) => `${options.prefix}${k}`;
  const pair = (reply: unknown): WindowCount => {
    const [count, ttl] = Array.isArray(reply) ? reply.map(Number) : [0, 0];
    return { count: count ?? 0, resetInMs: Math.max(0, ttl ?? 0) };
  };
  return {
    client,
    async hit(k, windowMs) {
      return pair(await client.eval(HIT, 1, key(k), String(Math.max(1, Math.round(windowMs)))));
    },
    async giveBack(k) {
      await client.eval(GIVE_BACK, 1, key(k));
    },
    async peek(k) {
      return pair(await client.eval(PEEK, 1, key(k)));
    },
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
