/**
 * Questions about the application (which permits, what materials, how long, where, fees, online, post,
 * help, the reform…), answered from the knowledge as soon as they can be: a question asked before the
 * trade or the permits are known is remembered and answered once they are.
 */
import { buildNotice } from '../../guidance/notice.ts';
import { renderNotice } from '../../guidance/render.ts';
import { buildFlowChart } from '../../guidance/flowchart.ts';
import { isQuestionKind, QUESTION_KINDS, type Reading, type RequestKind } from '../../nlu/reading.ts';
import type { Draft } from '../draft.ts';
import { asksAboutLicence } from '../../knowledge/index.ts';
import { questionAskedAbout } from './questions.ts';
import { answerFromKnowledge, answerFromNotice, answerMaterials, answerWhetherNeeded, knowledgeCovers, staffFaqAnswer, whereToApply, type KnowledgeAnswer, type NoticeTopic } from '../knowledge.ts';
import { regionPermitIds } from '../../catalog/lookup.ts';
import * as T from '../texts/index.ts';
import type { DeferredQuestion, Reply } from '../types.ts';

const NOTICE_TOPICS: readonly NoticeTopic[] = ['time', 'where', 'fees', 'validity'];
/** Questions the region's FAQ answers (online, post, agency, the reform…): all but the permits, the notice and its topics. */
const FAQ_KINDS: readonly RequestKind[] = QUESTION_KINDS.filter((k) => k !== 'permits' && k !== 'materials' && !(NOTICE_TOPICS as readonly string[]).includes(k));
const MAX_DEFERRED = 3;
const WHETHER_NEEDED = /(?:要不要|用不用|需不需要)(?:办|申请)|(?:要|得|需要)(?:办|申请)[^，,。；]{1,16}还是|(?:必须|一定要|也得|还得|还要|也要|要|需要|得)(?:办|申请)[^，,。；]{0,12}(?:[吗么]|[?？]\s*$)|(?:还要|也要|也得|还得)[^，,。；]{0,8}(?:证|许可)(?:[吗么]|[?？]\s*$)/u;
const NOT_PERMIT_COSTS = /税|房租|租金|工资|社保|装修|押金|加盟费/u;
const OPENING_HOURS = /周末|周六|周日|星期[六日天]|礼拜[六天日]|节假日|几点|上班时间|下班|营业时间|办公时间|午休/u;

export interface AnswerOutcome {
  /** The permits were asked for: show them as they stand. */
  wantsPermits: boolean;
  /** Something was answered. */
  answered: boolean;
  /** Something was kept to answer later. */
  deferred: boolean;
}

export interface AnswerOptions {
  /** The message was understood otherwise: a question the knowledge has no answer to is not said to be unknown. */
  quietUnknown: boolean;
  /** The whole notice waits until the permits have been shown (it follows them). */
  holdNotice: boolean;
}

/** Answers the questions of the message. */
export function answerQuestions(d: Draft, r: Reading, options: AnswerOptions): AnswerOutcome {
  const kinds = r.requests.filter((q) => isQuestionKind(q.kind)).map((q) => q.kind);
  const question: DeferredQuestion = { text: r.raw, kinds, permits: r.topic.permits, materials: r.topic.materials };
  if (!question.kinds.length && !r.question) {
    // 「该找谁说理去」: put as a statement, understood as nothing else, it may still be a question the documents
    // answer; nothing is said when they do not (the caller says it did not understand).
    if (options.quietUnknown || !d.region() || r.requests.length) return { wantsPermits: false, answered: false, deferred: false };
    return answer(d, question, { ...options, quietUnknown: true, fresh: true });
  }
  // 「饭店都算吗」「这个是啥意思」 while a question is pending: the question's own explanation answers it.
  const about = questionAskedAbout(d, r);
  if (about?.help && !question.kinds.length) {
    d.say(T.questionHelp(about));
    return { wantsPermits: false, answered: true, deferred: false };
  }
  return answer(d, question, { ...options, fresh: true, outside: Boolean(r.outOfCatalog && !r.industry) });
}

/** The questions remembered from earlier turns that can be answered now. */
export function answerDeferred(d: Draft, options: { holdNotice: boolean }): AnswerOutcome {
  const waiting = d.state.deferred;
  d.state.deferred = [];
  const outcome: AnswerOutcome = { wantsPermits: false, answered: false, deferred: false };
  for (const q of waiting) {
    const one = answer(d, q, { fresh: false, quietUnknown: true, holdNotice: options.holdNotice });
    outcome.wantsPermits ||= one.wantsPermits;
    outcome.answered ||= one.answered;
    outcome.deferred ||= one.deferred;
  }
  return outcome;
}

