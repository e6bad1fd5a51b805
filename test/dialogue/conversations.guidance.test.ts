/**
 * Conversations that find the region, the trade and the answers to the scenario questions, and end
 * with the permits, their departments and why each is needed or not.
 */
import { describe, expect, it } from 'vitest';
import { chat, department, script, statuses } from './script.ts';

describe('guidance conversations — 奈曼旗', () => {
  it('「我想在大沁他拉开个小卖部，也卖烟」: place, trade and tobacco from one sentence; tobacco is not asked again', async () => {
    const c = chat();
    await c.say('我想在大沁他拉开个小卖部，也卖烟');
    expect(c.state.region?.id).toBe('naiman');
    expect(c.state.industry?.id).toBe('convenience_store');
    expect(c.state.answers).toEqual({ sells_tobacco: true });
    expect(c.state.stage).toBe('questions');
    expect(c.state.pendingQuestion?.id).toBe('sells_medicine');
    expect(c.reply).not.toContain('烟草制品');
    expect(statuses(c.state)['烟草专卖零售许可证核发']).toBe('required');

    await c.say('不卖');
    expect(c.state.stage).toBe('guided');
    expect(c.state.pendingQuestion).toBeNull();
    expect(c.state.answers).toEqual({ sells_tobacco: true, sells_medicine: false });
    expect(statuses(c.state)).toEqual({
      食品经营许可: 'required',
      公共场所卫生许可: 'required',
      药品零售企业许可: 'not_needed',
      烟草专卖零售许可证核发: 'required',
    });
    expect(department(c.state, '烟草专卖零售许可证核发')).toBe('烟草专卖局');
    expect(department(c.state, '食品经营许可')).toBe('政数局');
    expect(c.reply).toContain('【奈曼旗 · 便利店】');
    expect(c.reply).toContain('需要办理的事项（3项）');
    expect(c.reply).toContain('您的店里销售烟草制品，需要办理烟草专卖零售许可证');
    expect(c.reply).toContain('您的店里不卖药品，不需要办理药品零售企业许可');
    expect(c.reply).toContain('告知单');
  });

  it('超市: a fact given out of turn is kept, then 不卖药 / 卖烟 / 不是 settle every item', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('我想开个超市');
    expect(c.state.pendingQuestion?.id).toBe('sells_medicine');
    // Answers another question than the one asked: remembered, and the pending question is asked again.
    await c.say('只卖包装好的');
    expect(c.state.answers.food_scope).toBe('prepackaged_only');
    expect(c.state.pendingQuestion?.id).toBe('sells_medicine');
    await c.say('不卖药');
    expect(c.state.pendingQuestion?.id).toBe('sells_tobacco');
    await c.say('卖烟');
    expect(c.state.pendingQuestion?.id).toBe('public_gathering');
    expect(c.reply).toContain('公众聚集场所');
    await c.say('不是');
    expect(c.state.stage).toBe('guided');
    expect(c.state.answers).toMatchObject({ sells_medicine: false, sells_tobacco: true, public_gathering: false });
    expect(statuses(c.state)).toMatchObject({
      药品零售企业许可: 'not_needed',
      烟草专卖零售许可证核发: 'required',
      '公众聚集场所投入使用、营业前消防安全检查': 'not_needed',
    });
    expect(department(c.state, '公众聚集场所投入使用、营业前消防安全检查')).toBe('消防大队');
    expect(c.reply).toContain('您的经营场所不属于公众聚集场所，不需要办理这项消防安全检查');
  });

  it('宾馆: a choice answered by number (「3」), six questions, and a coal boiler makes the EIA required', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('我要开宾馆');
    expect(c.state.industry?.id).toBe('hotel');
    expect(c.state.pendingQuestion?.id).toBe('food_scope');
    expect(c.state.pendingQuestion?.options?.map((o) => o.id)).toEqual(['none', 'prepackaged_only', 'other']);
    await c.say('3');
    expect(c.state.answers.food_scope).toBe('other');
    await script(c, ['是', '会']);
    expect(c.state.answers).toMatchObject({ public_gathering: true, discharges_sewage: true });
    await c.say('没有');
    expect(c.state.answers.high_risk_sport).toBe(false);
    expect(c.state.pendingQuestion?.id).toBe('eia_sensitive_area');
    await c.say('不涉及');
    expect(c.state.pendingQuestion?.id).toBe('boiler');
    await c.say('烧煤');
    expect(c.state.answers.boiler).toBe('coal_oil_other');
    expect(c.state.stage).toBe('guided');
    const s = statuses(c.state);
    expect(s['特种行业经营许可（旅馆业）']).toBe('required');
    expect(s['食品经营许可']).toBe('required');
    expect(s['排水许可证']).toBe('required');
    expect(s['经营高危险性体育项目许可']).toBe('not_needed');
    expect(s['环境影响报告表审批']).toBe('required');
    expect(department(c.state, '环境影响报告表审批')).toBe('生态环境局');
    expect(department(c.state, '特种行业经营许可（旅馆业）')).toBe('公安局');
    expect(c.reply).toContain('环境影响报告表');
  });

  it('健身房: 「有游泳池」 answers the high-risk-sport question; 「是」 the public-gathering one', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('开健身房');
    expect(c.state.pendingQuestion?.id).toBe('high_risk_sport');
    expect(c.reply).toContain('游泳');
    await c.say('有游泳池');
    expect(c.state.answers.high_risk_sport).toBe(true);
    expect(c.state.pendingQuestion?.id).toBe('public_gathering');
    await c.say('是');
    expect(c.state.stage).toBe('guided');
    expect(statuses(c.state)).toEqual({
      公共场所卫生许可: 'required',
      经营高危险性体育项目许可: 'required',
      '公众聚集场所投入使用、营业前消防安全检查': 'required',
    });
    expect(c.reply).toContain('需要办理的事项（3项）');
  });

  it('a typo is confirmed before it counts: 「我想开个便利点」 → 「是的」', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('我想开个便利点');
    expect(c.state.stage).toBe('confirm_industry');
    expect(c.state.industry).toBeNull();
    expect(c.reply).toContain('您是想开「便利店」吗');
    await c.say('是的');
    expect(c.state.industry?.id).toBe('convenience_store');
    expect(c.state.stage).toBe('questions');
    expect(c.state.pendingQuestion?.id).toBe('sells_medicine');
  });

  it('a fallback guess can be declined: 奶茶店 is not in 奈曼旗\'s catalog; 「不是」, then 「开个酒巴」 → 「对」', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('开奶茶店');
    expect(c.state.stage).toBe('confirm_industry');
    expect(c.reply).toContain('现制现售食品');
    await c.say('不是');
    expect(c.state.stage).toBe('industry');
    expect(c.state.industry).toBeNull();
    expect(c.reply).toContain('请问您想开什么店');
    await c.say('开个酒巴');
    expect(c.state.stage).toBe('confirm_industry');
    expect(c.reply).toContain('「酒吧」');
    await c.say('对');
    expect(c.state.industry?.id).toBe('bar');
    expect(c.state.pendingQuestion?.id).toBe('public_gathering');
  });

  it('the trade before the region: 「我想开个书店」 asks where, then continues with the bookstore\'s questions', async () => {
    const c = chat();
    await c.say('我想开个书店');
    expect(c.state.stage).toBe('region');
    expect(c.state.region).toBeNull();
    expect(c.reply).toContain('奈曼旗');
    expect(c.reply).toContain('新乡经开区');
    await c.say('奈曼旗');
    expect(c.state.region?.id).toBe('naiman');
    expect(c.state.industry?.id).toBe('bookstore');
    expect(c.state.pendingQuestion?.id).toBe('online_publication');
    await c.say('不');
    expect(c.state.pendingQuestion?.id).toBe('food_scope');
    await c.say('不经营食品');
    expect(c.state.stage).toBe('guided');
    expect(statuses(c.state)).toEqual({
      出版物零售单位设立审批: 'required',
      公共卫生场所许可: 'required',
      出版物网上发行备案: 'not_needed',
      食品经营许可: 'not_needed',
    });
    expect(c.reply).toContain('您只在实体店销售出版物，不需要办理网上发行备案');
  });
});

