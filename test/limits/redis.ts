/**
 * Redis for the tests, when TEST_REDIS_URL is set (the Redis variants are skipped with a message
 * otherwise). The Redis is shared with other test runs: every test uses its own random key prefix and
 * deletes only the keys under it, never the whole database.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env['TEST_REDIS_URL'] || undefined;

/** Says once per file that the Redis variants are skipped, and why. */
export function sayRedisSkipped(what: string): void {
  if (!REDIS_URL) console.warn(`${what} skipped: set TEST_REDIS_URL, e.g. redis://127.0.0.1:6379`);
}

export function testPrefix(): string {
  return `yiye-test:${randomBytes(6).toString('hex')}:`;
}

/** Deletes the keys under `prefix` (and nothing else). */
export async function deleteKeys(prefix: string): Promise<void> {
  if (!REDIS_URL) return;
  const client = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    await client.quit();
  }
}

/** How many keys there are under `prefix`. */
export async function countKeys(prefix: string): Promise<number> {
  if (!REDIS_URL) return 0;
  const client = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    let n = 0;
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      n += keys.length;
    } while (cursor !== '0');
    return n;
  } finally {
    await client.quit();
  }
}
