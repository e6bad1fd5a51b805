/** The rendering decisions both channels share, and Telegram's buttons. */
import { describe, expect, it } from 'vitest';
import { commandText, OptionMemory, planReplies, splitText, withNumberedOptions } from '../../src/channels/render.ts';
import { keyboard, TelegramChoices } from '../../src/channels/telegram.ts';

const YES_NO = [
  { label: '是', value: '是' },
  { label: '否', value: '否' },
];

describe('planReplies', () => {
  it('joins plain replies into one message and ends a message at the choices', () => {
    const plan = planReplies(
      [{ text: '好的，奈曼旗。' }, { text: '好的，便利店。' }, { text: '是否销售药品？', options: YES_NO }, { text: '随时回复「帮助」。' }],
      4096,
    );
    expect(plan).toEqual([
      { kind: 'text', text: '好的，奈曼旗。\n\n好的，便利店。\n\n是否销售药品？', options: YES_NO },
      { kind: 'text', text: '随时回复「帮助」。' },
    ]);
  });

  it('sends an image after its text, and cuts long texts at line breaks', () => {
    const png = Buffer.from([1, 2, 3]);
    const plan = planReplies([{ text: '您的许可证', image: { png, alt: '二维码', caption: '行业综合许可证 A1' } }], 4096);
    expect(plan).toEqual([
      { kind: 'text', text: '您的许可证' },
      { kind: 'image', png, alt: '二维码', caption: '行业综合许可证 A1' },
    ]);
    const long = Array.from({ length: 30 }, (_, i) => `第${i + 1}行：${'材料'.repeat(10)}`).join('\n');
    const parts = planReplies([{ text: long, options: YES_NO }], 200);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.kind === 'text' && p.text.length <= 200)).toBe(true);
    expect(parts.slice(0, -1).every((p) => p.kind === 'text' && !p.options)).toBe(true);
    expect(parts.at(-1)).toMatchObject({ options: YES_NO });
    expect(parts.map((p) => (p.kind === 'text' ? p.text : '')).join('\n')).toBe(long);
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});

describe('choices without buttons (WeChat)', () => {
  it('lists short choices on one line, long ones as lines, and only what the text has not numbered', () => {
    expect(withNumberedOptions('您的店里是否销售烟草制品？', YES_NO)).toBe('您的店里是否销售烟草制品？\n\n请回复：1. 是　2. 否');
    const long = [
      { label: '食品销售经营者', value: '食品销售经营者' },
      { label: '餐饮服务经营者', value: '餐饮服务经营者' },
    ];
    expect(withNumberedOptions('请选择业态', long)).toBe('请选择业态\n\n请回复序号或文字：\n1. 食品销售经营者\n2. 餐饮服务经营者');
    const question = '食品经营范围？\n1. 不经营食品\n2. 仅销售预包装食品';
    const options = [
      { label: '不经营食品', value: '不经营食品' },
      { label: '仅销售预包装食品', value: '仅销售预包装食品' },
      { label: '不确定', value: '不确定' },
    ];
    expect(withNumberedOptions(question, options)).toBe(`${question}\n3. 不确定`);
    expect(withNumberedOptions('没有选项', undefined)).toBe('没有选项');
  });

  it('reads a bare number as the last offered choice, and leaves other numbers alone', () => {
    const memory = new OptionMemory();
    memory.remember('u1', [{ text: '是否卖烟？', options: YES_NO }]);
    expect(memory.resolve('u1', '2')).toBe('否');
    expect(memory.resolve('u1', '２')).toBe('否');
    expect(memory.resolve('u1', '3')).toBe('3');
    expect(memory.resolve('u2', '1')).toBe('1');
    expect(memory.resolve('u1', '2人')).toBe('2人');
    memory.remember('u1', [{ text: '请填写从业人员数' }]);
    expect(memory.resolve('u1', '2')).toBe('2');
  });
});

describe('commands', () => {
  it('maps slash commands to the core words', () => {
    expect(commandText('/start')).toBe('帮助');
    expect(commandText('/start ref-123')).toBe('帮助');
    expect(commandText('/help@yiye_bot')).toBe('帮助');
    expect(commandText('/reset')).toBe('重新开始');
    expect(commandText('/status')).toBe('进度');
    expect(commandText('/licence')).toBe('我的许可证');
    expect(commandText('/unknown')).toBe('/unknown');
    expect(commandText('我想开饭店 /start')).toBe('我想开饭店 /start');
  });
});

describe('Telegram buttons', () => {
  it('carries short values in callback_data and long ones by key, within 64 bytes', () => {
    const choices = new TelegramChoices();
    const longValue = '销售散装食品、现制现售或提供餐饮服务（含自制饮品）';
    const markup = keyboard([...YES_NO, { label: longValue, value: longValue }], choices);
    const buttons = markup.inline_keyboard.flat();
    for (const b of buttons) expect(Buffer.byteLength('callback_data' in b ? b.callback_data : '', 'utf8')).toBeLessThanOrEqual(64);
    expect(markup.inline_keyboard[0]?.map((b) => b.text)).toEqual(['是', '否']);
    expect(markup.inline_keyboard[1]?.map((b) => b.text)).toEqual([longValue]);
    const data = buttons.map((b) => ('callback_data' in b ? b.callback_data : ''));
    expect(data.map((d) => choices.value(d, markup))).toEqual(['是', '否', longValue]);
    // After a restart the key is unknown: the button's own label stands in.
    const restarted = new TelegramChoices();
    expect(restarted.value(data[2] ?? '', markup)).toBe(longValue);
    expect(restarted.value(data[2] ?? '', undefined)).toBeUndefined();
    expect(restarted.value('something else', markup)).toBeUndefined();
  });
});
