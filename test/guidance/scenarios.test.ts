/**
 * Every combination of answers, for every industry of both regions, through `yiye guide --json`,
 * checked against an oracle written from the documents' notes and the law independently of the data's
 * conditions.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.ts';
import type { Industry, Region } from '../../src/catalog/schema.ts';
import { questionsOf, type AnswerValue } from '../../src/guidance/conditions.ts';
import { possibleAnswers } from '../../src/guidance/scenarios.ts';
import { yiyeJson } from '../cliHarness.ts';

type Answers = Record<string, AnswerValue>;
interface GuideOut {
  status: string;
  complete: boolean;
  permits: { permit: string; name: string; department: string; status: string }[];
  nextQuestion: { id: string } | null;
}

const catalog = loadCatalog();
const region = (id: string) => catalog.regions.find((r) => r.id === id) as Region;

function combinations(reg: Region, industry: Industry): Answers[] {
  const ids = [...new Set(industry.items.flatMap((i) => (i.when ? questionsOf(i.when) : [])))];
  let combos: Answers[] = [{}];
  for (const id of ids) {
    const q = reg.questions.find((x) => x.id === id);
    if (!q) throw new Error(`question ${id} missing`);
    combos = combos.flatMap((c) => possibleAnswers(q, industry).map((v) => ({ ...c, [id]: v })));
  }
  return combos;
}

const args = (answers: Answers) => Object.entries(answers).flatMap(([k, v]) => ['--answer', `${k}=${String(v)}`]);

/** 奈曼旗: no note → always; 按需办理 → when the business does the thing the permit is for. */
function naimanExpected(permit: string, note: string, a: Answers): boolean {
  if (note === '') return true;
  const byNeed: Record<string, () => boolean> = {
    drug_retail_licence: () => a.sells_medicine === true,
    tobacco_retail_licence: () => a.sells_tobacco === true,
    fire_safety_inspection: () => a.public_gathering === true,
    high_risk_sports_licence: () => a.high_risk_sport === true,
    drainage_permit: () => a.discharges_sewage === true,
    publication_online_filing: () => a.online_publication === true,
    food_business_licence: () => a.food_scope === 'other',
    // 按要求办理: 建设项目环境影响评价分类管理名录（2021年版） items 97 and 91.
    eia_report_form_approval: () => a.eia_sensitive_area === true || a.boiler === 'gas_large' || a.boiler === 'coal_oil_other',
  };
  const rule = byNeed[permit];
  if (!rule) throw new Error(`no oracle for ${permit} (${note})`);
  return rule();
}

/** 新乡经开区: the food alternatives by scope and size, the sign, the sewage, lodging; the rest always. */
function xinxiangExpected(permit: string, industry: Industry, a: Answers): boolean {
  const hasRegistration = industry.items.some((i) => i.permit === 'food_small_shop_registration');
  const scope = a.food_scope ?? 'other'; // 饭店, 奶茶店, 甜品店, 酒吧 serve food by their nature
  switch (permit) {
    case 'food_business_filing':
      return scope === 'prepackaged_only';
    case 'food_small_shop_registration':
      return scope === 'other' && a.small_individual === true;
    case 'food_business_licence':
      return scope === 'other' && !(hasRegistration && a.small_individual === true);
    case 'outdoor_ad_approval':
      return a.large_outdoor_ad === true;
    case 'drainage_permit':
      return a.discharges_sewage === true;
    case 'hotel_special_trade_licence':
      return industry.id === 'hotel' || a.provides_lodging === true;
    default:
      return true;
  }
}

for (const regionId of ['naiman', 'xinxiang']) {
  describe(`${regionId}: every industry, every combination of answers`, () => {
    const reg = region(regionId);
    for (const industry of reg.industries) {
      it(`${industry.seq}. ${industry.name}`, async () => {
        const combos = combinations(reg, industry);
        for (const answers of combos) {
          const out = await yiyeJson<GuideOut>(['guide', '--region', regionId, '--industry', industry.id, ...args(answers)]);
          expect(out.status).toBe('ok');
          expect(out.permits.map((p) => p.name)).toEqual(industry.items.map((i) => i.name));
          expect(out.complete, JSON.stringify(answers)).toBe(true);
          expect(out.nextQuestion).toBeNull();
          for (const [n, p] of out.permits.entries()) {
            const item = industry.items[n];
            if (!item) throw new Error('item count');
            const expected =
              regionId === 'naiman' ? naimanExpected(p.permit, item.note ?? '', answers) : xinxiangExpected(p.permit, industry, answers);
            expect(p.status, `${p.name} with ${JSON.stringify(answers)}`).toBe(expected ? 'required' : 'not_needed');
            expect(p.department).toBe(item.department);
          }
          // Alternatives never apply together.
          const food = out.permits.filter((p) => p.permit.startsWith('food_') && p.status === 'required');
          if (regionId === 'xinxiang') expect(food.length).toBeLessThanOrEqual(1);
        }
      });
    }
  });
}

describe('asking only what matters', () => {
  it('with no answers, an industry whose items are all unconditional needs no question', async () => {
    const out = await yiyeJson<GuideOut>(['guide', '--region', 'naiman', '--industry', 'beauty_salon']);
    expect(out.complete).toBe(true);
    expect(out.nextQuestion).toBeNull();
    expect(out.permits.map((p) => [p.name, p.status])).toEqual([['公共场所卫生许可', 'required']]);
  });

  it('an undecided item names the question that decides it, and 不确定 leaves it undecided without asking again', async () => {
    const first = await yiyeJson<GuideOut>(['guide', '--region', 'naiman', '--industry', 'convenience_store']);
    expect(first.complete).toBe(false);
    expect(first.nextQuestion?.id).toBe('sells_medicine');
    const unsure = await yiyeJson<GuideOut & { unsureQuestions: string[] }>([
      'guide', '--region', 'naiman', '--industry', 'convenience_store', '--answer', 'sells_medicine=不确定', '--answer', 'sells_tobacco=否',
    ]);
    expect(unsure.nextQuestion).toBeNull();
    expect(unsure.unsureQuestions).toEqual(['sells_medicine']);
    expect(unsure.permits.find((p) => p.permit === 'drug_retail_licence')?.status).toBe('undecided');
  });
});
