/**
 * 转人工 end to end: the user asks for a person in the web chat; a hotline agent sees the conversation
 * with the assistant's summary (personal numbers masked), replies, and hands it back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, createStaffToken, startServer, type RunningServer } from '../server/serverProcess.ts';

const ADMIN = 'admin-token-for-handoff-0123456789';

describe('hotline agents take over a handed-off chat', () => {
  let server: RunningServer;
  let agent = '';
  beforeAll(async () => {
    server = await startServer({ ADMIN_TOKEN: ADMIN, QUIET_HOURS: 'off', CHAT_RATE_LIMIT: 'off' });
    agent = await createStaffToken(server.url, ADMIN, '12345坐席小李');
  });
  afterAll(async () => {
    await server?.stop();
  });

  const staff = async (method: 'GET' | 'POST', path: string, body?: object) => {
    const res = await fetch(`${server.url}/api/staff${path}`, {
      method,
      headers: { authorization: `Bearer ${agent}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: await res.json() };
  };

  it('lists, replies on the user’s channel, and hands back to the assistant', async () => {
    const say = async (text: string) => (await chat(server.url, { userId: 'w-handoff', text, region: 'naiman' })).json;
    await say('我想开个宾馆，我电话13912345678');
    let r = await say('转人工');
    expect(r.state.handoff).toBe(true);
    expect(r.replies[0].text).toContain('已为您转接人工坐席');

    const list = await staff('GET', '/handoffs');
    expect(list.status).toBe(200);
    const mine = list.body.find((h: { conversationId: string }) => h.conversationId === r.conversationId);
    expect(mine.summary).toContain('行业：宾馆');
    expect(JSON.stringify(mine)).not.toContain('13912345678');
    expect(JSON.stringify(mine)).toContain('139****5678');

    // While a person has it, the assistant stays quiet; polling with an empty message shows the agent's words.
    r = await say('我的房间有二十间');
    expect(r.replies.map((x: { text: string }) => x.text).join()).toContain('已转给人工坐席');
    expect((await staff('POST', `/handoffs/${mine.conversationId}/reply`, { text: '您好，宾馆还需要特种行业许可，我帮您核对材料。' })).status).toBe(200);
    r = await say('');
    expect(r.replies.map((x: { text: string }) => x.text)).toEqual(['【人工坐席】您好，宾馆还需要特种行业许可，我帮您核对材料。']);

    // Handed back: the assistant answers again, and the user is told.
    expect((await staff('POST', `/handoffs/${mine.conversationId}/release`)).status).toBe(200);
    r = await say('告知单');
    expect(r.state.handoff).toBe(false);
    const texts = r.replies.map((x: { text: string }) => x.text).join('\n');
    expect(texts).toContain('本次人工服务已结束');
    expect(texts).toContain('一次告知单');
    expect((await staff('GET', '/handoffs')).body.some((h: { conversationId: string }) => h.conversationId === mine.conversationId)).toBe(false);

    // Replying to a conversation that is not handed off is refused, and only staff tokens may do any of it.
    expect((await staff('POST', `/handoffs/${mine.conversationId}/reply`, { text: '还在吗' })).status).toBe(409);
    const anonymous = await fetch(`${server.url}/api/staff/handoffs`);
    expect(anonymous.status).toBe(401);
  });

  it('one agent per chat: the first to claim or reply has it, another is told who, and handing back frees it', async () => {
    const other = await createStaffToken(server.url, ADMIN, '12345坐席小赵');
    const as = (who: string) => async (method: 'GET' | 'POST', path: string, body?: object) => {
      const res = await fetch(`${server.url}/api/staff${path}`, {
        method,
        headers: { authorization: `Bearer ${who}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: await res.json() };
    };
    const say = async (text: string) => (await chat(server.url, { userId: 'w-claim', text, region: 'naiman' })).json;
    await say('我想开个便利店');
    const { conversationId } = await say('转人工');

    const claimed = await staff('POST', `/handoffs/${conversationId}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.claimedBy).toBe('12345坐席小李');
    expect((await staff('POST', `/handoffs/${conversationId}/claim`)).status).toBe(200);
    const listed = (await as(other)('GET', '/handoffs')).body.find((h: { conversationId: string }) => h.conversationId === conversationId);
    expect(listed.claimedBy.name).toBe('12345坐席小李');

    const refused = await as(other)('POST', `/handoffs/${conversationId}/reply`, { text: '我来回答' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('12345坐席小李');
    expect((await as(other)('POST', `/handoffs/${conversationId}/claim`)).status).toBe(409);
    expect((await as(other)('POST', `/handoffs/${conversationId}/release`)).status).toBe(409);
    // An admin may take it over (and then the first agent no longer has it).
    expect((await as(ADMIN)('POST', `/handoffs/${conversationId}/claim`)).status).toBe(409);
    expect((await as(ADMIN)('POST', `/handoffs/${conversationId}/claim`, { force: true })).status).toBe(200);
    expect((await staff('POST', `/handoffs/${conversationId}/reply`, { text: '还是我来' })).status).toBe(409);

    expect((await as(ADMIN)('POST', `/handoffs/${conversationId}/release`)).status).toBe(200);
    // Asked for a person again, the chat is free for anyone; the first reply takes it.
    await say('转人工');
    expect((await as(other)('POST', `/handoffs/${conversationId}/reply`, { text: '您好，我是小赵' })).status).toBe(200);
    expect((await staff('POST', `/handoffs/${conversationId}/reply`, { text: '我也来' })).status).toBe(409);
    // The user going back to the assistant frees it too.
    await say('返回助手');
    await say('转人工');
    expect((await staff('POST', `/handoffs/${conversationId}/claim`)).status).toBe(200);
  });
});