describe('guidance conversations — 新乡经开区', () => {
  it('饭店: 「是的」 / 「有」 / 「没有户外招牌」 — 小经营店登记 replaces the licence', async () => {
    const c = chat();
    await c.say('我想在新乡经开区开个饭店');
    expect(c.state.region?.id).toBe('xinxiang');
    expect(c.state.industry?.id).toBe('restaurant');
    expect(c.state.pendingQuestion?.id).toBe('small_individual');
    expect(c.reply).toContain('个体工商户');
    await c.say('是的');
    expect(c.state.pendingQuestion?.id).toBe('discharges_sewage');
    await c.say('有');
    expect(c.state.pendingQuestion?.id).toBe('large_outdoor_ad');
    await c.say('没有户外招牌');
    expect(c.state.stage).toBe('guided');
    expect(c.state.answers).toEqual({ small_individual: true, discharges_sewage: true, large_outdoor_ad: false });
    expect(statuses(c.state)).toEqual({
      食品经营许可: 'not_needed',
      食品小经营店登记: 'required',
      城镇污水排入排水管网许可: 'required',
      '设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批': 'not_needed',
    });
    expect(department(c.state, '食品小经营店登记')).toBe('市场监管分局');
    expect(department(c.state, '城镇污水排入排水管网许可')).toBe('住房和城乡建设局');
    expect(c.reply).toContain('【新乡经开区 · 饭店】');
    expect(c.reply).toContain('代替食品经营许可');
    expect(c.reply).toContain('非大型的户外广告按规定自主申报即可');
  });

  it('超市: 「第二个」 picks 仅销售预包装食品; 上一步 reopens the last question and a new answer changes the outcome', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('开超市');
    expect(c.state.pendingQuestion?.id).toBe('food_scope');
    // The choices are offered once, as buttons (channels without buttons number them).
    expect(c.last.replies.at(-1)?.options?.[1]?.label).toBe('仅销售预包装食品');
    expect(c.reply).not.toContain('2. 仅销售预包装食品');
    await c.say('第二个');
    expect(c.state.answers.food_scope).toBe('prepackaged_only');
    expect(c.state.pendingQuestion?.id).toBe('large_outdoor_ad');
    await c.say('不');
    expect(c.state.stage).toBe('guided');
    expect(statuses(c.state)['食品经营备案（仅销售预包装食品）']).toBe('required');
    expect(statuses(c.state)['食品经营许可']).toBe('not_needed');
    expect(statuses(c.state)['设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批']).toBe('not_needed');

    await c.say('上一步');
    expect(c.state.stage).toBe('questions');
    expect(c.state.pendingQuestion?.id).toBe('large_outdoor_ad');
    expect(c.state.answers).toEqual({ food_scope: 'prepackaged_only' });
    expect(c.reply).toContain('返回上一个问题');
    await c.say('要设大型广告牌');
    expect(c.state.stage).toBe('guided');
    expect(c.state.answers.large_outdoor_ad).toBe(true);
    expect(statuses(c.state)['设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批']).toBe('required');
    expect(department(c.state, '设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批')).toBe('综合行政执法局');
  });

  it('奶茶店: 「不确定」 marks an item 待确认 and the conversation goes on', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('我想开家奶茶店');
    expect(c.state.industry?.id).toBe('milk_tea');
    expect(c.state.pendingQuestion?.id).toBe('small_individual');
    await c.say('不确定');
    expect(c.state.answers.small_individual).toBe('unsure');
    expect(c.reply).toContain('待确认');
    expect(c.state.pendingQuestion?.id).toBe('discharges_sewage');
    await c.say('会');
    await c.say('不会');
    expect(c.state.stage).toBe('guided');
    const s = statuses(c.state);
    expect(s['食品小经营店登记']).toBe('undecided');
    expect(s['食品经营许可']).toBe('undecided');
    expect(s['城镇污水排入排水管网许可']).toBe('required');
    expect(c.reply).toContain('待确认');
  });

  it('「不对，我是开药店」 changes the trade mid-way; the pharmacy\'s own questions follow', async () => {
    const c = chat();
    await c.say('新乡经开区开个超市');
    expect(c.state.industry?.id).toBe('supermarket');
    await c.say('不对，我是开药店');
    expect(c.state.industry?.id).toBe('pharmacy');
    expect(c.state.stage).toBe('questions');
    expect(c.state.pendingQuestion?.id).toBe('food_scope');
    await c.say('只卖保健品');
    expect(c.state.answers.food_scope).toBe('prepackaged_only');
    await c.say('没有');
    expect(c.state.stage).toBe('guided');
    expect(statuses(c.state)).toEqual({
      药品零售企业许可: 'required',
      食品经营许可: 'not_needed',
      '食品经营备案（仅销售预包装食品）': 'required',
      '设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批': 'not_needed',
    });
    expect(c.reply).toContain('【新乡经开区 · 药店】');
  });

  it('the region picked by the channel (web selector); a fact given early (过夜) is not asked again', async () => {
    const c = chat();
    await c.say('开个洗浴中心', '新乡经开区');
    expect(c.state.region?.id).toBe('xinxiang');
    expect(c.state.industry?.id).toBe('bathhouse');
    expect(c.state.pendingQuestion?.id).toBe('discharges_sewage');
    await c.say('晚上可以过夜');
    expect(c.state.answers.provides_lodging).toBe(true);
    expect(c.state.pendingQuestion?.id).toBe('discharges_sewage');
    await c.say('会');
    expect(c.state.pendingQuestion?.id).toBe('food_scope');
    await c.say('不经营食品');
    expect(c.state.pendingQuestion?.id).toBe('large_outdoor_ad');
    await c.say('不要');
    expect(c.state.stage).toBe('guided');
    expect(statuses(c.state)).toMatchObject({
      旅馆业特种行业许可证核发: 'required',
      城镇污水排入排水管网许可: 'required',
      食品经营许可: 'not_needed',
      '食品经营备案（仅销售预包装食品）': 'not_needed',
    });
    expect(department(c.state, '旅馆业特种行业许可证核发')).toBe('市公安局经开分局');
    expect(c.reply).toContain('旅馆业治安管理办法');
  });

  it('劳务派遣公司 has no questions: the permits come at once, and 「要办哪些证」 repeats them', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('我要开劳务派遣公司');
    expect(c.state.stage).toBe('guided');
    expect(c.state.pendingQuestion).toBeNull();
    expect(statuses(c.state)).toEqual({ 劳务派遣经营许可: 'required', 劳动用工备案: 'required', 人力资源服务许可审批: 'required' });
    expect(c.state.permits.every((p) => p.department === '组织和社会保障局')).toBe(true);
    await c.say('要办哪些证');
    expect(c.last.replies[0]?.kind).toBe('permits');
    expect(c.reply).toContain('需要办理的事项（3项）');
    expect(c.state.stage).toBe('guided');
  });

  it('a trade outside the catalog (网吧) gets an honest answer with the hotline; the chosen trade stays', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await c.say('开个书店');
    await c.say('不设');
    const before = c.state;
    await c.say('开个网吧');
    expect(c.reply).toContain('「网吧」不在新乡经开区“一业一证”改革行业目录中');
    expect(c.reply).toContain('12345');
    expect(c.state).toEqual(before);
  });
});

