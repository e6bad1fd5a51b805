/**
 * What the assistant can answer from, as passages each with its source: every numbered clause of each
 * region's document, the region's curated FAQ, each listed permit's FAQ, and each listed permit's facts
 * (materials, time limits, fee, inspection, validity, legal basis) as the region applies them.
 */
import type { Catalog } from '../catalog/load.ts';
import { sentences } from '../catalog/clauses.ts';
import type { Permit, Region, Source } from '../catalog/schema.ts';
import { departmentFullName, getPermit, regionPermitIds } from '../catalog/lookup.ts';
import { noticeItem, type NoticeItem } from '../guidance/notice.ts';

/** The topic of an FAQ entry staff added at run time (src/knowledge/staffFaq.ts), in its region's FAQ. */
export const STAFF_TOPIC_PREFIX = 'staff_';

export interface SourceRef {
  /** The document or law: 奈曼旗“一业一证”改革实施方案, 中华人民共和国食品安全法. */
  title: string;
  /** The clause or article: 二（七）, 第三十五条 (empty when the source names none). */
  ref: string;
  /** The source's own words the answer rests on. */
  quote: string;
  /** The permits the answer is about, when it is about some (not sent to clients; for the eval and agents). */
  permits?: string[];
}

export const ASPECTS = ['materials', 'time', 'fee', 'inspection', 'validity', 'basis'] as const;
export type Aspect = (typeof ASPECTS)[number];

export interface Passage {
  /** naiman:clause:二（七）, naiman:faq:pending_items, naiman:permit:food_business_licence:time… */
  id: string;
  region: string;
  kind: 'clause' | 'faq' | 'permit';
  /** The permit it is about, if any. */
  permit?: string;
  /**
   * The county's own word on a permit (its `permitOverrides` FAQ, or a permit of its own), which outranks
   * the national registry's on the same permit (a registry 「国家层面没有找到按面积免办的规定」 against a county
   * that sets the threshold).
   */
  local?: boolean;
  aspect?: Aspect;
  /** The request kinds it answers (the reading's: post, online, time…). */
  asks: readonly string[];
  /** What is searched. */
  text: string;
  /** For an FAQ entry, its question and the other ways people ask it: a question worded so ranks first. */
  question?: string;
  /** What is said: a curated answer or a fact; for a clause, its sentences (the best are quoted). */
  answer: string;
  sentences?: readonly string[];
  /** Where it comes from, the first the main one (an FAQ entry may rest on two clauses). */
  sources: SourceRef[];
}

/**
 * The words people use for each aspect of a permit, searched with the permit's names: 「排水证要钱吗」
 * meets the drainage permit's fee.
 */
const ASPECT_WORDS: Record<Aspect, string> = {
  materials: '材料 资料 准备 提交 带什么 要什么 证明 复印件 申请材料',
  time: '多久 多长时间 时间 几天 时限 工作日 办结 办下来 审批时间 多快',
  fee: '收费 费用 要钱 花钱 多少钱 免费 交钱 钱',
  inspection: '现场 核查 检查 验收 上门 来看 查看 勘验',
  validity: '有效期 几年 到期 过期 延续 续期 换证 长期有效',
  basis: '依据 法律 规定 哪个部门 谁批 审批部门 法规 条例 干啥的 干什么的 是什么 做什么 作用 用途 不办 必须办 一定要办 要不要办',
};
/** The request kinds each aspect answers. */
const ASPECT_ASKS: Record<Aspect, readonly string[]> = {
  materials: ['materials'],
  time: ['time'],
  fee: ['fees'],
  inspection: ['inspection'],
  validity: ['validity'],
  basis: [],
};

export function buildPassages(catalog: Catalog): Passage[] {
  return catalog.regions.flatMap((region) => regionPassages(catalog, region));
}

