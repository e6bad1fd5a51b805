/**
 * A message does everything it asks (issue: understanding people): the trade and the question in one
 * sentence, negations that stay in their clause, questions asked before the trade, a pending question
 * or confirmation that survives a side question, facts never asked again, natural answers, corrections,
 * a change of trade, trades outside the catalog and everyday language; all through handleMessage.
 */
import { describe, expect, it } from 'vitest';
import { chat, script, statuses } from './script.ts';

describe('the trade and the question in one message', () => {
  it('「开药店需要什么证」: the trade, the permits as they stand, and the question that decides the rest', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('开药店需要什么证');
    expect(c.state.industry?.id).toBe('pharmacy');
    expect(c.last.replies.map((r) => r.kind)).toEqual(['answer', 'permits', 'question']);
    expect(c.reply).toContain('需要办理的事项（1项）');
    expect(c.reply).toContain('药品零售企业许可（政数局）');
    expect(c.reply).toContain('待确认的事项（1项）');
    expect(c.state.pendingQuestion?.id).toBe('food_scope');
  });

  it('「我想开个饭店，需要办什么证」 in 新乡经开区, and a time question with the trade', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('我想开个饭店，需要办什么证');
    expect(c.state.industry?.id).toBe('restaurant');
    expect(c.reply).toContain('【新乡经开区 · 饭店】');
    expect(c.state.pendingQuestion?.id).toBe('small_individual');
    const t = chat({ defaultRegion: 'naiman' });
    await t.say('开个面包房多久能办下来');
    expect(t.state.industry?.id).toBe('bakery');
    expect(t.reply).toMatch(/食品经营许可：法定时限\d+个工作日，奈曼旗承诺压缩60%以上，即不超过\d+个工作日/);
  });

  it('a question asked before the trade is known is answered once it is: the notice after the permits', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('要准备什么材料');
    expect(c.reply).toContain('您的问题我记下了');
    expect(c.state.industry).toBeNull();
    await c.say('开个美容美发店');
    const kinds = c.last.replies.map((r) => r.kind);
    expect(kinds).toContain('permits');
    expect(kinds.at(-1)).toBe('notice');
    expect(c.reply).toContain('【一次告知单 · 奈曼旗 · 美容美发店】');
  });

  it('the notice asked for while questions remain comes by itself when they are answered', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('开便利店要带啥材料');
    expect(c.reply).toContain('还需要先确认几个问题');
    await script(c, ['不卖药', '不卖烟']);
    expect(c.state.stage).toBe('guided');
    expect(c.last.replies.map((r) => r.kind)).toContain('notice');
  });
});

describe('negation stays in its clause', () => {
  it.each([
    ['卖烟 不卖药', { sells_tobacco: true, sells_medicine: false }],
    ['卖烟不卖药', { sells_tobacco: true, sells_medicine: false }],
    ['烟酒都卖，药不卖', { sells_tobacco: true, sells_medicine: false }],
    ['香烟和药品都不卖', { sells_tobacco: false, sells_medicine: false }],
    ['不卖烟和药', { sells_tobacco: false, sells_medicine: false }],
  ])('开个小卖部，%s', async (facts, answers) => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say(`开个小卖部，${facts}`);
    expect(c.state.answers).toEqual(answers);
    expect(statuses(c.state)['烟草专卖零售许可证核发']).toBe(answers.sells_tobacco ? 'required' : 'not_needed');
    expect(statuses(c.state)['药品零售企业许可']).toBe('not_needed');
  });

  it('「不是个体户，是公司」 and 「不在什么风景区保护区里头」: each 不 has its own words', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('开个洗浴中心，不是个体户，是公司');
    expect(c.state.answers.small_individual).toBe(false);
    const h = chat({ defaultRegion: 'naiman' });
    await h.say('开宾馆，不在什么风景区保护区里头，锅炉是烧煤的');
    expect(h.state.answers).toMatchObject({ eia_sensitive_area: false, boiler: 'coal_oil_other' });
    expect(statuses(h.state)['环境影响报告表审批']).toBe('required');
  });

  it('a question about a fact states nothing: 「个体户和公司有啥区别」, 「这算公众聚集场所吗」', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('开个奶茶店');
    await c.say('个体户和公司有啥区别');
    expect(c.state.answers.small_individual).toBeUndefined();
    expect(c.state.pendingQuestion?.id).toBe('small_individual');
    const r = chat({ defaultRegion: 'naiman' });
    await r.say('开个家常菜馆，十来张桌子');
    await r.say('这算公众聚集场所吗');
    expect(r.state.answers.public_gathering).toBeUndefined();
    expect(r.reply).toContain('公众聚集场所是指宾馆、饭店');
    await r.say('那就不算');
    expect(r.state.answers.public_gathering).toBe(false);
  });
});

