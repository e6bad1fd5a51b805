/**
 * Issue 13: "A county adds itself from one file". A third region, written only from a real published guide
 * (湖北政务服务网 “一业一证” 规范文档 《咖啡店/茶馆/奶茶店行业综合许可》, data/examples/hubei.yaml, not the two
 * seeds), is loaded through CATALOG_DIR beside the built-in regions; whole conversations through
 * POST /api/chat, typed as an applicant who never read the code would type them, find its trade by its
 * everyday names, ask its threshold questions and give its permits, their department and its notice.
 *
 * Independent of the lexicon: the industry id (`coffee_tea_milk_tea`) is no concept of
 * data/lexicon/industries.yaml and the file names no `concept`, so every trade word that finds it comes
 * from the region file itself (name, aliases, colloquial, activities).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yiye } from '../cliHarness.ts';
import { chat, startServer, type RunningServer } from '../server/serverProcess.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLES = path.join(ROOT, 'data/examples');
const FILE = path.join(EXAMPLES, 'hubei.yaml');

const INDUSTRY = { id: 'coffee_tea_milk_tea', name: '咖啡店/茶馆/奶茶店' };
const FOOD = '食品经营许可新办';
const TOBACCO = '烟草专卖零售许可证核发(新办)';
const FIRE = '公众聚集场所投入使用、营业前消防安全检查';
const DEPARTMENT = '行政审批局';

interface Permit {
  name: string;
  department?: string;
  status: 'required' | 'undecided' | 'not_needed';
}
interface Reply {
  text: string;
  sources?: { title: string; ref: string; quote: string }[];
}
interface Turn {
  replies: Reply[];
  state: {
    region: { id: string; name: string } | null;
    industry: { id: string; name: string } | null;
    permits: Permit[];
    pendingQuestion: { id: string; type: string } | null;
    answers: Record<string, unknown>;
    stage: string;
  };
}

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ CATALOG_DIR: EXAMPLES });
});
afterAll(async () => {
  await server?.stop();
});

async function say(userId: string, text: string, region?: string): Promise<Turn> {
  const r = await chat(server.url, { userId, text, ...(region ? { region } : {}) });
  expect(r.status, `${text}: ${JSON.stringify(r.json).slice(0, 300)}`).toBe(200);
  return r.json as Turn;
}
const textOf = (t: Turn) => t.replies.map((r) => r.text).join('\n');
const statusOf = (t: Turn) => Object.fromEntries(t.state.permits.map((p) => [p.name, p.status]));

describe('a third region from one file (湖北政务服务网 规范文档), through CATALOG_DIR', () => {
  it('lints clean: no errors', async () => {
    const r = await yiye(['catalog', 'lint', FILE]);
    expect(r.stdout + r.stderr).toMatch(/0 error\(s\)/);
    expect(r.code).toBe(0);
  });

  it('is loaded beside the two built-in regions, its catalog in the guide’s own words', async () => {
    const r = await yiye(['catalog', '--region', '湖北省', '--json'], { CATALOG_DIR: EXAMPLES });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.id).toBe('hubei');
    expect(out.industries.map((i: { name: string }) => i.name)).toEqual([INDUSTRY.name]);
    expect(out.industries[0].items.map((i: { name: string; department: string; note?: string }) => [i.name, i.department, i.note ?? ''])).toEqual([
      [FOOD, DEPARTMENT, ''],
      [TOBACCO, DEPARTMENT, '按需办理'],
      [FIRE, DEPARTMENT, '工程投资额超过30万元或者建筑面积超过300平方米的须办理'],
    ]);
    for (const other of ['naiman', 'xinxiang']) expect((await yiye(['catalog', '--region', other, '--json'], { CATALOG_DIR: EXAMPLES })).code).toBe(0);
  });

  it('奶茶店 in 湖北, no tobacco, 「店面大概三百五十平」: the fire check is needed, the investment is not asked, and the notice lists two items at 行政审批局', async () => {
    const u = 'hb-milk-tea';
    let t = await say(u, '你好，我想在湖北开个奶茶店，需要办什么手续');
    expect(t.state.region).toMatchObject({ id: 'hubei', name: '湖北省' });
    expect(t.state.industry).toEqual(INDUSTRY);
    expect(t.state.permits).toEqual([
      expect.objectContaining({ name: FOOD, department: DEPARTMENT, status: 'required' }),
      expect.objectContaining({ name: TOBACCO, department: DEPARTMENT, status: 'undecided' }),
      expect.objectContaining({ name: FIRE, department: DEPARTMENT, status: 'undecided' }),
    ]);
    expect(t.state.pendingQuestion).toMatchObject({ id: 'sells_tobacco', type: 'boolean' });
    expect(textOf(t)).toContain('烟草制品');

    t = await say(u, '烟不卖的');
    expect(t.state.answers).toMatchObject({ sells_tobacco: false });
    expect(statusOf(t)[TOBACCO]).toBe('not_needed');
    expect(t.state.pendingQuestion).toMatchObject({ id: 'building_area', type: 'number' });
    expect(textOf(t)).toContain('建筑面积');

    t = await say(u, '店面大概三百五十平');
    // 大概 makes it about 350 (kept as said); every figure about 350 is over 300.
    expect(t.state.answers).toMatchObject({ building_area: { said: '约350平方米' } });
    expect(t.state.answers).not.toHaveProperty('project_investment');
    expect(statusOf(t)).toEqual({ [FOOD]: 'required', [TOBACCO]: 'not_needed', [FIRE]: 'required' });
    expect(t.state.pendingQuestion).toBeNull();
    expect(textOf(t)).toContain('超过300平方米');

    t = await say(u, '告知单发我看看');
    const notice = textOf(t);
    expect(notice).toContain('一次告知单');
    expect(notice).toContain('湖北省');
    expect(notice).toContain('行政审批局（或者履行政府综合审批职能的机构）');
    expect(notice).toContain(`${FOOD}（${DEPARTMENT}）`);
    expect(notice).toContain(`${FIRE}（${DEPARTMENT}）`);
    expect(notice).not.toContain(`${TOBACCO}（`);
    // The registry's materials of both items, merged.
    expect(notice).toContain('消防安全告知承诺书');
    expect(notice).toContain('食品经营许可申请书');
    // Nothing the guide does not say: no hotline number, no promised reduction, no other region's rule.
    expect(notice).not.toMatch(/咨询电话：\d/);
    expect(notice).not.toContain('压缩');
    expect(notice).not.toContain('经开区');
    expect(notice).not.toContain('奈曼');
  });

  it('咖啡店 with cigarettes, 80 平, 二十万 of works: neither figure is over the threshold, so no fire check; tobacco is needed', async () => {
    const u = 'hb-coffee';
    let t = await say(u, '湖北这边开个咖啡厅要办哪些证', '湖北省');
    expect(t.state.industry).toEqual(INDUSTRY);
    t = await say(u, '会顺便卖点烟');
    expect(statusOf(t)[TOBACCO]).toBe('required');
    t = await say(u, '店不大，八十平左右');
    expect(t.state.answers).toMatchObject({ building_area: { said: '约80平方米' } });
    // 80 平 does not settle it: the other figure of the guide's "or" is asked.
    expect(statusOf(t)[FIRE]).toBe('undecided');
    expect(t.state.pendingQuestion).toMatchObject({ id: 'project_investment', type: 'number' });
    expect(textOf(t)).toContain('万元');
    t = await say(u, '装修大概花二十万');
    // The question's unit is 万元: 二十万 is 20 (万元), not 200000.
    expect(t.state.answers).toMatchObject({ project_investment: 20 });
    expect(statusOf(t)).toEqual({ [FOOD]: 'required', [TOBACCO]: 'required', [FIRE]: 'not_needed' });
  });

  it('超过 does not include the figure: exactly 300 平 and exactly 30 万 need no fire check', async () => {
    const u = 'hb-boundary';
    await say(u, '开茶馆', 'hubei');
    await say(u, '不卖');
    let t = await say(u, '正好三百平方');
    expect(t.state.answers).toMatchObject({ building_area: 300 });
    expect(statusOf(t)[FIRE]).toBe('undecided');
    t = await say(u, '30万');
    expect(t.state.answers).toMatchObject({ project_investment: 30 });
    expect(statusOf(t)[FIRE]).toBe('not_needed');
  });

  it('finds the trade by its everyday names and what it does, from the region file alone', async () => {
    const cases: [string, string][] = [
      ['hb-name-1', '在湖北想开家茶楼'],
      ['hb-name-2', '准备弄个小店卖奶茶'],
      ['hb-name-3', '我打算开个咖啡馆'],
      ['hb-name-4', '开个茶室大概要啥证'],
      ['hb-name-5', '想开饮品店'],
    ];
    for (const [u, text] of cases) {
      let t = await say(u, text, 'hubei');
      // What the shop does (卖奶茶), not its name, is offered to confirm, as in every region.
      if (t.state.stage === 'confirm_industry') {
        expect(textOf(t), text).toContain('咖啡店/茶馆/奶茶店');
        t = await say(u, '对');
      }
      expect(t.state.industry, text).toEqual(INDUSTRY);
      expect(t.state.permits.map((p) => p.name), text).toEqual([FOOD, TOBACCO, FIRE]);
    }
  });

  it('answers questions about a permit and the guide, with the guide as the source', async () => {
    const u = 'hb-questions';
    await say(u, '开个奶茶店', 'hubei');
    let t = await say(u, '我这店面积很小，也要办消防检查吗？');
    let text = textOf(t);
    expect(text).toContain('300平方米');
    expect(text).toContain('30万元');
    expect(t.replies.flatMap((r) => r.sources ?? []).some((s) => (s.title.includes('咖啡店/茶馆/奶茶店') || s.title.includes('湖北政务服务网')))).toBe(true);

    t = await say(u, '路边那种个体小饮品店能办这个综合许可吗');
    text = textOf(t);
    expect(text).toContain('小餐饮');
    expect(text).toContain('不适用');

    t = await say(u, '有没有咨询电话');
    text = textOf(t);
    // The guide names no hotline: the window is named instead, and no local number is made up (the
    // national 12345 line may be offered beside it, as what it is).
    expect(text).toContain('行政审批局');
    expect(text).not.toMatch(/\d{7,}/);
    expect(text).not.toMatch(/专席/);
  });

  // What the first blind round (2026-12-01) typed, after its fixes.
  it('the blind round: a city names the region, every fact of a long first message is kept, 三十万零五千 is 30.5万', async () => {
    let t = await say('hb-blind-1', '老板想在宜昌开个茶楼，三百平出头，投资大概四十来万，顺便也卖点香烟');
    expect(t.state.region?.id).toBe('hubei');
    expect(t.state.industry).toEqual(INDUSTRY);
    expect(statusOf(t)).toEqual({ [FOOD]: 'required', [TOBACCO]: 'required', [FIRE]: 'required' });

    const u = 'hb-blind-2';
    await say(u, '开个奶茶店', 'hubei');
    await say(u, '不卖烟');
    t = await say(u, '两百八十平');
    expect(t.state.pendingQuestion).toMatchObject({ id: 'project_investment' });
    t = await say(u, '三十万零五千');
    expect(t.state.answers).toMatchObject({ project_investment: 30.5 });
    expect(statusOf(t)[FIRE]).toBe('required');
  });

  it('the blind round: a figure for later is not the shop’s, an undecided answer is not a yes, a brand name finds the trade', async () => {
    const u = 'hb-blind-3';
    await say(u, '开个咖啡厅', 'hubei');
    let t = await say(u, '会卖烟吗还没想好');
    expect(t.state.answers.sells_tobacco).not.toBe(true);
    await say(u, '不卖烟');
    t = await say(u, '一百二十平');
    expect(t.state.answers).toMatchObject({ building_area: 120 });
    t = await say(u, '以后扩到三百五十平要办消防吗');
    expect(t.state.answers).toMatchObject({ building_area: 120 });

    // A figure given with a trade offered to confirm is kept through the confirmation (300多 is over 300).
    t = await say('hb-blind-5', '卖奶茶的，店面三百多平，不卖烟', 'hubei');
    if (t.state.stage === 'confirm_industry') t = await say('hb-blind-5', '是的');
    expect(statusOf(t)).toEqual({ [FOOD]: 'required', [TOBACCO]: 'not_needed', [FIRE]: 'required' });

    t = await say('hb-blind-4', '开个蜜雪冰城加盟店', 'hubei');
    expect(t.state.industry).toEqual(INDUSTRY);
    expect(textOf(t)).not.toContain('不在');
  });

  // The second blind round (hotline, staff and web chat, 2026-12-01).
  it('the county’s own answer on a permit outranks the registry’s, and a 转人工 names no seat the guide does not', async () => {
    const u = 'hb-blind-6';
    await say(u, '开个茶楼', 'hubei');
    let t = await say(u, '消防检查的门槛是多少');
    expect(textOf(t)).toContain('超过30万元或者建筑面积超过300平方米');
    expect(textOf(t)).not.toContain('国家层面没有找到按面积免办的规定');
    t = await say(u, '转人工');
    expect(textOf(t)).toContain('已为您转接人工坐席');
    expect(textOf(t)).not.toMatch(/坐席（/);
  });
});
