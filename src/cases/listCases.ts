/**
 * Staff views: the list of cases (masked, filterable, overdue flagged) and one case in full with its
 * events. Personal numbers are masked for every role except where `reveal` is asked by staff or admin.
 */
import { maskIdNumber, maskMobile } from '../privacy/mask.ts';
import type { DomainDeps } from './deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { DomainError, invalidInput } from './errors.ts';
import { isItemStatus, ITEM_STATUS_LABEL, ITEM_STATUSES, requireCase, requireRole, toCaseView, UNDECIDED, type CaseItemView, type CaseView } from './model.ts';
import { deadlineApproximate } from './deadlines.ts';
import { knownRegion } from './validation.ts';
import { assess } from '../guidance/assess.ts';
import { buildNotice } from '../guidance/notice.ts';
import type { Answers } from '../guidance/conditions.ts';
import type { CaseFilter } from '../store/repositories.ts';

export interface CaseListEntry {
  number: string;
  applicationNumber: string;
  region: string;
  industry: string;
  holder: string;
  phone: string;
  status: 'open' | 'closed';
  createdAt: string;
  overdue: boolean;
  items: { permitId: string; name: string; department: string; status: string; deadline?: string; overdue: boolean }[];
}

export async function listCases(
  deps: DomainDeps,
  input: { actor: Actor; status?: 'open' | 'closed'; overdue?: boolean; region?: string; itemStatus?: string; q?: string; limit?: number },
): Promise<CaseListEntry[]> {
  requireRole(input.actor, ['staff', 'hotline']);
  const now = deps.clock.now();
  // A region by id, Chinese name or alias; an unknown region or item status is a mistake, not an empty list.
  const regionId = input.region !== undefined ? knownRegion(deps.catalog, input.region).id : undefined;
  if (input.itemStatus !== undefined && !isItemStatus(input.itemStatus)) {
    throw invalidInput(
      `unknown item status ${input.itemStatus}`,
      `没有事项状态「${input.itemStatus}」。可选：${ITEM_STATUSES.map((st) => `${st}（${ITEM_STATUS_LABEL[st]}）`).join('、')}。`,
    );
  }
  const search = input.q !== undefined ? searchOf(input.q) : undefined;
  const rows = await deps.store.cases.search({
    ...(search?.where ?? {}),
    ...(input.status ? { status: input.status } : {}),
    ...(regionId ? { region: regionId } : {}),
    ...(input.itemStatus ? { itemStatusIn: [input.itemStatus] } : input.overdue ? { itemStatusIn: UNDECIDED } : {}),
    limit: Math.min(input.limit ?? 100, 500),
  });
  return rows
    .filter((r) => !search?.mobile || r.application.data['contact_mobile'] === search.mobile)
    .map((r) => toCaseView(deps.catalog, r, now))
    .filter((c) => !input.overdue || c.overdue)
    .map((c) => ({
      number: c.number,
      applicationNumber: c.applicationNumber,
      region: c.regionName,
      industry: c.industryName,
      holder: c.holderName,
      phone: `*******${c.phoneLast4}`,
      status: c.status,
      createdAt: c.createdAt.toISOString(),
      overdue: c.overdue,
      items: c.items.map((i) => ({
        permitId: i.permitId,
        name: i.name,
        department: i.department,
        status: i.status,
        ...((i.promisedDeadline ?? i.statutoryDeadline) ? { deadline: i.promisedDeadline ?? i.statutoryDeadline } : {}),
        overdue: i.overdue,
      })),
    }));
}

/**
 * What a search box finds a case by: its case or application number, the applicant's mobile (matched in
 * full, through its last four digits, or those four digits alone), the 统一社会信用代码, or part of the holder's name.
 */
function searchOf(raw: string): { where: Omit<CaseFilter, 'limit'>; mobile?: string } {
  const q = raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (!q || q.length > 60) throw invalidInput('bad search', '请输入办件号、申请号、手机号、统一社会信用代码或主体名称（60字以内）。');
  if (/^BJ\d{14}$/.test(q)) return { where: { number: q } };
  if (/^SQ\d{14}$/.test(q)) return { where: { applicationNumber: q } };
  if (/^1[3-9]\d{9}$/.test(q)) return { where: { phoneLast4: q.slice(-4) }, mobile: q };
  if (/^\d{4}$/.test(q)) return { where: { phoneLast4: q } };
  if (/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(q)) return { where: { creditCode: q } };
  // LIKE's wildcards and escape are not part of any name: `%` alone would list every case.
  const name = raw.trim().replace(/[%_\\]/g, '');
  if (!name) throw invalidInput('bad search', '请输入办件号、申请号、手机号、统一社会信用代码或主体名称（60字以内）。');
  return { where: { holderNameContains: name } };
}

