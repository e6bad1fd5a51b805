/**
 * Reading a free reply as the answer to the question just asked: 是的 / 不卖 / 有 / 第二个 /
 * 大概三百平 / 不清楚. The question gives the context a bare 「没有」 needs.
 */
import type { Question } from '../catalog/schema.ts';
import { AnswerError, parseAnswer } from '../guidance/answers.ts';
import { UNSURE, type AnswerValue } from '../guidance/conditions.ts';
import { NUMBER_SOURCE, parseNumber } from '../nlu/numerals.ts';
import { normaliseMessage } from './intents.ts';

const UNSURE_PATTERN = /^(不确定|不知道|不清楚|不太清楚|不好说|说不准|不太确定|还没想好|没想好|待定|看情况|不懂)/;
/** 「要排污水到市政管网吗？不知道」: a short reply that says it does not know, wherever it says so. */
const UNSURE_ANYWHERE = /不知道|不清楚|不确定|说不准|拿不准|不太懂/;
const NEGATIVE_START = /^(不|没|无|否|别|并不|暂不|暂时不|目前不|还不|不会|不用|不需要|不打算|没有)/;
const POSITIVE_START = /^(是|有|对|会|要|卖|需要|嗯|好|可以|行|打算|准备|计划|肯定|当然|yes|yep|y|ok|1)/;
const NUMBER = new RegExp(`(${NUMBER_SOURCE})`);
const ORDINAL = /^(?:第)?([1-9一二三四五六七八九])(?:个|项|种|条)?$/;
/** Replies up to this many characters may be read from their first word alone (是的 / 不卖, 没有的). */
const SHORT_POSITIVE = 2;
const SHORT_NEGATIVE = 4;
const STOP_BIGRAMS = new Set(['您是', '是否', '您的', '的店', '店里', '是以', '没有', '不是', '有没']);

/** Do two texts share a two-character word (bigram), beyond the common question words? */
function sharesWords(reply: string, question: string): boolean {
  const q = normaliseMessage(question);
  for (let i = 0; i + 1 < reply.length; i++) {
    const gram = reply.slice(i, i + 2);
    if (/^[\u4e00-\u9fff]{2}$/u.test(gram) && !STOP_BIGRAMS.has(gram) && q.includes(gram)) return true;
  }
  return false;
}
const QUESTION_BACK = /[?？吗呢么]$|[?？]|吗|怎么|多久|多长|几天|哪里|什么|多少|要不要|需不需要|是不是/;

/**
 * The answer to `question` in `text`, or undefined when the text does not answer it.
 * `extracted` is what the NLU found in the text for this question, if anything.
 */
export function interpretAnswer(
  question: Question,
  text: string,
  extracted?: AnswerValue,
  /** The text states facts about other questions (「有餐厅」 to the sewage question): it is not this answer. */
  aboutOthers = false,
): AnswerValue | undefined {
  const t = normaliseMessage(text);
  if (!t) return undefined;
  try {
    return parseAnswer(question, t);
  } catch (error) {
    if (!(error instanceof AnswerError)) throw error;
  }
  if (UNSURE_PATTERN.test(t) || (t.length <= 30 && UNSURE_ANYWHERE.test(t))) return UNSURE;
  if (extracted !== undefined) return extracted;
  // A question back (「卖药吗？要办什么」「要多久」) or a statement about something else is not an answer:
  // the first word alone (是, 有, 不…) decides only short replies.
  if (aboutOthers || QUESTION_BACK.test(t)) return undefined;
  const ordinal = ORDINAL.exec(t);
  switch (question.type) {
    case 'boolean':
      // The buttons are 是 / 否 / 不确定, in that order.
      if (ordinal?.[1]) return [true, false, UNSURE][(parseNumber(ordinal[1]) ?? 0) - 1];
      // A short reply is read from its first word; a longer one only when it is about this question
      // (「没有户外招牌」 to the sign question), not about something else (「卖点保健品」, 「是公司」).
      if (NEGATIVE_START.test(t) && (t.length <= SHORT_NEGATIVE || sharesWords(t, question.text))) return false;
      if (POSITIVE_START.test(t) && (t.length <= SHORT_POSITIVE || sharesWords(t, question.text))) return true;
      return undefined;
    case 'choice': {
      const options = question.options ?? [];
      if (ordinal?.[1]) {
        const n = parseNumber(ordinal[1]);
        const option = n ? options[n - 1] : undefined;
        if (option) return option.id;
      }
      // A reply containing exactly one option's label or synonym.
      const hits = options.filter((o) => [o.label, ...o.synonyms].some((s) => t.includes(normaliseMessage(s))));
      if (hits.length === 1) return hits[0]?.id;
      // A bare 「没有」 / 「否」 picks the one option that says there is none (没有自建锅炉, 不经营食品).
      if (t.length <= SHORT_NEGATIVE && NEGATIVE_START.test(t)) {
        const none = options.filter((o) => /^(没有|不|无)/.test(o.label));
        if (none.length === 1) return none[0]?.id;
      }
      return undefined;
    }
    case 'number': {
      const m = NUMBER.exec(t);
      const n = m?.[1] ? parseNumber(m[1]) : null;
      return n ?? undefined;
    }
  }
}
