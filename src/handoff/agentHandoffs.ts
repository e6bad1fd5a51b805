/**
 * The hotline agent's side of 转人工: the conversations handed to a person, with a summary of where they
 * stand now (the case and its licence included) and the recent messages (personal numbers masked); a reply from the agent, delivered on the user's own
 * channel through the outbox; and handing the conversation back to the assistant.
 */
import type { DomainDeps } from '../cases/deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { DomainError } from '../cases/errors.ts';
import { requireRole } from '../cases/model.ts';
import { maskMobile, maskText } from '../privacy/mask.ts';
import type { Catalog } from '../catalog/load.ts';
import { ITEM_STATUS_LABEL, type ItemStatus } from '../cases/model.ts';
import { parseState } from '../dialogue/state.ts';
import type { AnswerValue } from '../guidance/conditions.ts';
import { whereItStands } from '../dialogue/steps/handoff.ts';
import type { HandoffRecord, Store } from '../store/repositories.ts';

export interface HandoffView {
  conversationId: string;
  channel: string;
  /** The channel's id for the user, masked when it is a phone number. */
  user: string;
  region: string | null;
  industry: string | null;
  /**
   * Where things stand now: region, trade and stage, the permits as the answers decide them, and, once
   * submitted, the case number, each item's state and the licence (from the case, as of this moment).
   */
  summary: string;
  since: string;
  /** Since when the person has been waiting for a person's reply (their first message after the agent's last), or null once answered. */
  waitingSince: string | null;
  /** The agent who has taken it, if one has (one agent per chat). */
  claimedBy: { id: string; name: string; at: string } | null;
  messages: { direction: 'in' | 'out'; text: string; at: string }[];
}

const AGENT_PREFIX = '【人工坐席】';

export interface HandoffDetail extends HandoffView {
  /** The agents' notes on the conversation, oldest first (never shown to the user). */
  notes: { by: string; text: string; at: string }[];
  /** The case submitted in this conversation, if any. */
  caseNumber: string | null;
  /** The scenario answers so far (question id → value), for 帮办代办 to go on from. */
  answers: Record<string, AnswerValue>;
}

/** One conversation for the agent's screen: its transcript (the last 200 messages), notes and case. */
export async function handoffDetail(deps: DomainDeps, actor: Actor, conversationId: string): Promise<HandoffDetail> {
  requireRole(actor, ['hotline', 'staff']);
  const row = await deps.store.handoffs.find(conversationId, 200);
  if (!row) throw new DomainError('not_found', `conversation ${conversationId}`, '未找到该对话。');
  const [cases, notes, claimer] = await Promise.all([
    deps.store.cases.listOfConversations([conversationId]),
    deps.store.handoffs.notes(conversationId),
    row.claimedBy ? deps.store.staff.findUser(row.claimedBy) : Promise.resolve(null),
  ]);
  const found = cases.at(-1);
  return {
    ...viewOf(deps.catalog, row, found, claimer?.name),
    notes: notes.map((n) => ({ by: n.staffName, text: maskText(n.text), at: n.createdAt.toISOString() })),
    caseNumber: found?.number ?? null,
    answers: parseState(row.state).answers,
  };
}

/** A note for the next agent on this conversation. */
export async function addHandoffNote(deps: DomainDeps, actor: Actor, input: { conversationId: string; text: string }): Promise<{ id: number }> {
  requireRole(actor, ['hotline', 'staff']);
  if (actor.kind !== 'staff') throw new DomainError('forbidden', 'not staff', '只有工作人员可以记录备注。');
  const text = input.text.trim();
  if (!text || text.length > 1000) throw new DomainError('invalid_input', 'empty or long note', '备注不能为空，且不超过1000字。');
  const exists = await deps.store.handoffs.find(input.conversationId, 0);
  if (!exists) throw new DomainError('not_found', `conversation ${input.conversationId}`, '未找到该对话。');
  return deps.store.handoffs.addNote({ conversationId: input.conversationId, staffId: actor.id, staffName: actor.name, text, createdAt: deps.clock.now() });
}

