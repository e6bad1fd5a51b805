/**
 * Answers to scenario questions stated in free text (卖烟 → sells_tobacco: true, 不卖吃的 → food_scope:
 * none), driven by `data/lexicon/facts.yaml`, each with its own polarity and scope.
 *
 * Two shapes of sentence are read:
 * - verb and object, the negation before (不卖药, 没有泳池, 不打算挂广告牌): a cue a few characters
 *   before the word, in the same clause, with no breaker (但/也/只…) between;
 * - topic and comment, the polarity after (烟酒都卖，药不卖; 烟和药都不卖; 吃的不卖): a list of
 *   topic nouns at the start of a clause, then a comment verb that says yes or no for all of them.
 * A clause ends at punctuation, at a space between Chinese words and at a comment: in 「卖烟不卖药」
 * the 不 belongs to 卖药 only, and in 「烟酒都卖药不卖」 each comment to its own topic.
 */
import type { FactPattern, FactsFile, TopicNoun } from './lexicon.ts';
import { isNegated, isQuestionOrSupposition, type NegationRules } from './negation.ts';
import { CLAUSE_BREAK } from './normalize.ts';
import { extractBoilerCapacity } from './quantities.ts';
import type { StatedFact } from './reading.ts';
import type { AnswerValue } from './types.ts';

interface Hit {
  start: number;
  end: number;
  pattern: FactPattern;
}

export interface Span {
  start: number;
  end: number;
}

export interface ExtractedFacts {
  facts: StatedFact[];
  answers: Record<string, AnswerValue>;
  fields: Record<string, string | number>;
}

/** A compiled facts file: the topic table sorted once, longest words first. */
export interface FactReader {
  /** `names` are spans of permit and material names, which state no fact (烟草证 is not 卖烟). */
  extract(text: string, industryId: string | null, names?: readonly Span[]): ExtractedFacts;
}

export function createFactReader(file: FactsFile): FactReader {
  const nouns = file.topics.nouns
    .flatMap((noun) => noun.words.map((word) => ({ word, noun })))
    .sort((a, b) => b.word.length - a.word.length);
  const comments = [
    ...file.topics.positive.map((word) => ({ word, positive: true })),
    ...file.topics.negative.map((word) => ({ word, positive: false })),
  ].sort((a, b) => b.word.length - a.word.length);
  const subjects = [...file.topics.subjects].sort((a, b) => b.length - a.length);
  const topics: TopicTable = { nouns, comments, subjects, adverbs: file.topics.adverbs, joiners: file.topics.joiners };

  return {
    extract(text, industryId, names = []) {
      const parsed = parseTopicComments(text, topics);
      const taken = [...parsed.spans, ...names];
      const facts: StatedFact[] = [];
      for (const [factId, fact] of Object.entries(file.facts)) {
        if (fact.onlyFor && industryId && !fact.onlyFor.includes(industryId)) continue;
        facts.push(...wordFacts(text, factId, fact.patterns, fact.type === 'boolean', file, taken));
        facts.push(...parsed.facts.filter((f) => f.question === factId));
      }
      facts.sort((a, b) => a.start - b.start);

      const answers: Record<string, AnswerValue> = {};
      for (const [factId, fact] of Object.entries(file.facts)) {
        const values = facts.filter((f) => f.question === factId).map((f) => f.value);
        if (values.length === 0) continue;
        if (fact.type === 'boolean') {
          answers[factId] = values[values.length - 1] as AnswerValue; // the last statement stands
        } else {
          const chosen = (fact.precedence ?? []).find((p) => values.includes(p));
          if (chosen !== undefined) answers[factId] = chosen;
        }
      }

      const fields: Record<string, string | number> = {};
      for (const [fieldId, field] of Object.entries(file.fields)) {
        const values = wordFacts(text, fieldId, field.patterns, false, file, []).map((f) => f.value);
        const last = values[values.length - 1];
        if (typeof last === 'string' || typeof last === 'number') fields[fieldId] = last;
      }
      // Only the facts that made it into the answers are reported (a choice's lower-precedence values are not).
      return { facts: facts.filter((f) => answers[f.question] !== undefined), answers, fields };
    },
  };
}

// ---- verb and object ---------------------------------------------------------------------------------

function wordFacts(
  text: string,
  question: string,
  patterns: FactPattern[],
  boolean: boolean,
  file: FactsFile,
  taken: Span[],
): StatedFact[] {
  const rules: NegationRules = file.negation;
  const hits = outermost(patterns.flatMap((p) => findHits(text, p))).filter(
    (h) => !taken.some((t) => h.start < t.end && h.end > t.start),
  );
  const out: StatedFact[] = [];
  for (const hit of hits) {
    const { pattern } = hit;
    if (isQuestionOrSupposition(text, hit.start, hit.end, file.hypothetical)) continue;
    const negated = pattern.negatable && isNegated(text, hit.start, rules);
    let value: AnswerValue | null;
    if (!negated) value = pattern.value;
    else if (pattern.negated !== undefined) value = pattern.negated;
    else value = boolean && typeof pattern.value === 'boolean' ? !pattern.value : null;
    if (value === null) continue;
    if (pattern.bySize && !negated) {
      const capacity = extractBoilerCapacity(text);
      if (capacity === null) continue; // gas, but the size that decides the answer is not stated
      value = capacity <= pattern.bySize.limit ? pattern.bySize.atMost : pattern.bySize.above;
    }
    out.push({ question, value, negated: Boolean(negated), start: hit.start, end: hit.end });
  }
  return out;
}

