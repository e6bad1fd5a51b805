/**
 * The case workflow's vocabulary and its helpers over the store: item states and the allowed moves between
 * them (一并审批: every item moves on its own), a case as the views show it, and writing a state change
 * together with its event row.
 */
import { shanghaiDate } from '../kernel/clock.ts';
import type { Catalog } from '../catalog/load.ts';
import type { Region } from '../catalog/schema.ts';
import type { JsonObject } from '../store/conversations.ts';
import type { CaseAddress, CaseItemRecord, CaseRecord, ItemChanges, MaterialRequestRecord, MissingMaterial, Store } from '../store/repositories.ts';
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

/** The case with this number, or not_found in the applicant's words. */
export async function requireCase(store: Store, number: string): Promise<CaseRecord> {
  const record = await store.cases.findByNumber(number);
  if (!record) throw notFound('Case', number, '办件');
  return record;
}

/** Where messages about a case go: back to the channel and person it came from. */
export function toApplicant(record: CaseAddress) {
  return { channel: record.channel, userId: record.userId, conversationId: record.conversationId, caseId: record.id };
}

/** Form fields whose change is a change of the licence's printed information. */
export const PRINTED_FIELDS = ['entity_name', 'business_address', 'credit_code', 'legal_rep_name'] as const;

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
            permitIds: inspection.permitIds,
            scheduledAt: inspection.scheduledAt,
            opinions: inspection.opinions,
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

export function toMaterialRequestView(row: MaterialRequestRecord): MaterialRequestView {
  return {
    id: row.id,
    permitIds: row.permitIds,
    materials: row.materials,
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

export async function recordEvent(store: Store, actor: Actor, at: Date, event: EventInput): Promise<void> {
  await store.cases.recordEvent({
    caseId: event.caseId,
    permitId: event.permitId ?? null,
    ...actorKey(actor),
    action: event.action,
    fromStatus: event.fromStatus ?? null,
    toStatus: event.toStatus ?? null,
    reason: event.reason ?? null,
    data: event.data ?? null,
    at,
  });
}

/**
 * Moves an item from the status it was read in to `to`. The update is conditional on the old status, so
 * two staff acting at once cannot both move the same item: the second gets a clear conflict.
 */
export async function moveItem(store: Store, item: CaseItemRecord, to: ItemStatus, changes: ItemChanges = {}): Promise<void> {
  if (!(await store.cases.moveItem(item.id, item.status, to, changes))) {
    throw new DomainError('conflict', `item ${item.id} changed concurrently`, '该事项刚被其他人更新，请刷新后重试。');
  }
}

export function requireTransition(item: CaseItemRecord, to: ItemStatus): void {
  const from = itemStatus(item.status);
  if (!TRANSITIONS[from].includes(to)) {
    throw invalidState(
      `item ${item.permitId} cannot move from ${from} to ${to}`,
      `「${item.name}」当前状态为「${ITEM_STATUS_LABEL[from]}」，不能改为「${ITEM_STATUS_LABEL[to]}」。`,
    );
  }
}

export function findItem(record: CaseRecord, permitOrName: string): CaseItemRecord {
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
export async function refreshCaseStatus(store: Store, caseId: string): Promise<void> {
  const open = await store.cases.countItems(caseId, UNDECIDED);
  await store.cases.update(caseId, { status: open > 0 ? 'open' : 'closed' });
}

function deliveryOf(data: Record<string, unknown>): { delivery?: CaseView['delivery'] } {
  const method = data['licence_delivery'];
  if (method !== 'window' && method !== 'post') return {};
  const address = typeof data['postal_address'] === 'string' ? data['postal_address'] : undefined;
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

/** `{ key: value }` when the value is present, else `{}`: keeps optional properties absent under exactOptionalPropertyTypes-style reading. */
export function opt<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return value === null || value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
