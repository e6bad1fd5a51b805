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
import { compileNegation, isQuestionOrSupposition, negationCue, type CompiledNegation } from './negation.ts';
import { matchesOf } from './matches.ts';
import { CLAUSE_BREAK } from './normalize.ts';
import { createPhraseIndex } from './phrases.ts';
import { extractQuantities } from './quantities.ts';
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

/** A compiled facts file: the topic table sorted once, longest words first, and every word in one automaton. */
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
  const topics: TopicTable = { nouns: byFirstChar(nouns), comments: byFirstChar(comments), subjects, adverbs: file.topics.adverbs, joiners: file.topics.joiners };
  const facts = Object.entries(file.facts).map(([id, fact]) => ({ id, fact, ...wordFact(fact.patterns, fact.type === 'boolean') }));
  const fields = Object.entries(file.fields).map(([id, field]) => ({ id, ...wordFact(field.patterns, false) }));
  const patterns = [...facts, ...fields].flatMap((f) => f.patterns);
  const words = createPhraseIndex([...new Set(patterns.flatMap((p) => [...p.words, ...p.exclude]))]);
  const patternsWith = new Map<string, FactPattern[]>();
  for (const p of patterns) for (const w of p.words) patternsWith.set(w, [...(patternsWith.get(w) ?? []), p]);
  const rules: WordRules = { negation: compileNegation(file.negation), hypothetical: file.hypothetical };

  return {
    extract(text, industryId, names = []) {
      const starts = words.starts(text);
      const found = new Set<FactPattern>();
      for (const word of starts.keys()) for (const p of patternsWith.get(word) ?? []) found.add(p);
      const spots: Spots = { text, starts, found };
      const parsed = parseTopicComments(text, topics);
      const taken = [...parsed.spans, ...names];
      const active = facts.filter(({ fact }) => !fact.onlyFor || !industryId || fact.onlyFor.includes(industryId));
      const stated: StatedFact[] = [
        ...wordFacts(spots, active, rules, taken),
        ...parsed.facts.filter((f) => active.some(({ id }) => id === f.question)),
      ].sort((a, b) => a.start - b.start);

      const answers: Record<string, AnswerValue> = {};
      for (const { id: factId, fact } of facts) {
        const ofFact = stated.filter((f) => f.question === factId);
        const values = ofFact.map((f) => f.value);
        if (values.length === 0) continue;
        if (fact.type === 'boolean') {
          // The last statement stands; of an any-of fact, each word's last, and a yes for any word wins.
          const last = values[values.length - 1] as AnswerValue;
          // The thing a word names is its pattern (游泳 and 游泳池 are one thing, 攀岩 another).
          const thing = (word: string) => fact.patterns.find((p) => p.words?.includes(word)) ?? word;
          const perWord = new Map(ofFact.map((f) => [thing(text.slice(f.start, f.end)), f.value]));
          answers[factId] = fact.anyOf && [...perWord.values()].includes(true) ? true : last;
        } else {
          const chosen = (fact.precedence ?? []).find((p) => values.includes(p));
          if (chosen !== undefined) answers[factId] = chosen;
        }
      }

      const values: Record<string, string | number> = {};
      for (const field of fields) {
        const last = wordFacts(spots, [field], rules, []).at(-1)?.value;
        if (typeof last === 'string' || typeof last === 'number') values[field.id] = last;
      }
      // Only the facts that made it into the answers are reported (a choice's lower-precedence values are not).
      return { facts: stated.filter((f) => answers[f.question] !== undefined), answers, fields: values };
    },
  };
}

// ---- verb and object ---------------------------------------------------------------------------------

/** The text, where each word of the facts file stands in it, and the patterns whose words it has: found once per message. */
interface Spots {
  text: string;
  starts: Map<string, number[]>;
  found: Set<FactPattern>;
}

interface WordRules {
  negation: CompiledNegation;
  hypothetical: string[];
}

/** A fact (or field) as read from words: its patterns, and whether any has a regex (run on every text). */
interface WordFact {
  id: string;
  patterns: FactPattern[];
  boolean: boolean;
  regex: boolean;
}