function regionPassages(catalog: Catalog, region: Region): Passage[] {
  const out: Passage[] = [];
  const title = region.document.title;
  for (const clause of catalog.clauses.get(region.id) ?? []) {
    out.push({
      id: `${region.id}:clause:${clause.ref}`,
      region: region.id,
      kind: 'clause',
      asks: [],
      text: `${clause.heading} ${clause.text}`,
      answer: clause.text,
      sentences: sentences(clause.text),
      sources: [{ title, ref: clause.ref, quote: clause.text }],
    });
  }
  for (const faq of region.reformFaq) {
    out.push({
      id: `${region.id}:faq:${faq.topic}`,
      region: region.id,
      kind: 'faq',
      asks: faq.asks,
      text: [faq.question, ...faq.variants, faq.answer].join(' '),
      question: [faq.question, ...faq.variants].join(' '),
      answer: faq.answer,
      sources: faq.sources.map((x) => sourceRef(x, title)),
    });
  }
  // What a scenario question means (什么算大型户外广告), in the words of its help, by the names people use for it.
  for (const question of region.questions) {
    if (!question.help || !question.aliases.length) continue;
    out.push({
      id: `${region.id}:question:${question.id}`,
      region: region.id,
      kind: 'faq',
      asks: [],
      text: [question.text, ...question.aliases, question.help].join(' '),
      question: [question.text, ...question.aliases].join(' '),
      answer: question.help,
      sources: (question.sources ?? []).map((x) => sourceRef(x, title)),
    });
  }
  for (const permit of listedPermits(catalog, region)) {
    const item = regionItem(catalog, region, permit);
    // The trades that list it: 「药店那个证几年换一次」 is about the pharmacy's permit.
    const trades = region.industries.filter((i) => i.items.some((it) => it.permit === permit.id)).map((i) => i.name);
    const names = [item.name, permit.name, ...permit.aliases, ...(region.permitOverrides[permit.id]?.colloquial ?? []), ...trades].join(' ');
    const own = region.permits.includes(permit);
    const localFaq = new Set(region.permitOverrides[permit.id]?.faq ?? []);
    permit.faq.forEach((faq, i) => {
      out.push({
        id: `${region.id}:permit:${permit.id}:faq:${i}`,
        region: region.id,
        kind: 'faq',
        permit: permit.id,
        ...(own || localFaq.has(faq) ? { local: true } : {}),
        asks: [],
        text: `${faq.question} ${names} ${faq.answer}`,
        question: faq.question,
        answer: faq.answer,
        sources: faq.sources.map((x) => sourceRef(x, permit.name, permit.id)),
      });
    });
    for (const aspect of ASPECTS) {
      const fact = permitFact(catalog, region, permit, item, aspect);
      out.push({
        id: `${region.id}:permit:${permit.id}:${aspect}`,
        region: region.id,
        kind: 'permit',
        permit: permit.id,
        aspect,
        asks: ASPECT_ASKS[aspect],
        text: `${names} ${ASPECT_WORDS[aspect]} ${fact.text}`,
        answer: fact.text,
        sources: [fact.source],
      });
    }
  }
  return out;
}

/** One fact of a permit as the region applies it (its item's name, its department, its promised days). */
export function permitFact(catalog: Catalog, region: Region, permit: Permit, item: NoticeItem, aspect: Aspect): { text: string; source: SourceRef } {
  switch (aspect) {
    case 'time':
      return { text: `${item.name}：${timeText(item, region)}。${item.timeNote ? `${timeNoteLabel(item, item.timeNote)}${trimEnd(item.timeNote)}。` : ''}`, source: sourceRef(permit.timeLimit.sources[0], permit.name, permit.id) };
    case 'fee':
      return { text: `${item.name}：${feeText(item)}。`, source: sourceRef(permit.fee.sources[0], permit.name, permit.id) };
    case 'validity':
      return {
        text: `${item.name}：${validityText(item)}。`,
        source: sourceRef(permit.validity?.sources[0] ?? permit.legalBasis[0], permit.name, permit.id),
      };
    case 'inspection':
      return { text: `${item.name}：${inspectionText(item)}。`, source: sourceRef(permit.inspection.sources[0], permit.name, permit.id) };
    case 'materials': {
      const names = permit.materials.map((m) => {
        const name = catalog.materials.get(m.id)?.name ?? m.id;
        return m.when || !m.required ? `${name}（如适用）` : name;
      });
      return { text: `${item.name}需要的材料：${names.join('、')}。`, source: sourceRef(permit.legalBasis[0], permit.name, permit.id) };
    }
    case 'basis': {
      const laws = permit.legalBasis.map((s) => `《${s.title}》${s.article ?? ''}`);
      return {
        text: `${item.name}由${item.departmentFullName}办理，依据${[...new Set(laws)].join('、')}。${permit.summary}`,
        source: sourceRef(permit.legalBasis[0], permit.name, permit.id),
      };
    }
  }
}

