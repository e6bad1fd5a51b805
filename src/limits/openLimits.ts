/**
 * The limits and locks of one instance, made once from the config: Redis when `REDIS_URL` is set (the
 * counters and @fastify/rate-limit's store on one client), memory otherwise. Closed with the core.
 */
import type { Redis } from 'ioredis';
import { memoryCounters, type WindowCounters } from './counters.ts';

export interface Limits {
  counters: WindowCounters;
  /** The shared client, for the HTTP rate limits' Redis store; absent in memory. */
  redis?: { client: Redis; keyPrefix: string };
  /** Fails when the shared store cannot be reached (the readiness check). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export async function openLimits(redis: { url: string; keyPrefix: string } | undefined, now: () => number = Date.now): Promise<Limits> {
  if (!redis) {
    const counters = memoryCounters(now);
    return { counters, ready: async () => undefined, close: () => counters.close() };
  }
  // ioredis is loaded only when configured: an instance without Redis starts without it.
  const { redisCounters } = await import('./redisCounters.ts');
  const counters = redisCounters({ url: redis.url, prefix: `${redis.keyPrefix}limit:` });
  return {
    counters,
    redis: { client: counters.client, keyPrefix: redis.keyPrefix },
    ready: async () => {
      await counters.client.ping();
    },
    close: () => counters.close(),
  };
}
