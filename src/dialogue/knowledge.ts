/**
 * Answers to questions about the permits, materials and the reform, grounded only in the knowledge data:
 * each answer names where it comes from, and a question the data does not answer gets an honest
 * "not in my knowledge" with the hotline.
 */
import type { Catalog } from '../catalog/load.ts';
import type { Assessment } from '../guidance/assess.ts';
import { buildNotice } from '../guidance/notice.ts';
import type { Industry, Region, Source } from '../catalog/schema.ts';
import { normaliseMessage } from './intents.ts';

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

const QUESTION_MARKERS = /[?？吗呢么]|怎么|怎样|如何|多久|多长|几天|几年|几个|有效期|哪里|哪儿|在哪|哪家|哪个|哪些|什么|多少|是否|能不能|可不可以|要不要|需不需要|有没有|收费|要钱|费用|请问/;

/** Does the text read like a question (as opposed to an answer or a statement)? */
export function looksLikeQuestion(text: string): boolean {
  return QUESTION_MARKERS.test(text);
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
): KnowledgeAnswer | null {
  const query = grams(normaliseMessage(text));
  if (query.size === 0) return null;
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
    const score = similarity(query, grams(normaliseMessage(doc.question))) * doc.weight;
    if (!best || score > best.score) best = { text: doc.answer, basis: doc.basis, score };
  }
  return best && best.score >= 0.34 ? best : null;
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

const TIME_Q = /多久|多长时间|几天|时限|多少天|几个工作日|什么时候能|多快/;
const WHERE_Q = /在哪|哪里办|哪儿办|什么地方办|去哪|哪个窗口|哪个部门/;
const FEE_Q = /收费|要钱|多少钱|费用|免费|花钱|交钱/;
const VALIDITY_Q = /有效期|几年有效|管几年|用几年|多久有效|到期|延续|换证/;

/** Does the text ask about time, place, fee or validity, and name one of the applicant's items? */
export function asksAboutNamedItem(catalog: Catalog, assessment: Assessment | undefined, text: string): boolean {
  if (!assessment || !(TIME_Q.test(text) || WHERE_Q.test(text) || FEE_Q.test(text) || VALIDITY_Q.test(text))) return false;
  return assessment.items.some((i) => {
    const permit = catalog.permits.get(i.permitId);
    return mentions(text, [i.name, permit?.name ?? '', ...(permit?.aliases ?? [])]);
  });
}

/**
 * Time, place and fee questions, answered from the notice the engine computes for the applicant's items
 * (the items the question names, or all of them), or null when the text asks none of these.
 */
export function answerFromNotice(catalog: Catalog, region: Region, assessment: Assessment | undefined, text: string): string | null {
  const isTime = TIME_Q.test(text);
  const isWhere = WHERE_Q.test(text);
  const isFee = FEE_Q.test(text);
  const isValidity = VALIDITY_Q.test(text);
  if (!isTime && !isWhere && !isFee && !isValidity) return null;
  const oneWindow = `${region.window.name}${region.window.name.includes('一窗受理') ? '' : '一窗受理'}`;
  if (!assessment) {
    if (isWhere) return `${region.name}“一业一证”在${oneWindow}。`;
    return '请先告诉我您想开什么店，我再告诉您具体的时限和收费。';
  }
  const notice = buildNotice(catalog, assessment);
  const mentioned = notice.items.filter((i) => {
    const permit = catalog.permits.get(i.permitId);
    return mentions(text, [i.name, permit?.name ?? '', ...(permit?.aliases ?? [])]);
  });
  const items = mentioned.length ? mentioned : notice.items;
  const lines: string[] = [];
  if (isTime) {
    for (const i of items) {
      const days = i.onTheSpot
        ? '材料齐全可当场办理'
        : i.statutoryWorkingDays === undefined
          ? '依据中未写明办理时限，以窗口告知为准'
          : `法定时限${i.statutoryWorkingDays}个工作日${i.promisedWorkingDays !== undefined ? `，${region.name}承诺${i.promisedWorkingDays}个工作日` : ''}`;
      lines.push(`${i.name}：${days}。`);
    }
    if (!mentioned.length) lines.push(`总体：${notice.overall.explanation}。`);
    if (!mentioned.length && notice.undecided.length) lines.push(`（${notice.undecided.join('、')}尚待确认，未计入。）`);
  }
  if (isWhere) {
    lines.push(`统一在${oneWindow}（一次提交全部事项）。`);
    for (const i of items) lines.push(`${i.name}由${i.departmentFullName}审批。`);
  }
  if (isFee) {
    for (const i of items) lines.push(`${i.name}：${i.free ? '不收费' : (i.feeNote ?? '收费，以窗口告知为准')}。`);
  }
  if (isValidity) {
    for (const i of items) lines.push(`${i.name}：${i.validity ? i.validity : '依据中未写明有效期，以发证机关告知为准'}。`);
  }
  const sources = [...new Set(items.map((i) => i.name))].join('、');
  return `${lines.join('\n')}\n（依据：${sources}的法定依据与${region.document.title}）`;
}

function mentions(text: string, names: string[]): boolean {
  return names.some((n) => {
    if (!n) return false;
    if (text.includes(n)) return true;
    const stem = n.replace(/（.*?）/g, '').replace(/(许可证核发|许可证|许可|审批|核发|登记|备案)$/, '');
    return stem.length >= 2 && text.includes(stem);
  });
}
