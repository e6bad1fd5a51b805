/**
 * Tickets (工单) for complaints, requests for help and suggestions: the person's own view (「工单 GD…」), and
 * the staff's (a list, one ticket with its source conversation, assigning it to the responsible department,
 * answering it). The answer goes to the person on their own channel through the outbox, in the same
 * transaction that records it. Listings mask ID and phone numbers; only staff and admins see a contact in full.
 */
import type { Region } from '../catalog/schema.ts';
import type { DomainDeps } from '../cases/deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { DomainError, invalidInput } from '../cases/errors.ts';
import { requireRole } from '../cases/model.ts';
import { maskMobile, maskText } from '../privacy/mask.ts';
import { phoneIn, TICKET_KIND_LABEL, TICKET_NUMBER } from './numbers.ts';
import type { TicketRecord } from '../store/repositories.ts';

export const TICKET_STATUS_LABEL: Record<string, string> = { open: '待分派', assigned: '办理中', answered: '已答复' };
export const TICKET_STATUSES = ['open', 'assigned', 'answered'] as const;

export interface TicketView {
  number: string;
  kind: string;
  kindLabel: string;
  region: string;
  channel: string;
  text: string;
  about: string | null;
  contact: string | null;
  status: string;
  statusLabel: string;
  department: string | null;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: string | null;
  createdAt: string;
  conversationId: string | null;
}

function viewOf(row: TicketRecord, reveal: boolean): TicketView {
  return {
    number: row.number,
    kind: row.kind,
    kindLabel: TICKET_KIND_LABEL[row.kind] ?? row.kind,
    region: row.region,
    channel: row.channel,
    text: maskText(row.text),
    about: row.about ? maskText(row.about) : null,
    contact: row.contact ? (reveal ? row.contact : /^1\d{10}$/.test(row.contact) ? maskMobile(row.contact) : maskText(row.contact)) : null,
    status: row.status,
    statusLabel: TICKET_STATUS_LABEL[row.status] ?? row.status,
    department: row.department,
    answer: row.answer,
    answeredBy: row.answeredBy,
    answeredAt: row.answeredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    conversationId: row.conversationId,
  };
}

export async function listTickets(deps: DomainDeps, actor: Actor, input: { status?: string; region?: string; limit?: number } = {}): Promise<TicketView[]> {
  requireRole(actor, ['hotline', 'staff']);
  if (input.status && !(TICKET_STATUSES as readonly string[]).includes(input.status)) {
    throw invalidInput(`unknown ticket status ${input.status}`, `工单状态应为 ${TICKET_STATUSES.map((s) => `${s}（${TICKET_STATUS_LABEL[s]}）`).join('、')} 之一。`);
  }
  const rows = await deps.store.tickets.list({ ...(input.status ? { status: input.status } : {}), ...(input.region ? { region: input.region } : {}), limit: Math.min(input.limit ?? 100, 500) });
  return rows.map((r) => viewOf(r, false));
}

/** One ticket with the conversation it came from (the last 30 messages, masked). */
export async function showTicket(deps: DomainDeps, actor: Actor, number: string, reveal = false): Promise<TicketView & { messages: { direction: string; text: string; at: string }[] }> {
  requireRole(actor, ['hotline', 'staff']);
  if (reveal && actor.role === 'hotline') throw new DomainError('forbidden', 'hotline may not reveal', '热线坐席不能查看完整的联系电话。');
  const row = await deps.store.tickets.findByNumber(number.toUpperCase());
  if (!row) throw new DomainError('not_found', `ticket ${number}`, `未找到工单「${maskText(number.slice(0, 30))}」。`);
  const messages = row.conversationId ? await deps.store.conversations.recentMessages(row.conversationId, 30) : [];
  return {
    ...viewOf(row, reveal),
    messages: messages.map((m) => ({ direction: m.direction, text: maskText(m.text), at: m.createdAt.toISOString() })),
  };
}

/** Assigns the ticket to the department responsible (one of the region's); the person is told who handles it. */
export async function assignTicket(deps: DomainDeps, actor: Actor, input: { number: string; department: string }): Promise<TicketView> {
  requireRole(actor, ['hotline', 'staff']);
  const department = input.department.trim();
  return deps.store.transaction(async (tx) => {
    const row = await tx.tickets.findByNumber(input.number.toUpperCase());
    if (!row) throw new DomainError('not_found', `ticket ${input.number}`, '未找到该工单。');
    if (row.status === 'answered') throw new DomainError('invalid_state', 'answered', '该工单已答复，不能再分派。');
    const region = deps.catalog.regions.find((r) => r.id === row.region);
    const known = region ? ticketDepartments(region) : [];
    if (!known.includes(department)) throw invalidInput(`unknown department ${department}`, `请选择${region?.name ?? ''}的部门：${known.join('、')}。`);
    const updated = await tx.tickets.update(row.id, { department, status: 'assigned' });
    const text = `您的${TICKET_KIND_LABEL[row.kind] ?? ''}（工单号 ${row.number}）已转交${department}办理，有答复后会通知您。`;
    await tx.outbox.enqueue({ channel: row.channel, userId: row.userId, ...(row.conversationId ? { conversationId: row.conversationId } : {}), text, dedupeKey: `ticket:${row.number}:assigned:${department}` }, deps.clock.now());
    return viewOf(updated, false);
  });
}

