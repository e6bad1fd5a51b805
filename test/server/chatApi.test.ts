import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startServer, type RunningServer } from './serverProcess.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});

describe('POST /api/chat', () => {
  it('returns the documented shape: conversationId, replies, state with region, industry, permits, pending question, stage', async () => {
    const r = await chat(server.url, { userId: 'api-1', text: '我想在新乡经开区开个饭店', region: 'xinxiang' });
    expect(r.status).toBe(200);
    expect(typeof r.json.conversationId).toBe('string');
    expect(r.json.replies.length).toBeGreaterThan(0);
    expect(r.json.state).toMatchObject({
      region: { id: 'xinxiang', name: '新乡经开区' },
      industry: { id: 'restaurant', name: '饭店' },
      stage: 'questions',
      applicationNumber: null,
      caseNumber: null,
      handoff: false,
    });
    expect(r.json.state.permits.map((p: { name: string }) => p.name)).toEqual([
      '食品经营许可',
      '食品小经营店登记',
      '城镇污水排入排水管网许可',
      '设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批',
    ]);
    expect(r.json.state.pendingQuestion).toMatchObject({ id: 'small_individual', type: 'boolean' });
    const last = r.json.replies.at(-1);
    expect(last.options.map((o: { label: string }) => o.label)).toEqual(['是', '否', '不确定']);
  });

  it('GET /api/chat/history gives the conversation so far for a reloaded page, and nothing for a new user', async () => {
    await chat(server.url, { userId: 'api-history', text: '开药店需要什么证', region: '奈曼旗' });
    const res = await fetch(`${server.url}/api/chat/history?userId=api-history`);
    expect(res.status).toBe(200);
    const history = await res.json();
    expect(history.messages[0]).toEqual({ direction: 'in', text: '开药店需要什么证' });
    expect(history.messages.some((m: { text: string }) => m.text.includes('【奈曼旗 · 药店】'))).toBe(true);
    expect(history.state.industry).toEqual({ id: 'pharmacy', name: '药店' });
    const none = await (await fetch(`${server.url}/api/chat/history?userId=nobody-here`)).json();
    expect(none).toEqual({ conversationId: null, messages: [], state: null });
    const bad = await fetch(`${server.url}/api/chat/history?userId=%3Cscript%3E`);
    expect(bad.status).toBe(400);
  });

  it('answers with a button value and moves on; the same conversation continues for the same userId', async () => {
    const first = await chat(server.url, { userId: 'api-2', text: '开个酒吧', region: '新乡经开区' });
    const second = await chat(server.url, { userId: 'api-2', text: '否' });
    expect(second.json.conversationId).toBe(first.json.conversationId);
    expect(second.json.state.answers).toEqual({ small_individual: false });
    expect(second.json.state.permits.find((p: { name: string }) => p.name === '食品经营许可').status).toBe('required');
    expect(second.json.state.permits.find((p: { name: string }) => p.name === '食品小经营店登记').status).toBe('not_needed');
  });

  it('refuses malformed requests with a clear Chinese message and no stack trace', async () => {
    const cases: [unknown, number, string][] = [
      [{ text: '你好' }, 400, 'userId'],
      [{ userId: '', text: '你好' }, 400, 'userId'],
      [{ userId: 'a b<script>', text: '你好' }, 400, 'userId'],
      [{ userId: 'x', text: 42 }, 400, 'text'],
      [{ userId: 'x', text: 'a'.repeat(20_001) }, 400, '太长'],
    ];
    for (const [body, status, word] of cases) {
      const r = await chat(server.url, body as object);
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      expect(r.json.message).toContain(word);
      expect(JSON.stringify(r.json)).not.toMatch(/at .*\.ts:\d+/);
    }
    const bad = await fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toBe('请求格式不正确');
    const huge = await fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'x', text: 'a'.repeat(70_000) }) });
    expect(huge.status).toBe(413);
  });

  it('a 10,000-character message gets a polite answer and the conversation is intact', async () => {
    await chat(server.url, { userId: 'api-3', text: '开个书店', region: 'naiman' });
    const before = await chat(server.url, { userId: 'api-3', text: '帮助' });
    const long = await chat(server.url, { userId: 'api-3', text: '书'.repeat(10_000) });
    expect(long.status).toBe(200);
    expect(long.json.replies[0].text).toContain('太长');
    expect(long.json.state.industry).toEqual(before.json.state.industry);
    expect(long.json.state.pendingQuestion).toEqual(before.json.state.pendingQuestion);
  });

  it('serves the chat page with the regions and a strict content security policy', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).not.toContain("script-src 'self' 'unsafe-inline'");
    const html = await res.text();
    expect(html).toContain('"name":"奈曼旗"');
    expect(html).toContain('<script src="/chat.js"></script>');
    const script = await fetch(`${server.url}/chat.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toContain('/api/chat');
  });

  // Last in this file: it uses up the address's allowance.
  it('more than 120 chat requests a minute from one address get 429 with a Chinese message', async () => {
    const statuses: number[] = [];
    let message = '';
    for (let i = 0; i < 125; i++) {
      const r = await chat(server.url, { userId: `flood-${i}`, text: '你好' });
      statuses.push(r.status);
      if (r.status === 429) message = r.json.message;
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(message).toContain('请求太频繁');
    expect(message).toContain('您已填写的内容都已保存');
  });
});
