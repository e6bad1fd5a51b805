/**
 * Suggested answers for hotline agents, through the real entry points: `POST /api/agent/suggest` on the
 * server process (staff token, audited, bad input answered in Chinese), with a conversation as context,
 * and `yiye suggest`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yiye } from '../cliHarness.ts';
import { chat, createStaffToken, startServer, type RunningServer } from '../server/serverProcess.ts';

const ADMIN = 'admin-token-for-suggest-0123456789';

describe('POST /api/agent/suggest', () => {
  let server: RunningServer;
  let agent = '';
  beforeAll(async () => {
    server = await startServer({ ADMIN_TOKEN: ADMIN, QUIET_HOURS: 'off', CHAT_RATE_LIMIT: 'off' });
    agent = await createStaffToken(server.url, ADMIN, '12345坐席小王');
  });
  afterAll(async () => {
    await server?.stop();
  });

  const suggest = async (body: unknown, token: string | null = agent) => {
    const res = await fetch(`${server.url}/api/agent/suggest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  it('answers a caller’s question as an agent types it, up to three answers each with its source', async () => {
    const r = await suggest({ region: '新乡经开区', text: '来电人问证办下来能不能寄到家里' });
    expect(r.status).toBe(200);
    const [first] = r.body.suggestions;
    expect(first.text).toContain('寄递');
    expect(first.sources[0]).toMatchObject({ title: '新乡经开区“一业一证”改革试点实施方案', ref: '三（五）' });
    expect(first.sources[0].quote.length).toBeGreaterThan(4);
    expect(r.body.suggestions.length).toBeLessThanOrEqual(3);
  });

  it('a trade in the question gives its permits as the catalog decides them, with the catalog as the source', async () => {
    const r = await suggest({ region: 'naiman', text: '他想开个便利店，问要办哪几个证' });
    expect(r.body.industry).toEqual({ id: 'convenience_store', name: '便利店' });
    expect(r.body.permits.map((p: { name: string }) => p.name)).toContain('食品经营许可');
    expect(r.body.suggestions[0].text).toContain('【奈曼旗 · 便利店】');
    expect(r.body.suggestions[0].sources[0].title).toBe('奈曼旗“一业一证”改革试点行业目录');
  });

  it('with a conversation, the caller’s trade and answers are the context, and their latest message the question', async () => {
    const user = `caller-${Date.now()}`;
    await chat(server.url, { userId: user, region: '奈曼旗', text: '我想在大沁他拉开个小卖部，也卖烟，不卖药' });
    const last = await chat(server.url, { userId: user, text: '烟草证要多久能办下来' });
    const conversationId = last.json.conversationId;
    const r = await suggest({ conversationId });
    expect(r.status).toBe(200);
    expect(r.body.industry.name).toBe('便利店');
    expect(r.body.permits.find((p: { name: string }) => p.name.includes('烟草')).status).toBe('required');
    expect(r.body.suggestions[0].text).toContain('烟草专卖零售许可证核发');
    expect(r.body.suggestions[0].text).toMatch(/工作日/);
    // After 「转人工」 the question is still the caller's last real one.
    await chat(server.url, { userId: user, text: '转人工' });
    const after = await suggest({ conversationId });
    expect(after.body.suggestions[0].text).toContain('烟草专卖零售许可证核发');
    const typed = await suggest({ conversationId, text: '那烟草局要来店里看吗' });
    expect(typed.body.suggestions.map((s: { text: string }) => s.text).join('\n')).toMatch(/烟草/);
  });

  it('a question the documents do not answer gets no suggestion, not a guess', async () => {
    const r = await suggest({ region: '奈曼旗', text: '营业税交多少' });
    expect(r.status).toBe(200);
    expect(r.body.suggestions).toEqual([]);
  });

  it('refuses without a token, and answers bad input in Chinese', async () => {
    expect((await suggest({ region: '奈曼旗', text: '证能寄吗' }, null)).status).toBe(401);
    expect((await suggest({ region: '奈曼旗', text: '证能寄吗' }, 'not-a-token-at-all-xxxxxxxx')).status).toBe(401);
    const noText = await suggest({ region: '奈曼旗' });
    expect(noText.status).toBe(400);
    expect(noText.body.message).toContain('来电人的问题');
    const noRegion = await suggest({ text: '证能寄吗' });
    expect(noRegion.status).toBe(400);
    expect(noRegion.body.message).toContain('地区');
    const unknown = await suggest({ region: '火星', text: '证能寄吗' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('没有这个地区');
    expect((await suggest({ conversationId: 'no-such-conversation' })).status).toBe(404);
    // What was typed is not echoed with its personal numbers.
    expect(JSON.stringify((await suggest({ conversationId: '152326198001011234' })).body)).not.toContain('152326198001011234');
    expect(JSON.stringify((await suggest({ region: '13804751234', text: '证能寄吗' })).body)).not.toContain('13804751234');
    expect((await suggest({ region: '奈曼旗', text: 'x'.repeat(2001) })).status).toBe(400);
    expect((await suggest('not an object')).status).toBe(400);
  });

  it('takes what the agent did with a suggestion, masked, and `yiye report suggestions` reads it back', async () => {
    const post = async (body: unknown) => {
      const res = await fetch(`${server.url}/api/agent/suggestions/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${agent}` },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    const question = '来电人13812345678问证能不能寄到家';
    const { body } = await suggest({ region: '新乡经开区', text: question });
    const suggestion = body.suggestions[0];
    expect((await post({ region: '新乡经开区', question, suggestion, outcome: 'used' })).status).toBe(201);
    expect((await post({ region: '新乡经开区', question, suggestion, outcome: 'edited', sent: '能，免费寄，填表时选邮寄并留地址就行。' })).status).toBe(201);
    expect((await post({ region: 'xinxiang', question: '奶茶店一个月能挣多少', suggestion: { text: '文件中写明：…', sources: [{ title: '新乡经开区“一业一证”改革试点实施方案', ref: '三（一）' }] }, outcome: 'wrong' })).status).toBe(201);
    const edited = await post({ region: '新乡经开区', question, suggestion, outcome: 'edited' });
    expect(edited.status).toBe(400);
    expect(edited.body.message).toContain('实际发送');
    expect((await post({ region: '新乡经开区', question, suggestion, outcome: 'great' })).status).toBe(400);
    expect((await post({ region: '火星', question, suggestion, outcome: 'used' })).status).toBe(400);

    const report = await yiye(['report', 'suggestions', '--region', '新乡经开区', '--json'], { VAR_DIR: server.env.VAR_DIR });
    expect(report.code).toBe(0);
    const json = JSON.parse(report.stdout);
    expect(json.counts).toEqual({ used: 1, edited: 1, wrong: 1 });
    expect(json.wrongSources[0]).toMatchObject({ ref: '三（一）', count: 1 });
    expect(json.edited[0].sent).toContain('免费寄');
    expect(report.stdout).not.toContain('13812345678');
    expect(json.edited[0].question).toContain('138****5678');
    const plain = await yiye(['report', 'suggestions'], { VAR_DIR: server.env.VAR_DIR });
    expect(plain.stdout).toContain('直接采用1次，修改后发送1次，答复有误1次');
    expect(plain.stdout).toContain('可考虑整理为问答条目');
  });

  it('is audited without the question', async () => {
    await suggest({ region: '奈曼旗', text: '我的手机13812345678，证能网上办吗' });
    const res = await fetch(`${server.url}/api/staff/audit?limit=50`, { headers: { authorization: `Bearer ${ADMIN}` } });
    const entries = JSON.stringify(await res.json());
    expect(entries).toContain('suggest');
    expect(entries).not.toContain('13812345678');
    expect(entries).not.toContain('网上办');
  });
});

describe('yiye suggest', () => {
  it('prints the suggestions with their sources, and says plainly when there is none', async () => {
    const ok = await yiye(['suggest', '--region', '新乡经开区', '来电人问证办下来能不能寄到家里']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('参考答复1');
    expect(ok.stdout).toContain('《新乡经开区“一业一证”改革试点实施方案》三（五）');
    const json = await yiye(['suggest', '--region', 'naiman', '--industry', '便利店', '--json', '烟草证多少钱']);
    expect(JSON.parse(json.stdout).industry.name).toBe('便利店');
    const none = await yiye(['suggest', '--region', '奈曼旗', '营业税交多少']);
    expect(none.code).toBe(3);
    expect(none.stdout).toContain('没有找到可参考的答复');
    // The caller's question, without their asking for a person (the agent is that person).
    const withHandoff = await yiye(['suggest', '--region', '奈曼旗', '--industry', '健身房', '我拿不准健身房算不算公众聚集场所，帮我转人工问问吧']);
    expect(withHandoff.code).toBe(0);
    expect(withHandoff.stdout).toContain('消防法》第七十三条');
    const bad = await yiye(['suggest', '证能寄吗']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--region');
  });
});
