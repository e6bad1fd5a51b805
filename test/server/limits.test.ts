/**
 * Shared limits and locks through the real server (`node bin/server.js`): the status look-up in the web
 * chat holds against rotating user ids (locked per case number and per client address), and wrong staff
 * tokens are answered 429 after ten, audited in a few rows, not one per try. With TEST_REDIS_URL set, two
 * instances share one database and one Redis, and the requests alternate between them.
 */
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, testStore, type TestStore } from '../cases/helpers.ts';
import { countKeys, deleteKeys, REDIS_URL, sayRedisSkipped, testPrefix } from '../limits/redis.ts';
import { filledForm, startServer, tempDir, type RunningServer } from './serverProcess.ts';

const ADMIN = 'admin-token-for-limits-test-0123456789';
const ANSWERS = { sells_medicine: '否', sells_tobacco: '是', food_scope: '仅销售预包装食品' };
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A request from a loopback address of the test's choosing (127.0.0.2, …): another client to the server. */
function call(url: string, options: { method?: string; path: string; from?: string; token?: string; cookie?: string; body?: unknown }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Json }> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${options.path}`,
      {
        method: options.method ?? (payload ? 'POST' : 'GET'),
        localAddress: options.from ?? '127.0.0.1',
        headers: {
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.cookie ? { cookie: options.cookie } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const statusText = (r: Json) => ((r.replies ?? []) as { text: string; kind?: string }[]).filter((x) => x.kind === 'status').map((x) => x.text).join('\n');

describe(REDIS_URL ? 'limits and locks: two instances sharing Redis' : 'limits and locks: one instance, in memory', () => {
  const instances: RunningServer[] = [];
  let store: TestStore | undefined;
  const prefix = testPrefix();
  /** The instance for the n-th request: they alternate when there are two. */
  const at = (n: number) => (instances[n % instances.length] ?? instances[0])!.url;

  beforeAll(async () => {
    sayRedisSkipped('Two instances sharing Redis (tested on one instance, in memory)');
    const dir = tempDir();
    store = REDIS_URL && PG_URL ? testStore('postgres') : undefined;
    const env = {
      ADMIN_TOKEN: ADMIN,
      QUIET_HOURS: 'off',
      VAR_DIR: dir,
      DATABASE_URL: store?.url ?? `file:${path.join(dir, 'yiye.db')}`,
      ...(REDIS_URL ? { REDIS_URL, REDIS_KEY_PREFIX: prefix } : {}),
    };
    // One after the other: the first migrates the database, the second finds it ready.
    instances.push(await startServer(env));
    if (REDIS_URL) instances.push(await startServer(env));
  }, 60_000);
  afterAll(async () => {
    for (const server of instances) await server.stop();
    await deleteKeys(prefix);
    await store?.cleanup();
  });

  it('the status look-up lock holds against rotating user ids: per case number, then per client address', async () => {
    const form = await filledForm(at(0), '便利店', ANSWERS);
    const submit = async (mobile: string) => {
      const res = await call(at(0), { path: '/api/agent/applications', token: ADMIN, body: { region: 'naiman', industry: '便利店', answers: ANSWERS, form: { ...form, contact_mobile: mobile } } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.caseNumber as string;
    };
    const target = await submit('13912345678');
    const other = await submit('13800004321');
    let n = 0;
    const ask = async (text: string, from = '127.0.0.1') => {
      n += 1;
      const res = await call(at(n), { path: '/api/chat', from, body: { userId: `guess-${n}-${Math.random().toString(36).slice(2)}`, text, region: 'naiman' } });
      expect(res.status).toBe(200);
      return statusText(res.body);
    };

    // Each guess from a new user id (the web page picks its own): five wrong, then even the right digits are refused.
    for (const digits of ['0000', '1111', '2222', '3333', '4444']) expect(await ask(`查询 ${target} ${digits}`)).toBe('办件号或手机号后四位不正确，请核对后再试。');
    const locked = await ask(`查询 ${target} 5678`);
    expect(locked).toMatch(/^这个办件号查询失败次数过多，已暂停查询，请(60|59)分钟后再试。/);
    expect(locked).not.toContain('便利店');
    // From another address too: it is the case number that is locked.
    expect(await ask(`查询 ${target} 5678`, '127.0.0.2')).toContain('这个办件号查询失败次数过多');
    // Another case answers from this address: five wrong tries are below the address's limit.
    expect(await ask(`查询 ${other} 4321`)).toContain(other);

    // Twenty wrong tries from one address, at any case numbers: that address is locked, for every case.
    for (let i = 0; i < 15; i++) await ask(`查询 BJ2026010100${String(i).padStart(4, '0')} 5678`);
    expect(await ask(`查询 ${other} 4321`)).toBe('查询失败次数过多，已暂停查询，请60分钟后再试，或拨打12345热线咨询。');
    expect(await ask(`查询 ${other} 4321`, '127.0.0.3')).toContain(other);
  }, 60_000);

  it('wrong staff tokens: 401 ten times, then 429 for the address (a signed-in console still works), audited in a few rows', async () => {
    const signedIn = await call(at(0), { path: '/api/console/session', from: '127.0.0.4', body: { token: ADMIN } });
    expect(signedIn.status).toBe(200);
    const cookie = String(signedIn.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';

    const statuses: number[] = [];
    for (let i = 0; i < 120; i++) {
      const res = await call(at(i), { path: '/api/staff/me', from: '127.0.0.4', token: `yy_wrong-token-${String(i).padStart(20, '0')}` });
      statuses.push(res.status);
      if (i === 0) expect(res.body.message).toBe('请提供有效的工作人员令牌。');
      if (i === 119) expect(res.body.message).toMatch(/^令牌验证失败次数过多，请1[45]分钟后再试。/);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(new Set(statuses.slice(10))).toEqual(new Set([429]));
    // The right token is not checked from that address now, nor does the console's sign-in take one…
    expect((await call(at(1), { path: '/api/staff/me', from: '127.0.0.4', token: ADMIN })).status).toBe(429);
    expect((await call(at(0), { path: '/api/console/session', from: '127.0.0.4', body: { token: ADMIN } })).status).toBe(429);
    // …but a session signed in before works, and other addresses are not affected.
    expect((await call(at(1), { path: '/api/staff/me', from: '127.0.0.4', cookie })).body.name).toBe('管理员');
    const audit = await call(at(0), { path: '/api/staff/audit?limit=1000', from: '127.0.0.5', token: ADMIN });
    expect(audit.status).toBe(200);
    const rows = (audit.body as Json[]).filter((r) => r.target === '127.0.0.4' || r.actor === '未认证');
    // 122 refused tries: a row at the first, at the tenth (locked) and at the hundredth.
    expect(rows.map((r) => [r.action, r.outcome, r.detail.failures])).toEqual([
      ['staff_auth_failures', 'locked', 100],
      ['staff_auth_failures', 'locked', 10],
      ['staff_auth_failures', 'unauthenticated', 1],
    ]);
    // The HTTP rate limits count in the same Redis (@fastify/rate-limit's store), under the deployment's prefix.
    if (REDIS_URL) expect(await countKeys(`${prefix}http:`)).toBeGreaterThan(0);
  }, 60_000);
});
