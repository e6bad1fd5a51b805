/**
 * 帮办代办: a hotline agent (or window staff member) fills the one merged form for a caller on the phone
 * and submits it on their behalf. The answers and every field are checked exactly as the dialogue checks
 * them; the application records who submitted it. In a handed-off chat the case belongs to that
 * conversation (the caller hears of it there, and 「进度」 finds it); for a caller on the phone alone, a
 * conversation of the `hotline` channel holds it, and the caller follows it by message from any channel
 * with the case number and the last four digits of the mobile they gave.
 */
import { randomBytes } from 'node:crypto';
import type { Catalog } from '../catalog/load.ts';
import { UnknownNameError } from '../catalog/errors.ts';
import { findIndustry, findQuestion, hotlineText } from '../catalog/lookup.ts';
import { knownRegion } from '../cases/validation.ts';
import type { DomainDeps } from '../cases/deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { DomainError, invalidInput } from '../cases/errors.ts';
import { requireRole } from '../cases/model.ts';
import { submitApplication, type SubmitApplicationResult } from '../cases/submitApplication.ts';
import { AnswerError, parseAnswer } from '../guidance/answers.ts';
import type { AnswerValue } from '../guidance/conditions.ts';
import { formFields } from '../guidance/form.ts';
import { guide } from '../guidance/guide.ts';
import { validateField, type FieldValue } from '../guidance/validators.ts';
import { initialState, type DialogueState } from '../dialogue/types.ts';
import { parseState } from '../dialogue/state.ts';
import type { JsonObject } from '../store/conversations.ts';
import { userLockKey } from '../store/turnLocks.ts';

export interface AssistedApplicationInput {
  region: string;
  industry: string;
  /** Scenario answers by question id, as the caller gave them (「是」「否」「不确定」, a number, an option). */
  answers: Record<string, string | number | boolean>;
  /** The merged form by field id, as typed. */
  form: Record<string, string>;
  /** The handed-off chat the caller is in, if any. */
  conversationId?: string;
}

export interface AssistedApplicationResult extends SubmitApplicationResult {
  conversationId: string;
  /** What the caller is told: how to follow the case by message. */
  followUp: string;
}

/** The hotline channel has no messenger: its conversations only hold cases submitted for callers on the phone. */
export const HOTLINE_CHANNEL = 'hotline';

export async function submitForCaller(deps: DomainDeps, actor: Actor, input: AssistedApplicationInput): Promise<AssistedApplicationResult> {
  requireRole(actor, ['hotline', 'staff']);
  const { region, industry, answers, form } = checkedApplication(deps.catalog, input);
  // For a caller on the phone, under the agent's lock: a double click (on any instance) finds the first case.
  if (!input.conversationId) {
    return deps.store.locks.run(`assisted\u001f${actor.id}`, async () => {
      await refuseRepeat(deps, actor, { region: region.id, industry: industry.id, form });
      return submitIn(deps, actor, await newHotlineConversation(deps, region.id, industry.id), { region, industry, answers, form });
    });
  }
  // For a caller's chat, under the chat's turn lock: the caller's own 确认提交 cannot run beside it.
  const key = await chatKey(deps, input.conversationId);
  return deps.store.locks.run(userLockKey(key), async () => submitIn(deps, actor, await chatOf(deps, actor, key.id), { region, industry, answers, form }));
}

/** The application, its case and the conversation's new state, in one transaction. */
async function submitIn(
  deps: DomainDeps,
  actor: Extract<Actor, { kind: 'staff' }>,
  conversation: { id: string; channel: string; userId: string },
  { region, industry, answers, form }: ReturnType<typeof checkedApplication>,
): Promise<AssistedApplicationResult> {
  const now = deps.clock.now();
  let followUp = '';
  const result = await deps.store.transaction(async (tx) => {
    const submitted = await submitApplication(
      { ...deps, store: tx },
      { conversationId: conversation.id, channel: conversation.channel, userId: conversation.userId, regionId: region.id, industryId: industry.id, answers, form, submittedBy: actor },
    );
    followUp = `办件号 ${submitted.caseNumber}。查询进度：在网页、微信等渠道向助手发送「查询 ${submitted.caseNumber} 手机号后四位」，或拨打${hotlineText(region)}。`;
    // The conversation knows it was submitted: a later 「确认提交」 there finds this case instead of asking again.
    const row = await tx.conversations.get(conversation.id);
    const state: DialogueState = { ...parseState(row.state), region: region.id, industry: industry.id, answers, stage: 'submitted', applicationNumber: submitted.applicationNumber, caseNumber: submitted.caseNumber };
    await tx.handoffs.markSubmitted(row.id, { state: stateJson(state), region: region.id, industry: industry.id });
    if (conversation.channel !== HOTLINE_CHANNEL) {
      const text = `【人工坐席】已按您在电话/对话中提供的信息，为您代办提交“一业一证”申请（申请号 ${submitted.applicationNumber}）。${followUp}`;
      await tx.outbox.say({ channel: row.channel, userId: row.userId, conversationId: row.id }, text, now);
    }
    return submitted;
  });
  return { ...result, conversationId: conversation.id, followUp };
}

