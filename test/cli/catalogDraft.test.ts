/**
 * A county's file from the start to a try-out, through the real `yiye` entry: `catalog new`, `catalog lint`
 * (every problem at once, each with what is accepted), `guide --catalog` and `catalog --catalog`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { starterRegion } from '../../src/catalog/template.ts';
import { yiye } from '../cliHarness.ts';
import { tempDir } from '../server/serverProcess.ts';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.ts';

async function yiyeWithStdin(args: string[], input: string): Promise<{ code: number; stdout: string }> {
  const out: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => out.push(t), env: {}, stdin: Readable.from([input]) });
  return { code, stdout: out.join('\n') };
}

interface LintJson {
  ok: boolean;
  counts: { errors: number; warnings: number; infos: number };
  findings: { level: string; file: string; path: string; message: string; accepted?: string; example?: string; fix?: string }[];
}

/** The starter file with a deployer's typical mistakes. */
function mistakes(): string {
  const replace = (text: string, from: string | RegExp, to: string) => {
    const out = text.replace(from, to);
    if (out === text) throw new Error(`template changed: ${String(from)} not found`);
    return out;
  };
  let y = starterRegion({ id: 'kailu', name: '开鲁县' });
  y = replace(y, 'date: unknown', 'date: 2024/7/29'); // not YYYY-MM-DD
  y = replace(y, /window:\n {2}name: (.*)\n {2}sources:.*\n(?: {4,}.*\n)+/, 'window:\n  name: $1\n'); // sources missing
  y = replace(y, 'timeRule: unknown', 'timeRule: { kind: reduce, reductionPercent: 60, sources: [{ title: 方案 }] }');
  y = replace(y, 'type: boolean', 'type: yesno');
  y = replace(y, '        department: 市场监管局 ', '        deparment: 市场监管局 '); // misspelt key
  y = replace(
    y,
    '      - permit: tobacco_retail_licence\n',
    [
      '      - { permit: tobacco_licence, name: 烟草证, department: 烟草专卖局 }',
      '      - { permit: public_health_licence, name: 公共场所卫生许可, department: 卫健委 }',
      '      - { permit: drug_retail_licence, name: 药品零售企业许可, department: 市场监管局, note: 按需办理, when: { q: sells_medicine, eq: true } }',
      '      - permit: tobacco_retail_licence\n',
    ].join('\n'),
  );
  return y;
}

