/**
 * Cases (with their items, events, inspections and 补正 requests) and applications over Prisma: rows
 * become the domain's records (repositories.ts), JSON columns the shapes written into them, and unique or
 * missing-row errors the kernel's ConflictError and NotFoundError.
 */
import type { StoreClient } from './client.ts';
import { translatePrismaError } from './errors.ts';
import { jsonObjectOf } from '../kernel/json.ts';
import type {
  ApplicationRepository,
  CaseEventRecord,
  CaseItemRecord,
  CaseRecord,
  CaseRepository,
  InspectionRecord,
  MaterialRequestRecord,
  MissingMaterial,
} from './repositories.ts';

/** What a case record is loaded with. */
const caseInclude = {
  items: { orderBy: { seq: 'asc' } },
  inspections: { orderBy: { createdAt: 'desc' } },
  materialRequests: { orderBy: { createdAt: 'asc' } },
  licences: { orderBy: { createdAt: 'desc' } },
  application: { select: { number: true, data: true, answers: true, submittedBy: true } },
} as const;

export function prismaCases(db: StoreClient): CaseRepository {
  return {
    async findByNumber(number) {
      const row = await db.case.findUnique({ where: { number }, include: caseInclude });
      return row ? toCaseRecord(row) : null;
    },
    async listOfUser(channel, userId) {
      const rows = await db.case.findMany({ where: { channel, userId }, include: caseInclude, orderBy: { createdAt: 'asc' }, take: 10 });
      return rows.map(toCaseRecord);
    },
    async listOfConversations(conversationIds) {
      const rows = await db.case.findMany({
        where: conversationIds.length === 1 ? { conversationId: conversationIds[0] } : { conversationId: { in: [...conversationIds] } },
        include: caseInclude,
        orderBy: { createdAt: 'asc' },
      });
      return rows.map(toCaseRecord);
    },
    async search(filter) {
      const rows = await db.case.findMany({
        where: {
          ...(filter.number ? { number: filter.number } : {}),
          ...(filter.applicationNumber ? { application: { number: filter.applicationNumber } } : {}),
          ...(filter.phoneLast4 ? { phoneLast4: filter.phoneLast4 } : {}),
          ...(filter.creditCode ? { creditCode: filter.creditCode } : {}),
          ...(filter.holderNameContains ? { holderName: { contains: filter.holderNameContains } } : {}),
          ...(filter.status ? { status: filter.status } : {}),
          ...(filter.region ? { region: filter.region } : {}),
          ...(filter.itemStatusIn
            ? { items: { some: filter.itemStatusIn.length === 1 ? { status: filter.itemStatusIn[0] } : { status: { in: [...filter.itemStatusIn] } } } }
            : {}),
        },
        include: caseInclude,
        orderBy: { createdAt: 'desc' },
        take: filter.limit,
      });
      return rows.map(toCaseRecord);
    },
    async phoneLast4Of(number) {
      const row = await db.case.findUnique({ where: { number }, select: { phoneLast4: true } });
      return row?.phoneLast4 ?? null;
    },
    async departmentsOf(number) {
      const row = await db.case.findUnique({ where: { number }, select: { items: { select: { department: true } } } });
      return row ? row.items.map((i) => i.department) : null;
    },
    async create({ items, creditCode, ...input }) {
      try {
        const row = await db.case.create({ data: { ...input, ...(creditCode ? { creditCode } : {}), items: { create: items } }, select: { id: true } });
        return { id: row.id };
      } catch (error) {
        throw translatePrismaError(error, 'Case', input.number);
      }
    },
    async update(caseId, changes) {
      await db.case.update({ where: { id: caseId }, data: changes });
    },
    async updateItem(itemId, changes) {
      await db.caseItem.update({ where: { id: itemId }, data: changes });
    },
    async moveItem(itemId, from, to, changes = {}) {
      const result = await db.caseItem.updateMany({ where: { id: itemId, status: from }, data: { status: to, ...changes } });
      return result.count === 1;
    },
    async countItems(caseId, statuses) {
      return db.caseItem.count({ where: { caseId, status: { in: [...statuses] } } });
    },
    async recordEvent({ data, ...event }) {
      await db.caseEvent.create({ data: { ...event, ...(data ? { data } : {}) } });
    },
    async events(caseId) {
      const rows = await db.caseEvent.findMany({ where: { caseId }, orderBy: { id: 'asc' } });
      return rows.map(
        (e): CaseEventRecord => ({
          caseId: e.caseId,
          permitId: e.permitId,
          actor: e.actor,
          actorName: e.actorName,
          action: e.action,
          fromStatus: e.fromStatus,
          toStatus: e.toStatus,
          reason: e.reason,
          data: e.data,
          at: e.at,
        }),
      );
    },
    async createInspection(input) {
      const row = await db.inspection.create({ data: { ...input, status: 'scheduled' }, select: { id: true } });
      return { id: row.id };
    },
    async updateInspection(id, from, changes) {
      const moved = await db.inspection.updateMany({ where: { id, status: from }, data: changes });
      return moved.count === 1;
    },
    async createMaterialRequest(input) {
      const row = await db.materialRequest.create({ data: { ...input, materials: input.materials.map((m) => ({ ...m })) } });
      return toMaterialRequest(row);
    },
    async closeMaterialRequest(id, outcome, at) {
      const closed = await db.materialRequest.updateMany({ where: { id, status: 'open' }, data: { status: outcome, closedAt: at, nextReminderAt: null } });
      return closed.count === 1;
    },
    async dueMaterialRequests(now, limit) {
      const rows = await db.materialRequest.findMany({
        where: { status: 'open', nextReminderAt: { lte: now } },
        include: { case: { include: { items: true } } },
        take: limit,
      });
      return rows.map((r) => ({ ...toMaterialRequest(r), case: { ...addressOf(r.case), items: r.case.items.map(toItem) } }));
    },
    async claimFollowUp(id, sent, next) {
      const claimed = await db.materialRequest.updateMany({ where: { id, status: 'open', remindersSent: sent }, data: { remindersSent: sent + 1, nextReminderAt: next } });
      return claimed.count === 1;
    },
    async itemsEnding(from, to) {
      const rows = await db.caseItem.findMany({ where: { status: 'approved', validUntil: { gte: from, lte: to } }, include: { case: true } });
      return rows.map((r) => ({ ...toItem(r), case: { ...addressOf(r.case), holderName: r.case.holderName } }));
    },
    async itemsLapsed(today, limit) {
      const rows = await db.caseItem.findMany({ where: { status: 'approved', validUntil: { lt: today } }, include: { case: { select: { number: true } } }, take: limit });
      return rows.map((r) => ({ ...toItem(r), caseNumber: r.case.number }));
    },
    async itemStatus(itemId) {
      const row = await db.caseItem.findUnique({ where: { id: itemId }, select: { status: true } });
      return row?.status ?? null;
    },
  };
}

