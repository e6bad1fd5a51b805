/**
 * The LLM reader through `handleMessage`, against the fake model server speaking Chat Completions, driven
 * by the real ChatOpenAI client: what the model reads is used when it checks out, and whatever goes wrong
 * (500s, timeouts, malformed output, ids outside the catalog, refusals) the turn is exactly the offline turn.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { purposeOf, startFakeModel, userText, type FakeModel, type ModelAct } from './fakeModel.ts';
import { llmChat, offlineChat, text } from './helpers.ts';

let fake: FakeModel;
beforeAll(async () => {
  fake = await startFakeModel();
});
afterAll(async () => {
  await fake.close();
});

/** A reading with nothing in it but what is given. */
function reading(extra: Record<string, unknown> = {}): ModelAct {
  return { kind: 'result', value: { industry: null, changesTrade: false, answers: [], pendingAnswer: null, asks: [], permits: [], isQuestion: false, businessArea: null, employeeCount: null, ...extra } };
}

/** The model reads only; its answers are a 500 so the offline answers stand. */
function readerOnly(read: (message: string) => ModelAct) {
  fake.script = (request, purpose) => (purpose === 'reader' ? read(userText(request)) : { kind: 'status', status: 500 });
}

/** The same messages, offline and with the model: the replies and state must be the same. */
async function sameAsOffline(messages: string[], extra: Parameters<typeof llmChat>[1] = {}) {
  const withModel = llmChat(fake, extra, `u-${Math.random()}`);
  const plain = offlineChat();
  for (const m of messages) {
    const a = await withModel.say(m, '奈曼旗');
    const b = await plain.say(m, '奈曼旗');
    expect(text(a)).toBe(text(b));
    expect(a.state).toEqual(b.state);
  }
  return withModel;
}

describe('a good reading is used', () => {
  test('a trade the lexicon does not know (撸铁 → 健身房) is taken from the model', async () => {
    readerOnly((m) => (m.includes('撸铁') ? reading({ industry: 'gym', asks: ['permits'], isQuestion: true }) : reading()));
    const offline = await offlineChat().say('我想弄个撸铁的地方，要办什么证', '奈曼旗');
    expect(offline.state.industry).toBeNull();
    const c = llmChat(fake);
    const r = await c.say('我想弄个撸铁的地方，要办什么证', '奈曼旗');
    expect(r.state.industry?.name).toBe('健身房');
    expect(r.state.permits.length).toBeGreaterThan(0);
    expect(c.logs.some((l) => l.obj.llm === 'reader' && l.obj.outcome === 'ok')).toBe(true);
  });

  test('a fact the lexicon missed is taken; the model is told the pending question and answers it', async () => {
    const reply = '顾客老问有没有感冒药，准备进一点';
    readerOnly((m) => {
      if (m.includes('药倒是卖一点')) return reading({ industry: 'convenience_store', answers: [{ question: 'sells_tobacco', value: false }, { question: 'sells_medicine', value: true }] });
      if (m === reply) return reading({ pendingAnswer: true });
      return reading();
    });
    const r = await llmChat(fake).say('开便利店，店里烟不卖，药倒是卖一点', '奈曼旗');
    expect(r.state.answers.sells_medicine).toBe(true);
    expect(r.state.answers.sells_tobacco).toBe(false);

    const offline = offlineChat();
    await offline.say('开便利店，不卖烟', '奈曼旗');
    const plain = await offline.say(reply, '奈曼旗');
    expect(plain.state.answers.sells_medicine).toBeUndefined();
    const c = llmChat(fake);
    const asked = await c.say('开便利店，不卖烟', '奈曼旗');
    expect(asked.state.pendingQuestion?.id).toBe('sells_medicine');
    const r2 = await c.say(reply, '奈曼旗');
    expect(r2.state.answers.sells_medicine).toBe(true);
    expect(r2.state.permits.find((p) => p.name.includes('药品'))?.status).toBe('required');
    const sent = fake.requests.at(-1)?.messages.find((m) => m.role === 'system')?.content ?? '';
    expect(sent).toContain('刚才的问题：sells_medicine');
    // The last turns go with it, as data in the user message.
    expect(fake.requests.at(-1)?.messages.find((m) => m.role === 'user')?.content).toContain('申请人：开便利店，不卖烟');
  });

  test('where the model and the lexicon disagree about a fact, neither stands: the question is asked', async () => {
    readerOnly(() => reading({ industry: 'convenience_store', answers: [{ question: 'sells_tobacco', value: true }] }));
    const r = await llmChat(fake).say('开便利店，不卖烟', '奈曼旗');
    expect(r.state.answers.sells_tobacco).toBeUndefined();
    expect(r.state.permits.find((p) => p.name.includes('烟草'))?.status).toBe('undecided');
  });

  test('streamed responses are read the same way', async () => {
    readerOnly((m) => (m.includes('奶粉尿不湿') ? reading({ industry: 'maternity_store' }) : reading()));
    const c = llmChat(fake, { stream: true });
    const r = await c.say('开个卖奶粉尿不湿的店', '奈曼旗');
    expect(fake.requests.at(-1)?.stream).toBe(true);
    expect(r.state.industry?.name).toBe('母婴用品店');
  });

  test('a server without tool calling gets JSON mode, and keeps getting it', async () => {
    readerOnly((m) => (m.includes('撸铁') ? reading({ industry: 'gym' }) : reading()));
    fake.noTools = true;
    try {
      const c = llmChat(fake);
      const before = fake.requests.length;
      const r = await c.say('我想弄个撸铁的地方', '奈曼旗');
      expect(r.state.industry?.name).toBe('健身房');
      const sent = fake.requests.slice(before);
      expect(sent[0]?.tools).toBeDefined();
      expect(sent[1]?.response_format?.type).toBe('json_object');
      await c.say('大概两百平', '奈曼旗');
      expect(fake.requests.at(-1)?.tools).toBeUndefined();
      expect((await c.llm.health()).structuredOutput).toBe('json');
    } finally {
      fake.noTools = false;
    }
  });
});

