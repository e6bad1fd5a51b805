/**
 * Conversations that go sideways: empty, huge, emoji-only, control-character, HTML and SQL-looking
 * messages; help, reset, 转人工 and back; a flood of messages; messages sent all at once. Each
 * gets a polite reply, leaves the conversation as it was, and the conversation then goes on.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.ts';
import { createAssistant } from '../../src/dialogue/assistant.ts';
import { createReader } from '../../src/nlu/reader.ts';
import { memoryConversations } from '../../src/store/memory.ts';
import { chat, fillForm, leak, script, statuses } from './script.ts';

const BAD_INPUTS: [string, string][] = [
  ['only emoji', '😀😀😀🎉'],
  ['control characters', '\u0000\u0001\u0007\u001b\u007f'],
  ['HTML/script', '<script>alert(1)</script>'],
  ['SQL-looking', "'; DROP TABLE Conversation; --"],
  ['10,000 characters', '啊'.repeat(10_000)],
];

describe('bad input leaves the conversation intact', () => {
  it('during the scenario questions (奈曼旗 便利店): every bad message is answered politely and changes nothing', async () => {
    const c = chat();
    await c.say('我想在大沁他拉开个小卖部，也卖烟');
    const before = c.state;
    const conversationId = c.last.conversationId;
    for (const [, text] of BAD_INPUTS) {
      await c.say(text);
      expect(c.state, `state changed by ${text.slice(0, 20)}`).toEqual(before);
      expect(c.last.conversationId).toBe(conversationId);
      expect(c.reply).toMatch(/抱歉|请|太长|回到刚才的问题/);
      expect(c.reply).not.toContain('DROP TABLE');
      expect(c.reply).not.toContain('alert(1)');
    }
    await c.say('不卖');
    expect(c.state.stage).toBe('guided');
    expect(statuses(c.state)['烟草专卖零售许可证核发']).toBe('required');
  });

  it('a 10,000-character message is refused with its length; nothing is understood from it', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('开个书店');
    const before = c.state;
    await c.say(`我想开个超市${'，也卖烟'.repeat(2500)}`);
    expect(c.last.replies[0]?.kind).toBe('error');
    expect(c.reply).toContain('您的消息太长了（10006字）');
    expect(c.reply).toContain('不超过1000字');
    expect(c.state).toEqual(before);
    expect(c.state.industry?.id).toBe('bookstore');
  });

  it('an empty message (and one of only spaces) gets the greeting and the current question', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('');
    expect(c.reply).toContain('“一业一证”办事助手');
    expect(c.reply).toContain('请问您想开什么店');
    await c.say('开个健身房');
    const before = c.state;
    await c.say('   \n\t ');
    expect(c.reply).toContain('回到刚才的问题');
    expect(c.reply).toContain('高危险性体育项目');
    expect(c.state).toEqual(before);
  });

  it('control characters inside a real message are dropped, and the message is understood', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('我想开个\u0000便利\u200b店\u0007，也卖\u202e烟');
    expect(c.state.industry?.id).toBe('convenience_store');
    expect(c.state.answers.sells_tobacco).toBe(true);
  });

  it('during the form: bad input at the mobile field is refused and not stored; the form then goes on', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开美容美发店', '填表', '丽人美发', '企业', '91350100M000100Y43', '王丽', '11010519491231002X', '王丽']);
    expect(c.state.pendingField?.id).toBe('contact_mobile');
    const before = c.state;
    for (const [, text] of BAD_INPUTS) {
      await c.say(text);
      expect(c.state).toEqual(before);
      expect(c.reply).toMatch(/请填写联系电话|11位手机号码|太长/);
    }
    await c.say('13812345678');
    expect(c.state.pendingField?.id).toBe('business_address');
  });

  it('on the summary: bad input shows the summary again; the submission carries only what was typed in the form', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开美容美发店', '填表']);
    await fillForm(c, { central_aircon: '否' });
    expect(c.state.stage).toBe('confirm');
    const before = c.state;
    for (const [, text] of BAD_INPUTS) {
      await c.say(text);
      expect(c.state).toEqual(before);
    }
    await c.say('确认提交');
    expect(c.state.stage).toBe('submitted');
    const form = c.h.submitted[0]?.form ?? {};
    expect(JSON.stringify(form)).not.toMatch(/script|DROP|😀/);
    expect(form.contact_mobile).toBe('13812345678');
  });
});

describe('help, reset and 转人工', () => {
  it('「帮助」 mid-questions lists what the assistant does and returns to the question', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('开个奶茶店');
    const before = c.state;
    await c.say('帮助');
    expect(c.reply).toContain('我可以帮您');
    expect(c.reply).toContain('「告知单」');
    expect(c.reply).toContain('「转人工」');
    expect(c.reply).toContain('回到刚才的问题');
    expect(c.state).toEqual(before);
    await c.say('是');
    expect(c.state.answers.small_individual).toBe(true);
  });

  it('「重新开始」 mid-form starts a new conversation from scratch, keeping the deployment region', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开个小卖部', '不卖', '也不卖烟', '填表', '百姓便利店']);
    expect(c.state.stage).toBe('form');
    const old = c.last.conversationId;
    await c.say('重新开始');
    expect(c.reply).toContain('已重新开始');
    expect(c.last.conversationId).not.toBe(old);
    expect(c.state).toMatchObject({ stage: 'start', industry: null, answers: {}, pendingField: null, pendingQuestion: null, permits: [] });
    expect(c.state.region?.id).toBe('naiman');
    await c.say('开个书店');
    expect(c.state.industry?.id).toBe('bookstore');
    expect(c.state.pendingQuestion?.id).toBe('online_publication');
  });

  it('转人工: a summary for the agent, how they will answer, a holding reply, then 返回助手 resumes', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('开个书店');
    const before = c.state;
    const handoff = await c.h.say('转人工'); // the reply itself is checked in conversations.pending.test.ts
    c.last = handoff;
    expect(c.state.handoff).toBe(true);
    expect(c.reply).toContain('已为您转接人工坐席');
    expect(c.reply).toContain('会在这个对话里回复您');
    expect(c.reply).toContain('12345');
    expect(c.reply).toContain('地区：新乡经开区');
    expect(c.reply).toContain('行业：书店');
    expect(c.reply).toContain('需办：出版物经营许可（零售）');
    expect(c.reply).toContain('返回助手');

    for (const text of ['还在吗', '不设', '填表']) {
      await c.say(text);
      expect(c.last.replies).toHaveLength(1);
      expect(c.last.replies[0]?.kind).toBe('handoff');
      expect(c.reply).toContain('已转给人工坐席');
      expect(c.state).toEqual({ ...before, handoff: true });
    }

    await c.say('返回助手');
    expect(c.state.handoff).toBe(false);
    expect(c.reply).toContain('由我继续为您服务');
    expect(c.reply).toContain('户外广告');
    expect(c.state.pendingQuestion?.id).toBe('large_outdoor_ad');
    await c.say('不设');
    expect(c.state.stage).toBe('guided');
  });

  it('「重新开始」 also ends a handoff', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('开个饭店');
    await c.h.say('人工客服');
    await c.say('重新开始');
    expect(c.state.handoff).toBe(false);
    expect(c.state.stage).toBe('start');
    await c.say('开个饭店');
    expect(c.state.pendingQuestion?.id).toBe('public_gathering');
  });
});

describe('many messages at once', () => {
  it('a flood: the 6th quick message gets the rate-limit notice and the conversation is intact', async () => {
    const catalog = loadCatalog();
    let clock = 1_000_000;
    const assistant = createAssistant({
      catalog,
      reader: createReader(catalog),
      conversations: memoryConversations(),
      applications: { submit: async () => ({ applicationNumber: 'X', nextSteps: [] }), previousCommonFields: async () => null },
      rateLimit: { burst: 5, windowMs: 10_000 },
      now: () => clock,
    });
    const say = (text: string) => assistant.handleMessage({ channel: 'web', userId: 'flood', text, region: 'naiman' });
    await say('开个小卖部');
    await say('不卖');
    await say('帮助');
    await say('帮助');
    const fifth = await say('帮助');
    expect(fifth.replies[0]?.kind).not.toBe('limit');
    const sixth = await say('卖烟');
    expect(sixth.replies).toHaveLength(1);
    expect(sixth.replies[0]?.kind).toBe('limit');
    expect(sixth.replies[0]?.text).toContain('您发送消息太快了');
    expect(sixth.replies[0]?.text).toContain('已保存');
    expect(sixth.state).toEqual(fifth.state);
    expect(sixth.state.answers).toEqual({ sells_medicine: false });

    clock += 10_001;
    const later = await say('卖烟');
    expect(later.replies[0]?.kind).not.toBe('limit');
    expect(later.state.answers).toEqual({ sells_medicine: false, sells_tobacco: true });
    expect(later.state.stage).toBe('guided');
    for (const r of later.replies) expect(leak(r.text)).toBeNull();
  });

  it('messages sent without waiting are handled one after another, in order', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('开个超市');
    const results = await Promise.all(['第三个', '是', '不'].map((t) => c.h.say(t)));
    expect(results[0]?.state.answers).toEqual({ food_scope: 'other' });
    expect(results[1]?.state.answers).toEqual({ food_scope: 'other', small_individual: true });
    const last = results[2];
    expect(last?.state.stage).toBe('guided');
    expect(last && statuses(last.state)['食品小经营店登记']).toBe('required');
  });
});