export function prismaApplications(db: StoreClient): ApplicationRepository {
  return {
    async findByConversation(conversationId) {
      const row = await db.application.findUnique({ where: { conversationId }, select: { number: true, case: { select: { number: true } } } });
      return row ? { number: row.number, caseNumber: row.case?.number ?? null } : null;
    },
    async create({ submittedBy, ...input }) {
      try {
        const row = await db.application.create({ data: { ...input, status: 'submitted', ...(submittedBy ? { submittedBy } : {}) }, select: { id: true } });
        return { id: row.id };
      } catch (error) {
        throw translatePrismaError(error, 'Application', input.number);
      }
    },
    async updateData(id, data) {
      await db.application.update({ where: { id }, data: { data } });
    },
    async latestData(channel, userId) {
      const last = await db.application.findFirst({ where: { channel, userId }, orderBy: { createdAt: 'desc' }, select: { data: true } });
      return last ? jsonObjectOf(last.data) : null;
    },
    async recentBySubmitter({ submittedBy, region, industry, since }) {
      const rows = await db.application.findMany({
        where: { submittedBy, region, industry, createdAt: { gte: since } },
        select: { data: true, case: { select: { number: true } } },
        orderBy: { createdAt: 'desc' },
        take: 20,
      });
      return rows.map((r) => ({ data: jsonObjectOf(r.data), caseNumber: r.case?.number ?? null }));
    },
  };
}

