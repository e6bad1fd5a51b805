/**
 * Counters with a window, the memory twin and Redis: the same contract. In Redis, two clients (two
 * instances) count the same tries, exactly, in parallel.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { memoryCounters, type WindowCounters } from '../../src/limits/counters.ts';
import { redisCounters } from '../../src/limits/redisCounters.ts';
import { deleteKeys, REDIS_URL, sayRedisSkipped, testPrefix } from './redis.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function contract(name: string, make: () => { counters: WindowCounters; wait(ms: number): Promise<void> }) {
  describe(`window counters in ${name}`, () => {
    it('counts within a window, gives back, peeks without counting, and starts again when the window ends', async () => {
      const { counters, wait } = make();
      try {
        expect(await counters.peek('a')).toEqual({ count: 0, resetInMs: 0 });
        expect((await counters.hit('a', 400)).count).toBe(1);
        const second = await counters.hit('a', 400);
        expect(second.count).toBe(2);
        expect(second.resetInMs).toBeGreaterThan(0);
        expect(second.resetInMs).toBeLessThanOrEqual(400);
        await counters.giveBack('a');
        expect((await counters.peek('a')).count).toBe(1);
        expect((await counters.peek('a')).count).toBe(1);
        expect((await counters.hit('b', 400)).count).toBe(1);
        await wait(500);
        // The window has ended: nothing left, and giving back does not make a count without an end.
        expect((await counters.peek('a')).count).toBe(0);
        await counters.giveBack('a');
        expect(await counters.peek('a')).toEqual({ count: 0, resetInMs: 0 });
        expect((await counters.hit('a', 400)).count).toBe(1);
      } finally {
        await counters.close();
      }
    });
  });
}

contract('memory', () => {
  let t = 1_000_000;
  return { counters: memoryCounters(() => t), wait: async (ms) => void (t += ms) };
});

sayRedisSkipped('Window counters in Redis');
describe.skipIf(!REDIS_URL)('window counters in Redis', () => {
  const prefix = testPrefix();
  afterAll(() => deleteKeys(prefix));
  const url = REDIS_URL ?? '';

  contract('Redis', () => ({ counters: redisCounters({ url, prefix: `${prefix}contract:` }), wait: sleep }));

  it('two instances count the same tries, exactly, in parallel', async () => {
    const one = redisCounters({ url, prefix });
    const two = redisCounters({ url, prefix });
    try {
      const counts = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? one : two).hit('shared', 60_000)));
      expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect((await one.peek('shared')).count).toBe(100);
      await two.giveBack('shared');
      expect((await one.peek('shared')).count).toBe(99);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