/** Who a ticket may go to: the region's departments and the office that issues the licence (and runs the window). */
export function ticketDepartments(region: Region): string[] {
  const issuer = region.licenceRules.issuer?.name;
  // The issuer listed apart only when no department is that office under its full name.
  const listed = issuer && !Object.values(region.departments).some((d) => d.fullName === issuer);
  return [...new Set([...(listed && issuer ? [issuer] : []), ...Object.keys(region.departments)])];
}

/** Records the answer and sends it to the person on their channel (in the same transaction). */
export async function answerTicket(deps: DomainDeps, actor: Actor, input: { number: string; answer: string }): Promise<TicketView> {
  requireRole(actor, ['hotline', 'staff']);
  if (actor.kind !== 'staff') throw new DomainError('forbidden', 'not staff', '只有工作人员可以答复工单。');
  const answer = input.answer.trim();
  if (!answer || answer.length > 2000) throw invalidInput('empty or long answer', '答复不能为空，且不超过2000字。');
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const row = await tx.tickets.findByNumber(input.number.toUpperCase());
    if (!row) throw new DomainError('not_found', `ticket ${input.number}`, '未找到该工单。');
    if (row.status === 'answered') throw new DomainError('invalid_state', 'answered', '该工单已经答复过了。');
    const updated = await tx.tickets.update(row.id, { answer, answeredBy: actor.name, answeredAt: now, status: 'answered' });
    const text = `【工单答复】您的${TICKET_KIND_LABEL[row.kind] ?? ''}（工单号 ${row.number}）${row.department ? `经${row.department}办理，` : ''}答复如下：\n${answer}`;
    await tx.outbox.say(row, text, now, `ticket:${row.number}:answer`);
    return viewOf(updated, false);
  });
}

/**
 * 「补充一下，是3号窗口」: adds to the person's latest ticket not yet answered (a phone number in it becomes the
 * contact). The ticket's number, or null when there is none to add to.
 */
export async function addToLatestTicket(deps: DomainDeps, user: { channel: string; userId: string }, text: string): Promise<string | null> {
  const row = await deps.store.tickets.latestOpenOf(user.channel, user.userId);
  if (!row) return null;
  await deps.store.tickets.update(row.id, withAddition(row, text));
  return row.number;
}

/** A ticket with words added (「补充一下…」): the text grows; a phone number in them becomes the contact. */
export function withAddition(ticket: { text: string }, added: string): { text: string; contact?: string } {
  const phone = phoneIn(added);
  return { text: `${ticket.text}\n【补充】${added}`.slice(0, 4000), ...(phone ? { contact: phone } : {}) };
}

/** The person's own tickets, as they are told when they ask (「工单 GD…」「我的投诉有结果了吗」). */
export async function ticketStatusText(deps: DomainDeps, user: { channel: string; userId: string }, text: string): Promise<string | null> {
  const asked = askedTicket(text);
  const rows = await deps.store.tickets.ofPerson(user.channel, user.userId, asked);
  return ticketStatusLines(rows, asked);
}

/** The ticket number a message asks about, if it names one. */
export function askedTicket(text: string): string | undefined {
  return TICKET_NUMBER.exec(text.normalize('NFKC'))?.[1]?.toUpperCase();
}

/** What the person is told about their tickets (newest first); null when they have none and named none. */
export function ticketStatusLines(
  rows: readonly { number: string; kind: string; text: string; status?: string; department?: string | null; answer?: string | null; contact?: string | null }[],
  asked: string | undefined,
): string | null {
  if (!rows.length) return asked ? `没有找到您登记的工单 ${asked}。工单只能在登记它的对话里查询；如有疑问请拨打12345。` : null;
  return rows
    .map((t) => {
      const status = t.status ?? 'open';
      const said = maskText(t.text.split('\n')[0] ?? '');
      const contact = t.contact ? `，联系电话 ${/^1\d{10}$/.test(t.contact) ? maskMobile(t.contact) : maskText(t.contact)}` : '，答复发在这个对话里';
      const head = `工单 ${t.number}（${TICKET_KIND_LABEL[t.kind] ?? t.kind}，「${said.length > 24 ? `${said.slice(0, 24)}…` : said}」${contact}）：${TICKET_STATUS_LABEL[status] ?? status}`;
      if (status === 'answered' && t.answer) return `${head}。答复：${t.answer}`;
      if (t.department) return `${head}，由${t.department}办理。`;
      return `${head}，工作人员正在分派给负责的部门。`;
    })
    .join('\n');
}