describe('whatever goes wrong, the turn is the offline turn', () => {
  const messages = ['我想在大沁他拉开个便利店，卖烟不卖药', '我们也卖散装的瓜子花生', '要多久能办下来？'];

  test('HTTP 500', async () => {
    fake.script = () => ({ kind: 'status', status: 500 });
    const c = await sameAsOffline(messages);
    expect(c.logs.some((l) => l.obj.outcome === 'http_error' && l.obj.status === 500)).toBe(true);
  });

  test('a server that never answers (timeout)', async () => {
    fake.script = () => ({ kind: 'hang' });
    const c = await sameAsOffline(messages.slice(0, 1), { timeoutMs: 300 });
    expect(c.logs.some((l) => l.obj.outcome === 'timeout')).toBe(true);
  });

  test('malformed JSON and prose where JSON was asked for', async () => {
    fake.script = (_r, purpose) => (purpose === 'reader' ? { kind: 'raw', content: '{"industry": "convenience_store", "answers": [' } : { kind: 'raw', content: '好的，我来帮你' });
    const c = await sameAsOffline(messages, { structuredOutput: 'json' });
    expect(c.logs.some((l) => l.obj.outcome === 'malformed')).toBe(true);
  });

  test('a refusal', async () => {
    fake.script = () => ({ kind: 'refusal', text: 'I cannot help with that.' });
    const c = await sameAsOffline(messages.slice(0, 1));
    expect(c.logs.some((l) => l.obj.outcome === 'refused')).toBe(true);
  });

  test('an industry, questions, values and requests that are not in the catalog are dropped', async () => {
    readerOnly(() =>
      reading({
        industry: 'internet_cafe',
        answers: [{ question: 'sells_weapons', value: true }, { question: 'sells_medicine', value: 'maybe' }, { question: 'food_scope', value: 'everything' }],
        asks: ['delete_case', 'approve'],
        permits: ['nuclear_licence'],
        businessArea: -5,
        employeeCount: 2.5,
      }),
    );
    await sameAsOffline(['我想开个网吧', '开便利店，大概八十平']);
  });

  test('the model cannot reset, confirm or submit: those requests are dropped', async () => {
    readerOnly(() => reading({ asks: ['reset', 'confirm', 'form', 'back', 'change_region'] }));
    await sameAsOffline(['开便利店，卖烟', '好的，知道了']);
  });
});

describe('bounds', () => {
  test('the daily token budget: once spent, messages are read offline and no request is sent', async () => {
    readerOnly(() => reading());
    const c = llmChat(fake, { dailyTokens: 10 });
    await c.say('开便利店', '奈曼旗');
    const sent = fake.requests.length;
    await c.say('卖烟', '奈曼旗');
    expect(fake.requests.length).toBe(sent);
    expect(c.logs.some((l) => l.obj.outcome === 'budget')).toBe(true);
    const health = await c.llm.health();
    expect(health.tokensToday).toBeGreaterThan(10);
  });

  test('beyond the cap on calls in flight, a message is read offline at once', async () => {
    fake.script = () => ({ kind: 'hang' });
    const c = llmChat(fake, { maxConcurrent: 1, timeoutMs: 800 }, 'a');
    const other = llmChat(fake, { maxConcurrent: 1, timeoutMs: 800 }, 'b');
    // Two assistants do not share a cap; two users of one do.
    const [first, second] = await Promise.all([c.say('开便利店', '奈曼旗'), c.assistant.handleMessage({ channel: 'test', userId: 'other', text: '开超市', region: '奈曼旗' })]);
    expect(first.state.industry?.name).toBe('便利店');
    expect(second.state.industry?.name).toBe('超市');
    expect(c.logs.some((l) => l.obj.outcome === 'busy')).toBe(true);
    expect(other.logs).toEqual([]);
  });

  test('button presses, commands and form values are never sent', async () => {
    readerOnly(() => reading());
    const readings = () => fake.requests.filter((r) => purposeOf(r) === 'reader').map((r) => userText(r));
    const c = llmChat(fake);
    await c.say('开便利店，不卖烟不卖药，只卖包装食品', '奈曼旗');
    const before = readings().length;
    for (const press of ['重新开始', '奈曼旗', '便利店', '否', '不确定']) await c.say(press, '奈曼旗');
    expect(readings().slice(before)).toEqual([]);
    await c.say('我们店门口还想放个冰柜卖雪糕', '奈曼旗');
    expect(readings().slice(before)).toEqual(['我们店门口还想放个冰柜卖雪糕']);
  });
});
