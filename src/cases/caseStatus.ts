/**
 * 「我的申请到哪一步了」: each item's status, the next step and the deadline, for the cases of the
 * conversation (the applicant sees their own cases directly).
 */
import type { DomainDeps } from './deps.ts';
import { toCaseView, type CaseItemView, type CaseView } from './model.ts';
import { formatLocal } from '../calendar/workingDays.ts';
import type { CaseRecord } from '../store/repositories.ts';

export interface ItemStatusView {
  permitId: string;
  name: string;
  department: string;
  status: CaseItemView['status'];
  statusLabel: string;
  nextStep: string;
  /** The deadline that applies (promised, else statutory), YYYY-MM-DD. */
  deadline?: string;
  overdue: boolean;
  permitNumber?: string;
  validUntil?: string;
}

export interface CaseStatusView {
  caseNumber: string;
  applicationNumber: string;
  region: string;
  industry: string;
  holder: string;
  items: ItemStatusView[];
  licence?: { number: string; status: string; version: number };
  /** Plain Chinese summary for a chat reply. */
  text: string;
}

export async function caseStatusForConversation(deps: DomainDeps, conversationId: string): Promise<CaseStatusView[]> {
  return statusViews(deps, await deps.store.cases.listOfConversations([conversationId]));
}

/** The same for every case the channel user submitted (after 「重新开始」 the case is in an older conversation). */
export async function caseStatusForUser(deps: DomainDeps, channel: string, userId: string): Promise<CaseStatusView[]> {
  return statusViews(deps, await deps.store.cases.listOfUser(channel, userId));
}

function statusViews(deps: DomainDeps, records: CaseRecord[]): CaseStatusView[] {
  const now = deps.clock.now();
  return records.map((r) => statusView(toCaseView(deps.catalog, r, now)));
}

export function statusView(c: CaseView): CaseStatusView {
  const items = c.items.map((i): ItemStatusView => {
    const deadline = i.promisedDeadline ?? i.statutoryDeadline;
    return {
      permitId: i.permitId,
      name: i.name,
      department: i.department,
      status: i.status,
      statusLabel: i.statusLabel,
      nextStep: nextStep(c, i),
      ...(deadline && ['submitted', 'accepted', 'needs_correction', 'inspecting'].includes(i.status) ? { deadline } : {}),
      overdue: i.overdue,
      ...(i.permitNumber ? { permitNumber: i.permitNumber } : {}),
      ...(i.validUntil ? { validUntil: i.validUntil } : {}),
    };
  });
  const lines = items.map(
    (i) =>
      `· ${i.name}（${i.department}）：${i.statusLabel}${i.deadline ? `，${i.overdue ? '已超过' : ''}办结时限 ${i.deadline}` : ''}${i.overdue ? '（已超期，已提醒工作人员）' : ''}。下一步：${i.nextStep}`,
  );
  const licence = c.licence ? `行业综合许可证：${c.licence.number}（${c.licence.status === 'valid' ? `有效，第${c.licence.version}版` : '已作废'}）` : '';
  return {
    caseNumber: c.number,
    applicationNumber: c.applicationNumber,
    region: c.regionName,
    industry: c.industryName,
    holder: c.holderName,
    items,
    ...(c.licence ? { licence: { number: c.licence.number, status: c.licence.status, version: c.licence.version } } : {}),
    text: [`办件 ${c.number}（${c.regionName}·${c.industryName}）办理进度：`, ...lines, licence].filter(Boolean).join('\n'),
  };
}

function nextStep(c: CaseView, i: CaseItemView): string {
  switch (i.status) {
    case 'submitted':
      return i.toConfirm ? '等待窗口受理，并确认您的情况是否需要办理这一项' : '等待窗口受理';
    case 'accepted':
      return i.inspection === 'always' ? '等待安排联合现场核查' : `${i.department}审查中`;
    case 'needs_correction': {
      const request = c.materialRequests.find((r) => r.status === 'open' && r.permitIds.includes(i.permitId));
      return request ? `请补交：${request.materials.map((m) => m.name).join('、')}。${request.howToSubmit}` : '请按补正通知补交材料';
    }
    case 'inspecting': {
      const insp = c.inspection;
      if (!insp) return '等待现场核查';
      if (insp.status === 'scheduled') return `联合现场核查：${formatLocal(insp.scheduledAt)}`;
      if (insp.status === 'rectification') return `请按整改意见整改（${insp.opinions.join('；')}），之后复查${insp.recheckAt ? `：${formatLocal(insp.recheckAt)}` : ''}`;
      if (insp.status === 'passed') return `核查合格，等待${i.department}作出许可决定`;
      return '核查未通过，等待部门作出决定';
    }
    case 'approved':
      return c.licence?.status === 'valid' ? '已纳入行业综合许可证' : '等待核发行业综合许可证';
    case 'rejected':
      return i.reason ? `原因：${i.reason}` : '可咨询窗口了解原因';
    case 'not_required':
      return i.reason ? `无需再办（窗口说明：${i.reason}）` : '无需再办';
    default:
      return i.reason ? `原因：${i.reason}` : '—';
  }
}
