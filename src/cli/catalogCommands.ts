/**
 * `yiye catalog lint` and `yiye catalog new`: what a county's deployer runs on its region file before
 * deploying it, and the lint-style lines a broken draft gets from `yiye guide --catalog` (docs/cli.md).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CatalogError, type CatalogProblem } from '../catalog/errors.ts';
import { lintCatalog, type Finding } from '../catalog/lint.ts';
import { listCatalogFiles, loadCatalog, type Catalog } from '../catalog/load.ts';
import { starterRegion } from '../catalog/template.ts';

/** One line of a lint report: a problem that stops loading, or a lint finding. */
export interface ReportEntry {
  level: Finding['level'];
  file: string;
  path: string;
  message: string;
  accepted?: string;
  example?: string;
  fix?: string;
}

/** Bad command-line input: the message is shown as is, exit 1. */
export class CatalogUsageError extends Error {
  override readonly name = 'CatalogUsageError';
}

interface Out {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin?: NodeJS.ReadableStream;
}

/** What `-` names in messages: the file read from standard input. */
const STDIN = '<stdin>';

/**
 * `yiye catalog lint PATH [--json]`: every problem of every file in one run; exit 1 on an error. `-` reads
 * one YAML file from standard input (`yiye catalog new | yiye catalog lint -`).
 */
export async function lintCommand(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const target = positionals[0];
  if (!target) throw new CatalogUsageError('请给出要检查的文件或目录，如：yiye catalog lint data/regions/my-county.yaml（- 表示从标准输入读）');
  let files: string[];
  let piped: string | undefined;
  if (target === '-') {
    piped = path.join(mkdtempSync(path.join(os.tmpdir(), 'yiye-lint-')), 'stdin.yaml');
    writeFileSync(piped, await readAll(out.stdin ?? process.stdin));
    files = [piped];
  } else {
    try {
      files = statSync(target).isDirectory() ? listCatalogFiles(target) : [path.resolve(target)];
    } catch {
      throw new CatalogUsageError(`找不到文件或目录：${target}`);
    }
  }
  let report: ReturnType<typeof lintFiles>;
  try {
    report = lintFiles(files);
  } finally {
    if (piped) rmSync(path.dirname(piped), { recursive: true, force: true });
  }
  if (piped) {
    const name = piped;
    report.entries = report.entries.map((e) => (e.file === name ? { ...e, file: STDIN } : e));
    files = [STDIN];
  }
  const counts = countLevels(report.entries);
  if (values.json) {
    out.stdout(JSON.stringify({ ok: counts.errors === 0, files, regions: report.regions, counts, findings: report.entries }, null, 2));
  } else {
    for (const entry of report.entries) out.stdout(formatEntry(entry));
    const skipped = report.unlinted.length ? `; lint rules not run on ${report.unlinted.length} file(s) with errors: fix them and run again` : '';
    out.stdout(`${files.length} file(s), ${report.regions.length} region(s): ${counts.errors} error(s), ${counts.warnings} warning(s), ${counts.infos} info${skipped}`);
  }
  return counts.errors ? 1 : 0;
}

/**
 * Loads the files as the assistant would (against the built-in permit registry) and lints them: the problems
 * that stop loading first, then the lint findings of the files that load.
 */
export function lintFiles(files: string[]): { regions: string[]; entries: ReportEntry[]; unlinted: string[] } {
  const entries: ReportEntry[] = [];
  const seen = new Set<string>();
  const addProblems = (problems: readonly CatalogProblem[]) => {
    for (const p of problems) {
      const key = JSON.stringify([p.file, p.path, p.problem]);
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push(problemEntry(p));
    }
  };
  let catalog: Catalog | undefined;
  let unlinted: string[] = [];
  try {
    catalog = loadCatalog({ onlyFiles: files });
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    addProblems(error.problems);
    const bad = new Set(error.problems.map((p) => p.file));
    unlinted = files.filter((f) => bad.has(f));
    const clean = files.filter((f) => !bad.has(f));
    // The files without a problem are still linted, so that one run says everything it can.
    if (clean.length && clean.length < files.length) {
      try {
        catalog = loadCatalog({ onlyFiles: clean });
      } catch (again) {
        if (!(again instanceof CatalogError)) throw again;
        addProblems(again.problems);
      }
    }
  }
  if (catalog) entries.push(...lintCatalog(catalog));
  return { regions: catalog?.regions.map((r) => r.id) ?? [], entries, unlinted };
}

/** A problem that stops loading, as a report entry. */
export function problemEntry(p: CatalogProblem): ReportEntry {
  return { level: 'error', file: p.file, path: p.path, message: p.problem, ...(p.accepted ? { accepted: p.accepted } : {}), ...(p.example ? { example: p.example } : {}) };
}

/** One line (level, file, path, what is wrong) and, indented, what is accepted with an example, or the fix. */
export function formatEntry(e: ReportEntry): string {
  const head = `${e.level}: ${e.file}${e.path ? `: ${e.path}` : ''}: ${e.message}`;
  const detail = [e.accepted ? `accepted: ${e.accepted}` : '', e.example ? `e.g. ${e.example}` : '', e.fix ? `fix: ${e.fix}` : ''].filter(Boolean).join('; ');
  return detail ? `${head}\n    ${detail}` : head;
}

export function countLevels(entries: readonly Pick<ReportEntry, 'level'>[]): { errors: number; warnings: number; infos: number } {
  const count = (level: ReportEntry['level']) => entries.filter((e) => e.level === level).length;
  return { errors: count('error'), warnings: count('warning'), infos: count('info') };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** `yiye catalog new [FILE] [--id ID] [--name 名称]`: the commented starter region file, never over another file. */
export function newCommand(args: string[], out: Out): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { id: { type: 'string' }, name: { type: 'string' } } });
  if (values.id !== undefined && !/^[a-z][a-z0-9_]*$/.test(values.id)) {
    throw new CatalogUsageError(`--id 应为小写字母开头的编号，只含小写字母、数字和下划线，如 --id kailu（收到「${values.id}」）`);
  }
  const name = values.name?.trim();
  if (values.name !== undefined && (!name || /[\r\n]/.test(name))) throw new CatalogUsageError('--name 应为一行地名，如 --name 开鲁县');
  const text = starterRegion({ ...(values.id ? { id: values.id } : {}), ...(name ? { name } : {}) });
  const file = positionals[0];
  if (!file) {
    out.stdout(text.trimEnd());
    return 0;
  }
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  try {
    writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') {
      throw new CatalogUsageError(`${file} 已存在，不会覆盖（refusing to overwrite an existing file）。请换一个文件名，或先移走原文件。`);
    }
    throw error;
  }
  out.stdout(`已写入 ${file}。下一步：按文件注释填写，然后\n  yiye catalog lint ${file}\n  yiye guide --catalog ${file} "我想开个便利店，也卖烟"`);
  return 0;
}
