/**
 * Submits the one merged application: it becomes a case with one item per required permit (一并审批),
 * each with its department and its statutory and promised deadline in working days.
 */
import { shanghaiDate } from '../kernel/clock.ts';
import { findIndustry, findRegion, getPermit } from '../catalog/lookup.ts';
import { assess } from '../guidance/assess.ts';
import type { AnswerValue, Answers } from '../guidance/conditions.ts';
import type { JsonObject } from '../store/conversations.ts';
import type { FieldValue } from '../guidance/validators.ts';
import { UnknownNameError } from '../catalog/errors.ts';
import { deadlinesFrom, itemLimits } from './deadlines.ts';
import type { DomainDeps } from './deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { DomainError, invalidInput } from './errors.ts';
import { recordEvent, ITEM_STATUS_LABEL } from './model.ts';
import { applicationNumber, caseNumber, withFreshNumber } from '../kernel/numbers.ts';

export interface SubmitApplicationInput {
  conversationId: string;
  channel: string;
  userId: string;
  regionId: string;
  industryId: string;
  /** Scenario answers by question id. */
  answers: Answers;
  /** The merged form's validated values by field id. */
  form: Readonly<Record<string, FieldValue>>;
  /** 帮办代办: the agent or staff member submitting for the applicant (recorded on the application and its event). */
  submittedBy?: Extract<Actor, { kind: 'staff' }>;
}

export interface SubmittedItem {
  permitId: string;
  name: string;
  department: string;
  status: string;
  statusLabel: string;
  /** The applicant was unsure whether it applies: the window confirms it. */
  toConfirm: boolean;
  statutoryWorkingDays?: number;
  promisedWorkingDays?: number;
  /** YYYY-MM-DD, counted from today; recounted from the day the window accepts the case. */
  statutoryDeadline?: string;
  promisedDeadline?: string;
}

export interface SubmitApplicationResult {
  applicationNumber: string;
  caseNumber: string;
  items: SubmittedItem[];
  /**
   * The deadline that applies to some item (promised, else statutory) falls in a year the holiday
   * calendar does not cover yet: weekends and fixed-date holidays only were counted.
   */
  approximateDeadlines: boolean;
}

export async function submitApplication(deps: DomainDeps, input: SubmitApplicationInput): Promise<SubmitApplicationResult> {
  const { catalog, calendar, clock } = deps;
  const region = known(() => findRegion(catalog, input.regionId));
  const industry = known(() => findIndustry(region, input.industryId));
  const assessment = assess(catalog, region, industry, input.answers);
  // Items left undecided (the applicant answered 不确定) go with the case for the window to confirm.
  const applied = assessment.items.filter((i) => i.status !== 'not_needed');
  if (!applied.some((i) => i.status === 'required')) {
    throw invalidInput('no required items', '根据您的情况，没有确定需要办理的事项，无需提交申请。如有疑问可咨询窗口或热线。');
  }
  const holderName = text(input.form['entity_name'], '主体名称');
  const address = text(input.form['business_address'], '经营场所地址');
  const mobile = text(input.form['contact_mobile'], '联系电话');
  if (!/^1[3-9]\d{9}$/.test(mobile)) throw invalidInput('contact_mobile is not a mobile number', '联系电话应为11位手机号码。');

  const now = clock.now();
  const today = shanghaiDate(now);
  const limits = itemLimits(catalog, region, applied.map((i) => i.permitId));
  let approximate = false;
  const items = applied.map((item, seq) => {
    const limit = limits.get(item.permitId) ?? {};
    const deadlines = deadlinesFrom(calendar, today, limit);
    // Only the deadline the applicant is told (promised, else statutory) decides the caveat.
    approximate ||= deadlines.applyingApproximate;
    return {
      seq,
      permitId: item.permitId,
      name: item.name,
      department: item.department,
      toConfirm: item.status === 'undecided',
      inspection: getPermit(catalog, item.permitId, region).inspection.required,
      statutoryWorkingDays: limit.statutoryWorkingDays ?? null,
      promisedWorkingDays: limit.promisedWorkingDays ?? null,
      statutoryDeadline: deadlines.statutoryDeadline,
      promisedDeadline: deadlines.promisedDeadline,
    };
  });

  const numbers = await withFreshNumber(() =>
    deps.store.transaction(async (tx) => {
      // A repeated submission of one conversation (a retried turn, a second instance) finds the first.
      const existing = await tx.applications.findByConversation(input.conversationId);
      if (existing?.caseNumber) return { appNo: existing.number, caseNo: existing.caseNumber };
      const appNo = applicationNumber(now);
      const caseNo = caseNumber(now);
      const application = await tx.applications.create({
        number: appNo,
        conversationId: input.conversationId,
        region: region.id,
        industry: industry.id,
        data: { ...input.form },
        answers: answersJson(input.answers),
        channel: input.channel,
        userId: input.userId,
        ...(input.submittedBy ? { submittedBy: input.submittedBy.id } : {}),
        submittedAt: now,
      });
      const created = await tx.cases.create({
        number: caseNo,
        applicationId: application.id,
        conversationId: input.conversationId,
        region: region.id,
        industry: industry.id,
        channel: input.channel,
        userId: input.userId,
        holderName,
        address,
        phoneLast4: mobile.slice(-4),
        ...(typeof input.form['credit_code'] === 'string' && input.form['credit_code'] ? { creditCode: input.form['credit_code'].toUpperCase() } : {}),
        createdAt: now,
        items,
      });
      await recordEvent(tx, input.submittedBy ?? { kind: 'applicant', channel: input.channel, userId: input.userId }, now, {
        caseId: created.id,
        action: 'submitted',
        toStatus: 'submitted',
        data: { applicationNumber: appNo, items: items.map((i) => i.permitId), ...(input.submittedBy ? { onBehalfOfApplicant: true } : {}) },
      });
      return { appNo, caseNo };
    }),
  );

  return {
    applicationNumber: numbers.appNo,
    caseNumber: numbers.caseNo,
    items: items.map((i) => ({
      permitId: i.permitId,
      name: i.name,
      department: i.department,
      status: 'submitted',
      statusLabel: ITEM_STATUS_LABEL.submitted,
      toConfirm: i.toConfirm,
      ...(i.statutoryWorkingDays !== null ? { statutoryWorkingDays: i.statutoryWorkingDays } : {}),
      ...(i.promisedWorkingDays !== null ? { promisedWorkingDays: i.promisedWorkingDays } : {}),
      ...(i.statutoryDeadline ? { statutoryDeadline: i.statutoryDeadline } : {}),
      ...(i.promisedDeadline ? { promisedDeadline: i.promisedDeadline } : {}),
    })),
    approximateDeadlines: approximate,
  };
}

function known<T>(find: () => T): T {
  try {
    return find();
  } catch (error) {
    if (error instanceof UnknownNameError) throw new DomainError('invalid_input', error.message, error.message, { cause: error });
    throw error;
  }
}

function text(value: FieldValue | undefined, label: string): string {
  if (typeof value === 'string' && value.trim()) return value.trim();
  throw invalidInput(`form lacks ${label}`, `申请表缺少「${label}」。`);
}

/** The answers as stored JSON (a figure between limits is an object whose absent limits are left out). */
function answersJson(answers: Readonly<Record<string, AnswerValue>>): JsonObject {
  const json: JsonObject = JSON.parse(JSON.stringify(answers));
  return json;
}
