/**
 * Follow-up questions answered from the documents through `handleMessage`, each with its source: each
 * region's reform text, each permit's materials, time, fee and inspection, and existing licence holders'
 * changes; what the documents do not answer is said honestly and recorded for the gaps report.
 */
import { describe, expect, it } from 'vitest';
import { chat, script, type Chat } from './script.ts';

const NAIMAN = '奈曼旗“一业一证”改革实施方案';
const XINXIANG = '新乡经开区“一业一证”改革试点实施方案';

/** The refs the last turn cites from a region's document. */
function cited(c: Chat, title: string): string[] {
  return c.last.replies.flatMap((r) => r.sources ?? []).filter((s) => s.title === title).map((s) => s.ref);
}

describe('questions that are not commands, and dialect', () => {
  it('「以后要是俺换个地方或者不干了，那个综合证咋弄」 is a question about the licence: the case stays', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await script(c, ['我在新乡经开区开饭店，公司开的，不挂大广告，后厨污水排管网']);
    const before = c.state.permits;
    await c.say('以后要是俺换个地方或者不干了，那个综合证咋弄');
    expect(c.state.region?.name).toBe('新乡经开区');
    expect(c.state.industry?.name).toBe('饭店');
    expect(c.state.permits).toEqual(before);
    expect(cited(c, XINXIANG)).toContain('三（九）');
  });

  it('「不卖咖啡」 in a bookshop\'s conversation is not a new trade, nor the answer to the pending question', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('我想在奈曼开个书店，也卖点现磨咖啡');
    const pending = c.state.pendingQuestion?.id;
    await c.say('不卖咖啡');
    expect(c.state.industry?.name).toBe('书店');
    expect(c.state.pendingQuestion?.id).toBe(pending);
    expect(c.reply).not.toContain('已从「书店」改为');
  });

  it('「卖面包蛋糕的小铺子」 is a bakery; 「零食啥的」 is and-so-on, not a question', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('我家那口子想弄个卖面包蛋糕的小铺子，现烤现卖，俺们在八仙筒镇');
    // A trade read from what is sold is offered to confirm, not the convenience store 「小铺子」 would be.
    expect(c.reply).toContain('「烘焙房/面包房」');
    await c.say('是的');
    expect(c.state.industry?.name).toBe('烘焙房/面包房');
    const d = chat({ defaultRegion: 'naiman', userId: 'u2' });
    await d.say('开个便利店');
    await d.say('卖点烟酒饮料零食啥的，药品不卖');
    expect(d.state.answers).toMatchObject({ sells_tobacco: true, sells_medicine: false });
    expect(d.reply).not.toContain('食品经营许可：不用');
  });

  it('「烟草证在哪办」 is answered from the applicant\'s own item; 「要办食品经营许可还是登记」 from the catalog', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('开便利店卖烟，烟草证在哪办');
    expect(c.reply).toContain('烟草专卖零售许可证核发由奈曼旗烟草专卖局审批');
    const d = chat({ defaultRegion: 'naiman', userId: 'u3' });
    await d.say('小餐饮要办食品经营许可还是登记');
    expect(d.reply).toContain('小餐饮不涉及食品经营许可');
  });

  it('「是嘞」 and 「中」 are yes', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('我想开个小饭馆子');
    expect(c.state.stage).toBe('confirm_industry');
    await c.say('是嘞');
    expect(c.state.industry?.name).toBe('饭店');
    const asked = c.state.pendingQuestion?.id;
    await c.say('中');
    expect(c.state.pendingQuestion?.id).not.toBe(asked);
  });
});

