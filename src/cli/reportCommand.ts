/**
 * `yiye report unanswered [--region R] [--since YYYY-MM-DD] [--limit N] [--json]`: the questions the
 * assistant could not answer from its knowledge, masked, most frequent first, so that staff know which FAQ
 * entries to write (docs/assistant.md, "Adding an FAQ entry").
 */
import { parseArgs } from 'node:util';
import type { Catalog } from '../catalog/load.ts';
import { findRegion } from '../catalog/lookup.ts';
import type { UnansweredGroup, UnansweredRepository } from '../store/unanswered.ts';

export const REPORT_USAGE = `用法: yiye report unanswered [--region R] [--since YYYY-MM-DD] [--limit N] [--json]
  列出助手没能回答的问题（已脱敏），按出现次数排列，供工作人员补充问答条目。`;

export class ReportUsageError extends Error {
  override readonly name = 'ReportUsageError';
}

export interface ReportDeps {
  catalog: Catalog;
  unanswered: () => Promise<UnansweredRepository>;
}

export async function reportCommand(args: string[], deps: ReportDeps, out: (text: string) => void): Promise<number> {
  const [what, ...rest] = args;
  if (what !== 'unanswered') throw new ReportUsageError(what ? `未知报表「${what}」。\n${REPORT_USAGE}` : REPORT_USAGE);
  const { values } = parseArgs({
    args: rest,
    options: { region: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  });
  const region = values.region ? findRegion(deps.catalog, values.region) : undefined;
  const since = values.since ? parseDate(values.since) : undefined;
  const limit = values.limit ? parseLimit(values.limit) : 50;
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
