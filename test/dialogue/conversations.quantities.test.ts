/**
 * Conversations about figures (经营面积, 注册资本) in a county whose items turn on thresholds (the fixture
 * region 数字县: 消防安全检查 when the area is 超过300平方米, 劳务派遣经营许可 when the capital is 200万元以上):
 * units converted, limits kept as said, and the exact figure asked for when a limit leaves a threshold open.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.ts';
import { parseState } from '../../src/dialogue/state.ts';
import { chat, script, type Chat } from './script.ts';

const catalog = loadCatalog({ extraDirs: [path.join(import.meta.dirname, '../fixtures/quantities')] });
const FIRE = '公众聚集场所投入使用、营业前消防安全检查';
const DISPATCH = '劳务派遣经营许可';

function open(): Chat {
  return chat({ catalog, defaultRegion: 'qtest' });
}

async function formOf(c: Chat, userId: string) {
  const row = await c.h.conversations.findLatest({ channel: 'test', userId });
  return parseState(row?.state).form;
}

function status(c: Chat, name: string): string | undefined {
  return c.state.permits.find((p) => p.name === name)?.status;
}

describe('数字县 超市: the fire inspection turns on 超过300平方米', () => {
  it('「三百平以上」 does not settle 超过300: the assistant says what it understood and asks for the figure; 「320」 settles it', async () => {
    const c = open();
    await script(c, ['我想在数字县开个超市']);
    expect(c.reply).toContain('您的店经营面积有多大（平方米）？');
    await c.say('三百平以上');
    expect(c.reply).toBe('您说的是300平方米以上。这一项要看经营面积是否超过300平方米，请告诉我具体经营面积（平方米），例如：320');
    expect(c.state.pendingQuestion?.id).toBe('business_area');
    expect(c.state.answers).toEqual({});
    expect(status(c, FIRE)).toBe('undecided');
    await c.say('320平');
    expect(c.state.answers).toEqual({ business_area: 320 });
    expect(status(c, FIRE)).toBe('required');
    expect(c.reply).toContain('经营面积超过300平方米，需要办理消防安全检查。');
  });

  it('「不到500平」 and 「大概三百平吧」 are open too; 「不到两百平」 settles it and is said back as said', async () => {
    const c = open();
    await script(c, ['开超市']);
    await c.say('不到500平');
    expect(c.reply).toContain('您说的是不到500平方米。这一项要看经营面积是否超过300平方米');
    await c.say('大概三百平吧');
    expect(c.reply).toContain('您说的是约300平方米。');
    await c.say('不到两百平');
    expect(c.reply).toContain('已记下：您的店经营面积有多大（平方米）——不到200平方米。');
    expect(c.reply).not.toMatch(/\b200平方米(?!。)/);
    expect(c.state.answers).toEqual({ business_area: { lt: 200, said: '不到200平方米' } });
    expect(status(c, FIRE)).toBe('not_needed');
    expect(c.state.stage).toBe('guided');
  });

  it('exactly 300 is not 超过300; 「1.5亩」 is converted and said back with what was written', async () => {
    const c = open();
    await script(c, ['开超市', '300']);
    expect(status(c, FIRE)).toBe('not_needed');
    const d = open();
    await script(d, ['开超市', '1.5亩']);
    expect(d.reply).toContain('1000平方米（1.5亩）');
    expect(status(d, FIRE)).toBe('required');
  });

  it('「300米」 is not an area: asked again, naming the unit, and nothing is recorded', async () => {
    const c = open();
    await script(c, ['开超市']);
    await c.say('300米');
    expect(c.reply).toBe('您说的是“300米”，这一项问的是经营面积，单位是平方米。请告诉我经营面积是多少平方米，例如：320');
    expect(c.state.answers).toEqual({});
    await c.say('哦，是三百五十平');
    expect(c.state.answers).toEqual({ business_area: 350 });
  });

  it('a figure volunteered at the start answers the area question: 「我想开个300平的超市」 asks nothing', async () => {
    const c = open();
    await c.say('我想开个300平的超市');
    expect(c.reply).toContain('已记下：您的店经营面积有多大（平方米）——300平方米。');
    expect(c.state.answers).toEqual({ business_area: 300 });
    expect(status(c, FIRE)).toBe('not_needed');
    expect(c.state.pendingQuestion).toBeNull();
  });

  it('a volunteered limit that leaves the threshold open is asked about in its own words', async () => {
    const c = open();
    await c.say('我想开个三百平以上的超市');
    expect(c.reply).toContain('好的，在数字县开超市。');
    expect(c.reply).toContain('您说的是300平方米以上。这一项要看经营面积是否超过300平方米');
    expect(c.state.answers).toEqual({});
    await c.say('四百平左右');
    expect(c.state.answers).toEqual({ business_area: { gte: 360, lte: 440, said: '约400平方米' } });
    expect(status(c, FIRE)).toBe('required');
  });

  it('a supposition is not a figure: 「要是超过300平呢？」 records nothing', async () => {
    const c = open();
    await script(c, ['开超市', '要是超过300平呢？']);
    expect(c.state.answers).toEqual({});
    expect(c.state.pendingQuestion?.id).toBe('business_area');
  });
});

describe('数字县 劳务派遣公司: the licence turns on 注册资本200万元以上', () => {
  it('「250000元」 is 25万元, not 250000万元', async () => {
    const c = open();
    await script(c, ['我想开个劳务派遣公司']);
    expect(c.reply).toContain('公司的注册资本是多少（万元）？');
    await c.say('250000元');
    expect(c.reply).toContain('已记下：公司的注册资本是多少（万元）——25万元（250000元）。');
    expect(c.state.answers).toEqual({ registered_capital: 25 });
    expect(status(c, DISPATCH)).toBe('not_needed');
  });

  it('「二十五万块」 and 「注册资本两百万」: money as people say it; 200万 is 200万元以上 (含本数)', async () => {
    const c = open();
    await script(c, ['开劳务派遣公司', '二十五万块']);
    expect(c.state.answers).toEqual({ registered_capital: 25 });
    const d = open();
    await script(d, ['开劳务派遣公司', '注册资本两百万']);
    expect(d.state.answers).toEqual({ registered_capital: 200 });
    expect(status(d, DISPATCH)).toBe('required');
  });

  it('「不到一百万」 and 「一百多万」 settle 200万元以上; 「一两百万」 does not', async () => {
    const c = open();
    await script(c, ['开劳务派遣公司', '不到一百万']);
    expect(c.state.answers).toEqual({ registered_capital: { lt: 100, said: '不到100万元' } });
    expect(status(c, DISPATCH)).toBe('not_needed');
    const d = open();
    await script(d, ['开劳务派遣公司', '一百多万吧']);
    expect(d.state.answers).toEqual({ registered_capital: { gt: 100, lt: 200, said: '100多万元' } });
    const e = open();
    await script(e, ['开劳务派遣公司', '一两百万']);
    expect(e.reply).toBe('您说的是100至200万元。这一项要看注册资本是否达到200万元，请告诉我具体注册资本（万元），例如：220');
    await e.say('两百万整');
    expect(e.state.answers).toEqual({ registered_capital: 200 });
    expect(status(e, DISPATCH)).toBe('required');
  });
});

describe('数字县: a figure answered fills the form field its question names', () => {
  it('「320平」 fills 经营面积; 「不到两百平」 fills nothing', async () => {
    const c = open();
    await script(c, ['开超市', '320平']);
    expect((await formOf(c, 'u1')).values).toMatchObject({ business_area: 320 });
    const d = chat({ catalog, defaultRegion: 'qtest', userId: 'u2' });
    await script(d, ['开超市', '不到两百平']);
    expect((await formOf(d, 'u2')).values).not.toHaveProperty('business_area');
  });
});
