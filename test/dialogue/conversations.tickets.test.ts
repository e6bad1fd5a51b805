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

describe('tickets as the blind applicants said them', () => {
  it('complaints without the word, asking after one, and details given on the way', async () => {
    const h = harness({ channel: 'web' });
    // The story told first, the place named, the phone given at once: only the business is asked.
    expect(h.text(await h.say('新乡经开区这边不是说证照免费寄递吗，我奶茶店的证批了一个礼拜了还没寄到，打电话也没人接，太不负责了'))).toContain('和哪个办件或哪家店铺有关');
    // Said again while asked for the business: added, and the question stands.
    const again = h.text(await h.say('你答非所问啊，证都批了，我是要投诉没给我寄！'));
    expect(again).toContain('已补充');
    expect(again).toContain('和哪个办件或哪家店铺有关');
    expect(h.text(await h.say('蜜雪奶茶 经开区店'))).toContain('答复会发到这个对话里');
    const filed = h.text(await h.say('不要打电话，这里回就行'));
    expect(filed).toMatch(/已为您登记投诉，工单号/);
    // Asking after it is a look-up, never a second ticket.
    expect(h.text(await h.say('那我这个投诉啥时候有结果啊'))).not.toContain('登记');
  });

  it('a case number and a phone in the first message are not asked for again; spoken digits count', async () => {
    const h = harness({ channel: 'web', defaultRegion: 'naiman' });
    expect(h.text(await h.say('我要投诉，办件号BJ20261201123456交上去半个月了还没批，我电话是13904758866'))).toMatch(/已为您登记投诉，工单号/);
    const p = harness({ channel: 'web', defaultRegion: 'naiman' });
    await p.say('能不能帮我催一下，宾馆的特种行业许可一直卡在公安那，开业日子都定了');
    await p.say('沁园宾馆');
    expect(p.text(await p.say('打我电话吧 一五八四七五一二三四五'))).toMatch(/已为您登记求助，工单号/);
  });

  it('cancelling said any way, and a question mid-ticket answered before the ticket goes on', async () => {
    const h = harness({ channel: 'web', defaultRegion: 'xinxiang' });
    await h.say('我想投诉一下新乡经开区政务服务中心的工作人员');
    expect(h.text(await h.say('算了算了 不投了，也没多大事'))).toContain('不登记了');
    expect(h.text(await h.say('撤回'))).toContain('目前没有正在登记的');

    const q = harness({ channel: 'web', defaultRegion: 'naiman' });
    await q.say('投诉奈曼旗政务大厅，上周二去办超市的证，说材料要一次告知结果回去又让我补了两次材料');
    const mid = q.text(await q.say('对了顺便问下，超市卖烟是不是还得去烟草局单独办证？'));
    expect(mid).toContain('烟草专卖零售许可证');
    expect(mid).toContain('和哪个办件或哪家店铺有关');
  });

  it('求助 that is a question about permits is answered, not taken down', async () => {
    const h = harness({ channel: 'web' });
    await h.say('求助');
    const r = h.text(await h.say('我就想问问奈曼旗开个面包房要办几个证'));
    expect(r).toContain('食品经营许可');
    expect(r).not.toContain('登记求助');
  });
});

describe('tickets as the third blind applicants said them', () => {
  it('「我是来投诉的」 after the story keeps the story; a phone given after filing goes to the ticket; 别打电话 is no handoff', async () => {
    const h = harness({ channel: 'web', defaultRegion: 'xinxiang' });
    await h.say('综合执法局的人来查我店 说话很凶还拍桌子 店名夜色酒吧');
    const r = h.text(await h.say('我是来投诉的 不是来开店的'));
    expect(r).not.toContain('请说说具体情况');
    expect(r).not.toContain('和哪个办件或哪家店铺有关');
    expect(h.text(await h.say('不用'))).toMatch(/已为您登记投诉，工单号/);
    expect(h.text(await h.say('算了还是留个吧 15847503321 晚上打'))).toContain('已补充到工单');

    const n = harness({ channel: 'web', defaultRegion: 'naiman' });
    await n.say('我要投诉 窗口让我来回跑了三趟');
    await n.say('无');
    const noCall = await n.say('算了还是别给我打电话了 怕被他们知道 就在这回复我吧');
    expect(noCall.state.handoff).toBe(false);
    expect(n.text(noCall)).toMatch(/已为您登记投诉，工单号/);
  });

  it('questions about tickets in general are answered, not taken as lookups or tickets', async () => {
    const h = harness({ channel: 'web', defaultRegion: 'xinxiang' });
    expect(h.text(await h.say('投诉一般多久给答复'))).toContain('没有规定工单的答复时限');
    expect(h.text(await h.say('新乡经开区一业一证的投诉电话是多少'))).toContain('投诉、求助和建议可以拨打12345');
  });
});

describe('after a ticket, the conversation moves on', () => {
  it('a phone typed into the form later is the form’s, not an addition to the ticket', async () => {
    const h = harness({ channel: 'web', defaultRegion: 'naiman' });
    await h.say('我要投诉 窗口让我来回跑了三趟');
    await h.say('无');
    expect(h.text(await h.say('不用'))).toMatch(/工单号/);
    await h.say('开个书店，不卖烟不卖吃的，不对外网上发行');
    await h.say('填表');
    for (let n = 0; n < 12; n++) {
      const r = await h.say('');
      if (r.state.pendingField?.id === 'contact_mobile') break;
      await h.say(r.state.pendingField?.type === 'choice' ? '1' : r.state.pendingField?.id === 'credit_code' ? '91350100M000100Y43' : r.state.pendingField?.id === 'legal_rep_id_number' ? '11010519491231002X' : '测试内容一二三');
    }
    const typed = h.text(await h.say('13912345678'));
    expect(typed).not.toContain('已补充到工单');
  });
});

describe('tickets as the final blind tester said them', () => {
  it('an upload that keeps failing is a request for help; a very bad attitude is a complaint', async () => {
    const help = harness({ channel: 'web' });
    await help.say('麻烦帮帮忙，我在奈曼旗网上申请超市的一业一证，照片一直传不上去，页面老是报错');
    await help.say('无');
    expect(help.text(await help.say('不用'))).toMatch(/已为您登记求助，工单号/);
    const complaint = harness({ channel: 'web' });
    await complaint.say('奈曼旗政务大厅窗口工作人员态度特别差，问啥都不耐烦，这事得有人管管');
    await complaint.say('无');
    expect(complaint.text(await complaint.say('不用'))).toMatch(/已为您登记投诉，工单号/);
  });
});