describe('奈曼旗: the reform text answers, citing its clause', () => {
  it('an applicant with a trade asks about the licence, materials later, one item pending, inspection and the hotline', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['我想在大沁他拉开个面包房']);
    await c.say('这证在旗里别的苏木乡镇也认吗');
    expect(c.reply).toContain('全旗范围内互认通用');
    expect(cited(c, NAIMAN)).toContain('二（六）');
    await c.say('房东的材料一时拿不到，能不能先办着以后再补');
    expect(c.reply).toContain('后补或免交');
    expect(cited(c, NAIMAN)).toContain('二（二）');
    await c.say('别的都批了就差一个还卡着，能先把综合证给我吗');
    expect(c.reply).toContain('注明未许可事项');
    expect(cited(c, NAIMAN)).toContain('二（七）');
    await c.say('有没有电话能问问');
    expect(c.reply).toContain('12345');
    expect(cited(c, NAIMAN)).toContain('二（五）');
    await c.say('开业以后会不会老有人来查');
    expect(c.reply).toContain('双随机、一公开');
    expect(cited(c, NAIMAN)).toContain('三（三）');
  });

  it('a department named for its permit: 「烟草局要来店里看吗」 is the tobacco permit\'s inspection', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['我想在大沁他拉开个小卖部，也卖烟，不卖药']);
    await c.say('那烟草局要来店里看吗');
    expect(c.reply).toContain('烟草专卖零售许可证核发');
    expect(c.reply).toContain('现场核查');
  });

  it('「全部办下来一共要多少天」 is the time question; 「一时办不下来，能先营业吗」 is the pending item', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['我想在奈曼开个宾馆，有游泳池']);
    await c.say('全部办下来一共要多少天');
    expect(c.reply).toContain('个工作日');
    expect(c.reply).not.toContain('没有确切答案');
    await c.say('游泳池那个证要是一时办不下来，能先营业宾馆吗');
    expect(c.reply).toContain('注明未许可事项');
    expect(cited(c, NAIMAN)).toContain('二（七）');
  });

  it('a licence holder: a change of legal representative, a permit revoked, the QR code', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('店的法人要换人了，综合许可证要咋弄');
    expect(c.reply).toContain('同步申请变更行业综合许可证');
    expect(cited(c, NAIMAN)).toEqual(['二（七）']);
    await c.say('烟草证被吊销了，那个综合证还能用吗');
    expect(c.reply).toContain('行业综合许可证同时作废');
    expect(cited(c, NAIMAN)).toEqual(['二（七）']);
    await c.say('证上的二维码扫出来是啥');
    expect(c.reply).toContain('二维码');
    expect(cited(c, NAIMAN)).toContain('二（六）');
  });
});

describe('新乡经开区: the reform text answers, citing its clause', () => {
  it('post, online, help, joint inspection, parallel approval, display, a refusal', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await script(c, ['开个甜品店', '有', '不设']);
    await c.say('证办好了能直接寄给我吗');
    expect(c.reply).toContain('证照免费寄递');
    expect(cited(c, XINXIANG)).toContain('三（五）');
    await c.say('食品那个和排水证是不是得来两拨人分别上门查');
    expect(c.reply).toContain('一次核查');
    expect(cited(c, XINXIANG)).toContain('三（六）');
    await c.say('几个许可是批完一个再批下一个吗');
    expect(c.reply).toContain('并联');
    expect(cited(c, XINXIANG)).toContain('三（七）');
    await c.say('店里那几个证都要挂墙上吗');
    expect(c.reply).toContain('只需在经营场所公示《行业综合许可证》');
    expect(cited(c, XINXIANG)).toContain('三（八）');
    await c.say('审批没给我过，我觉得不合理，该找谁说理去');
    expect(c.reply).toContain('行政复议');
    expect(cited(c, XINXIANG)).toContain('二（三）');
  });

  it('a licence holder: a permit renewed or cancelled is changed on the licence, free', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('排水证到期失效了，综合证会咋样');
    expect(c.reply).toContain('免费换发新证');
    expect(cited(c, XINXIANG)).toEqual(['三（九）']);
  });
});

