/**
 * 投诉、求助、建议 through handleMessage: recognised however it is said, asked only what is missing, given a
 * ticket number; a consultation that says 求助 stays a consultation; being complained about is not a complaint.
 */
import { describe, expect, it } from 'vitest';
import { harness } from './harness.ts';

const TICKET = /工单号 GD\d{14}/;

describe('tickets in the conversation', () => {
  it('a complaint said outright: what happened, which business, how to reply, then the number', async () => {
    const h = harness({ channel: 'web', defaultRegion: 'naiman' });
    expect(h.text(await h.say('我要投诉'))).toContain('请说说具体情况');
    expect(h.text(await h.say('太短'))).toContain('再多说几句');
    expect(h.text(await h.say('窗口的人说我材料不全，又不告诉我缺什么，来回跑了三趟'))).toContain('和哪个办件或哪家店铺有关');
    expect(h.text(await h.say('没有'))).toContain('答复会发到这个对话里');
    expect(h.text(await h.say('138 1234 5678'))).toMatch(TICKET);
  });

  it('what happened in the first message is kept; the region is asked when unknown', async () => {
    const h = harness({ channel: 'web' });
    const r = await h.say('窗口工作人员态度很差，我要投诉');
    expect(h.text(r)).toContain('哪个地区');
    expect(h.text(await h.say('奈曼旗'))).toContain('和哪个办件或哪家店铺有关');
    expect(h.text(await h.say('BJ20261201123456'))).toContain('答复会发到这个对话里');
    expect(h.text(await h.say('就在这里回复'))).toMatch(/已为您登记投诉，工单号/);
  });

  it('a suggestion and a request for help are told apart from a consultation', async () => {
    const s = harness({ channel: 'telegram', defaultRegion: 'naiman' });
    expect(s.text(await s.say('我有个建议，政务大厅中午能不能不休息'))).toContain('和哪个办件或哪家店铺有关');
    await s.say('无');
    expect(s.text(await s.say('不用'))).toMatch(/已为您登记建议，工单号/);

    const help = harness({ channel: 'web', defaultRegion: 'naiman' });
    expect(help.text(await help.say('求助，网上申请一直提交不了'))).toContain('和哪个办件或哪家店铺有关');

    const consult = harness({ channel: 'web', defaultRegion: 'naiman' });
    const r = await consult.say('求助，开个小饭馆要办哪些证');
    expect(consult.text(r)).not.toContain('工单');
    expect(consult.text(r)).toContain('饭店');
  });

  it('being complained about, or not wanting to complain, starts nothing', async () => {
    const h = harness({ channel: 'web', defaultRegion: 'naiman' });
    expect(h.text(await h.say('开饭店要是被顾客投诉了会吊销许可证吗'))).not.toContain('登记投诉');
    const n = harness({ channel: 'web', defaultRegion: 'naiman' });
    expect(n.text(await n.say('我不是要投诉，就想问问便利店要办什么证'))).not.toContain('登记投诉');
  });

  it('「取消」 drops it; a command in between runs and the ticket question comes back; the terminal needs a phone', async () => {
    const h = harness({ channel: 'web', defaultRegion: 'naiman' });
    await h.say('我想投诉');
    expect(h.text(await h.say('取消'))).toContain('这次投诉不登记了');
    await h.say('我想投诉');
    const mid = h.text(await h.say('进度'));
    expect(mid).toContain('请说说具体情况');

    const t = harness({ channel: 'terminal', defaultRegion: 'naiman' });
    await t.say('提个建议：希望能在乡镇也设一个办证点');
    await t.say('无');
    expect(t.text(await t.say('不用'))).toContain('请留一个联系电话');
    expect(t.text(await t.say('12345'))).toContain('号码好像不完整');
    expect(t.text(await t.say('0475-1234567'))).toMatch(TICKET);
  });

  it('mid-form, a complaint is taken down and the form goes on where it was', async () => {
    const h = harness({ channel: 'web', defaultRegion: 'naiman' });
    await h.say('开个书店，不卖烟不卖吃的，不对外网上发行');
    await h.say('填表');
    const before = h.text(await h.say(''));
    await h.say('我要投诉，上次打电话问窗口一直没人接');
    await h.say('无');
    const done = h.text(await h.say('不用'));
    expect(done).toMatch(TICKET);
    expect(done.split('---').at(-1)?.trim()).toBe(before.split('---').at(-1)?.trim());
  });
});
