/** The settings of the shared limits: REDIS_URL, REDIS_KEY_PREFIX and TRUST_PROXY, with clear refusals. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('limits settings', () => {
  it('reads REDIS_URL with its key prefix, and none means in memory', () => {
    expect(loadConfig({}).redis).toBeUndefined();
    expect(loadConfig({ REDIS_URL: ' ' }).redis).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://:pw@10.0.0.5:6379/2' }).redis).toEqual({ url: 'redis://:pw@10.0.0.5:6379/2', keyPrefix: 'yiye:' });
    expect(loadConfig({ REDIS_URL: 'rediss://cache.example.cn:6380', REDIS_KEY_PREFIX: 'naiman:' }).redis).toEqual({ url: 'rediss://cache.example.cn:6380', keyPrefix: 'naiman:' });
    expect(() => loadConfig({ REDIS_URL: 'http://10.0.0.5:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ REDIS_URL: 'redis://10.0.0.5', REDIS_KEY_PREFIX: 'has space' })).toThrow(ConfigError);
  });

  it('reads TRUST_PROXY as the proxies whose X-Forwarded-For is believed', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
    expect(() => loadConfig({ TRUST_PROXY: '2' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: 'nginx' })).toThrow(/TRUST_PROXY/);
  });
});