export async function listHandoffs(deps: DomainDeps, actor: Actor, options: { limit?: number } = {}): Promise<HandoffView[]> {
  requireRole(actor, ['hotline', 'staff']);
  const rows = await deps.store.handoffs.listHandedOff(Math.min(options.limit ?? 50, 200));
  const claimers = await deps.store.staff.names(rows.flatMap((r) => (r.claimedBy ? [r.claimedBy] : [])));
  const cases = rows.length ? await deps.store.cases.listOfConversations(rows.map((r) => r.id)) : [];
  // Oldest first: the last case of a conversation is its newest.
  const newest = new Map(cases.map((c) => [c.conversationId, c]));
  return rows.map((row) =>
    viewOf(
      deps.catalog,
      row,
      newest.get(row.id),
      row.claimedBy ? claimers.get(row.claimedBy) : undefined,
    ),
  );
}

function viewOf(catalog: Catalog, row: HandoffRecord, found: CaseSummary | undefined, claimerName: string | undefined): HandoffView {
  return {
    conversationId: row.id,
    channel: row.channel,
    user: callerName(row.channel, row.userId),
    region: row.region,
    industry: row.industry,
    summary: maskText(currentSummary(catalog, row.state, found)),
    since: row.updatedAt.toISOString(),
    waitingSince: waitingSince(row.messages),
    claimedBy: row.claimedBy && row.claimedAt ? { id: row.claimedBy, name: claimerName ?? '（已停用的坐席）', at: row.claimedAt.toISOString() } : null,
    messages: [...row.messages]
      .reverse()
      .map((m) => ({ direction: m.direction === 'in' ? ('in' as const) : ('out' as const), text: maskText(m.text), at: m.createdAt.toISOString() })),
  };
}

/**
 * An agent takes the handed-off chat: from then on only they reply or hand it back (an admin may take it
 * over). Taking it again is fine; another agent's chat is refused with who has it.
 */
export async function claimHandoff(deps: DomainDeps, actor: Actor, input: { conversationId: string; force?: boolean }): Promise<{ conversationId: string; claimedBy: string }> {
  requireRole(actor, ['hotline', 'staff']);
  if (actor.kind !== 'staff') throw new DomainError('forbidden', 'not staff', '只有工作人员可以接手对话。');
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    const conversation = await tx.handoffs.find(input.conversationId, 0);
    if (!conversation) throw new DomainError('not_found', `conversation ${input.conversationId}`, '未找到该对话。');
    if (!conversation.handoff) throw new DomainError('invalid_state', 'not handed off', '该对话没有转人工，或已交还给助手。');
    await ensureFree(tx, conversation.claimedBy, actor, input.force === true);
    // Taken only if nobody took it in the meantime (two agents clicking at once: one wins).
    if (!(await tx.handoffs.claim(conversation.id, conversation.claimedBy, actor.id, now, true))) throw new DomainError('conflict', 'claimed meanwhile', '该对话刚刚已由其他坐席接手，请刷新后查看。');
  });
  return { conversationId: input.conversationId, claimedBy: actor.name };
}

/** Refuses when another agent has the chat (an admin may take it over with `force`). */
async function ensureFree(tx: Store, claimedBy: string | null, actor: Extract<Actor, { kind: 'staff' }>, force: boolean): Promise<void> {
  if (!claimedBy || claimedBy === actor.id) return;
  if (force && actor.role === 'admin') return;
  const holder = await tx.staff.findUser(claimedBy);
  throw new DomainError('conflict', 'claimed by another agent', `该对话已由坐席「${holder?.name ?? '其他坐席'}」接手，请勿重复回复。`);
}