/** The one-time notice, or why it cannot be given yet. */
export function noticeReply(d: Draft): Reply | null {
  const assessment = d.assessment();
  if (!assessment) return null;
  const notice = buildNotice(d.catalog, assessment);
  if (notice.items.length === 0 && notice.undecided.length) return null;
  // With the notice, its flow chart (奈曼旗 二（二）: 一张申报告知单, 一张办理流程图), once the items are settled.
  const chart = buildFlowChart(d.catalog, assessment);
  return { kind: 'notice', text: renderNotice(notice), ...(chart ? { chart } : {}) };
}

function answer(d: Draft, q: DeferredQuestion, options: AnswerOptions & { fresh: boolean; outside?: boolean }): AnswerOutcome {
  const region = d.region();
  const industry = d.industry();
  const assessment = d.assessment();
  const kinds = new Set(q.kinds);
  const later: string[] = [];
  let wantsPermits = false;
  let answered = false;

  // An answer the office wrote for this very question comes first (an admin made it from an agent's reply).
  const staff = region && options.fresh ? staffFaqAnswer(region, q.text) : null;
  if (staff) {
    d.say(answerReply(staff));
    return { wantsPermits: false, answered: true, deferred: false };
  }

  if (kinds.has('permits')) {
    if (industry) wantsPermits = true;
    else later.push('permits');
    // 「店里那几个证都要挂墙上吗」: beside the permits, a question the reform text plainly answers.
    const besides = options.fresh && region && kinds.size === 1 ? answerFromKnowledge(d.catalog, region, industry, { text: q.text, permits: q.permits, besides: 0.75 }) : null;
    if (besides) {
      sayGrounded(d, q, answerReply(besides));
      answered = true;
    }
  }
  if (kinds.has('materials')) {
    const named = q.permits.length + q.materials.length > 0;
    if (assessment && named) {
      const found = answerMaterials(d.catalog, assessment, q.permits, q.materials);
      if (found) {
        d.say(answerReply(found));
        answered = true;
      }
    } else if (!assessment) {
      later.push('materials');
    } else if (assessment.nextQuestion) {
      later.push('materials');
      if (options.fresh) d.sayOnce('need-answers', T.needAnswersFirst);
    } else if (options.holdNotice) {
      later.push('materials');
    } else {
      const notice = noticeReply(d);
      if (notice) d.sayOnce('notice', notice);
      answered = true;
    }
  }
  // 「药证过期了，综合证受影响不」「法人换了，综合证要钱不」: the licence's rules answer, not the permits' facts.
  const topics = asksAboutLicence(q.text) ? [] : NOTICE_TOPICS.filter((t) => kinds.has(t));
  // 「政务服务中心周六上班吗」「要交多少税」: the office's hours, taxes and rents are in no document.
  const inNoDocument = OPENING_HOURS.test(q.text) || NOT_PERMIT_COSTS.test(q.text);
  // 「烟草证在哪办」: one of the applicant's own items, asked where, how long, what it costs: the notice answers.
  const ownItem = q.permits.some((p) => assessment?.items.some((i) => i.permitId === p));
  // 「房租一般多少钱」: a fee question about something the knowledge does not cover is not about the permits.
  const offTopic =
    topics.length > 0 &&
    region !== undefined &&
    // 「个体户营业执照咋办？要去哪」「健康证多少钱」: where or what a material costs is not in the knowledge.
    ((q.materials.length > 0 && !q.permits.length && !kinds.has('materials')) ||
      inNoDocument ||
      (assessment !== undefined && !ownItem && !knowledgeCovers(d.catalog, region, industry, { text: q.text, kinds: q.kinds, permits: q.permits })));
  if (offTopic && region) {
    // Hours, taxes and rents are known to be in no document; anything else the passages may still answer.
    if (inNoDocument) d.sayOnce('unknown', T.unknownAnswer(region));
    else sayUnknown(d, q);
    recordUnanswered(d, q);
    answered = true;
  } else if (topics.length) {
    if (assessment) {
      d.say(answerReply(answerFromNotice(d.catalog, assessment, topics, q.permits)));
      answered = true;
    } else if (region && topics.every((t) => t === 'where')) {
      // 「消防检查这块归哪个部门管」: the permit's department, not only the one window.
      const about = q.permits.length ? answerFromKnowledge(d.catalog, region, industry, { text: q.text, kinds: q.kinds, permits: q.permits }) : null;
      if (about) sayGrounded(d, q, answerReply(about));
      else d.say(answerReply(whereToApply(region)));
      answered = true;
    } else {
      later.push(...topics);
    }
  }
  // 「书店要办卫生许可证吗」 with the trade known: this applicant's own item says it, with its reason.
  const aspectAsked = (['materials', 'time', 'fees', 'validity', 'inspection', 'where'] as const).some((k) => kinds.has(k));
  if (options.fresh && assessment && q.permits.length && !aspectAsked && WHETHER_NEEDED.test(q.text) && !asksAboutLicence(q.text)) {
    const needed = answerWhetherNeeded(d.catalog, assessment, q.permits);
    if (needed) {
      d.say(answerReply(needed));
      return { wantsPermits, answered: true, deferred: false };
    }
  }
  const faqKinds = FAQ_KINDS.filter((k) => kinds.has(k));
  // 「理发店要办啥 健康证几个人都要办吗」: a question naming a material is looked up too, whatever else it asks.
  const aboutMaterial = options.fresh && q.materials.length > 0 && !kinds.has('materials');
  const aboutLicence = options.fresh && asksAboutLicence(q.text) && !faqKinds.length && !topics.length && kinds.size > 0;
  if (faqKinds.length || (!kinds.size && options.fresh) || aboutMaterial || aboutLicence) {
    if (!region) {
      later.push(...(faqKinds.length ? faqKinds : ['question']));
    } else {
      const ruledOut = new Set(assessment?.items.filter((i) => i.status === 'not_needed').map((i) => i.permitId) ?? []);
      const found = answerFromKnowledge(d.catalog, region, industry, { text: q.text, excluded: ruledOut, kinds: q.kinds, permits: q.permits, materials: q.materials });
      if (found) {
        if (found.sources.length) sayGrounded(d, q, answerReply(found), ruledOut);
        else d.say(answerReply(found));
        // 「关于证照邮寄，方案没有写明」: honest, and a gap staff should see.
        if (!found.sources.length) recordUnanswered(d, q);
        answered = true;
      } else if ((faqKinds.length || !options.quietUnknown) && !namesPermitOutside(d, q)) {
        sayUnknown(d, q, ruledOut);
        recordUnanswered(d, q);
        answered = true;
      }
    }
  }
  // A permit the region's catalog does not have at all (烟草证 in 新乡经开区): said so, not left unanswered.
  if (region && q.permits.length) {
    const inRegion = regionPermitIds(region);
    const missing = q.permits.filter((p) => !inRegion.has(p)).map((p) => d.catalog.permits.get(p)?.name ?? p);
    if (missing.length) {
      d.sayOnce('permit-not-in-region', T.permitNotInRegion(missing, region));
      answered = true;
    }
  }
  // Asked with a trade outside the catalog: the reply said where to go instead; nothing to keep for later.
  const deferred = later.length > 0 && !options.outside && d.state.deferred.length < MAX_DEFERRED;
  if (deferred) {
    d.state.deferred.push({ ...q, kinds: [...new Set(later)] });
    if (options.fresh && !industry) d.sayOnce('ask-trade-first', T.askTradeFirst);
  }
  return { wantsPermits, answered, deferred };
}

