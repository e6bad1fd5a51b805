/**
 * Whether a word found in the text is negated, asked about (卖不卖烟) or only supposed (如果…的话).
 * Scope is the clause: punctuation ends a negation's reach, and so do words like 但/也/只.
 */
import { clauseAround } from './normalize.ts';

export interface NegationRules {
  cues: string[];
  ignore: string[];
  breakers: string[];
  /** Characters allowed between the cue and the word. */
  window: number;
}

/** The rules with what every lookup needs worked out once. */
export interface CompiledNegation extends NegationRules {
  longestCue: number;
}

export function compileNegation(rules: NegationRules): CompiledNegation {
  return { ...rules, longestCue: Math.max(...rules.cues.map((c) => c.length)) };
}

/** True when a negation cue stands a few characters before `start`, in the same clause. */
export function isNegated(text: string, start: number, rules: CompiledNegation): boolean {
  return negationCue(text, start, rules) !== null;
}

/** Where the negation cue before `start` stands (same clause, within the window, no breaker), or null. */
export function negationCue(text: string, start: number, rules: CompiledNegation): number | null {
  const clause = clauseAround(text, start);
  const from = Math.max(clause.start, start - rules.window - rules.longestCue);
  // Walk back from the word to the nearest cue.
  for (let pos = start - 1; pos >= from; pos--) {
    const cue = rules.cues.find((c) => text.startsWith(c, pos));
    if (!cue) continue;
    if (rules.ignore.some((w) => text.startsWith(w, pos) || coversAt(text, w, pos))) continue;
    const between = text.slice(pos + cue.length, start);
    if (between.length > rules.window) return null;
    if (rules.breakers.some((b) => between.includes(b))) return null;
    return pos;
  }
  return null;
}

/** True when the clause holding `[start, end)` is a question of the A-not-A form or a supposition. */
export function isQuestionOrSupposition(text: string, start: number, end: number, hypothetical: string[]): boolean {
  const clause = clauseAround(text, start);
  const upToWord = text.slice(clause.start, end);
  if (/(\p{Script=Han})[不没]\1/u.test(upToWord)) return true; // 卖不卖烟, 有没有泳池
  const whole = text.slice(clause.start, clause.end);
  // 「个体户和公司有啥区别」「这算公众聚集场所吗」: a question about what the word means or covers.
  // The clause's own end: 「这也算排污水？」 asks with its question mark alone.
  const asked = /[吗么]$/.test(whole) || /^[?？]/.test(text.slice(clause.end, clause.end + 1));
  // 「多大面积算公众聚集场所」「坐多少人才算」: asking where the line is, not saying the shop is over it.
  const measure = /多大|多少|多高|多长|几个|几张|几人|什么样|哪些|怎么|怎样/.test(whole);
  if (ABOUT_THE_WORD.test(whole) || (/(?:算|属于|是不是|算不算)/.test(whole) && (asked || measure))) return true;
  // 「要排污水到市政管网吗」: a yes-no question about the word, not a statement of it.
  if (/[吗么]$/.test(whole) && /^(?:要|需要|要不|能|可以|得|会|是不是|用不用)/.test(text.slice(clause.start, start))) return true;
  // 「楼顶招牌能批吗」「门头招牌要审批吗」: whether the thing is allowed or needs approving, not that it is there.
  if (/[吗么]$/.test(whole) && /^[^,，。]{0,4}(?:能|能不能|可以|可不可以|让|允许|准|要|需要|用不用|得)(?:批|审批|装|挂|设|设置|报|备案)/u.test(text.slice(end, clause.end))) return true;
  // 「超市卖烟吗」: the fact word and nothing but a question particle after it asks about it; 「会卖烟吗还没想好」
  // too, where no punctuation ends the question.
  if (asked && /^[吗么呢啊呀]*[?？]?$/u.test(text.slice(end, clause.end))) return true;
  if (/^吗/u.test(text.slice(end))) return true;
  // 「卖烟还没想好」「烟酒看情况」: undecided, not stated (the question asked gets 不确定 from the dialogue).
  if (UNDECIDED.test(whole)) return true;
  // 「不是公众聚集场所吧」「我这不算公众聚集场所吧」: a classification put for confirmation, not stated.
  if (/吧$/u.test(whole) && /(?:算|属于|是)/u.test(text.slice(clause.start, start))) return true;
  return hypothetical.some((w) => whole.includes(w));
}

const UNDECIDED = /还没想好|没想好|还没定|没定好|还没决定|没决定|说不准|拿不准|不一定|待定|看情况|再考虑|考虑考虑|还在考虑/u;

// A question about what the word means, or a judgement of it rather than a statement (「卖药太麻烦」).
const ABOUT_THE_WORD = /区别|什么意思|啥意思|是什么|是啥|指的是|什么叫|啥叫|怎么算|怎么界定|有什么不同|哪个好|怎么选|太麻烦|麻烦得很|太难办|不好办|不划算|不值得|划不来/;

/** True when `word` occurs in `text` so that it covers position `pos` (别的 around 别). */
function coversAt(text: string, word: string, pos: number): boolean {
  for (let s = Math.max(0, pos - word.length + 1); s <= pos; s++) {
    if (text.startsWith(word, s)) return true;
  }
  return false;
}