describe('a pending question or confirmation survives a side question', () => {
  it('answered, then the question again in one short line, without its explanation', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('开个便利店');
    expect(c.reply).toContain('零售药品需要取得药品经营许可证');
    await c.say('在哪办');
    expect(c.reply).toContain('旗政务服务大厅企业开办窗口');
    const again = c.last.replies.at(-1);
    expect(again?.text).toBe('回到刚才的问题：您的店里是否销售药品（包括非处方药）？');
    expect(again?.options?.map((o) => o.label)).toEqual(['是', '否', '不确定']);
    await c.say('不卖');
    expect(c.state.answers.sells_medicine).toBe(false);
  });

  it('a trade to confirm is asked again after a side question, then confirmed', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('我想开个便利点');
    expect(c.state.stage).toBe('confirm_industry');
    await c.say('能网上办吗');
    expect(c.reply).toContain('通辽市“一业一证”审批系统');
    expect(c.last.replies.at(-1)?.text).toBe('您是想开「便利店」吗？');
    await c.say('对');
    expect(c.state.industry?.id).toBe('convenience_store');
  });

  it('a side question on the summary: answered, and the confirmation asked again in one line', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开美容美发店', '填表', '丽人美发', '企业', '91350100M000100Y43', '王丽', '11010519491231002X', '同上', '13912345678', '大沁他拉镇建设路与人民路交叉口东北角', '八十平左右', '3个人', '否']);
    expect(c.state.stage).toBe('confirm');
    expect(c.reply).toContain('联系人：王丽');
    expect(c.reply).toContain('经营场所地址：大沁他拉镇建设路与人民路交叉口东北角');
    expect(c.reply).toContain('经营面积：80平方米');
    await c.say('要收费吗');
    expect(c.reply).toContain('公共场所卫生许可：不收费');
    expect(c.last.replies.at(-1)?.text).toContain('核对无误请回复「确认提交」');
    await c.say('没问题，提交吧');
    expect(c.state.stage).toBe('submitted');
    await c.say('确认提交');
    expect(c.h.submitted).toHaveLength(1);
  });
});

describe('facts are applied whenever they are said, and natural answers are taken', () => {
  it('「开宾馆，带早餐，有游泳池」: neither is asked again', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('开宾馆，带早餐，有游泳池');
    expect(c.state.answers).toMatchObject({ food_scope: 'other', high_risk_sport: true });
    const asked: string[] = [];
    for (let n = 0; n < 8 && c.state.pendingQuestion; n++) {
      asked.push(c.state.pendingQuestion.id);
      await c.say('不确定');
    }
    expect(asked).not.toContain('food_scope');
    expect(asked).not.toContain('high_risk_sport');
  });

  it.each([
    ['健身房', 'naiman', '有游泳池', 'high_risk_sport', true],
    ['浴场', 'naiman', '不提供吃的', 'food_scope', 'none'],
    ['奶茶店', 'xinxiang', '是公司', 'small_individual', false],
    ['超市', 'naiman', '是，规模挺大的，肯定算', 'public_gathering', true],
    ['书店', 'xinxiang', '门口就一块小牌子，不弄大广告', 'large_outdoor_ad', false],
    ['饭店', 'xinxiang', '洗碗水肯定排', 'discharges_sewage', true],
  ])('开%s: «%s» answers the pending question', async (trade, region, reply, question, value) => {
    const c = chat({ defaultRegion: region });
    await c.say(`开个${trade}`);
    for (let n = 0; n < 6 && c.state.pendingQuestion && c.state.pendingQuestion.id !== question; n++) await c.say('不确定');
    expect(c.state.pendingQuestion?.id).toBe(question);
    await c.say(reply);
    expect(c.state.answers[question]).toBe(value);
  });

  it('「刚才说错了，其实也卖烟」 corrects the earlier answer and says so', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开个超市，不卖烟', '不卖药']);
    expect(statuses(c.state)['烟草专卖零售许可证核发']).toBe('not_needed');
    await c.say('刚才说错了，其实也卖烟');
    expect(c.reply).toContain('已更正');
    expect(statuses(c.state)['烟草专卖零售许可证核发']).toBe('required');
  });

  it('a change of trade keeps the answers that still apply, names them and says what changed', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开个超市，烟酒都卖', '不卖药']);
    await c.say('算了，还是开个便利店吧');
    expect(c.state.industry?.id).toBe('convenience_store');
    expect(c.reply).toContain('已从「超市」改为「便利店」');
    expect(c.reply).toContain('沿用您之前说的');
    expect(c.reply).toContain('不再涉及公众聚集场所投入使用、营业前消防安全检查');
    expect(c.state.answers).toMatchObject({ sells_tobacco: true, sells_medicine: false });
    expect(c.state.stage).toBe('guided');
  });
});

