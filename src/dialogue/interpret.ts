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

/**
 * The answer to `question` in `text`, or undefined when the text does not answer it.
 * `extracted` is what the NLU found in the text for this question, if anything.
 */
export function interpretAnswer(question: Question, text: string, extracted?: AnswerValue): AnswerValue | undefined {
  const t = normaliseMessage(text);
  if (!t) return undefined;
  try {
    return parseAnswer(question, t);
  } catch (error) {
    if (!(error instanceof AnswerError)) throw error;
  }
  if (UNSURE_PATTERN.test(t) || (t.length <= 30 && UNSURE_ANYWHERE.test(t))) return UNSURE;
  if (extracted !== undefined) return extracted;
  switch (question.type) {
    case 'boolean':
      if (NEGATIVE_START.test(t)) return false;
      if (POSITIVE_START.test(t)) return true;
      return undefined;
    case 'choice': {
      const options = question.options ?? [];
      const ordinal = ORDINAL.exec(t);
      if (ordinal?.[1]) {
        const n = parseNumber(ordinal[1]);
        const option = n ? options[n - 1] : undefined;
        if (option) return option.id;
      }
      // A reply containing exactly one option's label or synonym.
      const hits = options.filter((o) => [o.label, ...o.synonyms].some((s) => t.includes(normaliseMessage(s))));
      if (hits.length === 1) return hits[0]?.id;
      // A bare 「没有」 / 「否」 picks the one option that says there is none (没有自建锅炉, 不经营食品).
      if (t.length <= 4 && NEGATIVE_START.test(t)) {
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
