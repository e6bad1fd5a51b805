/**
 * Figures through `POST /api/chat`, on the real server with SQLite and a county from CATALOG_DIR (the fixture
 * 数字县): units converted, a limit that leaves a threshold open asked about, one that settles it kept as said
 * and still there after a restart.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chat, startServer, tempDir, type RunningServer } from './serverProcess.ts';

const CATALOG_DIR = path.join(import.meta.dirname, '../fixtures/quantities');
const FIRE = '公众聚集场所投入使用、营业前消防安全检查';
const running: RunningServer[] = [];
afterAll(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

type Permit = { name: string; status: string };

describe('POST /api/chat: number questions of a county in CATALOG_DIR', () => {
  it('asks for the figure when 「三百平以上」 leaves 超过300 open, takes 「不到两百平」, and keeps it across a restart', async () => {
    const dir = tempDir();
    const env = { VAR_DIR: dir, DATABASE_URL: `file:${dir}/chat.db`, CATALOG_DIR };
    const first = await startServer(env);
    running.push(first);
    const user = { userId: 'w-figures-1', region: '数字县' };
    let r = await chat(first.url, { ...user, text: '我想开个超市' });
    expect(r.status).toBe(200);
    expect(r.json.state.region).toEqual({ id: 'qtest', name: '数字县' });
    expect(r.json.state.pendingQuestion).toMatchObject({ id: 'business_area', type: 'number' });

    r = await chat(first.url, { userId: user.userId, text: '三百平以上' });
    expect(r.json.replies.map((x: { text: string }) => x.text)).toEqual([
      '您说的是300平方米以上。这一项要看经营面积是否超过300平方米，请告诉我具体经营面积（平方米），例如：320',
    ]);
    expect(r.json.state.pendingQuestion).toMatchObject({ id: 'business_area' });
    expect(r.json.state.permits.find((p: Permit) => p.name === FIRE).status).toBe('undecided');

    r = await chat(first.url, { userId: user.userId, text: '其实不到两百平' });
    expect(r.json.replies[0].text).toBe('已记下：您的店经营面积有多大（平方米）——不到200平方米。');
    expect(r.json.state.answers).toEqual({ business_area: { lt: 200, said: '不到200平方米' } });
    expect(r.json.state.permits.find((p: Permit) => p.name === FIRE).status).toBe('not_needed');

    await first.stop('SIGKILL');
    const second = await startServer(env);
    running.push(second);
    r = await chat(second.url, { userId: user.userId, text: '告知单' });
    expect(r.status).toBe(200);
    expect(r.json.state.answers).toEqual({ business_area: { lt: 200, said: '不到200平方米' } });
    expect(r.json.state.permits.find((p: Permit) => p.name === FIRE).status).toBe('not_needed');
  });

  it('「250000元」 to a question in 万元 is 25万元; 「300米」 to an area question is asked again', async () => {
    const server = await startServer({ CATALOG_DIR });
    running.push(server);
    await chat(server.url, { userId: 'w-figures-2', text: '开个劳务派遣公司', region: 'qtest' });
    let r = await chat(server.url, { userId: 'w-figures-2', text: '注册资本250000元' });
    expect(r.json.state.answers).toEqual({ registered_capital: 25 });
    expect(r.json.replies[0].text).toContain('25万元（250000元）');
    expect(r.json.state.permits.find((p: Permit) => p.name === '劳务派遣经营许可').status).toBe('not_needed');

    await chat(server.url, { userId: 'w-figures-3', text: '开超市', region: 'qtest' });
    r = await chat(server.url, { userId: 'w-figures-3', text: '300米' });
    expect(r.json.replies[0].text).toContain('您说的是“300米”，这一项问的是经营面积，单位是平方米。');
    expect(r.json.state.answers).toEqual({});
  });
});
