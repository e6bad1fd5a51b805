/**
 * A fixed context for the NLU tests: the industries of the two seed catalogs, so these tests do not
 * depend on the region files (other tests cover those).
 */
import { createOfflineUnderstander, loadLexicon, type UnderstandContext, type Understanding } from '../../src/nlu/index.ts';

const XINXIANG: [string, string][] = [
  ['restaurant', '饭店'], ['supermarket', '超市'], ['convenience_store', '便利店'], ['milk_tea', '奶茶店'],
  ['dessert', '甜品店'], ['labour_dispatch', '劳务派遣公司'], ['bookstore', '书店'], ['pharmacy', '药店'],
  ['bathhouse', '洗浴中心'], ['hotel', '宾馆、酒店'], ['bar', '酒吧'],
];
const NAIMAN: [string, string][] = [
  ['convenience_store', '便利店'], ['supermarket', '超市'], ['restaurant', '饭店'], ['small_eatery', '小餐饮'],
  ['fresh_food', '现制现售食品'], ['bakery', '烘焙房/面包房'], ['cafe_teahouse', '咖啡馆/茶馆'], ['bar', '酒吧'],
  ['bathhouse', '浴场'], ['gym', '健身房'], ['beauty_salon', '美容美发店'], ['hotel', '宾馆'],
  ['pharmacy', '药店'], ['maternity_store', '母婴用品店'], ['bookstore', '书店'],
];
const REGIONS: UnderstandContext['regions'] = [
  { id: 'xinxiang', name: '新乡经开区', aliases: ['新乡经济技术开发区'], places: ['小店镇'] },
  { id: 'naiman', name: '奈曼旗', aliases: [], places: ['大沁他拉镇', '六号农场', '治安镇'] },
];

export function contextFor(region: 'xinxiang' | 'naiman'): UnderstandContext {
  const table = region === 'xinxiang' ? XINXIANG : NAIMAN;
  return { regionId: region, industries: table.map(([id, name]) => ({ id, name })), regions: REGIONS };
}

const understander = createOfflineUnderstander(loadLexicon());

export function understand(text: string, region: 'xinxiang' | 'naiman' = 'naiman'): Understanding {
  const result = understander.understand(text, contextFor(region));
  if (result instanceof Promise) throw new Error('the offline understander is synchronous');
  return result;
}
