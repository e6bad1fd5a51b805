/**
 * The case workflow's vocabulary and its persistence helpers: item states and the allowed moves between
 * them (一并审批: every item moves on its own), loading a case as a domain value, and writing a state
 * change together with its event row. Prisma rows stop here.
 */
import { shanghaiDate } from '../kernel/clock.ts';
import type { Catalog } from '../catalog/load.ts';
import type { Region } from '../catalog/schema.ts';
import type { JsonObject } from '../store/conversations.ts';
import type { StoreClient } from '../store/db.ts';
import { actorKey, type Actor, type StaffRole } from '../kernel/actor.ts';
import { DomainError, invalidState, notFound } from './errors.ts';

export const ITEM_STATUSES = [
  'submitted',
  'accepted',
  'needs_correction',
  'inspecting',
  'approved',
  'rejected',
  'revoked',
  'cancelled',
  'expired',
  'not_required',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** A permit that has ended after approval (注销, 撤销/吊销, 失效). */
export type EndedStatus = 'revoked' | 'cancelled' | 'expired';
export const ENDED: readonly ItemStatus[] = ['revoked', 'cancelled', 'expired'];
/** Still before a decision: deadlines run and can be overdue. */
export const UNDECIDED: readonly ItemStatus[] = ['submitted', 'accepted', 'needs_correction', 'inspecting'];

export const ITEM_STATUS_LABEL: Record<ItemStatus, string> = {
  submitted: '已提交，待受理',
  accepted: '已受理，审查中',
  needs_correction: '待补正材料',
  inspecting: '现场核查中',
  approved: '已许可',
  rejected: '不予许可',
  revoked: '已撤销',
  cancelled: '已注销',
  expired: '已失效',
  not_required: '经窗口确认无需办理',
};

/** The moves staff may make directly; 补正 and its resolution, and the ends, go through their own use cases. */
export const TRANSITIONS: Record<ItemStatus, readonly ItemStatus[]> = {
  // An item the applicant was unsure about (toConfirm) may be settled by the window as not required.
  submitted: ['accepted', 'needs_correction', 'rejected', 'not_required'],
  accepted: ['inspecting', 'approved', 'rejected', 'needs_correction', 'not_required'],
  needs_correction: ['rejected'],
  inspecting: ['approved', 'rejected', 'needs_correction'],
  approved: ['revoked', 'cancelled', 'expired'],
  rejected: [],
  revoked: [],
  cancelled: [],
  expired: [],
  not_required: [],
};

export function isItemStatus(value: string): value is ItemStatus {
  return (ITEM_STATUSES as readonly string[]).includes(value);
}

export interface CaseItemView {
  id: string;
  permitId: string;
  name: string;
  department: string;
  departmentFullName: string;
  status: ItemStatus;
  statusLabel: string;
  /** The applicant was unsure whether this item applies: the window confirms it (or settles it as not required). */
  toConfirm: boolean;
  inspection: string;
  statutoryWorkingDays?: number;
  promisedWorkingDays?: number;
  statutoryDeadline?: string;
  promisedDeadline?: string;
  /** Undecided and past its promised (else statutory) deadline. */
  overdue: boolean;
  permitNumber?: string;
  validFrom?: string;
  validUntil?: string;
  reason?: string;
}

export interface InspectionView {
  id: string;
  status: 'scheduled' | 'rectification' | 'passed' | 'failed';
  permitIds: string[];
  scheduledAt: Date;
  opinions: string[];
  recheckAt?: Date;
  note?: string;
}

export interface MissingMaterial {
  name: string;
  problem: string;
}

export interface MaterialRequestView {
  id: string;
  permitIds: string[];
  materials: MissingMaterial[];
  howToSubmit: string;
  status: 'open' | 'resolved' | 'cancelled';
  remindersSent: number;
  nextReminderAt?: Date;
  createdAt: Date;
}

export interface CaseView {
  id: string;
  number: string;
  applicationNumber: string;
  conversationId: string;
  regionId: string;
  regionName: string;
  industryId: string;
  industryName: string;
  channel: string;
  userId: string;
  holderName: string;
  address: string;
  phoneLast4: string;
  status: 'open' | 'closed';
  acceptedAt?: Date;
  createdAt: Date;
  items: CaseItemView[];
  inspection?: InspectionView;
  materialRequests: MaterialRequestView[];
  licence?: { id: string; number: string; status: string; version: number };
  /** How the applicant asked to receive the licence, where the region offers delivery by post. */
  delivery?: { method: 'window' | 'post'; address?: string };
  overdue: boolean;
}

/** What a case view needs loaded with the case (items, inspections, 补正, licences, the application). */
export const caseInclude = {
  items: { orderBy: { seq: 'asc' } },
  inspections: { orderBy: { createdAt: 'desc' } },
  materialRequests: { orderBy: { createdAt: 'asc' } },
  licences: { orderBy: { createdAt: 'desc' } },
  application: { select: { number: true, data: true, answers: true, submittedBy: true } },
} as const;

export async function loadCaseRecord(tx: StoreClient, number: string) {
  const row = await tx.case.findUnique({ where: { number }, include: caseInclude });
  if (!row) throw notFound('Case', number, '办件');
  return row;
}

/** The cases one channel user submitted, in any of their conversations, newest last. */
export async function loadCasesOfUser(tx: StoreClient, channel: string, userId: string) {
  return tx.case.findMany({ where: { channel, userId }, include: caseInclude, orderBy: { createdAt: 'asc' }, take: 10 });
}

export async function loadCasesOfConversation(tx: StoreClient, conversationId: string) {
  return tx.case.findMany({ where: { conversationId }, include: caseInclude, orderBy: { createdAt: 'asc' } });
}

export type CaseRecord = Awaited<ReturnType<typeof loadCaseRecord>>;
export type ItemRecord = CaseRecord['items'][number];

export function regionOf(catalog: Catalog, regionId: string): Region {
  const region = catalog.regions.find((r) => r.id === regionId);
  if (!region) throw new Error(`case refers to region ${regionId}, which is not loaded`);
  return region;
}

export function toCaseView(catalog: Catalog, record: CaseRecord, now: Date): CaseView {
  const region = regionOf(catalog, record.region);
  const today = shanghaiDate(now);
  const items = record.items.map((item): CaseItemView => {
    const status = itemStatus(item.status);
    const deadline = item.promisedDeadline ?? item.statutoryDeadline;
    return {
      id: item.id,
      permitId: item.permitId,
      name: item.name,
      department: item.department,
      departmentFullName: region.departments[item.department]?.fullName ?? item.department,
      status,
      statusLabel: ITEM_STATUS_LABEL[status],
      toConfirm: item.toConfirm,
      inspection: item.inspection,
      ...opt('statutoryWorkingDays', item.statutoryWorkingDays),
      ...opt('promisedWorkingDays', item.promisedWorkingDays),
      ...opt('statutoryDeadline', item.statutoryDeadline),
      ...opt('promisedDeadline', item.promisedDeadline),
      overdue: UNDECIDED.includes(status) && deadline !== null && today > deadline,
      ...opt('permitNumber', item.permitNumber),
      ...opt('validFrom', item.validFrom),
      ...opt('validUntil', item.validUntil),
      ...opt('reason', item.reason),
    };
  });
  const inspection = record.inspections[0];
  const licence = record.licences.find((l) => l.status === 'valid') ?? record.licences[0];
  return {
    id: record.id,
    number: record.number,
    applicationNumber: record.application.number,
    conversationId: record.conversationId,
    regionId: region.id,
    regionName: region.name,
    industryId: record.industry,
    industryName: region.industries.find((i) => i.id === record.industry)?.name ?? record.industry,
    channel: record.channel,
    userId: record.userId,
    holderName: record.holderName,
    address: record.address,
    phoneLast4: record.phoneLast4,
    ...deliveryOf(record.application.data),
    status: record.status === 'closed' ? 'closed' : 'open',
    ...opt('acceptedAt', record.acceptedAt),
    createdAt: record.createdAt,
    items,
    ...(inspection
      ? {
          inspection: {
            id: inspection.id,
            status: inspectionStatus(inspection.status),
            permitIds: stringArray(inspection.permitIds),
            scheduledAt: inspection.scheduledAt,
            opinions: stringArray(inspection.opinions),
            ...opt('recheckAt', inspection.recheckAt),
            ...opt('note', inspection.note),
          },
        }
      : {}),
    materialRequests: record.materialRequests.map(toMaterialRequestView),
    ...(licence ? { licence: { id: licence.id, number: licence.number, status: licence.status, version: licence.version } } : {}),
    overdue: items.some((i) => i.overdue),
  };
}

export function toMaterialRequestView(row: CaseRecord['materialRequests'][number]): MaterialRequestView {
  return {
    id: row.id,
    permitIds: stringArray(row.permitIds),
    materials: materialArray(row.materials),
    howToSubmit: row.howToSubmit,
    status: row.status === 'resolved' ? 'resolved' : row.status === 'cancelled' ? 'cancelled' : 'open',
    remindersSent: row.remindersSent,
    ...opt('nextReminderAt', row.nextReminderAt),
    createdAt: row.createdAt,
  };
}

export interface EventInput {
  caseId: string;
  permitId?: string;
  action: string;
  fromStatus?: string;
  toStatus?: string;
  reason?: string;
  data?: JsonObject;
}

export async function recordEvent(tx: StoreClient, actor: Actor, at: Date, event: EventInput): Promise<void> {
  await tx.caseEvent.create({
    data: {
      caseId: event.caseId,
      permitId: event.permitId ?? null,
      ...actorKey(actor),
      action: event.action,
      fromStatus: event.fromStatus ?? null,
      toStatus: event.toStatus ?? null,
      reason: event.reason ?? null,
      ...(event.data ? { data: event.data } : {}),
      at,
    },
  });
}

/**
 * Moves an item from the status it was read in to `to`. The update is conditional on the old status, so
 * two staff acting at once cannot both move the same item: the second gets a clear conflict.
 */
export async function moveItem(
  tx: StoreClient,
  item: ItemRecord,
  to: ItemStatus,
  data: { resumeStatus?: string | null; reason?: string | null; permitNumber?: string | null; validFrom?: string | null; validUntil?: string | null; decidedAt?: Date | null } = {},
): Promise<void> {
  const result = await tx.caseItem.updateMany({ where: { id: item.id, status: item.status }, data: { status: to, ...data } });
  if (result.count !== 1) {
    throw new DomainError('conflict', `item ${item.id} changed concurrently`, '该事项刚被其他人更新，请刷新后重试。');
  }
}

export function requireTransition(item: ItemRecord, to: ItemStatus): void {
  const from = itemStatus(item.status);
  if (!TRANSITIONS[from].includes(to)) {
    throw invalidState(
      `item ${item.permitId} cannot move from ${from} to ${to}`,
      `「${item.name}」当前状态为「${ITEM_STATUS_LABEL[from]}」，不能改为「${ITEM_STATUS_LABEL[to]}」。`,
    );
  }
}

export function findItem(record: CaseRecord, permitOrName: string): ItemRecord {
  const item = record.items.find((i) => i.permitId === permitOrName || i.name === permitOrName || i.id === permitOrName);
  if (!item) {
    throw new DomainError(
      'not_found',
      `item ${permitOrName} not in case ${record.number}`,
      `办件${record.number}中没有事项「${permitOrName}」。可选：${record.items.map((i) => `${i.name}（${i.permitId}）`).join('、')}`,
    );
  }
  return item;
}

/** Staff of one of `roles` (admins may do everything). */
export function requireRole(actor: Actor, roles: readonly StaffRole[]): asserts actor is Extract<Actor, { kind: 'staff' }> {
  if (actor.kind !== 'staff') throw new DomainError('forbidden', 'staff only', '只有工作人员可以进行此操作。');
  if (actor.role !== 'admin' && !roles.includes(actor.role)) {
    throw new DomainError('forbidden', `role ${actor.role} may not do this`, '您的角色无权进行此操作。');
  }
}

/** Closes the case when no item is left undecided (and reopens it if one is). */
export async function refreshCaseStatus(tx: StoreClient, caseId: string): Promise<void> {
  const open = await tx.caseItem.count({ where: { caseId, status: { in: [...UNDECIDED] } } });
  await tx.case.update({ where: { id: caseId }, data: { status: open > 0 ? 'open' : 'closed' } });
}

function deliveryOf(data: unknown): { delivery?: CaseView['delivery'] } {
  if (typeof data !== 'object' || data === null || !('licence_delivery' in data)) return {};
  const method = data.licence_delivery;
  if (method !== 'window' && method !== 'post') return {};
  const address = 'postal_address' in data && typeof data.postal_address === 'string' ? data.postal_address : undefined;
  return { delivery: { method, ...(method === 'post' && address ? { address } : {}) } };
}

export function itemStatus(value: string): ItemStatus {
  if (isItemStatus(value)) return value;
  throw new Error(`unknown item status in the database: ${value}`);
}

function inspectionStatus(value: string): InspectionView['status'] {
  if (value === 'scheduled' || value === 'rectification' || value === 'passed' || value === 'failed') return value;
  throw new Error(`unknown inspection status in the database: ${value}`);
}

export function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function materialArray(value: unknown): MissingMaterial[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v: unknown) => {
    if (typeof v !== 'object' || v === null) return [];
    const name = 'name' in v && typeof v.name === 'string' ? v.name : undefined;
    const problem = 'problem' in v && typeof v.problem === 'string' ? v.problem : '';
    return name ? [{ name, problem }] : [];
  });
}

export function jsonObjectOf(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value));
}

/** `{ key: value }` when the value is present, else `{}`: keeps optional properties absent under exactOptionalPropertyTypes-style reading. */
export function opt<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return value === null || value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
