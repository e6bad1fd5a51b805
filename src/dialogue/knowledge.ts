/**
 * Answers to questions about the permits, materials and the reform, grounded only in the knowledge data:
 * each answer names where it comes from, and a question the data does not answer gets an honest
 * "not in my knowledge" with the hotline.
 */
import type { Catalog } from '../catalog/load.ts';
import type { Assessment } from '../guidance/assess.ts';
import { getPermit, hotlineText, regionPermitIds } from '../catalog/lookup.ts';
import { buildNotice, type Notice } from '../guidance/notice.ts';
import type { Industry, Region } from '../catalog/schema.ts';
import { knowledgeFor, type KnowledgeQuery, type Passage, type SourceRef } from '../knowledge/index.ts';
import { feeText, sourceRef, STAFF_TOPIC_PREFIX, timeNoteLabel, timeText, validityText } from '../knowledge/passages.ts';
import { terms } from '../knowledge/segment.ts';

export interface KnowledgeAnswer {
  /** The answer, ending with the line that names its source (「依据：《…》二（七）」). */
  text: string;
  sources: SourceRef[];
}

export interface KnowledgeQuestion {
  text: string;
  /** Permits ruled out for this applicant: what is said of them is not an answer. */
  excluded?: ReadonlySet<string>;
  /** What the reading says is asked (online, post, agency…). */
  kinds?: readonly string[];
  /** Permits and materials the question names. */
  permits?: readonly string[];
  materials?: readonly string[];
  /**
   * Only a passage about the reform itself (not a permit's) that covers this much of the question: a
   * question asked beside another request (「那几个证都要挂墙上吗」 beside 「几个证」) is answered when it is clear.
   */
  besides?: number;
}

/**
 * An FAQ entry staff wrote from an answer an agent sent (src/knowledge/staffFaq.ts), when the question is
 * asked again in nearly the same words: it answers before anything the assistant would work out, since the
 * office chose it for exactly this question.
 */
export function staffFaqAnswer(region: Region, text: string): KnowledgeAnswer | null {
  let best: { answer: string; sources: SourceRef[]; score: number } | undefined;
  for (const f of region.reformFaq) {
    if (!f.topic.startsWith(STAFF_TOPIC_PREFIX)) continue;
    const score = bigramDice(text, f.question);
    if (score >= STAFF_FAQ_SIMILARITY && (!best || score > best.score)) best = { answer: f.answer, sources: f.sources.map((x) => sourceRef(x, region.document.title)), score };
  }
  return best ? withSources(best.answer, best.sources) : null;
}

/** How alike two questions must be (character bigrams, Dice) for a staff entry to answer. */
const STAFF_FAQ_SIMILARITY = 0.55;

function bigramDice(a: string, b: string): number {
  const grams = (s: string) => {
    const t = s.normalize('NFKC').replace(/[\p{P}\p{S}\s]+/gu, '').toLowerCase();
    const out = new Set<string>();
    for (let i = 0; i + 1 < t.length; i++) out.add(t.slice(i, i + 2));
    return out;
  };
  const x = grams(a);
  const y = grams(b);
  if (!x.size || !y.size) return 0;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return (2 * shared) / (x.size + y.size);
}

/**
 * The answer the knowledge index gives to a question in this region (and trade, when known): the curated
 * FAQ answer, the permit's fact or the clause's own sentences, with the source; null under the floor.
 */