type CaseRow = Omit<CaseRecord, 'items' | 'inspections' | 'materialRequests' | 'application'> & {
  items: CaseItemRecord[];
  inspections: (Omit<InspectionRecord, 'permitIds' | 'opinions'> & { permitIds: unknown; opinions: unknown })[];
  materialRequests: MaterialRow[];
  application: { number: string; data: unknown; answers: unknown; submittedBy: string | null };
};

type MaterialRow = Omit<MaterialRequestRecord, 'permitIds' | 'materials'> & { permitIds: unknown; materials: unknown };

function toCaseRecord(row: CaseRow): CaseRecord {
  return {
    ...addressOf(row),
    applicationId: row.applicationId,
    region: row.region,
    industry: row.industry,
    holderName: row.holderName,
    address: row.address,
    phoneLast4: row.phoneLast4,
    creditCode: row.creditCode,
    status: row.status,
    acceptedAt: row.acceptedAt,
    createdAt: row.createdAt,
    items: row.items.map(toItem),
    inspections: row.inspections.map((i) => ({
      id: i.id,
      status: i.status,
      permitIds: stringArray(i.permitIds),
      scheduledAt: i.scheduledAt,
      opinions: stringArray(i.opinions),
      recheckAt: i.recheckAt,
      note: i.note,
    })),
    materialRequests: row.materialRequests.map(toMaterialRequest),
    licences: row.licences.map((l) => ({
      id: l.id,
      number: l.number,
      caseId: l.caseId,
      region: l.region,
      industry: l.industry,
      status: l.status,
      version: l.version,
      voidReason: l.voidReason,
      createdAt: l.createdAt,
    })),
    application: {
      number: row.application.number,
      data: jsonObjectOf(row.application.data),
      answers: jsonObjectOf(row.application.answers),
      submittedBy: row.application.submittedBy,
    },
  };
}

function addressOf(row: { id: string; number: string; conversationId: string; channel: string; userId: string }) {
  return { id: row.id, number: row.number, conversationId: row.conversationId, channel: row.channel, userId: row.userId };
}

export function toItem(row: CaseItemRecord): CaseItemRecord {
  return {
    id: row.id,
    caseId: row.caseId,
    permitId: row.permitId,
    name: row.name,
    department: row.department,
    seq: row.seq,
    status: row.status,
    toConfirm: row.toConfirm,
    resumeStatus: row.resumeStatus,
    inspection: row.inspection,
    statutoryWorkingDays: row.statutoryWorkingDays,
    promisedWorkingDays: row.promisedWorkingDays,
    statutoryDeadline: row.statutoryDeadline,
    promisedDeadline: row.promisedDeadline,
    permitNumber: row.permitNumber,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    reason: row.reason,
    decidedAt: row.decidedAt,
  };
}

function toMaterialRequest(row: MaterialRow): MaterialRequestRecord {
  return {
    id: row.id,
    caseId: row.caseId,
    permitIds: stringArray(row.permitIds),
    materials: materialArray(row.materials),
    howToSubmit: row.howToSubmit,
    status: row.status,
    remindersSent: row.remindersSent,
    nextReminderAt: row.nextReminderAt,
    createdAt: row.createdAt,
  };
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function materialArray(value: unknown): MissingMaterial[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v: unknown) => {
    if (typeof v !== 'object' || v === null) return [];
    const name = 'name' in v && typeof v.name === 'string' ? v.name : undefined;
    const problem = 'problem' in v && typeof v.problem === 'string' ? v.problem : '';
    return name ? [{ name, problem }] : [];
  });
}
