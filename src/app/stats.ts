/**
 * How the service is doing, for the console's dashboard and its CSV exports: cases and items by status and
 * overdue; the working days each decided item took against its statutory and promised limits; materials and
 * form fields before and after merging, per case (the measure Shanghai reports); the questions most often
 * left unanswered; what agents did with suggested answers; tickets by kind and status. Read-only, masked
 * (no personal data appears in any of it).
 */
import { shanghaiDate } from '../kernel/clock.ts';
import { assess } from '../guidance/assess.ts';
import type { Answers } from '../guidance/conditions.ts';
import { buildForm, formFields } from '../guidance/form.ts';
import { buildNotice } from '../guidance/notice.ts';
import type { FeedbackOutcome } from '../store/suggestionFeedback.ts';
import { TICKET_KIND_LABEL } from '../tickets/numbers.ts';
import type { DomainDeps } from '../cases/deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { ITEM_STATUS_LABEL, requireRole, toCaseView, type ItemStatus } from '../cases/model.ts';

export interface ServiceStats {
  region: string | null;
  generatedAt: string;
  cases: { total: number; open: number; closed: number; overdue: number };
  itemsByStatus: { status: string; label: string; count: number; overdue: number }[];
  /** Per item (region wording): how many were decided, and their average working days against the limits. */
  itemDays: { permit: string; name: string; decided: number; averageDays: number | null; statutoryDays: number | null; promisedDays: number | null }[];
  /** Per case, newest first: materials and fields as separate applications would ask, and merged. */
  merging: { caseNumber: string; industry: string; materialsBefore: number; materialsAfter: number; fieldsBefore: number; fieldsAfter: number }[];
  unanswered: { text: string; region: string; count: number }[];
  suggestions: Record<FeedbackOutcome, number>;
  tickets: { kind: string; label: string; open: number; assigned: number; answered: number }[];
}

const CASES_READ = 2000;
const MERGING_LISTED = 200;

export async function serviceStats(deps: DomainDeps, actor: Actor, input: { region?: string } = {}): Promise<ServiceStats> {
  requireRole(actor, ['staff', 'hotline']);
  const region = input.region;
  const now = deps.clock.now();
  const rows = await deps.store.cases.search({ ...(region ? { region } : {}), limit: CASES_READ });
  const views = rows.map((r) => ({ row: r, view: toCaseView(deps.catalog, r, now) }));

  const byStatus = new Map<string, { count: number; overdue: number }>();
  const days = new Map<string, { name: string; taken: number[]; statutory: number | null; promised: number | null }>();
  for (const { row, view } of views) {
    for (const item of view.items) {
      const entry = byStatus.get(item.status) ?? { count: 0, overdue: 0 };
      entry.count += 1;
      if (item.overdue) entry.overdue += 1;
      byStatus.set(item.status, entry);
    }
    for (const item of row.items) {
      if (!item.decidedAt || (item.status !== 'approved' && item.status !== 'rejected')) continue;
      const from = shanghaiDate(row.acceptedAt ?? row.createdAt);
      const to = shanghaiDate(item.decidedAt);
      const d = days.get(item.permitId) ?? { name: item.name, taken: [], statutory: item.statutoryWorkingDays, promised: item.promisedWorkingDays };
      d.taken.push(workingDaysBetween(deps, from, to));
      days.set(item.permitId, d);
    }
  }

  const merging = views.slice(0, MERGING_LISTED).flatMap(({ row }) => {
    const r = deps.catalog.regions.find((x) => x.id === row.region);
    const industry = r?.industries.find((i) => i.id === row.industry);
    if (!r || !industry) return [];
    const assessment = assess(deps.catalog, r, industry, row.application.answers as Answers);
    const notice = buildNotice(deps.catalog, assessment);
    const form = buildForm(deps.catalog, assessment);
    // A field asked only in some case (the postal address) counts when it applied, as the chat counts it.
    const data = row.application.data;
    const hidden = formFields(form).filter((f) => f.when && data[f.when.field] !== f.when.eq).length;
    return [{ caseNumber: row.number, industry: industry.name, ...notice.counts, fieldsBefore: form.counts.fieldsBefore - hidden, fieldsAfter: form.counts.fieldsAfter - hidden }];
  });

  const [unanswered, feedback, tickets] = await Promise.all([
    deps.store.unanswered.report(region ? { region } : {}),
    deps.store.suggestionFeedback.report(region ? { region } : {}),
    deps.store.tickets.tally(region),
  ]);
  const ticketRows = Object.keys(TICKET_KIND_LABEL).map((kind) => {
    const of = tickets.filter((t) => t.kind === kind);
    return { kind, label: TICKET_KIND_LABEL[kind] ?? kind, open: of.filter((t) => t.status === 'open').length, assigned: of.filter((t) => t.status === 'assigned').length, answered: of.filter((t) => t.status === 'answered').length };
  });

  return {
    region: region ?? null,
    generatedAt: now.toISOString(),
    cases: {
      total: views.length,
      open: views.filter((v) => v.view.status === 'open').length,
      closed: views.filter((v) => v.view.status === 'closed').length,
      overdue: views.filter((v) => v.view.overdue).length,
    },
    itemsByStatus: [...byStatus].map(([status, e]) => ({ status, label: ITEM_STATUS_LABEL[status as ItemStatus] ?? status, count: e.count, overdue: e.overdue })),
    itemDays: [...days].map(([permit, d]) => ({
      permit,
      name: d.name,
      decided: d.taken.length,
      averageDays: d.taken.length ? Math.round((d.taken.reduce((a, b) => a + b, 0) / d.taken.length) * 10) / 10 : null,
      statutoryDays: d.statutory,
      promisedDays: d.promised,
    })),
    merging,
    unanswered: unanswered.slice(0, 10).map((u) => ({ text: u.text, region: deps.catalog.regions.find((r) => r.id === u.region)?.name ?? u.region, count: u.count })),
    suggestions: feedback.counts,
    tickets: ticketRows,
  };
}