describe('guidance conversations — changing the region', () => {
  it('「换个地区」 clears the trade; the new region\'s catalog applies', async () => {
    const c = chat();
    await c.say('新乡经开区开奶茶店');
    expect(c.state.industry?.id).toBe('milk_tea');
    await c.say('换个地区');
    expect(c.state.stage).toBe('region');
    expect(c.state.region).toBeNull();
    expect(c.state.industry).toBeNull();
    expect(c.state.permits).toEqual([]);
    expect(c.reply).toContain('请问您在哪个地区开店');
    await c.say('奈曼旗');
    expect(c.state.region?.id).toBe('naiman');
    expect(c.state.stage).toBe('industry');
    expect(c.reply).toContain('便利店、超市、饭店、小餐饮');
    await c.say('开个美容美发店');
    expect(c.state.industry?.id).toBe('beauty_salon');
    expect(c.state.stage).toBe('guided');
    expect(statuses(c.state)).toEqual({ 公共场所卫生许可: 'required' });
  });

  it('naming the other region mid-way switches it and keeps a trade both regions have', async () => {
    const c = chat();
    await c.say('我想在奈曼旗开个饭店');
    expect(c.state.pendingQuestion?.id).toBe('public_gathering');
    await c.say('我其实在新乡经开区');
    expect(c.reply).toContain('已为您切换到新乡经开区');
    expect(c.state.region?.id).toBe('xinxiang');
    expect(c.state.industry?.id).toBe('restaurant');
    expect(c.state.permits.map((p) => p.department)).toContain('市场监管分局');
    expect(c.state.permits.map((p) => p.department)).not.toContain('消防大队');
  });
});
