/**
 * Conversations about the one-time notice and the permits: materials, time, place, fee, health
 * certificates — answered from the data with the basis named, or honestly not answered.
 */
import { describe, expect, it } from 'vitest';
import { chat, script } from './script.ts';

describe('notice and permit questions — 奈曼旗 便利店 (sells tobacco)', () => {
  async function guided() {
    const c = chat();
    await script(c, ['我想在大沁他拉开个小卖部，也卖烟', '不卖']);
    expect(c.state.stage).toBe('guided');
    return c;
  }

  it('「告知单」 shows the one-time notice: window, the three items, merged materials, time, no fee, hotline', async () => {
    const c = await guided();
    const before = c.state;
    await c.say('告知单');
    expect(c.last.replies[0]?.kind).toBe('notice');
    expect(c.reply).toContain('一次告知单 · 奈曼旗 · 便利店');
    expect(c.reply).toContain('受理地点：旗政务服务大厅企业开办窗口');
    expect(c.reply).toContain('烟草专卖零售许可证核发（烟草专卖局）');
    expect(c.reply).not.toContain('药品零售企业许可');
    expect(c.reply).toMatch(/申请材料（合并后\d+项，合并前\d+项）/);
    expect(c.reply).toContain('压缩60%以上');
    expect(c.reply).toContain('以上事项均不收费');
    expect(c.reply).toContain('12345（企业开办专席）');
    expect(c.state).toEqual(before);
  });

  it('「健康证要几个人的」 then 「食品经营许可要多久」: grounded answers naming their basis', async () => {
    const c = await guided();
    await c.say('健康证要几个人的');
    expect(c.reply).toContain('从事接触直接入口食品工作的从业人员');
    // The shop has two permits that each say who needs one (食品经营许可, 公共场所卫生许可): both answer.
    expect(c.reply).toContain('直接为顾客服务的人员都要持健康合格证');
    expect(c.reply).toContain('《中华人民共和国食品安全法》第四十五条');
    expect(c.last.replies[0]?.sources?.map((x) => x.title)).toEqual(['公共场所卫生管理条例', '中华人民共和国食品安全法']);
    await c.say('食品经营许可要多久');
    expect(c.reply).toContain('食品经营许可：法定时限10个工作日，奈曼旗承诺压缩60%以上，即不超过4个工作日');
    expect(c.reply).not.toContain('烟草专卖零售许可证核发：');
    expect(c.reply).toContain('依据：《食品经营许可和备案管理办法（市场监管总局令第78号）》');
    expect(c.state.stage).toBe('guided');
  });

  it('「在哪里办」 and 「要收费吗」: one window, each approving department in full, every item free', async () => {
    const c = await guided();
    await c.say('在哪里办');
    expect(c.reply).toContain('统一在旗政务服务大厅企业开办窗口一窗受理');
    expect(c.reply).toContain('食品经营许可由奈曼旗行政审批政务服务与数据管理局审批');
    expect(c.reply).toContain('烟草专卖零售许可证核发由奈曼旗烟草专卖局审批');
    expect(c.reply).toContain('依据：');
    await c.say('要收费吗');
    expect(c.reply).toContain('食品经营许可：不收费');
    expect(c.reply).toContain('公共场所卫生许可：不收费');
    expect(c.reply).toContain('烟草专卖零售许可证核发：不收费');
    expect(c.reply).toContain('依据：');
  });

  it('「装修要请哪家公司？」 is not in the data: an honest answer with the hotline and the window, nothing changes', async () => {
    const c = await guided();
    const before = c.state;
    await c.say('装修要请哪家公司？');
    expect(c.reply).toContain('这个问题我的资料里没有确切答案');
    expect(c.reply).toContain('12345（企业开办专席）');
    expect(c.reply).toContain('旗政务服务大厅企业开办窗口');
    expect(c.last.replies[0]?.options?.map((o) => o.value)).toContain('转人工');
    expect(c.state).toEqual(before);
  });
});

describe('notice and permit questions — 新乡经开区 饭店 (small individual, drains sewage)', () => {
  async function guided() {
    const c = chat({ defaultRegion: 'xinxiang' });
    await script(c, ['开个饭店', '是', '会', '不设']);
    expect(c.state.stage).toBe('guided');
    return c;
  }

  it('「告知单」 lists only the items needed, at the 新乡经开区 window', async () => {
    const c = await guided();
    await c.say('告知单');
    expect(c.reply).toContain('一次告知单 · 新乡经开区 · 饭店');
    expect(c.reply).toContain('新乡经开区政务服务中心');
    expect(c.reply).toContain('食品小经营店登记（市场监管分局）');
    expect(c.reply).toContain('城镇污水排入排水管网许可（住房和城乡建设局）');
    expect(c.reply).not.toMatch(/\d\. 食品经营许可（/);
    expect(c.reply).not.toContain('户外广告');
  });

  it('「多久能办完」 「在哪里办」 「要收费吗」 answered from the computed notice', async () => {
    const c = await guided();
    await c.say('多久能办完');
    expect(c.reply).toContain('食品小经营店登记：法定时限7个工作日。材料齐全的当场登记，7个工作日内发放食品小经营店登记证');
    expect(c.reply).toContain('城镇污水排入排水管网许可：法定时限15个工作日');
    expect(c.reply).toContain('并联审批');
    expect(c.reply).toContain('新乡经开区“一业一证”改革试点实施方案');
    await c.say('在哪里办');
    expect(c.reply).toContain('新乡经开区政务服务中心“一业一证”专窗');
    expect(c.reply).toContain('城镇污水排入排水管网许可由新乡经开区住房和城乡建设局审批');
    await c.say('要收费吗');
    expect(c.reply).toContain('食品小经营店登记：不收费');
    expect(c.reply).toContain('城镇污水排入排水管网许可：不收费');
  });

  it('a question during the scenario questions is answered, then the pending question is asked again', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('开个饭店');
    expect(c.state.pendingQuestion?.id).toBe('small_individual');
    await c.say('健康证要几个人的？');
    expect(c.reply).toContain('健康证明');
    expect(c.reply).toContain('依据：');
    expect(c.reply).toContain('回到刚才的问题');
    expect(c.state.pendingQuestion?.id).toBe('small_individual');
    expect(c.state.answers).toEqual({});
    // Every item of a 新乡 饭店 depends on an answer: the notice waits for them rather than listing nothing.
    await c.say('告知单');
    expect(c.reply).toContain('还需要先确认几个问题');
    expect(c.state.pendingQuestion?.id).toBe('small_individual');
    await c.say('不是');
    expect(c.state.answers.small_individual).toBe(false);
    expect(c.state.pendingQuestion?.id).toBe('discharges_sewage');
  });
});