export interface CaseDetail extends CaseView {
  /** `approximate`: a deadline of the item (statutory or promised) lies in a year without the State Council's holiday notice (weekends and fixed-date holidays only). */
  items: (CaseItemView & { approximate: boolean })[];
  form: Record<string, unknown>;
  events: { at: string; actor: string; action: string; permitId?: string; from?: string; to?: string; reason?: string; data?: unknown }[];
  outbox: { id: number; channel: string; status: string; attempts: number; lastError?: string; createdAt: string; text: string }[];
  licenceVersions: { version: number; reason: string; free: boolean | null; issuedAt: string }[];
  /** The licence's public page, print page and QR image (the current version). */
  licenceLinks?: { verify: string; print: string; qr: string };
  /** The materials of the case's own notice: what a 补正 request picks from. */
  noticeMaterials: { name: string; neededBy: string[] }[];
  /** 帮办代办: the staff member who submitted the application for the applicant. */
  submittedBy?: string;
  /** The form as filled, with each field's label (masked as `form` is). */
  formFields: { id: string; label: string; value: string }[];
}

export async function showCase(deps: DomainDeps, input: { actor: Actor; caseNumber: string; reveal?: boolean }): Promise<CaseDetail> {
  requireRole(input.actor, ['staff', 'hotline']);
  if (input.reveal && input.actor.role === 'hotline') {
    throw new DomainError('forbidden', 'hotline may not reveal', '热线坐席不能查看完整的身份证号和手机号。');
  }
  const record = await requireCase(deps.store, input.caseNumber);
  const view = toCaseView(deps.catalog, record, deps.clock.now());
  const [events, outbox, versions] = await Promise.all([
    deps.store.cases.events(record.id),
    deps.store.outbox.ofCase(record.id),
    view.licence ? deps.store.licences.versions(view.licence.id) : Promise.resolve([]),
  ]);
  const form = record.application.data;
  const submitter = record.application.submittedBy ? await deps.store.staff.findUser(record.application.submittedBy) : null;
  const verify = view.licence ? deps.licenceRules.verifyUrl(view.licence.id, view.licence.version) : undefined;
  return {
    ...view,
    items: view.items.map((i) => ({ ...i, approximate: deadlineApproximate(deps.calendar, i.statutoryDeadline) || deadlineApproximate(deps.calendar, i.promisedDeadline) })),
    form: input.reveal ? form : maskForm(deps, form),
    events: events.map((e) => ({
      at: e.at.toISOString(),
      actor: e.actorName,
      action: e.action,
      ...(e.permitId ? { permitId: e.permitId } : {}),
      ...(e.fromStatus ? { from: e.fromStatus } : {}),
      ...(e.toStatus ? { to: e.toStatus } : {}),
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.data !== null ? { data: e.data } : {}),
    })),
    outbox: outbox.map((m) => ({ id: m.id, channel: m.channel, status: m.status, attempts: m.attempts, ...(m.lastError ? { lastError: m.lastError } : {}), createdAt: m.createdAt.toISOString(), text: m.text })),
    licenceVersions: versions.map((v) => ({ version: v.version, reason: v.reason, free: v.free, issuedAt: v.issuedAt.toISOString() })),
    ...(verify ? { licenceLinks: { verify, print: `${verify}/print`, qr: `${verify}/qr.png` } } : {}),
    noticeMaterials: noticeMaterialsOf(deps, record.region, record.industry, record.application.answers),
    ...(record.application.submittedBy ? { submittedBy: submitter?.name ?? '（已停用的工作人员）' } : {}),
    formFields: labelled(deps, input.reveal ? form : maskForm(deps, form)),
  };
}

/** The merged notice's materials for the case's region, trade and answers (empty if the catalog changed beyond it). */
function noticeMaterialsOf(deps: DomainDeps, regionId: string, industryId: string, answers: Record<string, unknown>): { name: string; neededBy: string[] }[] {
  const region = deps.catalog.regions.find((r) => r.id === regionId);
  const industry = region?.industries.find((i) => i.id === industryId);
  if (!region || !industry) return [];
  const given = answers as Answers;
  return buildNotice(deps.catalog, assess(deps.catalog, region, industry, given)).materials.map((m) => ({ name: m.name, neededBy: m.neededBy }));
}

/** The form's values with their labels, in the registry's order; option ids read as their labels. */
function labelled(deps: DomainDeps, form: Record<string, unknown>): { id: string; label: string; value: string }[] {
  return Object.entries(form).map(([id, value]) => {
    const field = deps.catalog.fields.get(id);
    const text = Array.isArray(value) ? value.map((v) => optionLabel(field, v)).join('、') : optionLabel(field, value);
    return { id, label: field?.label ?? id, value: text };
  });
}

function optionLabel(field: { options?: readonly { id: string; label: string }[] } | undefined, value: unknown): string {
  const option = field?.options?.find((o) => o.id === value);
  return option ? option.label : typeof value === 'boolean' ? (value ? '是' : '否') : String(value);
}

/** Masks every personal field the registry marks (ID and phone numbers). */
export function maskForm(deps: DomainDeps, form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(form)) {
    const field = deps.catalog.fields.get(id);
    if (typeof value === 'string' && field?.personal) {
      out[id] = field.type === 'id_number' ? maskIdNumber(value) : field.type === 'mobile' || field.type === 'phone' ? maskMobile(value) : '***';
    } else out[id] = value;
  }
  return out;
}
