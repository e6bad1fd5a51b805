/**
 * `yiye report unanswered [--region R] [--since YYYY-MM-DD] [--limit N] [--json]`: the questions the
 * assistant could not answer from its knowledge, masked, most frequent first, so that staff know which FAQ
 * entries to write (docs/assistant.md, "Adding an FAQ entry").
 * `yiye report suggestions [...]`: what hotline agents did with the suggested answers (used, edited, wrong).
 */
import { parseArgs } from 'node:util';
import type { Catalog } from '../catalog/load.ts';
import { findRegion } from '../catalog/lookup.ts';
import type { UnansweredGroup, UnansweredRepository } from '../store/unanswered.ts';
import type { FeedbackEntry, SuggestionFeedbackRepository } from '../store/suggestionFeedback.ts';

export const REPORT_USAGE = `用法: yiye report unanswered [--region R] [--since YYYY-MM-DD] [--limit N] [--json]
  列出助手没能回答的问题（已脱敏），按出现次数排列，供工作人员补充问答条目。
      yiye report suggestions [--region R] [--since YYYY-MM-DD] [--limit N] [--json]
  坐席对参考答复的反馈：直接采用、修改后发送、答复有误的次数，以及有误和修改过的答复（已脱敏）。`;

export class ReportUsageError extends Error {
  override readonly name = 'ReportUsageError';
}

export interface ReportDeps {
  catalog: Catalog;
  unanswered: () => Promise<UnansweredRepository>;
  suggestions: () => Promise<SuggestionFeedbackRepository>;
}

export async function reportCommand(args: string[], deps: ReportDeps, out: (text: string) => void): Promise<number> {
  const [what, ...rest] = args;
  if (what !== 'unanswered' && what !== 'suggestions') throw new ReportUsageError(what ? `未知报表「${what}」。\n${REPORT_USAGE}` : REPORT_USAGE);
  const { values } = parseArgs({
    args: rest,
    options: { region: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  });
  const region = values.region ? findRegion(deps.catalog, values.region) : undefined;
  const since = values.since ? parseDate(values.since) : undefined;
  const limit = values.limit ? parseLimit(values.limit) : what === 'suggestions' ? 20 : 50;
  if (what === 'suggestions') {
    const report = await (await deps.suggestions()).report({ ...(region ? { region: region.id } : {}), ...(since ? { since } : {}), limit });
    if (values.json) {
      const entry = (e: FeedbackEntry) => ({ ...e, createdAt: e.createdAt.toISOString() });
      out(JSON.stringify({ ...report, wrong: report.wrong.map(entry), edited: report.edited.map(entry) }, null, 2));
      return 0;
    }
    const scope = `${region ? ` · ${region.name}` : ''}${since ? ` · 自${values.since}起` : ''}`;
    const total = report.counts.used + report.counts.edited + report.counts.wrong;
    if (!total) {
      out(`还没有坐席对参考答复的反馈${scope}。`);
      return 0;
    }
    out(`参考答复的反馈${scope}：共${total}次，直接采用${report.counts.used}次，修改后发送${report.counts.edited}次，答复有误${report.counts.wrong}次。`);
    if (report.wrongSources.length) {
      out('\n最常被标为有误的出处：');
      for (const s of report.wrongSources.slice(0, 10)) out(`${String(s.count).padStart(4)}次  《${s.title}》${s.ref}`);
    }
    if (report.wrong.length) {
      out('\n答复有误（最近）：');
      for (const e of report.wrong) out(`  ${e.createdAt.toISOString().slice(0, 10)} 问：${e.question}\n      答：${oneLine(e.suggestion)}`);
    }
    if (report.edited.length) {
      out('\n修改后发送（可考虑整理为问答条目）：');
      for (const e of report.edited) out(`  ${e.createdAt.toISOString().slice(0, 10)} 问：${e.question}\n      原答：${oneLine(e.suggestion)}\n      实发：${oneLine(e.sent ?? '')}`);
    }
    return 0;
  }
  const groups = (await (await deps.unanswered()).report({ ...(region ? { region: region.id } : {}), ...(since ? { since } : {}) })).slice(0, limit);
  if (values.json) {
    out(JSON.stringify(groups.map((g) => ({ ...g, lastAskedAt: g.lastAskedAt.toISOString() })), null, 2));
    return 0;
  }
  if (!groups.length) {
    out(`没有未能回答的问题${region ? `（${region.name}）` : ''}${since ? `（自${values.since}起）` : ''}。`);
    return 0;
  }
  out(`未能回答的问题${region ? ` · ${region.name}` : ''}${since ? ` · 自${values.since}起` : ''}（按次数）：`);
  for (const g of groups) out(line(g, deps.catalog));
  return 0;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}

function line(g: UnansweredGroup, catalog: Catalog): string {
  const region = catalog.regions.find((r) => r.id === g.region);
  const trades = g.industries.map((id) => region?.industries.find((i) => i.id === id)?.name ?? id);
  return `${String(g.count).padStart(4)}次  ${g.text}  〔${region?.name ?? g.region}${trades.length ? `｜${trades.join('、')}` : ''}｜最近 ${g.lastAskedAt.toISOString().slice(0, 10)}〕`;
}

function parseDate(text: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? new Date(`${text}T00:00:00+08:00`) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new ReportUsageError(`--since 需要日期，格式如 2026-12-01（收到「${text}」）。`);
  return date;
}

function parseLimit(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new ReportUsageError(`--limit 需要 1 到 10000 之间的整数（收到「${text}」）。`);
  return n;
}