describe('trades outside the catalog and everyday language', () => {
  it('网吧: said at once with where and the hotline; a follow-up question is still answered', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('在经开区开网吧要办啥');
    expect(c.reply).toContain('「网吧」不在新乡经开区“一业一证”改革行业目录中');
    expect(c.reply).toContain('12345');
    expect(c.reply).not.toContain('记下了');
    await c.say('可以网上办理吗');
    expect(c.reply).toContain('河南省政务服务网');
  });

  it('民宿 and 奶茶店 where the region has no such trade: said so, with the nearest catalog trade to confirm', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('想在沙日浩来弄个民宿');
    expect(c.reply).toContain('「民宿」不在奈曼旗“一业一证”改革行业目录的行业名称中');
    expect(c.last.replies.at(-1)?.text).toBe('您是想开「宾馆」吗？');
    expect(c.state.industry).toBeNull();
    await c.say('那就按宾馆办吧');
    expect(c.state.industry?.id).toBe('hotel');
  });

  it.each([
    ['kai yaodian yao ban shenme zheng', 'naiman', 'pharmacy'],
    ['wo xiang kai ge jianshenfang', 'naiman', 'gym'],
    ['I want to open a supermarket', 'xinxiang', 'supermarket'],
    ['俺想整个小卖铺', 'naiman', 'convenience_store'],
    ['开个理发店', 'naiman', 'beauty_salon'],
    ['开个洗澡堂子', 'naiman', 'bathhouse'],
  ])('«%s» (%s) is %s', async (text, region, industry) => {
    const c = chat({ defaultRegion: region });
    await c.say(text);
    expect(c.state.industry?.id).toBe(industry);
  });

  it('a homophone typo of the input method (超势) is offered to confirm', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('开个超势要啥证');
    expect(c.last.replies.at(-1)?.text).toBe('您是想开「超市」吗？');
    await c.say('是的');
    expect(c.state.industry?.id).toBe('supermarket');
    expect(c.last.replies.map((r) => r.kind)).toContain('permits');
  });
});

describe('from a blind tester of the running product', () => {
  it('「有攀岩墙 不搞游泳」: a yes for one of the listed sports is a yes; a sport given up is not', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['我想开个健身房', '有攀岩墙 不搞游泳']);
    expect(c.state.answers['high_risk_sport']).toBe(true);
    const d = chat({ defaultRegion: 'naiman' });
    await script(d, ['我想开个健身房', '以前想搞游泳池，现在不搞游泳了']);
    expect(d.state.answers['high_risk_sport']).toBe(false);
  });

  it('「行 填表吧」 opens the form and 「材料要哪些」 gives the notice', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('我想开个健身房，没有游泳攀岩，不是公众聚集场所');
    await c.say('材料要哪些');
    expect(c.last.replies.map((r) => r.kind)).toContain('notice');
    await c.say('行 填表吧');
    expect(c.state.stage).toBe('form');
  });

  it('「法人就是我 刘长海」 and 「联系人还是我 电话…」: the name, the legal representative as contact, the phone', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['我想开个健身房，没有游泳攀岩，不是公众聚集场所', '填表', '奈曼旗力行健身有限公司']);
    await c.say('法人就是我 刘长海');
    expect(c.reply).toContain('已记录法定代表人（负责人）姓名：刘长海。');
    await c.say('联系人还是我 电话15847561234');
    expect(c.reply).toContain('已记录联系人：刘长海。');
    await script(c, ['91110000802100433B', '11010519491231002X']);
    // The contact's name and phone are filled: the form goes on past them.
    expect(c.reply).toContain('请填写经营场所地址');
  });

  it('a question about the application while a field is pending is answered, or honestly not, never with the field\'s help', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['我想开个健身房，没有游泳攀岩，不是公众聚集场所', '填表']);
    await c.say('还要去窗口交纸质材料吗');
    expect(c.reply).not.toContain('与营业执照上的名称一致');
    // Answered from the document with its source, or honestly not (with the hotline).
    expect(c.reply).toMatch(/依据：《|12345/);
    expect(c.reply).toContain('请填写主体名称');
    await c.say('能网上办吗');
    expect(c.reply).toContain('依据：《奈曼旗');
    await c.say('这个是啥意思');
    expect(c.reply).toContain('与营业执照上的名称一致');
  });

  it('two corrections in one message, each field named without its closing 姓名 or 数', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开宾馆，带餐厅，不对外开放游泳池，污水排市政管网，不算公众聚集场所，锅炉是小燃气锅炉0.5吨', '不在', '填表']);
    await c.say('安全保卫人员改成赵大勇，床位改成48张');
    expect(c.reply).toContain('已记录安全保卫人员姓名：赵大勇。');
    expect(c.reply).toContain('已记录床位数：48张。');
  });

  it('「算不算公众聚集场所」 asks about the other question: its explanation, not 没有理解', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('我想开个宾馆');
    await c.say('店面一百平左右 算不算公众聚集场所');
    expect(c.reply).not.toContain('没有理解');
    expect(c.reply).toContain('公众聚集场所是指');
    expect(c.state.answers['public_gathering']).toBeUndefined();
  });
});
