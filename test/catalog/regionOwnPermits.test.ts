/**
 * Issue 13: a county file may add what the national registry lacks and word the registry's permits its
 * own way. The fixture (test/fixtures/regions/own-permits.yaml, a fictional county marked 测试用) has its
 * own permit, material and form field, an override of 食品经营许可 (its everyday name and its own time
 * limit), a trade linked to the lexicon's 茶叶店 concept with its own colloquial names, a question with
 * its own answer words, and no hotline, time rule or licence rules. Everything goes through the real
 * entry points: `npm start` with CATALOG_DIR and POST /api/chat, and the `yiye` CLI.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yiye } from '../cliHarness.ts';
import { chat, startServer, type RunningServer } from '../server/serverProcess.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/regions', import.meta.url));
const REGION = 'fixture_county';
const FOOD = '食品经营许可';
const MUSIC = '驻唱演出备案（测试用）';

interface Turn {
  replies: { text: string; sources?: { title: string; ref: string }[] }[];
  state: {
    industry: { id: string } | null;
    answers: Record<string, unknown>;
    permits: { name: string; status: string }[];
    stage: string;
  };
}

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ CATALOG_DIR: FIXTURES });
});
afterAll(async () => {
  await server?.stop();
});

async function say(userId: string, text: string, region?: string): Promise<Turn> {
  const r = await chat(server.url, { userId, text, ...(region ? { region } : {}) });
  expect(r.status, text).toBe(200);
  return r.json as Turn;
}
const textOf = (t: Turn) => t.replies.map((r) => r.text).join('\n');
const statusOf = (t: Turn) => Object.fromEntries(t.state.permits.map((p) => [p.name, p.status]));

describe('a county’s own permits, names and words (CATALOG_DIR, POST /api/chat)', () => {
  it('finds the trade by the lexicon concept it names and by its own colloquial names, and answers its question from its own words', async () => {
    // 茶行 is a word of the lexicon's 茶叶店 concept, which the county's 茶叶零售店 says it is.
    let t = await say('own-1', '想开个茶行，店里晚上有驻唱', REGION);
    expect(t.state.industry?.id).toBe('fixture_tea_leaf');
    expect(t.state.answers).toMatchObject({ fixture_live_music: true });
    expect(statusOf(t)).toEqual({ [FOOD]: 'required', [MUSIC]: 'required' });
    // 茶庄 is the lexicon's word for a teahouse, which this county lacks: its own 茶庄 wins.
    t = await say('own-2', '开个茶庄，不搞演出', REGION);
    expect(t.state.industry?.id).toBe('fixture_tea_leaf');
    expect(t.state.answers).toMatchObject({ fixture_live_music: false });
    expect(statusOf(t)).toEqual({ [FOOD]: 'required', [MUSIC]: 'not_needed' });
  });

  it('answers about its own permit and its override of a registry permit from its own sources', async () => {
    await say('own-3', '想开个茶叶店，有驻唱', REGION);
    let t = await say('own-3', '吃喝证要多久');
    expect(textOf(t)).toContain('5个工作日');
    expect(t.replies.flatMap((r) => r.sources ?? []).map((s) => s.title)).toContain('样例县“一业一证”改革实施方案（测试用）');
    t = await say('own-3', '驻唱演出备案要交什么材料');
    expect(textOf(t)).toContain('演出活动方案');
    expect(textOf(t)).not.toContain('一次告知单');
  });

  it('gives its notice with its own permit and material, and says 以窗口告知为准 for what its document does not state', async () => {
    await say('own-4', '开茶叶店 有乐队演出', REGION);
    const t = await say('own-4', '告知单');
    const text = textOf(t);
    expect(text).toContain(MUSIC);
    expect(text).toContain('演出活动方案（测试用）');
    expect(text).toContain('法定5个工作日'); // the override's limit, not the registry's
    expect(text).toMatch(/没有写明总的办结时限，以窗口告知为准/);
    expect(text).toMatch(/文件未写明咨询电话/);
    expect(text).not.toMatch(/压缩\d+%/);
  });

  it('merges its own form field into the one form (yiye guide --json)', async () => {
    const r = await yiye(['guide', '--region', REGION, '--industry', 'fixture_tea_leaf', '--answer', 'fixture_live_music=是', '--json'], { CATALOG_DIR: FIXTURES });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { form: { sections: { item: string; fields: { id: string }[] }[] } };
    const fields = out.form.sections.flatMap((s) => s.fields.map((f) => f.id));
    expect(fields).toContain('fixture_stage_area');
  });
});

describe('the loader keeps counties apart', () => {
  it('refuses a county permit that reuses a registry id, naming permitOverrides as the way', async () => {
    const r = await yiye(['catalog', 'lint', path.join(FIXTURES, '..', 'bad-regions', 'clash.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/food_business_licence.*already in data\/permits\.yaml/);
    expect(r.stdout + r.stderr).toMatch(/permitOverrides/);
  });
});
