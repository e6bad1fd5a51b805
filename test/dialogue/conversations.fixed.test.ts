/**
 * Regression tests: each conversation here once showed a bug (the comment says what happened before the
 * fix and what should happen); they now pass and keep it fixed.
 */
import { describe, expect, it } from 'vitest';
import { chat, leak, script, STAGE_IDS, statuses } from './script.ts';

describe('issues found by scripted conversations, fixed', () => {
  // BUG (privacy, wrong permits): parseState (src/dialogue/state.ts) uses zod `.catch({})` defaults, which
  // are ONE shared object. A brand-new conversation's stored state is `{}`, so its first turn reads
  // `answers` from that shared default and writes into it. Input: user A's first message
  // 「我想在大沁他拉开个小卖部，也卖烟」; then user B (another store, another user) says 「我想在新乡经开区开个饭店」,
  // and user C 「我想在奈曼旗开个便利店」. Actual: B's and C's answers are { sells_tobacco: true } (A's answer);
  // C is told to get the 烟草专卖零售许可证 and is never asked about tobacco. Expected: each starts with {}.
  // (The other scripted conversations seed a complete empty state to stay independent; see script.ts.)
  it('a new conversation does not inherit the first-turn answers of another user', async () => {
    const a = chat({ userId: 'alice', seed: false });
    await a.say('我想在大沁他拉开个小卖部，也卖烟');
    expect(a.state.answers).toEqual({ sells_tobacco: true });
    const b = chat({ userId: 'bob', seed: false });
    await b.say('我想在新乡经开区开个饭店');
    expect(b.state.answers).toEqual({});
    const c = chat({ userId: 'carol', seed: false });
    await c.say('我想在奈曼旗开个便利店');
    expect(c.state.answers).toEqual({});
    expect(statuses(c.state)['烟草专卖零售许可证核发']).toBe('undecided');
  });

  // Input: 「奈曼旗」 (or 「新乡经开区」) as the first message, no default region. Actual: the region IS set,
  // but the reply starts 「抱歉，我没有理解您的意思。请告诉我您想开什么店。」. Expected: an acknowledgement
  // (「好的，奈曼旗。」) and the question about the trade, without claiming it did not understand.
  it('naming only the region is acknowledged, not answered with 「没有理解」', async () => {
    const c = chat();
    await c.say('奈曼旗');
    expect(c.state.region?.id).toBe('naiman');
    expect(c.reply).not.toContain('没有理解');
    expect(c.reply).toContain('请问您想开什么店');
    await script(c, ['换个地区', '新乡经开区']);
    expect(c.state.region?.id).toBe('xinxiang');
    expect(c.reply).not.toContain('没有理解');
  });

  // Input (奈曼旗 便利店, guided): 「装修要请哪家公司」 without a question mark. Actual: 「抱歉，我没有理解您的
  // 意思…」 (哪家 is not among the question markers in knowledge.ts). Expected: the honest 「这个问题我的资料
  // 里没有确切答案…」 with the hotline and the window, as for 「装修要请哪家公司？」.
  it('「装修要请哪家公司」 (no question mark) gets the honest no-answer reply', async () => {
    const c = chat();
    await script(c, ['我想在大沁他拉开个小卖部，也卖烟', '不卖']);
    await c.say('装修要请哪家公司');
    expect(c.reply).toContain('这个问题我的资料里没有确切答案');
    expect(c.reply).toContain('12345');
  });

  // Input: 奈曼旗 便利店 (sells tobacco, guided) 「房子是租的，没有房产证怎么办」. Actual: 「可以提交租赁合同作为
  // 经营场所证明。（依据：特种行业经营许可（旅馆业） · 旅馆业特种行业许可办事指南（示例））」 — the basis is a hotel
  // permit this shop does not need (新乡经开区 饭店 gets the same, citing 旅馆业特种行业许可证核发). Also 新乡 饭店 as a
  // small individual: 「健康证要几个人的」 cites 食品经营许可, which the same conversation just said is not needed
  // (食品小经营店登记 has its own FAQ on health certificates). Expected: the basis is one of the user's own
  // required items (e.g. the 烟草专卖零售许可证 materials: 经营场所使用证明（产权证明或租赁合同等）), or none.
  it('answers cite a permit the user actually needs', async () => {
    const c = chat();
    await script(c, ['我想在大沁他拉开个小卖部，也卖烟', '不卖']);
    await c.say('房子是租的，没有房产证怎么办');
    expect(c.reply).not.toContain('旅馆业');
    const x = chat({ defaultRegion: 'xinxiang' });
    await script(x, ['开个饭店', '是', '会', '不设']);
    expect(statuses(x.state)['食品经营许可']).toBe('not_needed');
    await x.say('健康证要几个人的');
    expect(x.reply).not.toContain('依据：食品经营许可 ·');
  });

  // Input: 「我想开个书店」 → 「奈曼旗」 → 「不」 (online_publication) → pending food_scope → 「我其实在新乡经开区」.
  // Actual: 「已为您切换到新乡经开区」 then 「回到刚才的问题：您的店里经营食品吗？…」; state.pendingQuestion is
  // food_scope, a question 新乡经开区's 书店 does not have. Expected: the 新乡 bookstore's own question
  // (large_outdoor_ad) — the pending question should be recomputed after a region switch.
  it('after switching region mid-questions, only the new region\'s questions are asked', async () => {
    const c = chat();
    await script(c, ['我想开个书店', '奈曼旗', '不']);
    expect(c.state.pendingQuestion?.id).toBe('food_scope');
    await c.say('我其实在新乡经开区');
    expect(c.state.region?.id).toBe('xinxiang');
    expect(c.state.industry?.id).toBe('bookstore');
    expect(c.state.pendingQuestion?.id).toBe('large_outdoor_ad');
  });

  // Input (奈曼旗): 「我要开宾馆」, then to the food question 「有餐厅」. Actual: the trade silently switches to
  // 饭店 (state.industry restaurant, the hotel's 特种行业许可 gone). Expected: still 宾馆, with
  // food_scope = other (a hotel restaurant is 提供餐饮服务). Also 「我要开宾馆，有餐厅」 in one message does not
  // set food_scope.
  it('「有餐厅」 answers the hotel\'s food question instead of changing the trade', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('我要开宾馆');
    expect(c.state.pendingQuestion?.id).toBe('food_scope');
    await c.say('有餐厅');
    expect(c.state.industry?.id).toBe('hotel');
    expect(c.state.answers.food_scope).toBe('other');
  });

  // Input: 「转人工」 in any stage. Actual: the reply reads 「我已把您的情况整理给坐席：地区：新乡经开区；行业：书店；
  // 阶段：questions；…」 — an internal stage id shown to the applicant. Expected: no internal ids (a Chinese
  // description such as 「正在回答问题」, or no stage at all).
  it('the handoff summary shown to the user has no internal stage id', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('开个书店');
    await c.say('转人工'); // chat() fails on any leaked id
    for (const id of STAGE_IDS) expect(c.reply).not.toMatch(new RegExp(`阶段：${id}`));
    expect(leak(c.reply)).toBeNull();
  });

  // Input (奈曼旗): 「我想开个便力店」 (a common pinyin-IME slip for 便利店). Actual: 「抱歉，我没有理解您的意思。」
  // — the fuzzy matcher needs 4+ characters (FUZZY_MIN_LENGTH = 4, although its comment says 3+) and
  // 便力店 is not in the typo list. Expected: 「您是想开「便利店」吗？」.
  it('「我想开个便力店」 is offered 便利店 to confirm', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('我想开个便力店');
    expect(c.state.stage).toBe('confirm_industry');
    expect(c.reply).toContain('便利店');
  });

  // Input (奈曼旗 便利店): 「不卖药」 「不卖烟」 then 「只卖包装好的零食饮料，也要办食品经营许可证吗」. Actual: the
  // permits list 食品经营许可 as required (奈曼旗's catalog lists it for 便利店/超市 with no condition), while the
  // FAQ answer in the same conversation says 「不用。仅销售预包装食品的不需要取得许可…」. In 超市, the user's
  // 「只卖包装好的」 is recorded as food_scope = prepackaged_only and still 食品经营许可 stays required with no
  // explanation. Expected: one consistent answer — either the item depends on food_scope (as 新乡经开区 and
  // 奈曼旗's own 浴场/宾馆/药店 rows do) or the reply explains why the catalog still lists it.
  it('奈曼旗 便利店 selling only prepackaged food is not told both 「要办」 and 「不用办」 食品经营许可', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['我想开个超市', '只卖包装好的', '不卖药', '卖烟', '不是']);
    expect(c.state.answers.food_scope).toBe('prepackaged_only');
    // The catalog lists the licence for 超市 without a note, so it stays listed (faithful to the document),
    // and the reply explains what the law says about selling only pre-packaged food.
    expect(statuses(c.state)['食品经营许可']).toBe('required');
    await c.say('要办哪些证');
    expect(c.reply).toContain('仅销售预包装食品的只需向市场监管部门备案');
  });

  // Input (新乡经开区 劳务派遣公司, field 注册资本 in 万元): 「300万元」. Actual: stored as 3000000 and shown as
  // 「注册资本：3000000万元」 (the numeral parser multiplies by 万, then the field's unit is 万元 again).
  // 「100万」 is likewise accepted as 1000000万元 although the minimum is 200万元. Expected: 300 (万元), and
  // 「100万」 refused with 「注册资本不能小于200万元」.
  it('「300万元」 in a 万元 field is 300, and 「100万」 is below the minimum', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await script(c, ['我要开劳务派遣公司', '填表', '众力劳务', '企业', '91110000802100433B', '李四', '11010519491231002X', '李四', '13912345678', '新乡经开区纬七路8号', '200平', '12人']);
    expect(c.state.pendingField?.id).toBe('registered_capital');
    await c.say('100万');
    expect(c.reply).toContain('注册资本不能小于200万元');
    await c.say('300万元');
    await c.say('5');
    await c.say('到窗口领取');
    expect(c.reply).toContain('注册资本：300万元');
  });

  // Input (新乡经开区 超市, 仅销售预包装食品, no large ad): 「填表」. Actual: 「共10项（合并前各事项共需填写9项）」 —
  // the merged form has MORE fields than before merging (common fields such as 从业人员数 are asked though
  // the only item, 食品经营备案, does not list them). An applicant reads this as the merge making it worse.
  // Expected: after ≤ before (ask only the common fields some item needs, or count them the same way).
  it('the merged form never claims more fields than before merging', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await script(c, ['开个超市', '第二个', '不', '填表']);
    expect(c.reply).toMatch(/共\d+项/);
    // The count before merging is shown only when merging saved something.
    const m = /共(\d+)项（合并前各事项共需填写(\d+)项）/.exec(c.reply);
    if (m) expect(Number(m[1])).toBeLessThan(Number(m[2]));
  });

  // Input (any form, field 主体名称): 「😀😀😀」 or 「<script>alert(1)</script>」. Actual: accepted as the
  // entity name, shown in the summary and submitted. Expected: refused (a name needs letters or Chinese
  // characters; markup is not a name), the field asked again.
  it('主体名称 refuses emoji-only and markup', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开美容美发店', '填表']);
    await c.h.say('😀😀😀');
    const r = await c.h.say('<script>alert(1)</script>');
    expect(r.state.pendingField?.id).toBe('entity_name');
  });

  // Found by the lead's own scripted runs.
  it('「要排污水到市政管网吗？不知道」 is 不确定, not yes', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await script(c, ['我想开个饭店', '是个体户，小店', '要排污水到市政管网吗？不知道']);
    expect(c.state.answers.discharges_sewage).toBe('unsure');
  });

  it('a bare 「否」 to a choice picks the option that says there is none', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开个宾馆', '提供早餐', '是', '有', '没有', '没有', '否']);
    expect(c.state.answers.boiler).toBe('none');
    expect(c.state.stage).toBe('guided');
  });

  it('a trade outside every catalog is said to be so before any region is asked', async () => {
    const c = chat();
    await c.say('开个网吧');
    expect(c.reply).toContain('「网吧」不在目前可办理地区');
    expect(c.reply).not.toContain('请问您在哪个地区');
  });

  it('the notice names the one window once', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await script(c, ['开个书店', '否', '告知单']);
    expect(c.reply).not.toContain('（一窗受理）（一窗受理）');
  });

  // Found by the applicant QA pass: only real answers count; other facts go to their own questions.
  it('a question back or a remark about something else is not taken as 「是」', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await script(c, ['开个甜品店', '是个体户']);
    expect(c.state.pendingQuestion?.id).toBe('discharges_sewage');
    await c.say('要多久');
    expect(c.state.answers.discharges_sewage).toBeUndefined();
    expect(c.reply).toContain('回到刚才的问题');
    await c.say('卖点保健品');
    expect(c.state.answers.discharges_sewage).toBeUndefined();
  });

  it('「是公司」 to the 个体工商户 question is not a yes', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('开个甜品店');
    await c.say('是公司');
    expect(c.state.answers.small_individual).not.toBe(true);
  });

  it('a correction of an earlier answer moves the permit and says so', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开个健身房', '有']);
    expect(c.state.answers.high_risk_sport).toBe(true);
    await c.say('没有游泳池');
    expect(c.state.answers.high_risk_sport).toBe(false);
    expect(c.reply).toContain('已更正');
    await script(c, ['否']);
    expect(statuses(c.state)['经营高危险性体育项目许可']).toBe('not_needed');
    await c.say('其实我们不卖药，也不是公众聚集场所');
    expect(c.state.answers.public_gathering).toBe(false);
  });

  it('「不对，我是开药店」 mid-questions changes the trade, and a new trade asks its questions afresh', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('新乡经开区开饭店');
    await c.say('不对，我是开药店');
    expect(c.state.industry?.id).toBe('pharmacy');
    expect(c.state.answers.small_individual).toBeUndefined();
  });

  it('「许可证」 is the licence command, and a validity question is answered from the item’s data', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['我想开个小卖部，也卖烟，不卖药']);
    await c.say('许可证');
    expect(c.reply).toContain('还没有颁发');
    await c.say('食品经营许可证有效期几年');
    expect(c.reply).toContain('有效期5年');
  });

  it('a fact about a permit the region’s catalog lacks is said, not silently dropped', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('开便利店，卖烟');
    expect(c.reply).toContain('烟草专卖零售许可证核发');
    expect(c.reply).toContain('不在新乡经开区');
  });

  it('「其实不是奈曼，是新乡经开区」 switches the region; an English region name in a sentence is found', async () => {
    const c = chat();
    await c.say('我在奈曼开饭店');
    expect(c.state.region?.id).toBe('naiman');
    await c.say('哦 其实不是奈曼 是新乡经开区');
    expect(c.state.region?.id).toBe('xinxiang');
    const e = chat({ userId: 'english' });
    await e.say('I want to open a hotel in Naiman');
    expect(e.state.region?.id).toBe('naiman');
    expect(e.state.industry?.id).toBe('hotel');
  });

  it('the form refuses a number as a name, an address without a number, and an address typed as the area', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开美容美发店', '填表', '丽人美发', '个体工商户', '92150525MA00000013', '李四', '11010519491231002X']);
    expect(c.state.pendingField?.id).toBe('contact_name');
    await c.say('1581234567');
    expect(c.state.pendingField?.id).toBe('contact_name');
    await script(c, ['李四', '13912345678']);
    await c.say('内蒙古通辽市奈曼旗');
    expect(c.state.pendingField?.id).toBe('business_address');
    await c.say('奈曼旗团结路8号');
    const numeric = c.state.pendingField?.id;
    expect(['business_area', 'employee_count']).toContain(numeric);
    await c.say('团结路100号');
    expect(c.state.pendingField?.id).toBe(numeric);
  });
});

