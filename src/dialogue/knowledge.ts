/**
 * Answers to questions about the permits, materials and the reform, grounded only in the knowledge data:
 * each answer names where it comes from, and a question the data does not answer gets an honest
 * "not in my knowledge" with the hotline.
 */
import type { Catalog } from '../catalog/load.ts';
import type { Assessment } from '../guidance/assess.ts';
import { buildNotice, type Notice } from '../guidance/notice.ts';
import type { Industry, Region, Source } from '../catalog/schema.ts';
import { compact } from './interpret.ts';

export interface KnowledgeAnswer {
  text: string;
  /** Where it comes from, e.g. 食品经营许可 · 中华人民共和国食品安全法 第四十五条. */
  basis: string;
  score: number;
}

interface Doc {
  question: string;
  answer: string;
  basis: string;
  /** Boost for documents about the user's own items. */
  weight: number;
}

/**
 * The best grounded answer to `text` among the region's reform FAQ and the FAQ of the permits the
 * region lists (those of `industry` first), or null when nothing fits well enough.
 */
export function answerQuestion(
  catalog: Catalog,
  region: Region,
  industry: Industry | undefined,
  text: string,
  /** Permits ruled out for this applicant: their FAQ would cite a permit the user does not need. */
  excluded: ReadonlySet<string> = new Set(),
  /** What the question asks (online, post, agency…): an FAQ entry that answers that kind is the answer. */
  kinds: readonly string[] = [],
): KnowledgeAnswer | null {
  const query = grams(compact(text));
  if (query.size === 0) return null;
  // The region's own entries for what is asked, the most specific kind first (a revoked permit is a
  // holder's question before it is one about the reform), the closest wording among them.
  const kind = KIND_PRIORITY.find((k) => kinds.includes(k) && region.reformFaq.some((f) => f.asks.includes(k)));
  const direct = kind ? region.reformFaq.filter((f) => f.asks.includes(kind)) : [];
  if (direct.length) {
    const best = direct
      .map((f) => ({ f, score: similarity(query, grams(compact(f.question))) }))
      .sort((a, b) => b.score - a.score)[0];
    if (best) return { text: best.f.answer, basis: cite(region.document.title, best.f.sources), score: 1 };
  }
  const own = new Set(industry?.items.map((i) => i.permit) ?? []);
  // With a known trade, only its own items answer; before that, any item of the region.
  const regionPermits = industry ? own : new Set(region.industries.flatMap((i) => i.items.map((it) => it.permit)));
  const docs: Doc[] = [];
  for (const faq of region.reformFaq) {
    docs.push({ question: faq.question, answer: faq.answer, basis: cite(region.document.title, faq.sources), weight: 1 });
  }
  for (const permit of catalog.registry.permits) {
    if (!regionPermits.has(permit.id) || excluded.has(permit.id)) continue;
    const name = itemName(region, industry, permit.id) ?? permit.name;
    for (const faq of permit.faq) {
      docs.push({ question: faq.question, answer: faq.answer, basis: cite(name, faq.sources), weight: own.has(permit.id) ? 1.15 : 1 });
    }
  }
  let best: KnowledgeAnswer | null = null;
  for (const doc of docs) {
    const score = similarity(query, grams(compact(doc.question))) * doc.weight;
    if (!best || score > best.score) best = { text: doc.answer, basis: doc.basis, score };
  }
  return best && best.score >= 0.34 ? best : null;
}

const KIND_PRIORITY = ['pending_items', 'materials_later', 'holder_change', 'electronic', 'hotline', 'post', 'online', 'agency', 'inspection', 'time', 'where', 'validity', 'reform'];

export type NoticeTopic = 'time' | 'where' | 'fees' | 'validity';

/**
 * Time, place, fee and validity questions, answered from the notice the engine computes for the
 * applicant's items (those the question names, or all of them).
 */
