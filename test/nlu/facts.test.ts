import { describe, expect, it } from 'vitest';
import { understand } from './context.ts';

describe('scenario answers', () => {
  it('reads the brief examples', () => {
    const a = understand('我想在大沁他拉开个小卖部，也卖烟');
    expect(a.region).toBe('naiman');
    expect(a.industry?.id).toBe('convenience_store');
    expect(a.answers).toEqual({ sells_tobacco: true });

    const b = understand('想开个八百平的超市，只卖包装好的零食', 'xinxiang');
    expect(b.industry?.id).toBe('supermarket');
    expect(b.fields).toEqual({ business_area: 800 });
    expect(b.answers).toEqual({ food_scope: 'prepackaged_only' });
  });

  it('handles negation within a short window of the same clause', () => {
    expect(understand('不卖烟').answers.sells_tobacco).toBe(false);
    expect(understand('我们没有打算卖烟').answers.sells_tobacco).toBe(false);
    expect(understand('不卖烟也不卖药').answers).toEqual({ sells_tobacco: false, sells_medicine: false });
    expect(understand('便利店不卖药，但是卖烟').answers).toEqual({ sells_medicine: false, sells_tobacco: true });
    expect(understand('别的都不卖，只卖烟').answers.sells_tobacco).toBe(true);
    expect(understand('烟就不卖了').answers.sells_tobacco).toBe(false);
    expect(understand('饭店不打算挂广告牌', 'xinxiang').answers.large_outdoor_ad).toBe(false);
    expect(understand('健身房没有泳池也没有攀岩墙').answers.high_risk_sport).toBe(false);
  });

  it('a fact asked about (「超市卖烟吗」) or put for confirmation (「不是公众聚集场所吧」) is not stated', () => {
    expect(understand('超市卖烟吗？不卖药').answers).toEqual({ sells_medicine: false });
    expect(understand('开便利店，卖烟吗').answers).toEqual({});
    expect(understand('奈曼旗超市 卖烟 不卖药 面积不大就五十平 不是公众聚集场所吧').answers).toEqual({ sells_tobacco: true, sells_medicine: false });
    expect(understand('我这不算公众聚集场所吧').answers).toEqual({});
    expect(understand('开便利店，卖烟的').answers.sells_tobacco).toBe(true);
    expect(understand('卖烟，要办烟草证吗').answers.sells_tobacco).toBe(true);
  });

  it('a region said not to be the one does not count (「店在奈曼旗，不在新乡」)', () => {
    expect(understand('哎呀说错了，店在奈曼旗，不在新乡', 'xinxiang').region).toBe('naiman');
    expect(understand('不是新乡，是奈曼旗', 'xinxiang').region).toBe('naiman');
    expect(understand('其实不是奈曼，是新乡经开区').region).toBe('xinxiang');
  });

  it('does not read words that merely contain a negation character as negation', () => {
    expect(understand('人不多也卖烟').answers.sells_tobacco).toBe(true);
    expect(understand('只卖非处方药').answers.sells_medicine).toBe(true);
    expect(understand('面积不大五十平左右').fields.business_area).toBe(50);
  });

  it('gives no answer to a question or a supposition', () => {
    expect(understand('超市卖不卖烟还没想好').answers.sells_tobacco).toBeUndefined();
    expect(understand('如果卖烟的话还要办什么').answers.sells_tobacco).toBeUndefined();
    expect(understand('酒楼要不要办排水许可', 'xinxiang').answers.discharges_sewage).toBeUndefined();
  });

  it('chooses the food scope by precedence and negation', () => {
    expect(understand('开个24小时便利店，不卖散装食品，只卖预包装的').answers.food_scope).toBe('prepackaged_only');
    expect(understand('便利店有关东煮和现煮咖啡').answers.food_scope).toBe('other');
    expect(understand('母婴店不卖吃的，只卖衣服和玩具').answers.food_scope).toBe('none');
    expect(understand('饭店会放几张桌子，做堂食').answers.food_scope).toBe('other');
  });

  it('needs more than 小 to call a business small, and ignores 小店 in a place name', () => {
    expect(understand('开个小卖部').answers.small_individual).toBeUndefined();
    expect(understand('小卖铺，个体户，就我一个人').answers.small_individual).toBe(true);
    expect(understand('想开个发廊，夫妻店').answers.small_individual).toBe(true);
    expect(understand('我们是有限公司').answers.small_individual).toBe(false);
    expect(understand('在新乡经开区的小店镇', 'xinxiang').answers.small_individual).toBeUndefined();
  });

  it('decides the boiler by fuel and stated capacity', () => {
    expect(understand('宾馆用燃煤锅炉').answers.boiler).toBe('coal_oil_other');
    expect(understand('燃气锅炉0.5吨').answers.boiler).toBe('gas_small');
    expect(understand('燃气锅炉，两蒸吨').answers.boiler).toBe('gas_large');
    expect(understand('用燃气锅炉').answers.boiler).toBeUndefined();
    expect(understand('店里没有锅炉').answers.boiler).toBe('none');
  });

  it('reads the remaining questions', () => {
    expect(understand('浴场有游泳池').answers.high_risk_sport).toBe(true);
    expect(understand('洗浴中心带住宿，可以过夜', 'xinxiang').answers.provides_lodging).toBe(true);
    expect(understand('洗浴中心不设客房，不能过夜', 'xinxiang').answers.provides_lodging).toBe(false);
    expect(understand('书店也在网上卖书').answers.online_publication).toBe(true);
    expect(understand('书屋不在网上卖').answers.online_publication).toBe(false);
    expect(understand('宾馆在水源保护区附近').answers.eia_sensitive_area).toBe(true);
    expect(understand('宾馆不在环境敏感区').answers.eia_sensitive_area).toBe(false);
    expect(understand('饭店后厨的废水会排进下水道').answers.discharges_sewage).toBe(true);
    expect(understand('超市属于人员密集场所').answers.public_gathering).toBe(true);
    expect(understand('酒店顶楼要装霓虹灯大招牌', 'xinxiang').answers.large_outdoor_ad).toBe(true);
  });

  it('extracts questions only for the industries they concern', () => {
    // A hotel obviously lodges guests; the lodging question is about 洗浴中心.
    expect(understand('开个宾馆，二十间客房').answers.provides_lodging).toBeUndefined();
  });

  it('fills the entity type and quantities', () => {
    const u = understand('我想开个饭庄，个体工商户，四个伙计，一百五十平', 'xinxiang');
    expect(u.fields).toEqual({ entity_type: 'individual', employee_count: 4, business_area: 150 });
  });
});
