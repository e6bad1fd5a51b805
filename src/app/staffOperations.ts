/**
 * The staff operations as one table, shared by the HTTP API and the CLI so that both edges validate the
 * same input (zod), call the same use case and write the same audit entry. Each entry: the roles that
 * may run it, its input schema, and the call.
 */
import { z } from 'zod';
import { audit } from '../auth/audit.ts';
import type { StaffActor } from '../auth/staff.ts';
import { issueLicence } from '../licence/issueLicence.ts';
import type { JsonObject } from '../store/conversations.ts';
import { acceptCase } from '../cases/acceptCase.ts';
import { changeCase } from '../cases/changeCase.ts';
import { closeMaterialRequest } from '../cases/closeMaterialRequest.ts';
import { decideItem } from '../cases/decideItem.ts';
import type { DomainDeps } from '../cases/deps.ts';
import { endItem } from '../cases/endItem.ts';
import { DomainError } from '../cases/errors.ts';
import { listCases, showCase } from '../cases/listCases.ts';
import { recordInspection } from '../cases/recordInspection.ts';
import { requestMaterials } from '../cases/requestMaterials.ts';
import { scheduleInspection } from '../cases/scheduleInspection.ts';
import { zodInputError } from '../cases/validation.ts';
import { cleanStrings } from '../kernel/cleanText.ts';

