/**
 * The `yiye` bin as a user runs it (a process), and what a broken catalog does to the CLI and to
 * `npm start`.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { yiye } from '../cliHarness.ts';
import { freePort, startServer, tempDir } from '../server/serverProcess.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('yiye (the installed command)', () => {
  it('an unexpected failure (the database unreachable) is one masked line and exit 2, not a stack trace', async () => {
    const { code, stdout, stderr } = await run('bin/yiye.js', ['report', 'unanswered'], { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/x' });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('出错了：');
    expect(stderr).toContain('YIYE_DEBUG=1');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('guide understands a sentence, and prints the permits, the notice and the form in the region’s words', async () => {
    const { code, stdout, stderr } = await run('bin/yiye.js', ['guide', '--region', '奈曼旗', '我想在大沁他拉开个小卖部，也卖烟']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('【奈曼旗 · 便利店】');
    expect(stdout).toContain('3. 烟草专卖零售许可证核发（烟草专卖局）');
    expect(stdout).toContain('下一个问题：您的店里是否销售药品');
    expect(stdout).toContain('【一次告知单 · 奈曼旗 · 便利店】');
    expect(stdout).toContain('【一表申请】');
  });

  it('guide --json with explicit answers; counts before and after merging', async () => {
    const { code, stdout } = await run('bin/yiye.js', ['guide', '--region', 'naiman', '--industry', '宾馆', '--answer', 'food_scope=other', '--answer', 'public_gathering=是', '--answer', 'discharges_sewage=否', '--answer', 'high_risk_sport=否', '--answer', 'eia_sensitive_area=否', '--answer', 'boiler=none', '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.complete).toBe(true);
    expect(out.permits.filter((p: { status: string }) => p.status === 'required').map((p: { name: string }) => p.name)).toEqual([
      '特种行业经营许可（旅馆业）',
      '公共场所卫生许可',
      '食品经营许可',
      '公众聚集场所投入使用、营业前消防安全检查',
    ]);
    expect(out.counts.materialsAfter).toBeLessThan(out.counts.materialsBefore);
    expect(out.counts.fieldsAfter).toBeLessThan(out.counts.fieldsBefore);
    // Shared materials appear once, saying which items need them.
    const licence = out.notice.materials.find((m: { id: string }) => m.id === 'business_licence');
    expect(licence.neededBy.length).toBeGreaterThan(1);
  });

  it('out-of-catalog and unknown trades exit 3 with the hotline and the closest industries', async () => {
    const out = await yiye(['guide', '--region', '奈曼旗', '--json', '我想开个网吧']);
    expect(out.code).toBe(3);
    const json = JSON.parse(out.stdout);
    expect(json.status).toBe('out_of_catalog');
    expect(json.message).toContain('网吧');
    expect(json.message).toContain('12345');
    const none = await yiye(['guide', '--region', 'xinxiang', '今天天气不错']);
    expect(none.code).toBe(3);
    expect(none.stdout).toContain('没有识别出您要经营的行业');
  });

  it('bad arguments get one clear line and exit 1', async () => {
    expect((await yiye(['guide', '--region', '奈曼旗', '--answer', 'sells_tobacco', '便利店'])).stderr).toContain('--answer 的格式');
    const badValue = await yiye(['guide', '--region', '奈曼旗', '--industry', '便利店', '--answer', 'sells_tobacco=也许']);
    expect(badValue.code).toBe(1);
    expect(badValue.stderr).toContain('请回答「是」或「否」');
    const badQuestion = await yiye(['guide', '--region', '奈曼旗', '--industry', '便利店', '--answer', 'nope=是']);
    expect(badQuestion.stderr).toContain('未找到问题「nope」');
    const unknown = await yiye(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('未知命令');
  });
});

describe('broken catalogs', () => {
  function brokenCopy(mutate: (yaml: string) => string): string {
    const dir = tempDir('yiye-cat-');
    mkdirSync(dir, { recursive: true });
    const source = readFileSync(path.join(ROOT, 'data/regions/naiman.yaml'), 'utf8');
    const file = path.join(dir, 'kailu.yaml');
    writeFileSync(file, mutate(source.replace('id: naiman', 'id: kailu').replace('name: 奈曼旗', 'name: 开鲁县')));
    return file;
  }

  it('lint reports the document’s own contradiction as a warning, and a clean exit', async () => {
    const out = await yiye(['catalog', 'lint', path.join(ROOT, 'data/regions')]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('document contradicts itself');
    expect(out.stdout).toContain('现制现售食品 (1)');
    expect(out.stdout).toContain('0 error(s)');
  });

  it('lint and the CLI name the file, the path inside it, the problem and what is accepted', async () => {
    const file = brokenCopy((y) => y.replace('permit: tobacco_retail_licence', 'permit: tobacco_licence'));
    const lint = await yiye(['catalog', 'lint', file]);
    expect(lint.code).toBe(1);
    const [head, detail] = lint.stdout.split('\n');
    expect(head).toMatch(/^error: .*kailu\.yaml: industries\[0\]\.items\[3\]\.permit: unknown permit "tobacco_licence"$/);
    expect(detail).toMatch(/^ {4}accepted: a permit id .*closest: tobacco_retail_licence.*; e\.g\. tobacco_retail_licence$/);
    const viaDir = await yiye(['catalog', '--region', 'naiman'], { CATALOG_DIR: path.dirname(file) });
    expect(viaDir.code).toBe(1);
    expect(viaDir.stderr).toContain('unknown permit "tobacco_licence"');
  });

  it('a good extra catalog in CATALOG_DIR loads beside the built-in ones', async () => {
    const file = brokenCopy((y) => y);
    const out = await yiye(['catalog', '--region', '开鲁县', '--json'], { CATALOG_DIR: path.dirname(file) });
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).industries).toHaveLength(15);
  });

  it('npm start refuses to start on a bad catalog, with one line and no server', async () => {
    const file = brokenCopy((y) => y.replace('    name: 便利店', '    name: ""'));
    const dir = tempDir();
    cpSync(file, path.join(dir, 'kailu.yaml'));
    const port = await freePort();
    const out = await run('bin/server.js', [], { CATALOG_DIR: path.dirname(file), PORT: String(port), VAR_DIR: dir, LOG_LEVEL: 'warn' });
    expect(out.code).toBe(1);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/^yiye: catalog error: .*kailu\.yaml: industries\[0\]\.name: must not be empty/);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('npm start runs the compiled code npm install built, and the sources only when they changed since', async () => {
    const newest = (dir: string): number =>
      Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs)));
    const marker = path.join(ROOT, 'dist', '.built');
    const built = existsSync(marker) && statSync(marker).mtimeMs >= newest(path.join(ROOT, 'src'));
    // A fresh install (CI's clone) has built dist/: the server runs it.
    if (process.env['CI']) expect(built).toBe(true);
    const server = await startServer({ LOG_LEVEL: 'info' });
    try {
      const ready = server.output().split('\n').find((line) => line.includes('yiye assistant ready'));
      expect(JSON.parse(ready ?? '{}')).toMatchObject({ compiled: built });
    } finally {
      await server.stop();
    }
  });

  it('a bad setting stops the start with one line naming it', async () => {
    const out = await run('bin/server.js', [], { PORT: 'abc', LOG_LEVEL: 'warn' });
    expect(out.code).toBe(1);
    expect(out.stderr.trim()).toMatch(/^yiye: configuration error: invalid setting PORT/);
  });
});