export function answerFromKnowledge(catalog: Catalog, region: Region, industry: Industry | undefined, question: KnowledgeQuestion): KnowledgeAnswer | null {
  // What the reading plainly says is asked (online, post, agency…) is answered by the region's entries for
  // it, whatever else the message says around it (「开个烘焙店 自己烤蛋糕面包 网上能办证不」).
  if (question.besides === undefined) {
    const direct = DIRECT_KINDS.filter((k) => question.kinds?.includes(k));
    const answers = direct.flatMap((kind) => {
      const entries = region.reformFaq.filter((f) => f.asks.includes(kind));
      if (!entries.length) return [];
      const ranked = knowledgeFor(catalog).rank(question.text, region.id, entries.map((f) => `${region.id}:faq:${f.topic}`));
      return ranked.slice(0, 1);
    });
    const unique = answers.filter((p, i) => answers.findIndex((o) => o.id === p.id) === i);
    // Asked beside another, a thing the region's document does not say (奈曼旗 and posting the licence).
    const unsaid = direct.filter((k) => !region.reformFaq.some((f) => f.asks.includes(k))).map((k) => DIRECT_LABELS[k]);
    const note = unsaid.length ? `关于${unsaid.join('、')}，《${region.document.title}》没有写明，请向${region.window.name}确认，或拨打${hotlineText(region)}咨询。` : '';
    if (unique.length) return withSources([...unique.map((p) => p.answer), ...(note ? [note] : [])].join('\n'), unique.flatMap((p) => p.sources));
    // Asked plainly about something the document does not say: said so, specifically, with no source.
    if (note && unsaid.length === direct.length) return { text: note, sources: [] };
  }
  const search = (text: string) => knowledgeFor(catalog).search(queryFor(text, region, industry, question));
  // The whole message, or else the clause that asks (「我想在大沁他拉开个宾馆，带个小餐厅，问下特行证咋办」: the
  // trade and the restaurant are context, not what the question is about).
  let hits = search(question.text);
  if (!hits.length) {
    const asking = clauses(question.text).filter((c) => c.length >= 3 && ASKING.test(c));
    hits = asking.flatMap(search).sort((a, b) => b.coverage - a.coverage);
  }
  // Beside another request, only a question of its own: a few words more than 「需要什么证」.
  // A question naming a permit is not answered with another permit's facts (「书店要不要办卫生证」 where the
  // region has no 卫生许可: not the outdoor-ad permit's basis).
  const fits = (h: (typeof hits)[number]) => !question.permits?.length || !h.passage.permit || question.permits.includes(h.passage.permit);
  const best =
    question.besides === undefined
      ? hits.find(fits)
      : hits.find((h) => h.passage.kind !== 'permit' && h.words >= 1 && h.coverage >= (question.besides ?? 1));
  if (!best) return null;
  const { passage } = best;
  // 「健康证要几个人的」 for a shop with two permits that each say who needs one: both are the answer.
  const alike = question.materials?.length && passage.kind === 'faq' && passage.permit
    ? hits.filter((h) => h.passage.kind === 'faq' && h.passage.permit && h.coverage >= best.coverage - 0.1)
        .filter((h, i, all) => all.findIndex((o) => o.passage.permit === h.passage.permit) === i)
        .slice(0, 3)
    : [];
  if (alike.length > 1) {
    const lines = alike.map((h) => `${itemName(region, industry, h.passage.permit ?? '') ?? ''}：${h.passage.answer}`);
    return withSources(lines.join('\n'), alike.flatMap((h) => h.passage.sources));
  }
  return passageAnswer(catalog, region, industry, passage, question.text);
}

/**
 * What a passage says in answer to the question: a clause's sentences that answer it, quoted; an FAQ
 * entry's or a permit fact's answer, naming the item as the trade's catalog does; with the source line.
 */
export function passageAnswer(catalog: Catalog, region: Region, industry: Industry | undefined, passage: Passage, question: string): KnowledgeAnswer {
  const body = passage.kind === 'clause' ? quoteClause(passage, question) : passage.answer;
  const text = passage.permit ? withItemName(aboutItem(body, region, industry, passage), region, industry, passage.permit, catalog) : body;
  return withSources(text, passage.sources);
}

/**
 * Whether the knowledge speaks to the question at all: 「房租一般多少钱」 reads as a fee question, but no
 * passage covers 房租, so the permits' fees are not its answer.
 */
export function knowledgeCovers(catalog: Catalog, region: Region, industry: Industry | undefined, question: KnowledgeQuestion): boolean {
  // Clause by clause: 「在青龙山镇开饭店，三百平左右，要办啥证，多长时间能下来」 asks the time in its last clause;
  // the shop's size and staff are not what the time question is about.
  const parts = clauses(question.text);
  return [question.text, ...(parts.length > 1 ? parts : [])].some(
    (text) =>
      knowledgeFor(catalog)
        .search({ ...queryFor(text, region, industry, { kinds: question.kinds, permits: question.permits }), creditKinds: false })
        // Only a passage for what is asked (a fee, a time limit) says the question is about the permits.
        .some((h) => !question.kinds?.length || h.passage.asks.some((k) => question.kinds?.includes(k))),
  );
}