const caseNumber = z.string().trim().min(4).max(40);
const permit = z.string().trim().min(1).max(80);
const reason = z.string().trim().max(500);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 2026-01-31');
const instant = z.string().trim().min(10).max(40).transform((s, ctx) => {
  const d = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s}+08:00`);
  if (Number.isNaN(d.getTime())) ctx.addIssue({ code: 'custom', message: '时间格式应为 2026-12-01T09:30（北京时间）' });
  return d;
});

const PROBLEM_NEEDED = '请说明该材料缺少或不符合的具体问题';
const materialProblem = z.string({ error: PROBLEM_NEEDED }).trim().min(1, { error: PROBLEM_NEEDED }).max(300);

export const staffOperations = {
  list: {
    input: z.object({ status: z.enum(['open', 'closed']).optional(), overdue: z.boolean().optional(), region: z.string().max(50).optional(), itemStatus: z.string().max(30).optional(), q: z.string().max(60).optional(), limit: z.number().int().positive().max(500).optional() }),
    run: (deps: DomainDeps, actor: StaffActor, i: { status?: 'open' | 'closed' | undefined; overdue?: boolean | undefined; region?: string | undefined; itemStatus?: string | undefined; q?: string | undefined; limit?: number | undefined }) =>
      listCases(deps, { actor, ...defined(i) }),
  },
  show: {
    input: z.object({ caseNumber, reveal: z.boolean().optional() }),
    run: (deps: DomainDeps, actor: StaffActor, i: { caseNumber: string; reveal?: boolean | undefined }) => showCase(deps, { actor, caseNumber: i.caseNumber, reveal: i.reveal === true }),
  },
  accept: {
    input: z.object({ caseNumber, reason: reason.optional() }),
    run: (deps: DomainDeps, actor: StaffActor, i: { caseNumber: string; reason?: string | undefined }) => acceptCase(deps, { actor, caseNumber: i.caseNumber, ...defined({ reason: i.reason }) }),
  },
  decide: {
    input: z.object({ caseNumber, permit, decision: z.enum(['approve', 'reject', 'waive']), permitNumber: z.string().trim().min(1).max(80).optional(), validFrom: date.optional(), validUntil: date.optional(), reason: reason.optional() }),
    run: (
      deps: DomainDeps,
      actor: StaffActor,
      i: { caseNumber: string; permit: string; decision: 'approve' | 'reject' | 'waive'; permitNumber?: string | undefined; validFrom?: string | undefined; validUntil?: string | undefined; reason?: string | undefined },
    ) => decideItem(deps, { actor, ...defined(i), caseNumber: i.caseNumber, permit: i.permit, decision: i.decision }),
  },
  end: {
    input: z.object({ caseNumber, permit, kind: z.enum(['revoked', 'cancelled', 'expired']), reason: reason.min(1) }),
    run: (deps: DomainDeps, actor: StaffActor, i: { caseNumber: string; permit: string; kind: 'revoked' | 'cancelled' | 'expired'; reason: string }) => endItem(deps, { actor, ...i }),
  },
  scheduleInspection: {
    input: z.object({ caseNumber, at: instant, permits: z.array(permit).max(20).optional(), note: reason.optional() }),
    run: (deps: DomainDeps, actor: StaffActor, i: { caseNumber: string; at: Date; permits?: string[] | undefined; note?: string | undefined }) =>
      scheduleInspection(deps, { actor, caseNumber: i.caseNumber, at: i.at, ...defined({ permits: i.permits, note: i.note }) }),
  },
  recordInspection: {
    input: z.object({ caseNumber, result: z.enum(['passed', 'rectify', 'failed']), opinions: z.array(z.string().trim().min(1).max(300)).max(50).optional(), recheckAt: instant.optional(), note: reason.optional() }),
    run: (deps: DomainDeps, actor: StaffActor, i: { caseNumber: string; result: 'passed' | 'rectify' | 'failed'; opinions?: string[] | undefined; recheckAt?: Date | undefined; note?: string | undefined }) =>
      recordInspection(deps, { actor, caseNumber: i.caseNumber, result: i.result, ...defined({ opinions: i.opinions, recheckAt: i.recheckAt, note: i.note }) }),
  },
  requestMaterials: {
    input: z.object({
      caseNumber,
      permits: z.array(permit).max(20).optional(),
      materials: z.array(z.object({ name: z.string().trim().min(1).max(100), problem: materialProblem })).min(1).max(30),
      howToSubmit: z.string().trim().max(500).optional(),
    }),
    run: (deps: DomainDeps, actor: StaffActor, i: { caseNumber: string; permits?: string[] | undefined; materials: { name: string; problem: string }[]; howToSubmit?: string | undefined }) =>
      requestMaterials(deps, { actor, caseNumber: i.caseNumber, materials: i.materials, ...defined({ permits: i.permits, howToSubmit: i.howToSubmit }) }),
  },
  closeMaterials: {
    input: z.object({ caseNumber, requestId: z.string().trim().max(40).optional(), outcome: z.enum(['resolved', 'cancelled']), reason: reason.optional() }),
    run: (deps: DomainDeps, actor: StaffActor, i: { caseNumber: string; requestId?: string | undefined; outcome: 'resolved' | 'cancelled'; reason?: string | undefined }) =>
      closeMaterialRequest(deps, { actor, caseNumber: i.caseNumber, outcome: i.outcome, ...defined({ requestId: i.requestId, reason: i.reason }) }),
  },
  issue: {
    input: z.object({ caseNumber }),
    run: (deps: DomainDeps, actor: StaffActor, i: { caseNumber: string }) => issueLicence(deps, { actor, caseNumber: i.caseNumber }),
  },
  change: {
    input: z.object({
      caseNumber,
      fields: z.record(z.string().max(50), z.string().max(500)).optional(),
      item: z.object({ permit, permitNumber: z.string().trim().min(1).max(80).optional(), validUntil: date.optional() }).optional(),
      reason: reason.min(1),
    }),
    run: (
      deps: DomainDeps,
      actor: StaffActor,
      i: { caseNumber: string; fields?: Record<string, string> | undefined; item?: { permit: string; permitNumber?: string | undefined; validUntil?: string | undefined } | undefined; reason: string },
    ) =>
      changeCase(deps, {
        actor,
        caseNumber: i.caseNumber,
        reason: i.reason,
        ...defined({ fields: i.fields }),
        ...(i.item ? { item: { permit: i.item.permit, ...defined({ permitNumber: i.item.permitNumber, validUntil: i.item.validUntil }) } } : {}),
      }),
  },
} as const;

export type StaffOperation = keyof typeof staffOperations;

/** Validates, runs and audits one staff operation. Errors are audited with their code, then rethrown. */
export async function runStaffOperation<K extends StaffOperation>(
  deps: DomainDeps,
  actor: StaffActor,
  via: 'http' | 'cli',
  name: K,
  raw: unknown,
): Promise<Awaited<ReturnType<(typeof staffOperations)[K]['run']>>> {
  const op = staffOperations[name];
  // Reasons, opinions and materials reach the applicant and the record: cleaned as at the HTTP edge, from the CLI too.
  const input = cleanStrings(raw);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    await audit(deps.store, deps.clock, { actor, via, action: name, outcome: 'invalid_input' });
    throw new DomainError('invalid_input', 'input is not an object', '请求体应为 JSON 对象。');
  }
  const target = 'caseNumber' in input && typeof input.caseNumber === 'string' ? input.caseNumber : undefined;
  const parsed = op.input.safeParse(input);
  if (!parsed.success) {
    await audit(deps.store, deps.clock, { actor, via, action: name, ...(target ? { target } : {}), outcome: 'invalid_input' });
    throw zodInputError(parsed.error, input);
  }
  try {
    // Each entry's run takes its own schema's output; TypeScript cannot correlate the two through the key.
    const run: (d: DomainDeps, a: StaffActor, i: typeof parsed.data) => Promise<Awaited<ReturnType<(typeof staffOperations)[K]['run']>>> = op.run as never;
    if (actor.department && name !== 'list' && name !== 'show') await requireOwnCase(deps, actor, parsed.data);
    const result = await run(deps, actor, parsed.data);
    await audit(deps.store, deps.clock, { actor, via, action: name, ...(target ? { target } : {}), outcome: 'ok', detail: auditDetail(parsed.data) });
    return result;
  } catch (error) {
    const outcome = error instanceof DomainError ? error.code : 'error';
    await audit(deps.store, deps.clock, { actor, via, action: name, ...(target ? { target } : {}), outcome });
    throw error;
  }
}

/**
 * A staff member of one department acts only on cases with an item of that department (accepting, 补正,
 * the inspection, the licence); deciding an item is further limited to their department's items (decideItem).
 */
async function requireOwnCase(deps: DomainDeps, actor: StaffActor, input: unknown): Promise<void> {
  const number = typeof input === 'object' && input !== null && 'caseNumber' in input && typeof input.caseNumber === 'string' ? input.caseNumber : undefined;
  if (!number) return;
  const departments = await deps.store.cases.departmentsOf(number);
  if (departments && !departments.some((d) => d === actor.department)) {
    throw new DomainError('forbidden', `no item of ${actor.department}`, `办件 ${number} 没有${actor.department ?? ''}的事项，您不能办理。`);
  }
}

/** The validated input, as JSON (dates as ISO text); audit() masks any personal number in it. */
function auditDetail(input: unknown): JsonObject {
  return { input: JSON.parse(JSON.stringify(input ?? {})) };
}

/** Drops undefined properties (zod's optional output keeps them as `undefined`). */
function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