function findHits(text: string, pattern: FactPattern): Hit[] {
  const hits: Hit[] = [];
  for (const word of pattern.words) {
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
      hits.push({ start: at, end: at + word.length, pattern });
    }
  }
  for (const re of pattern.compiled) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const start = m.index ?? 0;
      if (m[0].length > 0) hits.push({ start, end: start + m[0].length, pattern });
    }
  }
  return hits.filter((h) => !pattern.exclude.some((w) => covers(text, w, h)));
}

/** Drop hits that lie inside a longer hit (处方药 inside 非处方药), then sort by position. */
function outermost(hits: Hit[]): Hit[] {
  const kept = hits.filter(
    (h) => !hits.some((o) => o !== h && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start),
  );
  const unique = kept.filter((h, i) => kept.findIndex((o) => o.start === h.start && o.end === h.end) === i);
  return unique.sort((a, b) => a.start - b.start);
}

/** True when an occurrence of `word` covers the hit. */
function covers(text: string, word: string, hit: Hit): boolean {
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    if (at <= hit.start && at + word.length >= hit.end) return true;
  }
  return false;
}

// ---- topic and comment ---------------------------------------------------------------------------------

interface TopicTable {
  nouns: { word: string; noun: TopicNoun }[];
  comments: { word: string; positive: boolean }[];
  subjects: string[];
  adverbs: string[];
  joiners: string[];
}

/**
 * 「烟酒都卖，药不卖」「香烟和药品都不卖」「吃的不卖」: topic nouns, then a comment verb. A parse
 * starts at the start of a clause (after a subject such as 我们/店里) or right after another comment;
 * a comment followed by anything but the end of the clause, a particle or another topic is a verb with
 * its own object (「烟不卖药」 is not read), and then nothing of that clause is taken.
 */
function parseTopicComments(text: string, table: TopicTable): { facts: StatedFact[]; spans: Span[] } {
  const facts: StatedFact[] = [];
  const spans: Span[] = [];
  let clauseStart = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !CLAUSE_BREAK.test(text[i] ?? '')) continue;
    parseClause(text, clauseStart, i, table, facts, spans);
    clauseStart = i + 1;
  }
  return { facts, spans };
}

function parseClause(text: string, start: number, end: number, table: TopicTable, facts: StatedFact[], spans: Span[]): void {
  let pos = skip(text, start, end, table.subjects);
  for (;;) {
    const parsed = topicComment(text, pos, end, table);
    if (!parsed) return;
    const after = parsed.end;
    const rest = text.slice(after, end);
    const clauseEnds = rest === '' || /^[了的啊呀哦呢吧哈嘛啦滴呗]/.test(rest);
    const nextTopic = !clauseEnds && topicComment(text, after, end, table) !== null;
    if (!clauseEnds && !nextTopic) return;
    spans.push({ start: pos, end: after });
    for (const { noun, start: s, end: e } of parsed.topics) {
      if (!noun.fact) continue;
      const value = parsed.positive ? noun.value : noun.negated ?? (typeof noun.value === 'boolean' ? !noun.value : null);
      if (value === null || value === undefined) continue;
      facts.push({ question: noun.fact, value, negated: !parsed.positive, start: s, end: e });
    }
    if (clauseEnds) return;
    pos = after;
  }
}

function topicComment(
  text: string,
  from: number,
  end: number,
  table: TopicTable,
): { topics: { noun: TopicNoun; start: number; end: number }[]; positive: boolean; end: number } | null {
  const topics: { noun: TopicNoun; start: number; end: number }[] = [];
  let pos = from;
  for (;;) {
    const found = table.nouns.find((n) => pos + n.word.length <= end && text.startsWith(n.word, pos));
    if (!found) break;
    topics.push({ noun: found.noun, start: pos, end: pos + found.word.length });
    pos += found.word.length;
    const joiner = table.joiners.find((j) => text.startsWith(j, pos));
    if (joiner) pos += joiner.length;
  }
  if (topics.length === 0) return null;
  pos = skip(text, pos, end, table.adverbs);
  const comment = table.comments.find((c) => pos + c.word.length <= end && text.startsWith(c.word, pos));
  if (!comment) return null;
  return { topics, positive: comment.positive, end: pos + comment.word.length };
}

/** Skips any of `words` (repeatedly) from `pos`. */
function skip(text: string, pos: number, end: number, words: string[]): number {
  for (let moved = true; moved; ) {
    moved = false;
    for (const w of words) {
      if (pos + w.length <= end && text.startsWith(w, pos)) {
        pos += w.length;
        moved = true;
        break;
      }
    }
  }
  return pos;
}
