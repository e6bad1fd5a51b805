/**
 * `npm start` with OPENAI_BASE_URL on a loopback model server: the real server process reads and answers
 * with the model, reports it on /health, logs each call without its content, and when the model fails
 * the users get the offline answers with no error.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { chat, startServer, type RunningServer } from '../server/serverProcess.ts';
import { purposeOf, startFakeModel, userText, type ChatRequest, type FakeModel } from './fakeModel.ts';

let fake: FakeModel;
let server: RunningServer;

function passagesOf(request: ChatRequest): Map<string, string> {
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  return new Map([...system.matchAll(/\[(P\d+)\] [^\n]*\n([\s\S]*?)(?=\n\n\[P\d+\] |\n\n只输出)/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

beforeAll(async () => {
  fake = await startFakeModel((request) => {
    if (purposeOf(request) === 'reader') {
      const gym = userText(request).includes('撸铁');
      return { kind: 'result', value: { industry: gym ? 'gym' : null, changesTrade: false, answers: [], pendingAnswer: null, asks: gym ? ['permits'] : [], permits: [], isQuestion: true, businessArea: null, employeeCount: null } };
    }
    const passages = passagesOf(request);
    const [id, content] = [...passages].find(([, c]) => c.includes('电子')) ?? [...passages][0] ?? ['P1', ''];
    return { kind: 'result', value: { covered: true, answer: '可以，电子证照和纸质证照一样，手机上出示就行。', citations: [{ id, quote: content.slice(0, 12) }] } };
  });
  server = await startServer({ OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'fake-model', OPENAI_API_KEY: 'sk-test-secret', LOG_LEVEL: 'info', LLM_TIMEOUT_MS: '2000' });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

test('/health says whether the model answers, without the key', async () => {
  const health = await (await fetch(`${server.url}/health`)).json();
  expect(health.ok).toBe(true);
  expect(health.llm).toMatchObject({ configured: true, model: 'fake-model', answering: true });
  expect(JSON.stringify(health)).not.toContain('sk-test-secret');
  expect(fake.modelListCalls).toBeGreaterThan(0);
});

test('POST /api/chat reads with the model and answers from the passages; the log has each call, never its content', async () => {
  const first = await chat(server.url, { userId: 'llm-1', region: '奈曼旗', text: '我想弄个撸铁的地方，要办什么证，电话13812345678' });
  expect(first.status).toBe(200);
  expect(first.json.state.industry.name).toBe('健身房');
  const second = await chat(server.url, { userId: 'llm-1', text: '办下来的证能不能放在手机里给人看' });
  const answer = second.json.replies.find((r: { kind?: string }) => r.kind === 'answer');
  expect(answer.text).toContain('手机上出示就行');
  expect(answer.sources[0].title).toContain('奈曼旗');
  expect(fake.bodies.join('')).not.toContain('13812345678');
  await new Promise((r) => setTimeout(r, 200));
  const out = server.output();
  expect(out).toMatch(/"llm":"reader".*"outcome":"ok"/);
  expect(out).toMatch(/"llm":"answer".*"outcome":"ok"/);
  expect(out).toMatch(/"latencyMs":\d+/);
  expect(out).toMatch(/"tokens":\d+/);
  expect(out).not.toContain('撸铁');
  expect(out).not.toContain('放在手机里');
});

test('when the model fails, the same questions get the offline answers, no error, and /health says so', async () => {
  fake.script = () => ({ kind: 'status', status: 503 });
  const first = await chat(server.url, { userId: 'llm-2', region: '奈曼旗', text: '开个便利店，要办什么证' });
  expect(first.status).toBe(200);
  expect(first.json.state.industry.name).toBe('便利店');
  const second = await chat(server.url, { userId: 'llm-2', text: '办下来的证能不能放在手机里给人看' });
  expect(second.status).toBe(200);
  const said = second.json.replies.map((r: { text: string }) => r.text).join('\n');
  expect(said).not.toMatch(/错误|error|503|模型/i);
  expect(said.length).toBeGreaterThan(0);
  const health = await (await fetch(`${server.url}/health`)).json();
  expect(health.ok).toBe(true);
  expect(health.llm).toMatchObject({ answering: false, lastOutcome: 'http_error' });
});
