/**
 * Turning a typed answer (`--answer sells_tobacco=是`, a button, a word) into the value a question
 * takes. Free sentences go through the NLU; this handles the short, explicit forms.
 */
import type { Question } from '../catalog/schema.ts';
import { isBounds, UNSURE, type AnswerValue, type Bounds } from './conditions.ts';
import { readFigure } from './figures.ts';

/** An answer that does not fit its question; `message` is safe to show. */
export class AnswerError extends Error {
  override readonly name = 'AnswerError';
  constructor(
    readonly questionId: string,
    readonly given: string,
    message: string,
  ) {
    super(message);
  }
}

const YES = ['true', 'yes', 'y', '1', '是', '是的', '对', '有', '要', '会', '需要', '卖', '涉及'];
const NO = ['false', 'no', 'n', '0', '否', '不是', '不', '没有', '无', '不要', '不会', '不需要', '不卖', '不涉及', '没'];
const UNSURE_WORDS = [UNSURE, '不确定', '不知道', '不清楚', '不好说', '说不准'];

export function parseAnswer(question: Question, raw: string): AnswerValue {
  const given = raw.normalize('NFKC').trim().toLowerCase();
  if (UNSURE_WORDS.includes(given)) return UNSURE;
  switch (question.type) {
    case 'boolean':
      if (YES.includes(given)) return true;
      if (NO.includes(given)) return false;
      throw new AnswerError(question.id, raw, `「${raw}」不是有效的回答，请回答「是」或「否」。`);
    case 'number': {
      const figure = readFigure(question, given);
      if (figure?.kind === 'value') return figure.value;
      if (figure?.kind === 'other_unit') {
        throw new AnswerError(question.id, raw, `「${raw}」的单位不对，这一项按${question.unit ?? ''}填写，请填写数字（单位：${question.unit ?? ''}）。`);
      }
      throw new AnswerError(question.id, raw, `「${raw}」不是数字，请填写数字${question.unit ? `（单位：${question.unit}）` : ''}。`);
    }
    case 'choice': {
      const option = question.options?.find(
        (o) => o.id === given || o.label === raw.trim() || o.synonyms.some((s) => s === raw.trim()),
      );
      if (option) return option.id;
      const labels = question.options?.map((o) => `${o.label}（${o.id}）`).join('、') ?? '';
      throw new AnswerError(question.id, raw, `「${raw}」不是可选项。可选：${labels}`);
    }
  }
}

/** How an answer reads back to the user. */
export function describeAnswer(question: Question, value: AnswerValue): string {
  if (value === UNSURE) return '不确定';
  if (question.type === 'boolean') return value === true ? '是' : '否';
  if (question.type === 'choice') return question.options?.find((o) => o.id === value)?.label ?? String(value);
  if (isBounds(value)) return value.said ?? describeBounds(value, question.unit ?? '');
  return `${value}${question.unit ?? ''}`;
}

/** Limits read back in the words of the law: 以上 and 以下 include the figure, 超过 and 不到 do not. */
function describeBounds(b: Bounds, unit: string): string {
  const low = b.gt !== undefined ? `超过${b.gt}${unit}` : b.gte !== undefined ? `${b.gte}${unit}以上` : '';
  const high = b.lt !== undefined ? `不到${b.lt}${unit}` : b.lte !== undefined ? `${b.lte}${unit}以下` : '';
  return [low, high].filter(Boolean).join('、') || '不确定';
}