export function answerFromNotice(catalog: Catalog, assessment: Assessment, topics: readonly NoticeTopic[], permits: readonly string[]): string {
  const region = assessment.region;
  // Items still to be decided are answered for as well, marked: the question should not wait for them.
  const undecided = new Set(assessment.items.filter((i) => i.status === 'undecided').map((i) => i.permitId));
  const mayApply: Assessment = { ...assessment, items: assessment.items.map((i) => (i.status === 'undecided' ? { ...i, status: 'required' } : i)) };
  const notice = buildNotice(catalog, mayApply);
  const mentioned = notice.items.filter((i) => permits.includes(i.permitId));
  const items = mentioned.length ? mentioned : notice.items;
  const lines: string[] = [];
  const unsure = (permitId: string) => (undecided.has(permitId) ? '（是否需要办理待确认）' : '');
  if (!items.length) return `根据您的回答，${assessment.industry.name}目前没有需要办理的事项。`;
  if (topics.includes('time')) {
    for (const i of items) {
      const days = i.onTheSpot
        ? '材料齐全可当场办理'
        : i.statutoryWorkingDays === undefined
          ? '依据中未写明办理时限，以窗口告知为准'
          : `法定时限${i.statutoryWorkingDays}个工作日${i.promisedWorkingDays !== undefined ? `，${region.name}承诺${i.promisedWorkingDays}个工作日` : ''}`;
      lines.push(`${i.name}${unsure(i.permitId)}：${days}。`);
    }
    if (!mentioned.length) lines.push(`总体：${notice.overall.explanation}${undecided.size ? '（按可能涉及的事项计，确认后以实际事项为准）' : ''}。`);
  }
  if (topics.includes('where')) {
    lines.push(`统一在${oneWindow(region)}（一次提交全部事项）。`);
    for (const i of items) lines.push(`${i.name}由${i.departmentFullName}审批。`);
  }
  if (topics.includes('fees')) {
    for (const i of items) lines.push(`${i.name}${unsure(i.permitId)}：${i.free ? '不收费' : (i.feeNote ?? '收费，以窗口告知为准')}。`);
  }
  if (topics.includes('validity')) {
    for (const i of items) lines.push(`${i.name}${unsure(i.permitId)}：${i.validity ? i.validity : '依据中未写明有效期，以发证机关告知为准'}。`);
  }
  const sources = [...new Set(items.map((i) => i.name))].join('、');
  return `${lines.join('\n')}\n（依据：${sources}的法定依据与${region.document.title}）`;
}

/** Where applications are made, before the trade is known. */
export function whereToApply(region: Region): string {
  return `${region.name}“一业一证”在${oneWindow(region)}办理，一个行业涉及的事项一次提交。（依据：${region.document.title}）`;
}

/**
 * 「健康证要几个人的」「食品经营许可证要什么材料」: the applicant's materials that a question names, or the
 * materials of a permit it names, from the notice for their items (null when neither is named or needed).
 */
export function answerMaterials(catalog: Catalog, assessment: Assessment, permits: readonly string[], materials: readonly string[]): string | null {
  const notice: Notice = buildNotice(catalog, assessment);
  const lines: string[] = [];
  for (const m of notice.materials.filter((x) => materials.includes(x.id))) {
    const notes = [...new Set(m.notes.map((x) => x.note.replace(/[。；;\s]+$/u, '')))];
    lines.push(`${m.name}：${m.neededBy.join('、')}需要${m.conditional ? '（如适用）' : ''}。${notes.length ? `${notes.join('；')}。` : ''}${m.description ? m.description : ''}`);
  }
  for (const item of notice.items.filter((i) => permits.includes(i.permitId))) {
    const own = notice.materials.filter((m) => m.neededBy.includes(item.name));
    lines.push(`${item.name}需要的材料：${own.map((m) => m.name).join('、')}。`);
  }
  if (!lines.length) {
    // A named permit or material this applicant does not need: said so, not answered about another.
    const other = [...permits.map((p) => catalog.permits.get(p)?.name), ...materials.map((m) => catalog.materials.get(m)?.name)].filter(Boolean);
    if (!other.length) return null;
    return `根据您目前的情况，您要办理的事项不需要${other.join('、')}。回复「告知单」可以查看全部材料。`;
  }
  return `${lines.join('\n')}\n（依据：${[...new Set(notice.items.map((i) => i.name))].join('、')}的法定依据）`;
}

function oneWindow(region: Region): string {
  return `${region.window.name}${region.window.name.includes('一窗受理') ? '' : '一窗受理'}`;
}

function itemName(region: Region, industry: Industry | undefined, permitId: string): string | undefined {
  const fromIndustry = industry?.items.find((i) => i.permit === permitId)?.name;
  return fromIndustry ?? region.industries.flatMap((i) => i.items).find((i) => i.permit === permitId)?.name;
}

function cite(about: string, sources: Source[]): string {
  const first = sources[0];
  if (!first) return about;
  const where = `${first.title}${first.article ? ` ${first.article}` : ''}`;
  return first.title === about ? where : `${about} · ${where}`;
}

/** Character bigrams (and single characters for very short texts), punctuation removed. */
function grams(text: string): Set<string> {
  const clean = text.replace(/[\p{P}\p{S}\s]/gu, '').replace(/(吗|呢|啊|呀|吧|么)$/u, '');
  const out = new Set<string>();
  if (clean.length < 2) {
    if (clean) out.add(clean);
    return out;
  }
  for (let i = 0; i < clean.length - 1; i++) out.add(clean.slice(i, i + 2));
  return out;
}

/** Overlap relative to the smaller set, damped for very different lengths. */
function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const g of a) if (b.has(g)) shared += 1;
  const dice = (2 * shared) / (a.size + b.size);
  const cover = shared / Math.min(a.size, b.size);
  return 0.5 * dice + 0.5 * cover * Math.min(1, Math.min(a.size, b.size) / 4);
}
