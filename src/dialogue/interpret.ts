/**
 * Reading a reply as the answer to the question just asked: 是的 / 不卖 / 有游泳池 / 第二个 / 算是吧 /
 * 不清楚. The question gives the context a bare 「没有」 needs; the reading gives the facts it states.
 */
import type { Question } from '../catalog/schema.ts';
import { AnswerError, parseAnswer } from '../guidance/answers.ts';
import { UNSURE, type AnswerValue } from '../guidance/conditions.ts';
import { saysWord } from '../guidance/validators.ts';
import { readFigure } from '../guidance/figures.ts';
import type { Reading } from '../nlu/reading.ts';

const UNSURE_ANYWHERE = /不知道|不清楚|不确定|说不准|拿不准|不太懂|不好说|说不好|不晓得|没想好|还没定|看情况/;
const NEGATIVE_START = /^(不|没|无|否|别|并不|暂不|暂时不|目前不|还不|不会|不用|不需要|不打算|没有|算不上|谈不上|应该不|可能不|估计不|好像不|也不|都不)/;
const POSITIVE_START = /^(是|有|对|会|要|卖|需要|嗯|好|可以|行|打算|准备|计划|肯定|当然|算|属于|应该|估计是|可能会|yes|yep|y|ok|1)/;
/** A yes that is plainly about the question asked, however it goes on (「算是吧，人挺多的」). */
const CLEAR_YES = /^(是的|是啊|是呀|对的|对啊|有的|有啊|算是|算吧|属于|应该是|应该算|会的|会有|肯定|当然|没错|是滴)/;
/** The words of a question an echoed verb may answer: 卖 answers 「是否销售…」, 排 「排放…」. */
const VERB_SENSES: Record<string, string[]> = {
  卖: ['卖', '销售', '经营'],
  排: ['排'],
  住: ['住'],
  设: ['设置', '悬挂', '张贴', '广告'],
  装: ['设置', '悬挂', '广告'],
  挂: ['设置', '悬挂', '广告'],
};
const SUPPOSING = /^(?:要是|如果|假如|假设|万一|比如)/;
/** Replies up to this many characters may be read from their first word alone (是的 / 不卖, 没有的). */
const SHORT_POSITIVE = 2;
const SHORT_NEGATIVE = 4;
/** A longer reply starting with a no, and about nothing else, is still a no (「不算吧，就一百来平的小店」). */
const PLAIN_NEGATIVE = 14;
const STOP_BIGRAMS = new Set(['您是', '是否', '您的', '的店', '店里', '是以', '没有', '不是', '有没']);

/** Full-width to half-width, lower case, no spaces or trailing punctuation. */
export function compact(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/[。！!，,~～…?？]+$/u, '');
}

/**
 * The answer to `question` in the message, or undefined when it does not answer it. `aboutOthers`: the
 * message states facts about other questions (「有餐厅」 to the sewage question), so its first word is
 * not this answer.
 */
export function interpretAnswer(question: Question, r: Reading, aboutOthers: boolean): AnswerValue | undefined {
  const t = compact(r.raw);
  if (!t) return undefined;
  // A figure is read with its unit from the whole reply (「大概三百平吧，也卖烟」), after the checks below.
  if (question.type !== 'number') {
    try {
      return parseAnswer(question, t);
    } catch (error) {
      if (!(error instanceof AnswerError)) throw error;
    }
  }
  if (r.polarity === 'unsure' || (t.length <= 30 && UNSURE_ANYWHERE.test(t))) return UNSURE;
  if (question.type === 'number') {
    // 「要是超过300平呢」「300平够吗」: a supposition or a question back is not the figure.
    if (r.question || SUPPOSING.test(t)) return undefined;
    const figure = readFigure(question, t);
    return figure?.kind === 'value' ? figure.value : undefined;
  }
  const extracted = r.answers[question.id];
  if (extracted !== undefined) return extracted;
  // A bare 是 / 不是 answers the question asked, whatever else the message says (「不是，也不卖烟」); an
  // echoed verb only a question about it (「不排」 is not an answer about an advertisement).
  const fits = !r.polarityVerb || (VERB_SENSES[r.polarityVerb] ?? [r.polarityVerb]).some((w) => question.text.includes(w)) || !(r.polarityVerb in VERB_SENSES);
  if (question.type === 'boolean' && r.polarity === 'yes' && !r.question && fits) return true;
  if (question.type === 'boolean' && r.polarity === 'no' && !r.question && fits) return false;
  if (!fits) return undefined;
  // A question back (「卖药吗？要办什么」「要多久」), a supposition (「要是…」) or a statement about something
  // else is not an answer.
  if (aboutOthers || r.question || SUPPOSING.test(t)) return undefined;
  switch (question.type) {
    case 'boolean':
      // The buttons are 是 / 否 / 不确定, in that order.
      if (r.ordinal) return [true, false, UNSURE][r.ordinal - 1];
      if (NEGATIVE_START.test(t) && (t.length <= SHORT_NEGATIVE || sharesWords(t, question.text) || t.length <= PLAIN_NEGATIVE)) return false;
      if (POSITIVE_START.test(t) && (t.length <= SHORT_POSITIVE || sharesWords(t, question.text) || CLEAR_YES.test(t))) return true;
      return undefined;
    case 'choice': {
      const options = question.options ?? [];
      if (r.ordinal) {
        const option = options[r.ordinal - 1];
        if (option) return option.id;
      }
      // A reply containing exactly one option's label or synonym, not negated (「不做饭」 is not 做饭).
      const hits = options.filter((o) => [o.label, ...o.synonyms].some((s) => saysWord(t, compact(s))));
      if (hits.length === 1) return hits[0]?.id;
      // A bare 「没有」 / 「否」 picks the one option that says there is none (没有自建锅炉, 不经营食品).
      if ((t.length <= SHORT_NEGATIVE && NEGATIVE_START.test(t)) || r.polarity === 'no') {
        const none = options.filter((o) => /^(没有|不|无)/.test(o.label));
        if (none.length === 1) return none[0]?.id;
      }
      return undefined;
    }
  }
}

/** Do two texts share a two-character word (bigram), beyond the common question words? */
function sharesWords(reply: string, question: string): boolean {
  const q = compact(question);
  for (let i = 0; i + 1 < reply.length; i++) {
    const gram = reply.slice(i, i + 2);
    if (/^[\u4e00-\u9fff]{2}$/u.test(gram) && !STOP_BIGRAMS.has(gram) && q.includes(gram)) return true;
  }
  return false;
}