function wordFact(patterns: FactPattern[], boolean: boolean): Omit<WordFact, 'id'> {
  return { patterns, boolean, regex: patterns.some((p) => p.compiled.length > 0) };
}

/**
 * Verb-and-object facts of several facts at once. A negation cue belongs to the first word after it:
 * in 「不是个体户是公司」 the 不 is 个体户's, not 公司's, while a list shares it (「不卖烟和药品」,
 * 「不在什么风景区保护区里」).
 */
function wordFacts(spots: Spots, facts: WordFact[], rules: WordRules, taken: Span[]): StatedFact[] {
  const { text } = spots;
  const hits: (Hit & { fact: WordFact })[] = [];
  for (const fact of facts) {
    if (!fact.regex && !fact.patterns.some((p) => spots.found.has(p))) continue;
    const found: Hit[] = [];
    for (const p of fact.patterns) found.push(...findHits(spots, p));
    for (const { start, end, pattern } of outermost(found)) {
      if (!taken.some((t) => start < t.end && end > t.start)) hits.push({ start, end, pattern, fact });
    }
  }
  hits.sort((a, b) => a.start - b.start);
  const out: StatedFact[] = [];
  const negatedAt = new Map<(typeof hits)[number], boolean>();
  for (const [n, hit] of hits.entries()) {
    const { pattern, fact } = hit;
    if (isQuestionOrSupposition(text, hit.start, hit.end, rules.hypothetical)) continue;
    const previous = hits[n - 1];
    const joined = previous !== undefined && isJoined(text, previous, hit);
    let negated = false;
    if (pattern.negatable) {
      const cue = negationCue(text, hit.start, rules.negation);
      // Words of the same fact and value between the cue and this one are one statement (「不留客人过夜」).
      const owned =
        cue !== null &&
        !hits.some((o) => o !== hit && o.start >= cue && o.end <= hit.start && !isJoined(text, o, hit) && !(o.fact.id === fact.id && o.pattern.value === pattern.value));
      negated = owned || (joined && negatedAt.get(previous) === true);
    }
    negatedAt.set(hit, negated);
    let value: AnswerValue | null;
    if (!negated) value = pattern.value;
    else if (pattern.negated !== undefined) value = pattern.negated;
    else value = fact.boolean && typeof pattern.value === 'boolean' ? !pattern.value : null;
    if (value === null) continue;
    if (pattern.bySize && !negated) {
      const size = sizeSide(text, pattern.bySize);
      if (size === 'unknown') {
        // The size that decides the answer is not stated (a gas boiler of unknown capacity).
        if (pattern.bySize.unstated === 'drop') continue;
      } else {
        value = size === 'above' ? pattern.bySize.above : pattern.bySize.atMost;
      }
    }
    out.push({ question: fact.id, value, negated, start: hit.start, end: hit.end });
  }
  return out;
}

/**
 * Two words stand in one list: joined by 和/、/及, or side by side as the same kind of thing (the same
 * fact and value: 风景区保护区), so one negation covers both.
 */
function isJoined(text: string, a: Hit & { fact: { id: string } }, b: Hit & { fact: { id: string } }): boolean {
  const gap = text.slice(a.end, b.start);
  if (/^(?:[、和及与或跟等]|等等|之类)$/.test(gap)) return true;
  return gap === '' && a.fact.id === b.fact.id && a.pattern.value === b.pattern.value;
}

/** Which side of the limit the stated size falls: a bound counts only when it settles it (不到4米 → below). */
function sizeSide(text: string, bySize: NonNullable<FactPattern['bySize']>): 'above' | 'atMost' | 'unknown' {
  const q = extractQuantities(text).find((x) => x.kind === bySize.quantity);
  if (!q) return 'unknown';
  const above = (v: number) => (bySize.inclusive ? v >= bySize.limit : v > bySize.limit);
  switch (q.bound) {
    case 'lt':
    case 'lte':
      return above(q.value) && !(q.bound === 'lt' && q.value <= bySize.limit) ? 'unknown' : 'atMost';
    case 'gt':
    case 'gte':
      return above(q.value) || (q.bound === 'gt' && q.value >= bySize.limit) ? 'above' : 'unknown';
    default:
      return above(q.value) ? 'above' : 'atMost';
  }
}

