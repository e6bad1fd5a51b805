import { describe, expect, it } from 'vitest';
import { understand } from './context.ts';

describe('industry detection', () => {
  it('prefers the longest match and the official name', () => {
    expect(understand('准备盘下一个烟酒店').industry?.id).toBe('convenience_store');
    // 小超市 is a 超市 (two blind authors, writing as clerks, read it so), 小卖部 a 便利店.
    expect(understand('开个小超市').industry?.id).toBe('supermarket');
    expect(understand('开个小卖部').industry?.id).toBe('convenience_store');
    const u = understand('我想开个超市');
    expect(u.industry).toMatchObject({ id: 'supermarket', name: '超市', via: 'name', matched: '超市' });
  });

  it('names the guess with the region’s official wording', () => {
    expect(understand('开个酒店', 'xinxiang').industry?.name).toBe('宾馆、酒店');
    expect(understand('开个洗澡堂', 'naiman').industry?.name).toBe('浴场');
  });

  it('understands colloquial words, English and full-width or traditional text', () => {
    expect(understand('俺想弄个杂货铺').industry?.id).toBe('convenience_store');
    expect(understand('I want to open a convenience store').industry?.id).toBe('convenience_store');
    expect(understand('open a bar near the university').industry?.id).toBe('bar');
    expect(understand('barber shop').industry?.id).toBe('beauty_salon');
    expect(understand('ＫＴＶ', 'xinxiang').outOfCatalog?.concept).toBe('ktv');
    expect(understand('開個藥店').industry?.id).toBe('pharmacy');
  });

  it('catches typos from lists and by one substitution', () => {
    expect(understand('开一家遍历店需要办什么证', 'xinxiang').industry).toMatchObject({ id: 'convenience_store', via: 'typo' });
    expect(understand('超巿营业执照', 'xinxiang').industry?.id).toBe('supermarket');
    expect(understand('奶荼店', 'xinxiang').industry?.id).toBe('milk_tea');
    expect(understand('宾舘', 'xinxiang').industry?.id).toBe('hotel');
    expect(understand('酒巴要办什么证', 'xinxiang').industry?.id).toBe('bar');
    expect(understand('洗欲中心', 'xinxiang').industry).toMatchObject({ id: 'bathhouse', via: 'typo' });
    expect(understand('美容美法店').industry).toMatchObject({ id: 'beauty_salon', via: 'typo' });
  });

  it('does not take ordinary words for typos', () => {
    expect(understand('想开个馒头店').industry?.id).not.toBe('beauty_salon');
    expect(understand('如果卖烟的话还要办什么').outOfCatalog).toBeUndefined();
    expect(understand('交通很便利的地方').industry).toBeNull();
  });

  it('maps a trade the region lacks to its fallback', () => {
    expect(understand('开个面馆', 'naiman').industry?.id).toBe('small_eatery');
    expect(understand('开个面馆', 'xinxiang').industry).toMatchObject({ id: 'restaurant', via: 'fallback' });
    expect(understand('开奶茶店', 'naiman').industry).toMatchObject({ id: 'fresh_food', via: 'fallback' });
    expect(understand('我要开甜品店', 'naiman').industry?.id).toBe('bakery');
  });

  it('reports trades outside the catalog with related industries of the region', () => {
    const u = understand('我想开个网吧', 'xinxiang');
    expect(u.industry).toBeNull();
    expect(u.outOfCatalog).toEqual({ concept: 'internet_cafe', name: '网吧', related: [], cue: 'open' });
    expect(understand('开个加油站').outOfCatalog).toMatchObject({ concept: 'gas_station', name: '加油站', related: ['convenience_store'] });
    const pool = understand('游泳馆');
    expect(pool.outOfCatalog).toMatchObject({ concept: 'swimming_pool', related: ['gym', 'bathhouse'] });
    expect(pool.answers.high_risk_sport).toBe(true);
    expect(understand('想开个健身房', 'xinxiang').outOfCatalog?.concept).toBe('gym');
    expect(understand('想开个健身房', 'naiman').industry?.id).toBe('gym');
  });

  it('reads which trade the person means to open', () => {
    expect(understand('不是饭店，是奶茶店', 'xinxiang').industry?.id).toBe('milk_tea');
    expect(understand('以前开过饭店，现在想改成超市').industry?.id).toBe('supermarket');
    expect(understand('在超市旁边开个药店', 'xinxiang').industry?.id).toBe('pharmacy');
    expect(understand('温泉洗浴，有餐厅，卖烟').industry?.id).toBe('bathhouse');
    expect(understand('书店带咖啡').industry?.id).toBe('bookstore');
    expect(understand('酒店里的酒吧', 'xinxiang').industry?.id).toBe('bar');
    expect(understand('这个月想把小卖部转成超市').industry?.id).toBe('supermarket');
  });

  it('lists every industry the text points at as candidates', () => {
    const u = understand('超市和饭店都想开');
    expect(u.candidates.map((c) => c.id)).toEqual(['supermarket', 'restaurant']);
    for (const c of u.candidates) expect(c.confidence).toBeGreaterThan(0);
  });

  it('returns nothing when no trade is named', () => {
    for (const text of ['你好', '一业一证是什么意思', '我想开个店', '开店需要办什么证', '卖烟，不卖药']) {
      const u = understand(text);
      expect(u.industry, text).toBeNull();
      expect(u.outOfCatalog, text).toBeUndefined();
    }
  });
});

describe('region mention', () => {
  it('recognises a region by name, short name or place', () => {
    expect(understand('在大沁他拉开个小卖部').region).toBe('naiman');
    expect(understand('在大沁他拉镇').region).toBe('naiman');
    expect(understand('奈曼旗政务服务大厅在哪').region).toBe('naiman');
    expect(understand('奈曼开超市').region).toBe('naiman');
    expect(understand('我在六号农场').region).toBe('naiman');
    expect(understand('新乡经开区开饭店的流程', 'xinxiang').region).toBe('xinxiang');
    expect(understand('在新乡', 'xinxiang').region).toBe('xinxiang');
  });

  it('does not take a common word for a place stem', () => {
    expect(understand('治安许可要办吗').region).toBeUndefined();
    expect(understand('我想开个超市').region).toBeUndefined();
  });
});