describe('yiye catalog lint', () => {
  it('reports every problem of every file in one run, each with its file, path, what is accepted and an example', async () => {
    const dir = tempDir('yiye-lint-');
    writeFileSync(path.join(dir, 'kailu.yaml'), mistakes());
    writeFileSync(path.join(dir, 'zhalute.yaml'), 'version: 1\nid: zhalute\ndocument:\n  quote: 原文：第一条: 内容\n');
    const out = await yiye(['catalog', 'lint', dir]);
    expect(out.code).toBe(1);
    const expected: [RegExp, RegExp][] = [
      [/kailu\.yaml: document\.date: "2024\/7\/29" is not a date written YYYY-MM-DD/, /accepted: a date written YYYY-MM-DD.*e\.g\. "2024-07-29"/],
      [/kailu\.yaml: window\.sources: required, missing/, /accepted: a list.*e\.g\. \[\{ title:/],
      [/kailu\.yaml: timeRule\.kind: kind "reduce" is not known/, /accepted: kind: one of "reduced", "shortest_inspection_item"; e\.g\. kind: reduced/],
      [/kailu\.yaml: questions\[0\]\.type: "yesno" is not accepted here/, /accepted: one of "boolean", "number", "choice"/],
      [/kailu\.yaml: industries\[0\]\.items\[0\]: unknown key: deparment \(did you mean department\?\)/, /accepted: the keys of this place: permit, name, department/],
      [/kailu\.yaml: industries\[0\]\.items\[1\]\.permit: unknown permit "tobacco_licence"/, /closest: tobacco_retail_licence.*e\.g\. tobacco_retail_licence/],
      [/kailu\.yaml: industries\[0\]\.items\[2\]\.department: department "卫健委" is not defined in departments/, /accepted: a key of departments: 市场监管局, 烟草专卖局/],
      [/kailu\.yaml: industries\[0\]\.items\[3\]\.when\.q: question "sells_medicine" is not defined in questions/, /e\.g\. \{ q: /],
      [/zhalute\.yaml: line 4, column \d+: YAML syntax: .*«quote: 原文：第一条: 内容»/, /accepted: a text holding ": ".* in quotes/],
    ];
    const lines = out.stdout.split('\n');
    for (const [head, detail] of expected) {
      const at = lines.findIndex((l) => head.test(l));
      expect(at, `${String(head)} in\n${out.stdout}`).toBeGreaterThanOrEqual(0);
      expect(lines[at]).toMatch(/^error: /);
      expect(lines[at + 1]).toMatch(detail);
    }
    expect(out.stdout).toMatch(/2 file\(s\), 0 region\(s\): \d+ error\(s\)/);

    const json = await yiye(['catalog', 'lint', dir, '--json']);
    const report = JSON.parse(json.stdout) as LintJson;
    expect(report.ok).toBe(false);
    expect(report.counts.errors).toBeGreaterThanOrEqual(expected.length);
    expect(report.findings.every((f) => f.level === 'error' && f.file && f.message && f.accepted)).toBe(true);
    expect(report.findings.find((f) => f.path === 'timeRule.kind')).toMatchObject({ example: 'kind: reduced' });
  });

  it('a choice condition with a value not among the options names the options', async () => {
    const dir = tempDir('yiye-lint-');
    const y = starterRegion()
      .replace('  # - id: food_scope', '  - id: food_scope')
      .replace(/ {2}# {3}(text|type|options|  - \{ id)/g, '    $1')
      .replace('        department: 市场监管局 ', '        department: 市场监管局\n        when: { q: food_scope, eq: sells_food }\n        conditionSources: [{ title: 中华人民共和国食品安全法, article: 第三十五条 }]\n');
    writeFileSync(path.join(dir, 'a.yaml'), y);
    const out = await yiye(['catalog', 'lint', path.join(dir, 'a.yaml')]);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('industries[0].items[0].when: value "sells_food" does not fit choice question "food_scope"');
    expect(out.stdout).toContain('accepted: one of the option ids: none, prepackaged_only, other; e.g. { q: food_scope, eq: none }');
  });

  it('warns, saying the fix, of overrides nothing lists, own permits no industry uses, sources to verify and 按需办理 without a condition', async () => {
    const dir = tempDir('yiye-lint-');
    const y = starterRegion({ id: 'kailu', name: '开鲁县' })
      .replace('        when: { q: sells_tobacco, eq: true }', '')
      .replace(
        '# permits: []',
        [
          'permitOverrides:',
          '  drug_retail_licence: { colloquial: [药证] }',
          'permits:',
          '  - { id: kailu_sign, name: 户外招牌设置审批, kind: 审批, authority: 开鲁县城市管理局, summary: 设置户外招牌, legalBasis: [{ title: 开鲁县户外广告管理办法, confidence: L }],',
          '      materials: [{ id: business_licence }], fields: [entity_name], timeLimit: { sources: [{ title: 办法 }] },',
          '      inspection: { required: unknown, sources: [{ title: 办法 }] }, fee: { free: true, sources: [{ title: 办法 }] } }',
          '# permits: []',
        ].join('\n'),
      );
    const file = path.join(dir, 'kailu.yaml');
    writeFileSync(file, y);
    const out = await yiye(['catalog', 'lint', file, '--json']);
    expect(out.code).toBe(0);
    const { findings } = JSON.parse(out.stdout) as LintJson;
    const at = (p: string) => findings.find((f) => f.path === p);
    expect(at('permitOverrides.drug_retail_licence')).toMatchObject({ level: 'warning', fix: expect.stringContaining('remove permitOverrides.drug_retail_licence') });
    expect(at('permits[0]')).toMatchObject({ level: 'warning', message: expect.stringContaining('kailu_sign'), fix: expect.stringContaining('permit: kailu_sign') });
    expect(at('permits[0].legalBasis[0]')).toMatchObject({ level: 'warning', message: expect.stringContaining('confidence L'), fix: expect.stringContaining('confidence: H') });
    expect(at('industries[0].items[1].when')).toMatchObject({ level: 'warning', fix: expect.stringContaining('when: { q: sells_tobacco, eq: true }') });
    expect(at('questions[0]')).toMatchObject({ fix: expect.stringContaining('remove the question') });
    expect(at('timeRule')).toMatchObject({ level: 'info', message: expect.stringContaining('以窗口告知为准') });
    expect(findings.every((f) => f.fix)).toBe(true);
  });
});

describe('yiye catalog new → lint → guide --catalog', () => {
  it('writes a starter file that lints with no error and answers a sentence naming its trade, without deploying it', async () => {
    const dir = tempDir('yiye-new-');
    const file = path.join(dir, 'counties', 'kailu.yaml');
    const made = await yiye(['catalog', 'new', file, '--id', 'kailu', '--name', '开鲁县']);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain(`yiye catalog lint ${file}`);
    expect(readFileSync(file, 'utf8')).toContain('name: 开鲁县');

    const lint = await yiye(['catalog', 'lint', file]);
    expect(lint.code).toBe(0);
    expect(lint.stdout).toContain('0 error(s), 1 warning(s), 3 info');
    expect(lint.stdout).toContain('placeholder 某某');

    const guide = await yiye(['guide', '--catalog', file, '我想开个便利店，也卖烟']);
    expect(guide.stderr).toBe('');
    expect(guide.code).toBe(0);
    expect(guide.stdout).toContain('【开鲁县 · 便利店】');
    expect(guide.stdout).toContain('烟草专卖零售许可证核发（烟草专卖局）');
    const asked = await yiye(['guide', '--catalog', file, '--json', '开个便利店']);
    expect(JSON.parse(asked.stdout)).toMatchObject({ region: { id: 'kailu' }, nextQuestion: { id: 'sells_tobacco' } });

    const listed = await yiye(['catalog', '--catalog', file, '--json']);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((r) => r.id)).toEqual(['kailu']);
    // Not deployed: without --catalog the region is not there.
    expect((await yiye(['catalog', '--region', 'kailu'])).code).toBe(1);
    // The built-in regions are still there beside the draft.
    expect((await yiye(['guide', '--catalog', file, '--region', '奈曼旗', '开个便利店'])).stdout).toContain('【奈曼旗 · 便利店】');
  });

  it('prints to stdout without a file, and refuses to overwrite one', async () => {
    const printed = await yiye(['catalog', 'new', '--name', '开鲁县']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('name: 开鲁县');
    // yiye catalog new | yiye catalog lint -
    const piped = await yiyeWithStdin(['catalog', 'lint', '-'], printed.stdout);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain('warning: <stdin>: fullName: ');
    expect(piped.stdout).toContain('1 file(s), 1 region(s): 0 error(s), 1 warning(s), 3 info');
    const dir = tempDir('yiye-new-');
    const file = path.join(dir, 'kailu.yaml');
    writeFileSync(file, 'mine\n');
    const again = await yiye(['catalog', 'new', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('已存在，不会覆盖');
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
    expect((await yiye(['catalog', 'new', '--id', 'Kai-Lu'])).stderr).toContain('--id');
  });

  it('a broken draft gets every problem, as lint prints them, and exit 1', async () => {
    const dir = tempDir('yiye-draft-');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'kailu.yaml');
    writeFileSync(file, mistakes());
    const out = await yiye(['guide', '--catalog', file, '开个便利店']);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^error: .*kailu\.yaml: document\.date: .*\n {4}accepted: /);
    expect(out.stderr).toContain('unknown permit "tobacco_licence"');
    expect(out.stderr).toMatch(/\d+ error\(s\)$/);
    const missing = await yiye(['guide', '--catalog', path.join(dir, 'nope.yaml'), '开个便利店']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('找不到草稿文件');
    expect(existsSync(path.join(dir, 'nope.yaml'))).toBe(false);
  });

  it('a draft with a deployed region’s id stands in for it', async () => {
    const dir = tempDir('yiye-draft-');
    const file = path.join(dir, 'naiman.yaml');
    const source = readFileSync(new URL('../../data/regions/naiman.yaml', import.meta.url), 'utf8');
    writeFileSync(file, source.replace('    name: 便利店', '    name: 便利店（草稿）').replace('text: ../sources/naiman-2024-30.txt', 'text: naiman-2024-30.txt'));
    const out = await yiye(['guide', '--catalog', file, '--region', 'naiman', '--industry', 'convenience_store', '--json']);
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout).industry).toEqual({ id: 'convenience_store', name: '便利店（草稿）' });
  });
});