/** Working days after `from` up to and including `to` (a decision on the day of acceptance took 0). */
function workingDaysBetween(deps: DomainDeps, from: string, to: string): number {
  let n = 0;
  let date = from;
  for (let guard = 0; date < to && guard < 3660; guard++) {
    const next = new Date(`${date}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    date = next.toISOString().slice(0, 10);
    if (deps.calendar.isWorkingDay(date)) n += 1;
  }
  return n;
}

/** One table of the stats as CSV (UTF-8 with a byte-order mark, so that Excel opens the Chinese right). */
export function statsCsv(stats: ServiceStats, table: 'items' | 'days' | 'merging' | 'unanswered' | 'tickets'): string {
  const rows: (string | number | null)[][] =
    table === 'items'
      ? [['事项状态', '件数', '其中超期'], ...stats.itemsByStatus.map((s) => [s.label, s.count, s.overdue])]
      : table === 'days'
        ? [['事项', '已办结件数', '平均用时（工作日）', '法定时限（工作日）', '承诺时限（工作日）'], ...stats.itemDays.map((d) => [d.name, d.decided, d.averageDays, d.statutoryDays, d.promisedDays])]
        : table === 'merging'
          ? [['办件号', '行业', '合并前材料', '合并后材料', '合并前表单字段', '合并后表单字段'], ...stats.merging.map((m) => [m.caseNumber, m.industry, m.materialsBefore, m.materialsAfter, m.fieldsBefore, m.fieldsAfter])]
          : table === 'unanswered'
            ? [['问题（已脱敏）', '地区', '次数'], ...stats.unanswered.map((u) => [u.text, u.region, u.count])]
            : [['类别', '待分派', '办理中', '已答复'], ...stats.tickets.map((t) => [t.label, t.open, t.assigned, t.answered])];
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export const STATS_TABLES = ['items', 'days', 'merging', 'unanswered', 'tickets'] as const;

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // A cell a spreadsheet would run as a formula is quoted with a leading apostrophe (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

