/**
 * Request URLs in the real server's logs are masked like everything else: phone and ID numbers in paths and
 * query strings (also percent-encoded), the web chat's userId, tokens, and most of a licence token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskUrl } from '../../src/privacy/mask.ts';
import { startServer, type RunningServer } from './serverProcess.ts';

const LICENCE_TOKEN = 'AQABY2xhYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk';

describe('maskUrl', () => {
  it('masks personal numbers, secret parameters and licence tokens, and leaves the rest readable', () => {
    expect(maskUrl('/api/staff/cases?q=13912345678&limit=20')).toBe('/api/staff/cases?q=139****5678&limit=20');
    expect(maskUrl('/api/staff/cases?q=%2B86%20139%201234%205678')).toBe('/api/staff/cases?q=139****5678');
    expect(maskUrl('/api/staff/cases?q=%E8%80%81%E7%8E%8B')).toBe('/api/staff/cases?q=老王');
    expect(maskUrl('/api/staff/cases/11010519491231002X')).toBe('/api/staff/cases/110105********002X');
    expect(maskUrl('/api/chat/history?userId=w-6f1c2e&x=1')).toBe('/api/chat/history?userId=[masked]&x=1');
    expect(maskUrl('/hook?token=abc&secret=def')).toBe('/hook?token=[masked]&secret=[masked]');
    expect(maskUrl(`/v/${LICENCE_TOKEN}/print`)).toBe('/v/AQABY2xh…/print');
    expect(maskUrl('/api/staff/cases/BJ20261201000001')).toBe('/api/staff/cases/BJ20261201000001');
    // A malformed escape is masked as sent.
    expect(maskUrl('/x?q=%E0%A4%A&p=13912345678')).toBe('/x?q=%E0%A4%A&p=139****5678');
  });
});

describe('the server log', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('shows request URLs masked', async () => {
    for (const url of [
      '/api/chat/history?userId=w-secret-user-4711',
      '/api/staff/cases?q=13912345678',
      '/api/staff/cases?q=%2B86%20139%201234%205678',
      '/api/staff/cases/11010519491231002X',
      `/v/${LICENCE_TOKEN}`,
      '/no-such-page?token=tok-secret-4711&phone=13700001111',
    ]) {
      await (await fetch(`${server.url}${url}`)).text();
    }
    await new Promise((r) => setTimeout(r, 200));
    const log = server.output();
    expect(log).toContain('incoming request');
    for (const secret of ['w-secret-user-4711', '13912345678', '139%201234', '1234 5678', '11010519491231002X', LICENCE_TOKEN, 'tok-secret-4711', '13700001111']) {
      expect(log, secret).not.toContain(secret);
    }
    expect(log).toContain('/api/staff/cases?q=139****5678');
    expect(log).toContain('/api/chat/history?userId=[masked]');
    expect(log).toContain('/v/AQABY2xh…');
  });
});