function findHits(spots: Spots, pattern: FactPattern): Hit[] {
  const { text, starts } = spots;
  if (!spots.found.has(pattern) && !pattern.compiled.length) return [];
  const hits: Hit[] = [];
  for (const word of pattern.words) {
    for (const at of starts.get(word) ?? []) hits.push({ start: at, end: at + word.length, pattern });
  }
  for (const re of pattern.compiled) {
    for (const m of matchesOf(re, text)) {
      const start = m.index ?? 0;
      if (m[0].length > 0) hits.push({ start, end: start + m[0].length, pattern });
    }
  }
  // 「排污那个许可」「卖烟的证」: the word names a permit, it does not state a fact.
  return hits.filter((h) => !pattern.exclude.some((w) => covers(starts, w, h)) && !PERMIT_AFTER.test(text.slice(h.end, h.end + 6)));
}

const PERMIT_AFTER = /^(?:那个|这个|的)?(?:许可|证|审批|手续|备案|执照)/;

/** Drop hits that lie inside a longer hit (处方药 inside 非处方药), then sort by position. */
function outermost(hits: Hit[]): Hit[] {
  const kept = hits.filter(
    (h) => !hits.some((o) => o !== h && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start),
  );
  const unique = kept.filter((h, i) => kept.findIndex((o) => o.start === h.start && o.end === h.end) === i);
  return unique.sort((a, b) => a.start - b.start);
}

/** True when an occurrence of `word` covers the hit. */
function covers(starts: Map<string, number[]>, word: string, hit: Hit): boolean {
  return (starts.get(word) ?? []).some((at) => at <= hit.start && at + word.length >= hit.end);
}

// ---- topic and comment ---------------------------------------------------------------------------------

interface TopicTable {
  /** By first character, longest first. */
  nouns: Map<string, { word: string; noun: TopicNoun }[]>;
  comments: Map<string, { word: string; positive: boolean }[]>;
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
  // 「超市的香烟柜台不打算开」: the topic may follow what it belongs to and 的.
  const of = text.indexOf('的', pos);
  if (of > pos && of < end - 1 && of - pos <= 6 && !topicComment(text, pos, end, table)) pos = of + 1;
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
    const found = table.nouns.get(text[pos] ?? '')?.find((n) => pos + n.word.length <= end && text.startsWith(n.word, pos));
    if (!found) break;
    topics.push({ noun: found.noun, start: pos, end: pos + found.word.length });
    pos += found.word.length;
    const joiner = table.joiners.find((j) => text.startsWith(j, pos));
    if (joiner) pos += joiner.length;
    else pos = skip(text, pos, end, table.adverbs);
  }
  if (topics.length === 0) return null;
  const at = skip(text, pos, end, table.adverbs);
  const comment = commentAt(text, at, end, table);
  if (comment) return { topics, positive: comment.positive, end: at + comment.word.length };
  // 「游泳池健身房那些项目都没有」: a few words the table does not know may stand before a comment that
  // ends the clause, as long as none of them is a verb of its own.
  for (let gap = pos + 1; gap <= Math.min(end, pos + MAX_TOPIC_GAP); gap++) {
    if (VERB.test(text.slice(pos, gap))) break;
    const after = skip(text, gap, end, table.adverbs);
    const tail = commentAt(text, after, end, table);
    if (tail && /^(?:[了的啊呀哦呢吧哈嘛啦]*)$/.test(text.slice(after + tail.word.length, end))) {
      return { topics, positive: tail.positive, end: after + tail.word.length };
    }
  }
  return null;
}

const MAX_TOPIC_GAP = 4;
const VERB = /[卖有做开办搞弄排用是不没无别未在给把从到放摆装里]/;

function commentAt(text: string, pos: number, end: number, table: TopicTable): { word: string; positive: boolean } | undefined {
  return table.comments.get(text[pos] ?? '')?.find((c) => pos + c.word.length <= end && text.startsWith(c.word, pos));
}

/** Entries by the first character of their word, each list in the entries' order. */
function byFirstChar<T extends { word: string }>(entries: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const e of entries) {
    const first = e.word[0] ?? '';
    const list = map.get(first);
    if (list) list.push(e);
    else map.set(first, [e]);
  }
  return map;
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
