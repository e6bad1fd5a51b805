/**
 * The `yiye` command. `main(argv, io)` runs in-process (tests call it directly) and returns the exit
 * code: 0 done, 1 bad input or a bad catalog, 2 anything else (one line, no stack), 3 nothing matched.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CatalogError, UnknownNameError } from '../catalog/errors.ts';
import { DEFAULT_DATA_DIR, loadCatalog, type Catalog } from '../catalog/load.ts';
import { CatalogUsageError, formatEntry, lintCommand, newCommand, problemEntry } from './catalogCommands.ts';
import { findIndustry, findQuestion, findRegion, hotlineText } from '../catalog/lookup.ts';
import type { Region } from '../catalog/schema.ts';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { AnswerError, parseAnswer } from '../guidance/answers.ts';
import type { AnswerValue } from '../guidance/conditions.ts';
import { guide, guidanceJson } from '../guidance/guide.ts';
import { catalogJson } from '../catalog/json.ts';
import { reportCommand, ReportUsageError } from './reportCommand.ts';
import type { Database } from '../store/db.ts';
import { renderForm, renderNotice, renderPermits, renderQuestion } from '../guidance/render.ts';
import type { OfflineReader } from '../nlu/reader.ts';
import type { Reading } from '../nlu/reading.ts';
import { readdirSync, statSync } from 'node:fs';
import { maskText } from '../privacy/mask.ts';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

const defaultIo: Io = {
  stdout: (t) => process.stdout.write(`${t}\n`),
  stderr: (t) => process.stderr.write(`${t}\n`),
};

export const USAGE = `用法（usage）:
  yiye catalog [--region R] [--catalog FILE] [--json]
                                                列出地区的“一业一证”行业目录（--catalog 加上未部署的草稿）
  yiye catalog lint PATH|- [--json]             检查目录文件（文件、目录或 - 标准输入），一次列出全部问题
  yiye catalog new [FILE] [--id ID] [--name 名称]
                                                写出带注释的地区目录起步文件（不给 FILE 则输出到屏幕）
  yiye chat [--region R] [--user U] [--json]     在终端里与助手对话（逐行读入，--json 每条回复一行 JSON）
  yiye case …                                   工作人员办件操作（yiye case help）
  yiye report unanswered [--region R] [--since YYYY-MM-DD] [--json]
                                                助手没能回答的问题（已脱敏），按次数排列
  yiye report suggestions [--region R] [--since YYYY-MM-DD] [--json]
                                                坐席对参考答复的反馈（采用、修改、有误）
  yiye guide [--region R] [--industry I] [--answer ID=VALUE]... [--catalog FILE] [--json] "一句话描述"
                                                告诉您需要办理哪些许可、一次告知单和合并表单
  yiye suggest --region R [--industry I] [--json] "来电人的问题"
                                                热线坐席用：最多三条参考答复，各附出处
  地区可以用编号或中文名（yiye catalog 列出全部地区）。`;

/** Bad command-line input; the message is shown as is. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      io.stdout(USAGE);
      return command ? 0 : 1;
    }
    const config = loadConfig(io.env ?? process.env);
    if (command === 'catalog') {
      if (rest[0] === 'lint') return await lintCommand(rest.slice(1), io);
      if (rest[0] === 'new') return newCommand(rest.slice(1), io);
      return catalogCommand(rest, config, io);
    }
    if (command === 'guide') return await guideCommand(rest, config, io);
    if (command === 'suggest') return await suggestCommand(rest, config, io);
    if (command === 'chat') {
      const { values } = parseArgs({
        args: rest,
        options: { region: { type: 'string' }, user: { type: 'string' }, json: { type: 'boolean' } },
      });
      // Each command loads what it needs, so that `yiye case …` does not load the dialogue (docs/performance.md).
      const { runChat } = await import('./chat.ts');
      return await runChat(config, {
        ...(values.region ? { region: values.region } : {}),
        ...(values.user ? { user: values.user } : {}),
        json: values.json === true,
        input: io.stdin ?? process.stdin,
        write: io.stdout,
      });
    }
    if (command === 'case') {
      let db: Database | undefined;
      const [{ caseCommand }, { domainDeps }, { resolveSigningSecret }, { openDatabase }] = await Promise.all([
        import('./caseCommands.ts'),
        import('../app/domainDeps.ts'),
        import('../licence/secret.ts'),
        import('../store/db.ts'),
      ]);
      return await caseCommand(
        rest,
        {
          domain: async () =>
            domainDeps((db = await openDatabase({ url: config.databaseUrl, sqliteSynchronous: config.sqliteSynchronous })), {
              catalog: load(config).catalog,
              publicBaseUrl: config.publicBaseUrl,
              signingSecret: resolveSigningSecret(config.licenceSigningSecret, config.varDir).secret,
              reminders: config.reminders,
            }),
          release: async () => {
            await db?.close();
          },
          ...(config.adminToken ? { adminToken: config.adminToken } : {}),
        },
        { stdout: io.stdout, stderr: io.stderr, env: io.env ?? process.env },
      );
    }
    if (command === 'report') {
      let db: Database | undefined;
      const [{ openDatabase }, { prismaStore }] = await Promise.all([import('../store/db.ts'), import('../store/store.ts')]);
      try {
        return await reportCommand(
          rest,
          {
            catalog: load(config).catalog,
            unanswered: async () => prismaStore((db ??= await openDatabase({ url: config.databaseUrl }))).unanswered,
            suggestions: async () => prismaStore((db ??= await openDatabase({ url: config.databaseUrl }))).suggestionFeedback,
          },
          io.stdout,
        );
      } finally {
        await db?.close();
      }
    }
    throw new UsageError(`未知命令「${command}」。\n${USAGE}`);
  } catch (error) {
    if (error instanceof UsageError || error instanceof CatalogUsageError || error instanceof ReportUsageError || error instanceof UnknownNameError || error instanceof AnswerError) {
      io.stderr(error.message);
      return 1;
    }
    if (error instanceof CatalogError) {
      // Every problem, as lint prints them, so that one run says everything (a draft tried with --catalog).
      for (const p of error.problems) io.stderr(formatEntry(problemEntry(p)));
      if (error.problems.length > 1) io.stderr(`${error.problems.length} error(s)`);
      return 1;
    }
    if (error instanceof ConfigError) {
      io.stderr(`error: ${error.message}`);
      return 1;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`${error.message}\n${USAGE}`);
      return 1;
    }
    // Anything else (the database busy or unreachable…): one line, masked; the stack only when asked for.
    const env = io.env ?? process.env;
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr(`出错了：${maskText(text.split('\n')[0] ?? text)}${env.YIYE_DEBUG ? `\n${error instanceof Error ? error.stack : ''}` : '（设置 YIYE_DEBUG=1 可查看详细信息）'}`);
    return 2;
  }
}

// `main` may run many times in one process (tests, scripts): keep what was loaded while the files stand still.
let loaded: { key: string; catalog: Catalog; reader?: OfflineReader } | undefined;

/**
 * The built-in regions, CATALOG_DIR's and the drafts given with `--catalog` (tried, not deployed: a draft
 * with a deployed region's id stands in for it).
 */