describe("each permit's facts, for the applicant's own items", () => {
  it('奈曼旗 宾馆: materials, time, fee and inspection of the permits it names, each with its law', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开个宾馆，带餐厅，没有游泳池，污水排市政管网，算公众聚集场所，不在保护区，没有锅炉']);
    expect(c.state.stage).toBe('guided');
    await c.say('特行证要什么材料');
    expect(c.reply).toContain('特种行业经营许可（旅馆业）需要的材料');
    expect(c.last.replies[0]?.sources?.[0]?.permits).toEqual(['hotel_special_trade_licence']);
    await c.say('排水证要多久');
    expect(c.reply).toMatch(/排水许可证：法定时限\d+个工作日，奈曼旗承诺压缩60%以上，即不超过\d+个工作日/);
    expect(c.last.replies[0]?.sources?.every((s) => s.permits?.includes('drainage_permit') || s.title === '奈曼旗“一业一证”改革实施方案')).toBe(true);
    await c.say('卫生许可证要钱吗');
    expect(c.reply).toContain('公共场所卫生许可：不收费');
    await c.say('消防那个会来现场检查吗');
    expect(c.reply).toMatch(/公众聚集场所投入使用、营业前消防安全检查：/);
    expect(c.last.replies[0]?.sources?.[0]?.permits).toEqual(['fire_safety_inspection']);
    expect(c.reply).toMatch(/依据：《中华人民共和国消防法》/);
  });

  it('新乡经开区 药店: the licence\'s validity, and a permit the trade does not have is said not needed', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await script(c, ['开个药店', '不设']);
    await c.say('药证几年要换一次');
    expect(c.reply).toContain('药品零售企业许可：有效期5年；有效期届满前6个月申请换发。');
    expect(c.last.replies[0]?.sources?.[0]?.permits).toEqual(['drug_retail_licence']);
    await c.say('排水证要什么材料');
    expect(c.reply).toContain('不需要城镇污水排入排水管网许可');
  });
});

describe('whether the applicant needs a permit they name', () => {
  it('is said from their own items, with the catalog and the law; a permit their trade does not list is said so', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开个书店', '不在网上卖']);
    await c.say('要办卫生许可证吗');
    expect(c.reply).toContain('公共卫生场所许可：您需要办理');
    expect(c.last.replies[0]?.sources?.map((s) => s.title)).toContain('奈曼旗“一业一证”改革试点行业目录');
    const t = chat({ defaultRegion: 'naiman', userId: 'u2' });
    await script(t, ['开个茶馆']);
    await t.say('要办卫生许可证吗');
    expect(t.reply).toContain('咖啡馆/茶馆不涉及公共场所卫生许可');
    expect(t.reply).not.toContain('游泳');
  });
});

describe('a question about where a pending question\'s line is', () => {
  it('「多大面积算公众聚集场所」 states nothing: the question stays pending', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开个健身房', '没有游泳攀岩']);
    expect(c.state.pendingQuestion?.id).toBe('public_gathering');
    await c.say('多大面积算公众聚集场所');
    expect(c.state.answers.public_gathering).toBeUndefined();
    expect(c.state.pendingQuestion?.id).toBe('public_gathering');
  });
});

describe('what the documents do not answer', () => {
  it('is said honestly, with the hotline and the window, without a source, and recorded masked for staff', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开个饭店', '否']);
    await c.say('这条街房租一般多少钱');
    expect(c.reply).toContain('没有确切答案');
    expect(c.reply).toContain('12345');
    expect(c.last.replies.every((r) => !r.sources)).toBe(true);
    await c.say('营业执照一般几天能下来');
    expect(c.reply).toContain('没有确切答案');
    const report = await c.unanswered.report({ region: 'naiman' });
    expect(report.map((g) => g.text)).toEqual(['营业执照一般几天能下来', '这条街房租一般多少钱']);
    expect(report[0]?.industries).toEqual(['restaurant']);
  });
});