function checkedApplication(catalog: Catalog, input: AssistedApplicationInput) {
  const region = knownRegion(catalog, input.region);
  let industry;
  try {
    industry = findIndustry(region, input.industry);
  } catch (error) {
    if (error instanceof UnknownNameError) throw invalidInput('unknown industry', `${error.message}。`);
    throw error;
  }
  const answers: Record<string, AnswerValue> = {};
  for (const [id, value] of Object.entries(input.answers)) {
    try {
      const question = findQuestion(region, id);
      answers[question.id] = typeof value === 'string' ? parseAnswer(question, value) : value;
    } catch (error) {
      if (error instanceof UnknownNameError || error instanceof AnswerError) throw invalidInput(`bad answer ${id}`, `${error.message}。`);
      throw error;
    }
  }
  const g = guide(catalog, region, industry, answers);
  if (g.assessment.nextQuestion) {
    throw invalidInput('questions left', `还需要回答：「${g.assessment.nextQuestion.text}」（${g.assessment.nextQuestion.id}）。`);
  }
  const form: Record<string, FieldValue> = {};
  const problems: string[] = [];
  // A field asked only in some case (the postal address, when the licence is posted) counts only then.
  const fields = formFields(g.form);
  const ordered = [...fields.filter((f) => !f.when), ...fields.filter((f) => f.when)];
  for (const field of ordered) {
    if (field.when && form[field.when.field] !== field.when.eq) continue;
    const raw = (input.form[field.id] ?? '').trim();
    if (!raw) {
      if (field.required) problems.push(`「${field.label}」未填写`);
      continue;
    }
    const checked = validateField(field, raw);
    if (checked.ok) form[field.id] = checked.value;
    else problems.push(`「${field.label}」：${checked.message.replace(/[。；]+$/u, '')}`);
  }
  if (problems.length) throw invalidInput('form incomplete', `申请表还有${problems.length}处需要处理：${problems.join('；')}。`);
  return { region, industry, answers, form };
}

/** The caller's handed-off chat: the agent submitting must be the one who has it (or no one has it yet). */
/** How long the same form from the same agent counts as the same application (a double click, a resend). */
const REPEAT_WINDOW_MS = 10 * 60_000;

/** The same agent submitted the same form for the same trade a moment ago: 409 with that case's number. */
async function refuseRepeat(deps: DomainDeps, actor: Extract<Actor, { kind: 'staff' }>, submitted: { region: string; industry: string; form: Record<string, FieldValue> }): Promise<void> {
  const since = new Date(deps.clock.now().getTime() - REPEAT_WINDOW_MS);
  const recent = await deps.store.applications.recentBySubmitter({ submittedBy: actor.id, region: submitted.region, industry: submitted.industry, since });
  const same = recent.find((a) => sameForm(a.data, submitted.form));
  if (same) {
    throw new DomainError('conflict', 'same application just submitted', `刚刚已为这位来电人提交过同样的申请（办件号 ${same.caseNumber ?? '—'}），没有再提交一次。如确需重新提交，请修改后再试，或查看该办件。`);
  }
}

function sameForm(a: Record<string, unknown>, form: Record<string, FieldValue>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(form)]);
  return [...keys].every((k) => JSON.stringify(a[k]) === JSON.stringify(form[k]));
}

async function chatKey(deps: DomainDeps, conversationId: string): Promise<{ id: string; channel: string; userId: string }> {
  const row = await deps.store.handoffs.find(conversationId, 0);
  if (!row) throw new DomainError('not_found', `conversation ${conversationId}`, '未找到该对话。');
  return { id: row.id, channel: row.channel, userId: row.userId };
}

async function chatOf(deps: DomainDeps, actor: Actor, conversationId: string): Promise<{ id: string; channel: string; userId: string }> {
  const row = await deps.store.handoffs.find(conversationId, 0);
  if (!row) throw new DomainError('not_found', `conversation ${conversationId}`, '未找到该对话。');
  const application = await deps.store.handoffs.applicationOf(conversationId);
  // One application per conversation: a second one for this chat (a caller on the phone, with the box left
  // ticked) is refused, never answered with the first one's number.
  if (application) {
    throw new DomainError('conflict', 'conversation already has an application', `这个对话已经提交过申请（办件号 ${application.caseNumber ?? application.number}），不能再为它代办提交。为电话来电人代办，请取消勾选「关联当前接手的对话」。`);
  }
  // Only a chat handed to a person: a conversation the assistant is still having is the applicant's own.
  if (!row.handoff) {
    throw new DomainError('conflict', 'conversation not handed off', '这个对话没有转人工，不能为它代办提交。请让来电人在对话里说「转人工」，或取消勾选「关联当前接手的对话」为电话来电人代办。');
  }
  if (actor.kind === 'staff' && row.claimedBy && row.claimedBy !== actor.id && actor.role !== 'admin') {
    throw new DomainError('conflict', 'claimed by another agent', '该对话已由其他坐席接手，请由接手的坐席代办。');
  }
  return { id: row.id, channel: row.channel, userId: row.userId };
}

async function newHotlineConversation(deps: DomainDeps, regionId: string, industryId: string): Promise<{ id: string; channel: string; userId: string }> {
  const userId = `call-${randomBytes(8).toString('hex')}`;
  const state: DialogueState = { ...initialState(), region: regionId, industry: industryId };
  return deps.store.handoffs.startFor({ channel: HOTLINE_CHANNEL, userId, region: regionId, industry: industryId, state: stateJson(state) });
}

/** The state as the JSON document the conversation stores (what the dialogue's own save writes). */
function stateJson(state: DialogueState): JsonObject {
  return JSON.parse(JSON.stringify(state)) as JsonObject;
}
