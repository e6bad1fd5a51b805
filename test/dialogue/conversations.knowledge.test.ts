/**
 * Questions about the reform itself, answered from each region's own document with the article cited.
 */
import { describe, expect, it } from 'vitest';
import { chat, script } from './script.ts';

describe('reform questions — 奈曼旗 (奈政办字〔2024〕30号)', () => {
  it('什么是一业一证 / 综合许可证和单项许可证是什么关系, asked before naming a trade', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('什么是一业一证');
    expect(c.reply).toContain('行业综合许可证');
    expect(c.reply).toContain('一窗受理、一次告知、一次填报');
    expect(c.reply).toContain('依据：《奈曼旗“一业一证”改革实施方案》一');
    expect(c.last.replies[0]?.sources).toEqual([expect.objectContaining({ title: '奈曼旗“一业一证”改革实施方案', ref: '一' })]);
    await c.say('综合许可证和单项许可证是什么关系');
    expect(c.reply).toContain('不替代单项审批证件');
    expect(c.reply).toContain('二维码');
    expect(c.reply).toContain('》二（六）');
    expect(c.state.industry).toBeNull();
    await c.say('开个便利店');
    expect(c.state.industry?.id).toBe('convenience_store');
  });

  it('只涉及一个许可能不能办综合许可证 / 多久能办完, while the questions are pending', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('开个小卖部');
    expect(c.state.pendingQuestion?.id).toBe('sells_medicine');
    await c.say('只涉及一个许可能不能办综合许可证');
    expect(c.reply).toContain('原则上一个行业只涉及一个行政审批事项的，不纳入“一业一证”目录管理');
    expect(c.reply).toContain('依据：《奈曼旗“一业一证”改革实施方案》三（一）');
    expect(c.reply).toContain('回到刚才的问题');
    expect(c.state.pendingQuestion?.id).toBe('sells_medicine');
    await c.say('多久能办完');
    expect(c.reply).toContain('压缩60%以上');
    expect(c.reply).toContain('食品经营许可：法定时限10个工作日，奈曼旗承诺压缩60%以上，即不超过4个工作日');
    expect(c.state.pendingQuestion?.id).toBe('sells_medicine');
  });

  it('可以网上办理吗 / 有人帮忙代办吗 after the permits', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('开个美容美发店');
    expect(c.state.stage).toBe('guided');
    await c.say('可以网上办理吗');
    expect(c.reply).toContain('通辽市“一业一证”审批系统');
    expect(c.reply).toContain('依据：');
    await c.say('有人帮忙代办吗');
    expect(c.reply).toContain('全程帮办');
    expect(c.state.stage).toBe('guided');
  });
});

describe('reform questions — 新乡经开区 (新经开办〔2022〕23号)', () => {
  it('什么是一业一证 / 综合许可证和单项许可证是什么关系 from the 新乡 document', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('什么是一业一证？');
    expect(c.reply).toContain('一证准营、一码亮证');
    expect(c.reply).toContain('依据：《新乡经开区“一业一证”改革试点实施方案》一');
    expect(c.reply).not.toContain('奈曼');
    await c.say('综合许可证和单项许可证是什么关系');
    expect(c.reply).toContain('不取消现有的行政许可事项');
    expect(c.reply).toContain('》二（三）');
  });

  it('只涉及一个许可能不能办综合许可证 / 多久能办完 / 可以网上办理吗 for a bookstore', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await script(c, ['开个书店', '不设']);
    expect(c.state.stage).toBe('guided');
    await c.say('只涉及一个许可能不能办综合许可证');
    expect(c.reply).toContain('方案没有对只涉及一个许可事项的行业作出规定');
    expect(c.reply).toContain('专窗');
    await c.say('多久能办完');
    expect(c.reply).toContain('出版物经营许可（零售）');
    expect(c.reply).toContain('并联审批');
    await c.say('可以网上办理吗');
    expect(c.reply).toContain('放新办');
    expect(c.state.stage).toBe('guided');
  });

  it('an unknown question gets the honest answer, with 12345 and the 新乡 window', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await script(c, ['开个书店', '不设']);
    const before = c.state;
    await c.say('装修要请哪家公司？');
    expect(c.reply).toContain('这个问题我的资料里没有确切答案');
    expect(c.reply).toContain('12345');
    expect(c.reply).toContain('新乡经开区政务服务中心');
    expect(c.state).toEqual(before);
  });
});