export function timeText(item: NoticeItem, region: Region): string {
  if (item.onTheSpot) return '材料齐全可当场办理';
  if (item.statutoryWorkingDays === undefined) return item.applicantDeadline ? `${item.applicantDeadline}（申请人须遵守的期限）` : '依据中未写明办理时限，以窗口告知为准';
  // The region promises a reduction, not a number per item: the number is worked out from it, and said so.
  const reduction = region.timeRule?.kind === 'reduced' ? `压缩${region.timeRule.reductionPercent}%以上，即` : '';
  const promised = item.promisedWorkingDays !== undefined ? `，${region.name}承诺${reduction}不超过${item.promisedWorkingDays}个工作日` : '';
  return `法定时限${item.statutoryWorkingDays}个工作日${promised}`;
}

/**
 * Before the law's own time rule (「20个工作日内决定，可延长10个工作日」) where the region promises less: said to be
 * the statutory rule, so that it does not read as contradicting the promise.
 */
export function timeNoteLabel(item: { promisedWorkingDays?: number }, note: string): string {
  return item.promisedWorkingDays !== undefined && /\d+个?(工作)?日内/u.test(note) ? '法定规定：' : '';
}

export function feeText(item: NoticeItem): string {
  if (item.free === null) return item.feeNote ?? '是否收费依据中未写明，以窗口告知为准';
  return item.free ? '不收费' : (item.feeNote ?? '收费，以窗口告知为准');
}

export function validityText(item: NoticeItem): string {
  return item.validity ? trimEnd(item.validity) : '依据中未写明有效期，以发证机关告知为准';
}

export function inspectionText(item: NoticeItem): string {
  const what = {
    always: '审批前需要现场核查',
    sometimes: '根据需要进行现场核查',
    after: '先发证，发证后进行核查',
    never: '一般不需要现场核查',
    unknown: '依据中未写明是否现场核查，以窗口告知为准',
  }[item.inspection];
  return item.inspectionNote ? `${what}（${trimEnd(item.inspectionNote)}）` : what;
}

/** The permits the region's catalog lists for any of its industries. */
export function listedPermits(catalog: Catalog, region: Region): Permit[] {
  const ids = regionPermitIds(region);
  // As the region runs them: its overrides of registry permits, and its own permits.
  return [...catalog.permits.keys()].filter((id) => ids.has(id)).map((id) => getPermit(catalog, id, region));
}

/** The permit as the region's catalog writes it (its first item of that permit). */
function regionItem(catalog: Catalog, region: Region, permit: Permit): NoticeItem {
  const item = region.industries.flatMap((i) => i.items).find((i) => i.permit === permit.id);
  const department = item?.department ?? '';
  return noticeItem(catalog, region, {
    permitId: permit.id,
    name: item?.name ?? permit.name,
    department,
    departmentFullName: department ? departmentFullName(region, department) : permit.authority,
  });
}

/** A catalog source as an answer's source: its article written as the document numbers it (二（七）). */
export function sourceRef(source: Source | undefined, fallbackTitle: string, permit?: string): SourceRef {
  const about = permit ? { permits: [permit] } : {};
  if (!source) return { title: fallbackTitle, ref: '', quote: '', ...about };
  // A quote is the source's own words; an editor's remark kept in its place is not quoted.
  const quote = source.quote && !/需核对|二手资料|未读到|未在依据中读到/u.test(source.quote) ? source.quote : '';
  return { title: source.title, ref: clauseRef(source.article ?? ''), quote, ...about };
}

/** 「二、（七）」 and 「二(七)」 as 「二（七）」, 「一、工作目标」 as 「一」; an article of a law as it is. */
export function clauseRef(article: string): string {
  const m = /^([一二三四五六七八九十]+)、\s*(?:[（(]([一二三四五六七八九十]+)[）)])?/u.exec(article.trim());
  if (!m) return article.trim();
  return m[2] ? `${m[1]}（${m[2]}）` : (m[1] ?? '');
}

function trimEnd(text: string): string {
  return text.replace(/[。；;\s]+$/u, '');
}