/** What the index is asked for a question in this region and trade. */
export function queryFor(text: string, region: Region, industry: Industry | undefined, question: Omit<KnowledgeQuestion, 'text'>): KnowledgeQuery {
  return {
    text,
    region: region.id,
    ...(industry ? { industryPermits: new Set(industry.items.map((i) => i.permit)) } : {}),
    ...(question.excluded ? { excluded: question.excluded } : {}),
    ...(question.kinds ? { kinds: question.kinds } : {}),
    ...(question.permits ? { permits: question.permits } : {}),
    ...(question.materials ? { materials: question.materials } : {}),
  };
}

/** A clause that asks something: a question word or particle, or a question mark after it. */
const ASKING = /[吗么呢？?]|咋|啥|谁|什么|怎么|怎样|如何|多少|多久|几|能不能|可不可以|要不要|是不是|有没有|用不用|行不行|哪/u;

function clauses(text: string): string[] {
  return text
    .split(/(?<=[？?])|[，,。.！!；;\s]+/u)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** Request kinds the reader tells reliably, each answered by the region's FAQ entries that say they answer it. */
const DIRECT_KINDS = ['pending_items', 'materials_later', 'electronic', 'hotline', 'post', 'online', 'agency'] as const;
const DIRECT_LABELS: Record<(typeof DIRECT_KINDS)[number], string> = {
  pending_items: '先发证、后补办未许可事项',
  materials_later: '材料后补或免交',
  electronic: '电子证照',
  hotline: '咨询电话',
  post: '证照邮寄',
  online: '网上办理',
  agency: '帮办代办',
};

/** The answer with its source line; the sources as `POST /api/chat` carries them. */
export function withSources(text: string, sources: SourceRef[]): KnowledgeAnswer {
  // One entry per law and article, with every permit it was cited for (the fee of six items is one article).
  const unique: SourceRef[] = [];
  for (const s of sources) {
    const same = unique.find((o) => o.title === s.title && o.ref === s.ref);
    if (!same) unique.push({ ...s, ...(s.permits ? { permits: [...s.permits] } : {}) });
    else if (s.permits) same.permits = [...new Set([...(same.permits ?? []), ...s.permits])];
  }
  const line = unique.map((s) => `《${s.title}》${s.ref}`).join('；');
  return { text: line ? `${text}\n依据：${line}` : text, sources: unique };
}

/** The clause's sentences that answer the question, quoted as the document writes them. */
function quoteClause(passage: Passage, question: string): string {
  const all = passage.sentences ?? [passage.answer];
  // The clause's own title (「加强证照汇聚，实行“一码联动”。」) answers nothing by itself.
  const body = all.length > 1 ? all.slice(1) : all;
  const asked = terms(question).words;
  const scored = body.map((sentence, i) => ({ sentence, i, score: overlap(asked, terms(sentence)) }));
  const top = Math.max(...scored.map((s) => s.score));
  const chosen = top > 0 ? scored.filter((s) => s.score >= top * 0.6).slice(0, 2) : scored.slice(0, 1);
  return `文件中写明：「${chosen.map((s) => s.sentence).join('')}」`;
}

function overlap(asked: readonly string[], sentence: { words: string[]; chars: string[] }): number {
  const words = new Set(sentence.words);
  const chars = new Set(sentence.chars);
  return asked.reduce((sum, w) => sum + (words.has(w) ? 1 : [...w].some((c) => chars.has(c)) ? 0.3 : 0), 0);
}

/** A permit's FAQ answer says which item it is about (「不得少于人民币200万元」 alone says nothing). */
function aboutItem(text: string, region: Region, industry: Industry | undefined, passage: Passage): string {
  if (passage.kind !== 'faq' || !passage.permit) return text;
  const name = itemName(region, industry, passage.permit);
  return name && !text.includes(name) ? `${name}：${text}` : text;
}

/**
 * A permit's FAQ answer names the permit as the trade's catalog does, outside the titles of laws (《食品经营
 * 许可管理办法》 stays as it is). A catalog wording that only adds to the official name (食品经营许可新办) leaves
 * the official name, which it contains: replacing it would double the addition or make up a title.
 */
function withItemName(text: string, region: Region, industry: Industry | undefined, permitId: string, catalog: Catalog): string {
  const name = itemName(region, industry, permitId);
  const official = catalog.permits.get(permitId)?.name;
  if (!name || !official || name === official || name.includes(official)) return text;
  return text
    .split(/(《[^》]*》)/u)
    .map((part) => (part.startsWith('《') ? part : part.replaceAll(official, name)))
    .join('');
}

export type NoticeTopic = 'time' | 'where' | 'fees' | 'validity';

/**
 * Time, place, fee and validity questions, answered from the notice the engine computes for the
 * applicant's items (those the question names, or all of them), each fact with its source.
 */
export function answerFromNotice(catalog: Catalog, assessment: Assessment, topics: readonly NoticeTopic[], permits: readonly string[]): KnowledgeAnswer {
  const region = assessment.region;
  // Items still to be decided are answered for as well, marked: the question should not wait for them.
  const undecided = new Set(assessment.items.filter((i) => i.status === 'undecided').map((i) => i.permitId));
  const mayApply: Assessment = { ...assessment, items: assessment.items.map((i) => (i.status === 'undecided' ? { ...i, status: 'required' } : i)) };
  const notice = buildNotice(catalog, mayApply);
  const mentioned = notice.items.filter((i) => permits.includes(i.permitId));
  const items = mentioned.length ? mentioned : notice.items;
  const lines: string[] = [];
  const sources: SourceRef[] = [];
  const unsure = (permitId: string) => (undecided.has(permitId) ? '（是否需要办理待确认）' : '');
  if (!items.length) return { text: `根据您的回答，${assessment.industry.name}目前没有需要办理的事项。`, sources: [] };
  const permitOf = (id: string) => getPermit(catalog, id, region);
  if (topics.includes('time')) {
    for (const i of items) {
      lines.push(`${i.name}${unsure(i.permitId)}：${timeText(i, region)}。${timeNoteLead(i)}`);
      sources.push(sourceRef(permitOf(i.permitId).timeLimit.sources[0], i.name, i.permitId));
    }
    // The whole, when all or several are asked about (「特行证、排水证、食品那些全办下来得多久」).
    const overall = mentioned.length !== 1;
    // The whole is that of the items needed so far; the items still to decide may change it.
    const needed = undecided.size ? buildNotice(catalog, assessment) : notice;
    const whole = needed.items.length ? needed : notice;
    const caveat = !undecided.size ? '' : whole === needed ? '（按目前确定需要办理的事项计，待确认的事项确定后可能变化）' : '（按可能涉及的事项计，确认后以实际事项为准）';
    if (overall) lines.push(`总体：${whole.overall.explanation}${caveat}。`);
    // The promised days and the whole come from the region's own rule (奈曼旗 二（二）: 压缩60%以上).
    if (region.timeRule && (overall || items.some((i) => i.promisedWorkingDays !== undefined))) sources.push(sourceRef(region.timeRule.sources[0], region.document.title));
  }
  if (topics.includes('where')) {
    lines.push(`统一在${oneWindow(region)}（一次提交全部事项）。`);
    for (const i of items) lines.push(`${i.name}由${i.departmentFullName}审批。`);
    sources.push(sourceRef(region.window.sources[0], region.document.title));
  }
  if (topics.includes('fees')) {
    for (const i of items) {
      lines.push(`${i.name}${unsure(i.permitId)}：${feeText(i)}。`);
      sources.push(sourceRef(permitOf(i.permitId).fee.sources[0], i.name, i.permitId));
    }
  }
  if (topics.includes('validity')) {
    for (const i of items) {
      lines.push(`${i.name}${unsure(i.permitId)}：${validityText(i)}。`);
      const permit = permitOf(i.permitId);
      sources.push(sourceRef(permit.validity?.sources[0] ?? permit.legalBasis[0], i.name, i.permitId));
    }
  }
  return withSources(lines.join('\n'), sources);
}

/** Where applications are made, before the trade is known. */
export function whereToApply(region: Region): KnowledgeAnswer {
  return withSources(`${region.name}“一业一证”在${oneWindow(region)}办理，一个行业涉及的事项一次提交。`, [sourceRef(region.window.sources[0], region.document.title)]);
}

/**
 * 「健康证要几个人的」「食品经营许可证要什么材料」: the applicant's materials that a question names, or the
 * materials of a permit it names, from the notice for their items (null when neither is named or needed).
 */
export function answerMaterials(catalog: Catalog, assessment: Assessment, permits: readonly string[], materials: readonly string[]): KnowledgeAnswer | null {
  // A permit still to be decided (排水 while the sewage question is open) is answered for too, marked.
  const undecided = new Set(assessment.items.filter((i) => i.status === 'undecided' && permits.includes(i.permitId)).map((i) => i.permitId));
  const mayApply: Assessment = { ...assessment, items: assessment.items.map((i) => (undecided.has(i.permitId) ? { ...i, status: 'required' } : i)) };
  const notice: Notice = buildNotice(catalog, mayApply);
  const lines: string[] = [];
  const sources: SourceRef[] = [];
  for (const m of notice.materials.filter((x) => materials.includes(x.id))) {
    const notes = [...new Set(m.notes.map((x) => x.note.replace(/[。；;\s]+$/u, '')))];
    lines.push(`${m.name}：${m.neededBy.join('、')}需要${m.conditional ? '（如适用）' : ''}。${notes.length ? `${notes.join('；')}。` : ''}${m.description ? m.description : ''}`);
    const material = catalog.materials.get(m.id);
    const source = material?.sources?.[0];
    if (source) sources.push(sourceRef(source, m.name));
  }
  for (const item of notice.items.filter((i) => permits.includes(i.permitId))) {
    const own = notice.materials.filter((m) => m.neededBy.includes(item.name));
    lines.push(`${item.name}${undecided.has(item.permitId) ? '（是否需要办理待确认）' : ''}需要的材料：${own.map((m) => m.name).join('、')}。`);
    sources.push(sourceRef(item.legalBasis[0], item.name, item.permitId));
  }
  if (!lines.length) {
    // A named permit or material this applicant does not need: said so, not answered about another.
    const other = [...permits.map((p) => catalog.permits.get(p)?.name), ...materials.map((m) => catalog.materials.get(m)?.name)].filter(Boolean);
    if (!other.length) return null;
    return { text: `根据您目前的情况，您要办理的事项不需要${other.join('、')}。回复「告知单」可以查看全部材料。`, sources: [] };
  }
  return withSources(lines.join('\n'), sources);
}

/**
 * 「书店还要卫生许可？」 with the trade known: whether this applicant needs the permits it names, from their own
 * items with the reason, or that the trade's catalog entry does not list them; null when the region lists
 * none of them (that is said elsewhere).
 */
/** The region's catalog of industries as a source: the trade's entry, its items as the catalog lists them. */
export function catalogSource(region: Region, industry: Industry): SourceRef {
  return { title: region.document.catalogTitle, ref: industry.name, quote: industry.items.map((i) => i.name).join('、') };
}

export function answerWhetherNeeded(catalog: Catalog, assessment: Assessment, permits: readonly string[]): KnowledgeAnswer | null {
  const { region, industry } = assessment;
  const source = catalogSource(region, industry);
  const items = assessment.items.filter((i) => permits.includes(i.permitId));
  if (items.length) {
    const lines = items.map((i) => {
      const verdict = i.status === 'required' ? '需要办理' : i.status === 'not_needed' ? '不需要办理' : '是否需要办理还要确认';
      return `${i.name}：您${verdict}。${i.reason.replace(/[。；？?]*$/u, '')}。`;
    });
    return withSources(lines.join('\n'), [source, ...items.map((i) => sourceRef(getPermit(catalog, i.permitId, region).legalBasis[0], i.name, i.permitId))]);
  }
  // 「茶馆要办卫生许可证吗」: the trade's catalog entry does not list it.
  const listed = regionPermitIds(region);
  const others = permits.filter((p) => listed.has(p)).map((p) => getPermit(catalog, p, region).name);
  if (!others.length) return null;
  return withSources(`${region.document.catalogTitle}中，${industry.name}不涉及${others.join('、')}；是否还需按相关规定另行办理，请向主管部门咨询，或拨打${hotlineText(region)}。`, [source]);
}

/** The first words of an item's time note, when short (「材料齐全的当场登记，7个工作日内发放…登记证。」). */
function timeNoteLead(item: { timeNote?: string; onTheSpot: boolean; statutoryWorkingDays?: number; promisedWorkingDays?: number }): string {
  const lead = item.timeNote?.split(/[；。]/u)[0]?.trim();
  return lead && !item.onTheSpot && item.statutoryWorkingDays !== undefined && lead.length <= 40 ? `${timeNoteLabel(item, lead)}${lead}。` : '';
}

function oneWindow(region: Region): string {
  return `${region.window.name}${region.window.name.includes('一窗受理') ? '' : '一窗受理'}`;
}

function itemName(region: Region, industry: Industry | undefined, permitId: string): string | undefined {
  const fromIndustry = industry?.items.find((i) => i.permit === permitId)?.name;
  return fromIndustry ?? region.industries.flatMap((i) => i.items).find((i) => i.permit === permitId)?.name;
}