function load(config: Config, drafts: string[] = []): { catalog: Catalog } {
  const dirs = [path.join(DEFAULT_DATA_DIR, 'regions'), path.join(DEFAULT_DATA_DIR, 'lexicon'), ...config.catalogDirs];
  const files = [path.join(DEFAULT_DATA_DIR, 'permits.yaml'), ...dirs.flatMap((d) => safeList(d)), ...drafts];
  const key = files.map((f) => `${f}@${safeMtime(f)}`).join('|');
  if (loaded?.key !== key) loaded = { key, catalog: loadCatalog({ extraDirs: config.catalogDirs, drafts }) };
  return loaded;
}

/** The draft file of `--catalog`, checked to exist so that a typo is not a puzzling load error. */
function draftFiles(given: string | undefined): string[] {
  if (!given) return [];
  const file = path.resolve(given);
  if (!safeIsFile(file)) throw new UsageError(`找不到草稿文件：${given}（--catalog 应为一个地区目录文件，可用 yiye catalog new 生成）`);
  return [file];
}

function safeIsFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The regions a draft defines (the draft's by default when `--catalog` is given). */
function draftRegions(catalog: Catalog, drafts: readonly string[]): Region[] {
  return catalog.regions.filter((r) => drafts.includes(catalog.regionFiles.get(r.id) ?? ''));
}

/** The catalog and the offline reader (built only by the commands that read text). */
async function loadWithReader(config: Config, drafts: string[] = []): Promise<{ catalog: Catalog; reader: OfflineReader }> {
  const entry = load(config, drafts) as NonNullable<typeof loaded>;
  if (!entry.reader) entry.reader = (await import('../nlu/reader.ts')).createReader(entry.catalog);
  return { catalog: entry.catalog, reader: entry.reader };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).map((f) => path.join(dir, f));
  } catch {
    return [dir];
  }
}

function safeMtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

function catalogCommand(args: string[], config: Config, io: Io): number {
  const { values } = parseArgs({ args, options: { region: { type: 'string' }, catalog: { type: 'string' }, json: { type: 'boolean' } } });
  const drafts = draftFiles(values.catalog);
  const { catalog } = load(config, drafts);
  const regions = values.region ? [findRegion(catalog, values.region)] : drafts.length ? draftRegions(catalog, drafts) : catalog.regions;
  if (values.json) {
    const out = regions.map((r) => catalogJson(r));
    io.stdout(JSON.stringify(values.region ? out[0] : out, null, 2));
    return 0;
  }
  for (const region of regions) {
    const dated = [region.document.number, region.document.date].filter(Boolean).join('，');
    io.stdout(`${region.document.catalogTitle}${dated ? `（${dated}）` : ''}`);
    for (const industry of region.industries) {
      io.stdout(`${industry.seq}. ${industry.name}`);
      industry.items.forEach((item) => io.stdout(`   - ${item.name}｜${item.department}${item.note ? `｜${item.note}` : ''}`));
    }
    io.stdout('');
  }
  return 0;
}

async function guideCommand(args: string[], config: Config, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      region: { type: 'string' },
      industry: { type: 'string' },
      answer: { type: 'string', multiple: true },
      catalog: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const text = positionals.join(' ').trim();
  const drafts = draftFiles(values.catalog);
  const { catalog, reader } = await loadWithReader(config, drafts);
  const [draft, ...moreDrafts] = draftRegions(catalog, drafts);
  // A draft tried alone answers for its own region unless another is asked for.
  const given = values.region ?? (draft && !moreDrafts.length ? draft.id : config.defaultRegion);
  let region = given ? findRegion(catalog, given) : undefined;
  const understanding = text ? reader.read(text, region ? { regionId: region.id } : {}) : undefined;
  if (!region && understanding?.region) region = findRegion(catalog, understanding.region);
  if (!region) {
    throw new UsageError(`请用 --region 指定地区。可选：${catalog.regions.map((r) => `${r.name}（${r.id}）`).join('、')}`);
  }
  const industry = values.industry
    ? findIndustry(region, values.industry)
    : understanding?.industry
      ? findIndustry(region, understanding.industry.id)
      : undefined;
  if (!industry) return noIndustry(region, understanding, values.json === true, io);

  const answers: Record<string, AnswerValue> = {};
  const known = new Set(region.questions.map((q) => q.id));
  for (const [id, value] of Object.entries(understanding?.answers ?? {})) if (known.has(id)) answers[id] = value;
  for (const pair of values.answer ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--answer 的格式应为 问题编号=回答，例如 --answer sells_tobacco=是（收到「${pair}」）`);
    const question = findQuestion(region, pair.slice(0, eq).trim());
    answers[question.id] = parseAnswer(question, pair.slice(eq + 1));
  }
  const guidance = guide(catalog, region, industry, answers);
  if (values.json) {
    io.stdout(
      JSON.stringify(
        {
          status: 'ok',
          ...guidanceJson(guidance),
          ...(understanding ? { understood: { industry: understanding.industry, answers: understanding.answers, fields: understanding.fields } } : {}),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  io.stdout(renderPermits(guidance.assessment));
  if (guidance.assessment.nextQuestion) io.stdout(`\n下一个问题：${renderQuestion(guidance.assessment.nextQuestion)}`);
  io.stdout(`\n${renderNotice(guidance.notice)}`);
  io.stdout(`\n${renderForm(guidance.form)}`);
  return 0;
}

function noIndustry(
  region: Region,
  understanding: Reading | undefined,
  json: boolean,
  io: Io,
): number {
  const out = understanding?.outOfCatalog;
  const related = (out?.related ?? []).flatMap((id) => region.industries.filter((i) => i.id === id).map((i) => i.name));
  const candidates = (understanding?.candidates ?? []).map((c) => c.name);
  const message = out
    ? `「${out.name}」不在${region.name}“一业一证”改革行业目录中，无法办理行业综合许可证。${related.length ? `相近的行业有：${related.join('、')}。` : ''}如需咨询，请拨打${hotlineText(region)}。`
    : `没有识别出您要经营的行业。${region.name}目录中的行业有：${region.industries.map((i) => i.name).join('、')}。也可以拨打${hotlineText(region)}咨询。`;
  if (json) {
    io.stdout(
      JSON.stringify(
        {
          status: out ? 'out_of_catalog' : 'no_industry',
          region: { id: region.id, name: region.name },
          message,
          ...(out ? { outOfCatalog: { concept: out.concept, name: out.name }, related } : {}),
          candidates,
          industries: region.industries.map((i) => ({ id: i.id, name: i.name })),
        },
        null,
        2,
      ),
    );
  } else {
    io.stdout(message);
  }
  return 3;
}

/** `yiye suggest`: the agent's suggested answers to a caller's question, offline (docs/cli.md). */
async function suggestCommand(args: string[], config: Config, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { region: { type: 'string' }, industry: { type: 'string' }, json: { type: 'boolean' } } });
  const text = positionals.join(' ').trim();
  if (!values.region) throw new UsageError(`请用 --region 说明地区（地区名称或编号，yiye catalog 列出全部地区）。\n${USAGE}`);
  if (!text) throw new UsageError(`请给出来电人的问题，如：yiye suggest --region 地区 "证能寄到家吗"\n${USAGE}`);
  if (text.length > 2000) throw new UsageError('问题太长了（最多2000字）。');
  const { catalog, reader } = await loadWithReader(config);
  const region = findRegion(catalog, values.region);
  const industry = values.industry ? findIndustry(region, values.industry) : undefined;
  const { suggestAnswers } = await import('../handoff/suggest.ts');
  const result = await suggestAnswers(catalog, reader, { region, text, ...(industry ? { industry } : {}) });
  if (values.json) {
    io.stdout(JSON.stringify(result, null, 2));
    return 0;
  }
  if (result.industry) io.stdout(`行业：${result.industry.name}`);
  if (!result.suggestions.length) {
    io.stdout(`没有找到可参考的答复：${region.name}的文件和知识库中没有写明。建议请来电人向${region.window.name}确认，或记录下来转交。`);
    return 3;
  }
  for (const [n, s] of result.suggestions.entries()) {
    io.stdout(`\n参考答复${n + 1}：\n${s.text}`);
    for (const source of s.sources) if (source.quote) io.stdout(`  原文（《${source.title}》${source.ref}）：${source.quote}`);
  }
  return 0;
}
