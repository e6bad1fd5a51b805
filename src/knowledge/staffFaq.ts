/**
 * FAQ entries written by staff: an answer a hotline agent edited and sent, which an admin judged right for
 * everyone, becomes an entry of the region's FAQ with the sources of the suggestion it came from. Stored in
 * the database; loaded into the region's FAQ at start, and added to this instance's index at once (other
 * instances load it when they start). An admin can retire one.
 */
import type { Catalog } from '../catalog/load.ts';
import type { DomainDeps } from '../cases/deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { DomainError, invalidInput } from '../cases/errors.ts';
import { requireRole } from '../cases/model.ts';
import { maskText } from '../privacy/mask.ts';
import { rebuildKnowledge } from './index.ts';
import { STAFF_TOPIC_PREFIX } from './passages.ts';
import type { StaffFaqRecord, Store } from '../store/repositories.ts';

/** An entry as the staff API shows it: its date as ISO text. */
export type StaffFaqView = Omit<StaffFaqRecord, 'createdAt'> & { createdAt: string };

const TOPIC = (id: number) => `${STAFF_TOPIC_PREFIX}${id}`;

/** At start: every current entry joins its region's FAQ (before the index is built). */
export async function loadStaffFaq(store: Pick<Store, 'staffFaq'>, catalog: Catalog): Promise<number> {
  const rows = await store.staffFaq.current();
  for (const row of rows) place(catalog, row);
  return rows.length;
}

/** An admin turns an edited answer (a suggestion feedback entry) into an FAQ entry; question and answer may be reworded. */
export async function addStaffFaq(deps: DomainDeps, actor: Actor, input: { feedbackId: number; question?: string; answer?: string }): Promise<StaffFaqView> {
  requireRole(actor, ['admin']);
  if (actor.kind !== 'staff') throw new DomainError('forbidden', 'not staff', '只有管理员可以添加问答条目。');
  const feedback = await deps.store.suggestionFeedback.find(input.feedbackId);
  if (!feedback) throw new DomainError('not_found', `feedback ${input.feedbackId}`, '未找到该条坐席反馈。');
  const question = (input.question ?? feedback.question).trim();
  const answer = (input.answer ?? feedback.sent ?? '').trim();
  if (!answer) throw invalidInput('no answer', '这条反馈没有坐席实际发送的答复，请填写问答条目的答复（answer）。');
  if (!question || question.length > 300 || answer.length > 2000) throw invalidInput('bad entry', '问题不超过300字，答复不超过2000字，且都不能为空。');
  const row = await deps.store.staffFaq.create({
    region: feedback.region,
    question: maskText(question),
    answer: maskText(answer),
    sources: feedback.sources,
    feedbackId: feedback.id,
    createdBy: actor.name,
    createdAt: deps.clock.now(),
  });
  place(deps.catalog, row);
  rebuildKnowledge(deps.catalog);
  return viewOf(row);
}

export async function listStaffFaq(deps: DomainDeps, actor: Actor, region?: string): Promise<StaffFaqView[]> {
  requireRole(actor, ['hotline', 'staff']);
  const rows = await deps.store.staffFaq.current({ ...(region ? { region } : {}), newestFirst: true, limit: 500 });
  return rows.map(viewOf);
}

export async function retireStaffFaq(deps: DomainDeps, actor: Actor, id: number): Promise<void> {
  requireRole(actor, ['admin']);
  if (!(await deps.store.staffFaq.retire(id, deps.clock.now()))) throw new DomainError('not_found', `faq ${id}`, '未找到该问答条目。');
  for (const region of deps.catalog.regions) {
    const at = region.reformFaq.findIndex((f) => f.topic === TOPIC(id));
    if (at >= 0) region.reformFaq.splice(at, 1);
  }
  rebuildKnowledge(deps.catalog);
}

function place(catalog: Catalog, row: StaffFaqRecord): void {
  const region = catalog.regions.find((r) => r.id === row.region);
  if (!region || region.reformFaq.some((f) => f.topic === TOPIC(row.id))) return;
  const sources = row.sources;
  region.reformFaq.push({
    topic: TOPIC(row.id),
    question: row.question,
    variants: [],
    answer: row.answer,
    asks: [],
    sources: sources.length ? sources.map((s) => ({ title: s.title, confidence: 'M' as const, ...(s.ref ? { article: s.ref } : {}) })) : [{ title: `${region.name}政务服务窗口（工作人员答复）`, confidence: 'M' as const }],
  });
}

function viewOf(row: StaffFaqRecord): StaffFaqView {
  return { id: row.id, region: row.region, question: row.question, answer: row.answer, sources: row.sources, createdBy: row.createdBy, createdAt: row.createdAt.toISOString() };
}
