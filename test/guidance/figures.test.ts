/**
 * Figures as answers to number questions: units converted, limits kept as limits, thresholds evaluated
 * three-valued in the law's words (以上 includes the figure, 超过 does not), and what a catalog may say.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.ts';
import { lintCatalog } from '../../src/catalog/lint.ts';
import type { Question } from '../../src/catalog/schema.ts';
import { describeAnswer, parseAnswer, AnswerError } from '../../src/guidance/answers.ts';
import { evaluate, openQuestions, type AnswerValue } from '../../src/guidance/conditions.ts';
import { readFigure } from '../../src/guidance/figures.ts';
import { parseState } from '../../src/dialogue/state.ts';

const FIXTURE = path.join(import.meta.dirname, '../fixtures/quantities/qtest.yaml');
const area: Question = { id: 'area', text: '经营面积有多大？', type: 'number', unit: '平方米', aliases: [] };
const capital: Question = { id: 'capital', text: '注册资本是多少？', type: 'number', unit: '万元', aliases: [] };
const staff: Question = { id: 'staff', text: '有几个员工？', type: 'number', unit: '人', aliases: [] };

function value(question: Question, text: string): AnswerValue | undefined {
  const figure = readFigure(question, text);
  return figure?.kind === 'value' ? figure.value : undefined;
}

describe('a figure read in the question’s unit', () => {
  it('converts 元 and 万 to 万元, however the money is written', () => {
    expect(value(capital, '250000元')).toBe(25);
    expect(value(capital, '25万')).toBe(25);
    expect(value(capital, '二十五万块')).toBe(25);
    expect(value(capital, '注册资本二百万元')).toBe(200);
    expect(value(capital, '5000块')).toBe(0.5);
    expect(value(capital, '一百万')).toBe(100);
    // A bare figure takes the question's unit.
    expect(value(capital, '300')).toBe(300);
  });

  it('converts 亩 and the ways of writing 平方米; reads 人, 名, 个员工', () => {
    expect(value(area, '1.5亩')).toBe(1000);
    for (const t of ['300平', '300平米', '300平方米', '300㎡', '300m²', '三百平', '300']) expect(value(area, t), t).toBe(300);
    expect(value(staff, '12个员工')).toBe(12);
    expect(value(staff, '20名')).toBe(20);
    expect(value(staff, '五个人')).toBe(5);
    expect(value(staff, '8')).toBe(8);
  });

  it('does not take a figure in a unit of another kind', () => {
    expect(readFigure(area, '300米')).toEqual({ kind: 'other_unit', said: '300米' });
    expect(readFigure(area, '大概30公里吧')).toEqual({ kind: 'other_unit', said: '30公里' });
    expect(readFigure(capital, '300平')).toEqual({ kind: 'other_unit', said: '300平' });
    expect(() => parseAnswer(area, '300米')).toThrow(AnswerError);
    expect(readFigure(area, '还没量过')).toBeUndefined();
  });

  it('keeps a limit as what was said, never as an invented figure', () => {
    expect(value(area, '不到两百平')).toEqual({ lt: 200, said: '不到200平方米' });
    expect(value(area, '三百平以上')).toEqual({ gte: 300, said: '300平方米以上' });
    expect(value(area, '超过三百平')).toEqual({ gt: 300, said: '超过300平方米' });
    expect(value(area, '300平方米以下')).toEqual({ lte: 300, said: '不超过300平方米' });
    expect(value(area, '两三百平')).toEqual({ gte: 200, lte: 300, said: '200至300平方米' });
    expect(value(area, '三百多平')).toEqual({ gt: 300, lt: 400, said: '300多平方米' });
    expect(value(area, '大概三百平')).toEqual({ gte: 270, lte: 330, said: '约300平方米' });
    // Without the unit, the limit words still count.
    expect(value(area, '不到五百')).toEqual({ lt: 500, said: '不到500平方米' });
    expect(value(capital, '不到250000元')).toEqual({ lt: 25, said: '不到25万元' });
    expect(describeAnswer(area, { lt: 200, said: '不到200平方米' })).toBe('不到200平方米');
    expect(describeAnswer(area, { gte: 200, lte: 300 })).toBe('200平方米以上、300平方米以下');
  });
});

describe('thresholds over a figure between limits', () => {
  const gt300 = { q: 'area', gt: 300 };
  const gte300 = { q: 'area', gte: 300 };
  const gte250 = { q: 'area', gte: 250 };
  const lt300 = { q: 'area', lt: 300 };
  const lte300 = { q: 'area', lte: 300 };
  const at = (v: AnswerValue) => ({ area: v });

  it('an exact figure on the threshold: 以上 includes it, 超过 does not', () => {
    expect(evaluate(gt300, at(300))).toBe(false);
    expect(evaluate(gte300, at(300))).toBe(true);
    expect(evaluate(lt300, at(300))).toBe(false);
    expect(evaluate(lte300, at(300))).toBe(true);
  });

  it('settles what every figure within the limits agrees on, and nothing else', () => {
    // 三百平以上 (≥ 300) against 超过300 is open; against 300以上, settled.
    expect(evaluate(gt300, at({ gte: 300 }))).toBeUndefined();
    expect(evaluate(gte300, at({ gte: 300 }))).toBe(true);
    expect(evaluate(gt300, at({ gt: 300 }))).toBe(true);
    // 不到500平 against 300以上: open; 不到两百平: settled, no.
    expect(evaluate(gte300, at({ lt: 500 }))).toBeUndefined();
    expect(evaluate(gte300, at({ lt: 200 }))).toBe(false);
    expect(evaluate(gte300, at({ lt: 300 }))).toBe(false);
    expect(evaluate(gte300, at({ lte: 300 }))).toBeUndefined();
    // 两三百平 (200–300) against 250以上: open; against 超过300: settled, no.
    expect(evaluate(gte250, at({ gte: 200, lte: 300 }))).toBeUndefined();
    expect(evaluate(gt300, at({ gte: 200, lte: 300 }))).toBe(false);
    expect(evaluate(lt300, at({ gte: 200, lte: 300 }))).toBeUndefined();
    expect(evaluate(lte300, at({ gte: 200, lte: 300 }))).toBe(true);
    expect(evaluate({ not: gt300 }, at({ lt: 200 }))).toBe(true);
    expect(evaluate({ q: 'area', eq: 500 }, at({ lt: 200 }))).toBe(false);
  });

  it('asks again a question whose limits leave its threshold open, not one they settle', () => {
    expect(openQuestions(gt300, at({ gte: 300 }))).toEqual(['area']);
    expect(openQuestions(gt300, at({ lt: 200 }))).toEqual([]);
  });

  it('stored states load: the old figures as they were, limits as objects, damage as nothing', () => {
    expect(parseState({ stage: 'questions', answers: { area: 320, sells_tobacco: true } }).answers).toEqual({ area: 320, sells_tobacco: true });
    expect(parseState({ stage: 'guided', answers: { area: { lt: 200, said: '不到200平方米' } } }).answers).toEqual({ area: { lt: 200, said: '不到200平方米' } });
    expect(parseState(JSON.parse(JSON.stringify({ stage: 'guided', answers: { area: { gte: 200, lte: 300 } } }))).answers.area).toEqual({ gte: 200, lte: 300 });
    expect(parseState({ stage: 'guided', answers: { area: { lt: 'x' } } }).answers).toEqual({});
  });
});

describe('number questions in a catalog', () => {
  it('a unit the reader cannot convert is a load error listing the accepted ones', () => {
    const file = path.join(os.tmpdir(), `qtest-bad-${process.pid}.yaml`);
    writeFileSync(file, readFileSync(FIXTURE, 'utf8').replace('unit: 平方米', 'unit: 平米'));
    expect(() => loadCatalog({ onlyFiles: [file] })).toThrow(/questions\[0\]\.unit: unknown unit "平米" for number question "business_area"; accepted: one of 平方米, 亩, 元, 万元, 人, 米, 座, 间, 蒸吨\/小时/);
  });

  it('lint: the fixture is clean; a figure compared with both gt and gte, or an impossible range, is warned of', () => {
    expect(lintCatalog(loadCatalog({ onlyFiles: [FIXTURE] }))).toEqual([]);
    const file = path.join(os.tmpdir(), `qtest-lint-${process.pid}.yaml`);
    copyFileSync(FIXTURE, file);
    const yaml = readFileSync(file, 'utf8')
      .replace('        department: 市场监管局\n', '        department: 市场监管局\n        note: 按需办理\n        when: { q: business_area, gte: 300 }\n')
      .replace('when: { q: registered_capital, gte: 200 }', 'when: { all: [{ q: registered_capital, gte: 200 }, { q: registered_capital, lt: 100 }] }');
    writeFileSync(file, yaml);
    const messages = lintCatalog(loadCatalog({ onlyFiles: [file] })).map((f) => `${f.level} ${f.path}: ${f.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^warning industries\[1\]\.items\[1\]\.when: conditions .* can never all hold/),
      expect.stringMatching(/^warning industries\[0\]\.items\[1\]\.when: question "business_area" is compared with both gt 300 \(here\) and gte 300 \(industries\[0\]\.items\[0\]\.when\)/),
    ]);
  });
});

describe('figures as the blind round wrote them', () => {
  const investment: Question = { id: 'investment', text: '工程投资额大约多少万元？', type: 'number', aliases: [], unit: '万元' };
  const building: Question = { id: 'building', text: '建筑面积大约多少平方米？', type: 'number', aliases: [], unit: '平方米' };
  it.each([
    ['三十万零五千', 30.5],
    ['30万5千', 30.5],
    ['三十点五万', 30.5],
    ['十万零五百块', 10.05],
    ['305000元', 30.5],
  ])('「%s」 is %s 万元, not the figure before 万', (text, expected) => {
    expect(readFigure(investment, text)).toMatchObject({ kind: 'value', value: expected });
  });
  it('「三百点五平米」 is 300.5 平方米', () => {
    expect(readFigure(building, '三百点五平米')).toMatchObject({ kind: 'value', value: 300.5 });
  });
});