function answerReply(answer: KnowledgeAnswer): Reply {
  return { kind: 'answer', text: answer.text, ...(answer.sources.length ? { sources: answer.sources } : {}) };
}

/** An answer from the knowledge, which an LLM may write from the passages instead (docs/llm.md). */
function sayGrounded(d: Draft, q: DeferredQuestion, reply: Reply, excluded: ReadonlySet<string> = new Set(), unknown = false): void {
  const region = d.region();
  const industry = d.industry();
  if (region) {
    d.effect({ kind: 'ground', question: q.text, region: region.id, ...(industry ? { industry: industry.id } : {}), kinds: q.kinds, permits: q.permits, materials: q.materials, excluded: [...excluded], unknown });
  }
  d.say(reply);
}

/** 「没有确切答案」 once a turn; an LLM may still find the answer in the passages. */
function sayUnknown(d: Draft, q: DeferredQuestion, excluded: ReadonlySet<string> = new Set()): void {
  const region = d.region();
  if (!region || d.said.has('unknown')) return;
  d.said.add('unknown');
  sayGrounded(d, q, T.unknownAnswer(region), excluded, true);
}

/** The question names a permit the region's catalog does not have: that it is outside is the answer. */
function namesPermitOutside(d: Draft, q: DeferredQuestion): boolean {
  const region = d.region();
  if (!region || !q.permits.length) return false;
  const inRegion = regionPermitIds(region);
  return q.permits.some((p) => !inRegion.has(p));
}

/** Staff see what the knowledge lacks (`yiye report unanswered`). */
function recordUnanswered(d: Draft, q: DeferredQuestion): void {
  const region = d.region();
  const industry = d.industry();
  if (region) d.effect({ kind: 'unanswered', text: q.text, region: region.id, ...(industry ? { industry: industry.id } : {}) });
}