/** The agent's words reach the user on their channel; the conversation records them. */
export async function replyToHandoff(deps: DomainDeps, actor: Actor, input: { conversationId: string; text: string }): Promise<{ conversationId: string; queued: true }> {
  requireRole(actor, ['hotline', 'staff']);
  const text = input.text.trim();
  if (!text || text.length > 2000) throw new DomainError('invalid_input', 'empty or long reply', '回复内容不能为空，且不超过2000字。');
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    const conversation = await tx.handoffs.find(input.conversationId, 0);
    if (!conversation) throw new DomainError('not_found', `conversation ${input.conversationId}`, '未找到该对话。');
    if (!conversation.handoff) throw new DomainError('invalid_state', 'not handed off', '该对话没有转人工，或已交还给助手。');
    // The first to reply takes the chat; another agent's chat is refused.
    if (actor.kind === 'staff') {
      await ensureFree(tx, conversation.claimedBy, actor, false);
      if (!conversation.claimedBy) {
        if (!(await tx.handoffs.claim(conversation.id, null, actor.id, now, false))) throw new DomainError('conflict', 'claimed meanwhile', '该对话刚刚已由其他坐席接手，请刷新后查看。');
      }
    }
    await tx.outbox.say({ channel: conversation.channel, userId: conversation.userId, conversationId: conversation.id }, `${AGENT_PREFIX}${text}`, now);
  });
  return { conversationId: input.conversationId, queued: true };
}

/** Hands the conversation back to the assistant and tells the user so. */
export async function releaseHandoff(deps: DomainDeps, actor: Actor, input: { conversationId: string }): Promise<{ conversationId: string; handoff: false }> {
  requireRole(actor, ['hotline', 'staff']);
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    const held = await tx.handoffs.find(input.conversationId, 0);
    if (held && actor.kind === 'staff') await ensureFree(tx, held.claimedBy, actor, true);
    if (!held || !(await tx.handoffs.release(input.conversationId))) throw new DomainError('not_found', `handoff ${input.conversationId}`, '未找到该转人工对话，或已交还给助手。');
    const text = `${AGENT_PREFIX}本次人工服务已结束，接下来由助手继续为您服务。如需再次转人工，请回复「转人工」。`;
    await tx.outbox.say({ channel: held.channel, userId: held.userId, conversationId: held.id }, text, now);
  });
  return { conversationId: input.conversationId, handoff: false };
}

/** How the caller shows in the queue: a phone number masked, a web visitor's random id as 网页访客 and its last characters. */
function callerName(channel: string, userId: string): string {
  if (/^\d{11}$/.test(userId)) return maskMobile(userId);
  if (channel === 'web' && userId.length > 16) return `网页访客（…${userId.slice(-4)}）`;
  return userId;
}

/** The person's first message after the agent's last reply (messages newest first), or null when the agent spoke last. */
function waitingSince(newestFirst: readonly { direction: string; text: string; createdAt: Date }[]): string | null {
  let first: Date | null = null;
  for (const m of newestFirst) {
    if (m.direction === 'out' && m.text.startsWith(AGENT_PREFIX)) break;
    if (m.direction === 'in') first = m.createdAt;
  }
  return first?.toISOString() ?? null;
}

interface CaseSummary {
  number: string;
  items: { name: string; status: string }[];
  licences: { number: string; status: string }[];
}

/** The summary of a conversation and its case as they stand (computed when the agent looks, never stored). */
export function currentSummary(catalog: Catalog, stored: unknown, found?: CaseSummary): string {
  const { head, items } = whereItStands(catalog, parseState(stored));
  if (!found) return [...head, ...items].join('；');
  const licence = found.licences[0];
  return [
    ...head,
    `办件号：${found.number}`,
    `事项：${found.items.map((i) => `${i.name}（${ITEM_STATUS_LABEL[i.status as ItemStatus] ?? i.status}）`).join('、')}`,
    licence ? `综合许可证：${licence.number}（${licence.status === 'valid' ? '有效' : '已作废'}）` : '综合许可证：未发',
  ].join('；');
}
