/**
 * Finding the trade in free text: lexicon words (and the region's own industry names) are searched
 * in the normalised text, the longest match wins where matches overlap, typos are caught by explicit
 * lists and by one-character substitutions, and the words around each match (开个X, 有个X, X旁边,
 * 以前开过X, 不是X) decide which trade the person means to open.
 *
 * Intl.Segmenter was tried for word boundaries and rejected here: its dictionary splits trade words
 * (小|卖|部, 拉开), so a lexicon substring search is both simpler and more accurate.
 */
import { pinyin } from 'pinyin-pro';
import type { Concept, IndustriesFile } from './lexicon.ts';
import { clauseAround, isLatin, normalize } from './normalize.ts';
import { createPhraseIndex, type PhraseIndex } from './phrases.ts';
import type { IndustryGuess, MatchVia, OutOfCatalog, TradeCue } from './types.ts';

type Tier = 'name' | 'alias' | 'colloquial' | 'english' | 'pinyin' | 'typo' | 'fuzzy' | 'weak';

const BASE: Record<Tier, number> = {
  name: 0.95,
  alias: 0.9,
  colloquial: 0.85,
  english: 0.85,
  pinyin: 0.85,
  typo: 0.75,
  fuzzy: 0.6,
  weak: 0.55,
};
const VIA: Record<Tier, MatchVia> = {
  name: 'name',
  alias: 'alias',
  colloquial: 'alias',
  english: 'alias',
  pinyin: 'alias',
  typo: 'typo',
  fuzzy: 'typo',
  weak: 'alias',
};
/** A fallback industry is a guess about the region's wording, so it counts for less. */
const FALLBACK_FACTOR = 0.8;
/** Last characters that make a word a shop (店, 馆…): a bare word (咖啡, 健身) weighs less. */
const SHOP_SUFFIX = /[店馆房部铺厅室院吧所城屋心场站楼坊行社司构摊园家庄局堂池子档舍栈府市廊亭]$/;
/**
 * Fuzzy matching needs 4+ characters and never substitutes a shop suffix (奶茶和 is not 奶茶店).
 * Three-character words were tried and dropped: on blind sentences they produced more false matches
 * (馒头店→剃头店, 零售店→零食店, 游乐场→游泳场) than true ones; their typos go in `typos` lists.
 */
const FUZZY_MIN_LENGTH = 4;

/** A trade word: of a lexicon concept, or of a region industry whose official name this is. */
interface Word {
  form: string;
  tier: Tier;
  concept?: Concept;
  industryId?: string;
}

/** A word as one region's list reads it: where it leads there is worked out once. */
interface Form extends Word {
  target: Target;
}

interface Mention extends Form {
  start: number;
  end: number;
  matched: string;
  score: number;
  cue?: TradeCue;
}

export interface IndustryResult {
  industry: IndustryGuess | null;
  candidates: IndustryGuess[];
  outOfCatalog?: OutOfCatalog;
}

/** A region's industry as the matcher knows it: its name, and the region file's own words for it. */
export interface RegionIndustry {
  id: string;
  name: string;
  aliases?: readonly string[];
  colloquial?: readonly string[];
  activities?: readonly string[];
  /** The lexicon concepts (or concept industries) this industry is: their words find it. */
  concepts?: readonly string[];
}

export interface IndustryMatcher {
  match(text: string, industries: RegionIndustry[]): IndustryResult;
}

/** Where a word of a region's list leads: an industry of the list (maybe as a fallback), or outside it. */
interface Resolver {
  regionIds: Set<string>;
  /** Lexicon concept (or concept industry) id -> the region industry that is it. */
  conceptIndustry: Map<string, string>;
}

/** Build the matcher once per lexicon; `match` takes normalised text and the region's industries. */
export function createIndustryMatcher(file: IndustriesFile): IndustryMatcher {
  const lexiconWords: Word[] = [];
  for (const concept of file.concepts) {
    const lists: [Tier, string[]][] = [
      ['name', concept.names],
      ['alias', concept.aliases],
      ['colloquial', concept.colloquial],
      ['english', concept.english],
      ['typo', concept.typos],
      ['weak', concept.weak],
    ];
    for (const [tier, words] of lists) {
      for (const word of words) {
        const form = normalize(word);
        if (form.length < 2) continue;
        lexiconWords.push({ form, tier, concept });
      }
    }
  }
  const cues = compileCues(file.cues);
  // The forms of each region's industry list, built once per list (the reader passes the same array).
  const compiled = new WeakMap<object, { resolver: Resolver; nameOf: Map<string, string>; index: FormIndex; fuzzy: FuzzyIndex; sounds: SoundIndex }>();
  const formsFor = (industries: RegionIndustry[]) => {
    let entry = compiled.get(industries);
    if (!entry) {
      const regionIds = new Set(industries.map((i) => i.id));
      const conceptIndustry = new Map<string, string>();
      for (const i of industries) for (const c of i.concepts ?? []) conceptIndustry.set(c, i.id);
      const resolver = { regionIds, conceptIndustry };
      const forms = [...lexiconWords, ...regionNameWords(industries)].map((w): Form => ({ ...w, target: resolveTarget(w, resolver) }));
      entry = {
        resolver,
        nameOf: new Map(industries.map((i) => [i.id, i.name])),
        index: indexForms(forms),
        fuzzy: fuzzyIndex(forms),
        sounds: soundIndex(forms),
      };
      compiled.set(industries, entry);
    }
    return entry;
  };

  return {
    match(text, industries) {
      const { resolver, nameOf, index, fuzzy, sounds } = formsFor(industries);
      const { regionIds } = resolver;

      let mentions = resolveOverlaps(findExact(text, index));
      // Typos, typed pinyin and homophones only where no trade word was found as written.
      if (!mentions.some((m) => m.tier !== 'weak')) {
        mentions.push(...findFuzzy(text, fuzzy, mentions));
        if (!mentions.some((m) => m.tier !== 'weak')) mentions.push(...findBySound(text, sounds, mentions));
      }
      mentions = mentions.filter((m) => !isNegatedMention(text, m));
      // 「卖面包蛋糕的小铺子」: what the shop sells says which trade, more than an everyday word for any shop.
      const sold = (m: Mention) => m.tier === 'colloquial' && mentions.some((w) => w.tier === 'weak' && w.end <= m.start && /^\p{Script=Han}{0,4}的$/u.test(text.slice(w.end, m.start)));
      mentions = mentions.filter((m) => !sold(m));
      if (mentions.some((m) => m.tier !== 'weak')) mentions = mentions.filter((m) => m.tier !== 'weak');
      for (const m of mentions) {
        const scored = scoreMention(text, m, cues);
        m.score = scored.score;
        if (scored.cue) m.cue = scored.cue;
      }

      const guesses: (IndustryGuess & { score: number; start: number })[] = [];
      const outside: (OutOfCatalog & { score: number; start: number })[] = [];
      for (const m of mentions) {
        const { target } = m;
        if (target.kind === 'industry') {
          const score = target.fallback ? m.score * FALLBACK_FACTOR : m.score;
          guesses.push({
            id: target.id,
            name: nameOf.get(target.id) ?? target.id,
            confidence: round(clamp(score)),
            matched: m.matched,
            via: target.fallback ? 'fallback' : VIA[m.tier],
            ...(m.cue ? { cue: m.cue } : {}),
            score,
            start: m.start,
          });
        } else {
          const concept = m.concept;
          if (!concept) continue;
          const related = [...concept.fallbacks, ...concept.related].map((r) => resolver.conceptIndustry.get(r) ?? r).filter((r, i, all) => regionIds.has(r) && all.indexOf(r) === i);
          outside.push({ concept: concept.id, name: concept.names[0] ?? concept.id, related, ...(m.cue ? { cue: m.cue } : {}), score: m.score, start: m.start });
        }
      }

      guesses.sort(byRank);
      outside.sort(byRank);
      const candidates: IndustryGuess[] = [];
      for (const g of guesses) {
        if (candidates.some((c) => c.id === g.id)) continue;
        candidates.push({ id: g.id, name: g.name, confidence: g.confidence, matched: g.matched, via: g.via, ...(g.cue ? { cue: g.cue } : {}) });
      }
      const bestInside = guesses[0];
      const bestOutside = outside[0];
      if (bestOutside && (!bestInside || byRank(bestOutside, bestInside) < 0)) {
        const { concept, name, related, cue } = bestOutside;
        return { industry: null, candidates, outOfCatalog: { concept, name, related, ...(cue ? { cue } : {}) } };
      }
      return { industry: candidates[0] ?? null, candidates };
    },
  };
}

function byRank(a: { score: number; start: number }, b: { score: number; start: number }): number {
  return b.score - a.score || a.start - b.start;
}

/**
 * The region's official names, split at 、 and / (宾馆、酒店; 烘焙房/面包房), and the words its file gives
 * for each industry (aliases, colloquial names, activities).
 */
function regionNameWords(industries: RegionIndustry[]): Word[] {
  const forms: Word[] = [];
  for (const industry of industries) {
    const lists: [Tier, readonly string[]][] = [
      ['name', industry.name.split(/[、/,，;；]/)],
      ['alias', industry.aliases ?? []],
      ['colloquial', industry.colloquial ?? []],
      ['weak', industry.activities ?? []],
    ];
    for (const [tier, words] of lists) {
      for (const word of words) {
        const form = normalize(word);
        if (form.length >= 2) forms.push({ form, tier, industryId: industry.id });
      }
    }
  }
  return forms;
}

/** The Chinese forms in one automaton, the Latin ones in another (they match on word boundaries): built once per list. */
interface FormIndex {
  chinese: Form[];
  phrases: PhraseIndex;
  latin: Form[];
  latinPhrases: PhraseIndex;
}

function indexForms(forms: Form[]): FormIndex {
  const chinese = forms.filter((f) => !isLatin(f.form));
  const latin = forms.filter((f) => isLatin(f.form));
  return { chinese, phrases: createPhraseIndex(chinese.map((f) => f.form)), latin, latinPhrases: createPhraseIndex(latin.map((f) => f.form)) };
}

function findExact(text: string, index: FormIndex): Mention[] {
  const found: Mention[] = [];
  if (LATIN_LETTER.test(text)) {
    // Form by form, left to right, each match after the form's last one (as a global regex finds them).
    let form = -1;
    let lastEnd = 0;
    for (const { word, start } of index.latinPhrases.find(text)) {
      const f = index.latin[word];
      if (!f) continue;
      if (word !== form) {
        form = word;
        lastEnd = 0;
      }
      const end = start >= lastEnd ? latinWordEnd(text, start, start + f.form.length) : null;
      if (end === null) continue;
      found.push(mentionOf(f, f.tier, start, end, text.slice(start, end)));
      lastEnd = end;
    }
  }
  // By position, and at one position in the forms' order (which decides between equal mentions).
  const occurrences = index.phrases.find(text).sort((a, b) => a.start - b.start || a.word - b.word);
  for (const { word, start, end } of occurrences) {
    const f = index.chinese[word];
    if (f) found.push(mentionOf(f, f.tier, start, end, f.form));
  }
  return found;
}

/** A mention of a form: every one is built with the same fields in the same order (one object shape). */
function mentionOf(f: Form, tier: Tier, start: number, end: number, matched: string): Mention {
  return { form: f.form, tier, concept: f.concept, industryId: f.industryId, target: f.target, start, end, matched, score: 0, cue: undefined };
}

function overlapsAny(mentions: readonly Mention[], start: number, end: number): boolean {
  return mentions.some((m) => start < m.end && end > m.start);
}

const TIER_ORDER: Tier[] = ['name', 'alias', 'colloquial', 'english', 'pinyin', 'typo', 'fuzzy', 'weak'];
const TIER_RANK = new Map(TIER_ORDER.map((tier, i) => [tier, i]));

/**
 * Longest match wins; at equal length a word that finds a trade of this region's list (a county's own
 * 咖啡厅 over the lexicon's, when the lexicon's trade is not in its catalog), then the stronger tier, then
 * a region name over a lexicon word.
 */
function resolveOverlaps(found: Mention[]): Mention[] {
  const ranked = found.map((m) => ({
    m,
    length: m.end - m.start,
    inside: Number(m.target.kind === 'industry'),
    tier: TIER_RANK.get(m.tier) ?? 0,
    own: Number(Boolean(m.industryId)),
  }));
  ranked.sort((a, b) => b.length - a.length || b.inside - a.inside || a.tier - b.tier || b.own - a.own || a.m.start - b.m.start);
  const kept: Mention[] = [];
  for (const { m } of ranked) if (!overlapsAny(kept, m.start, m.end)) kept.push(m);
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Forms by each one-character wildcard (便利*, 便*店 …), for one-substitution typos: a window of the text
 * is looked up once per position instead of compared with every form. `firsts` and `seconds` hold, by
 * length, the first and second characters of the forms keyed: a window whose first character no form
 * has can only be a typo in that character.
 */
interface FuzzyIndex {
  byKey: Map<string, Form[]>;
  lengths: number[];
  firsts: Map<number, Set<string>>;
  seconds: Map<number, Set<string>>;
}

function fuzzyIndex(forms: Form[]): FuzzyIndex {
  const byKey = new Map<string, Form[]>();
  const lengths = new Set<number>();
  const firsts = new Map<number, Set<string>>();
  const seconds = new Map<number, Set<string>>();
  for (const f of forms) {
    if (f.tier === 'weak' || f.tier === 'typo' || isLatin(f.form) || f.form.length < FUZZY_MIN_LENGTH) continue;
    const n = f.form.length;
    // Never on a trailing shop suffix: 奶茶和 is not 奶茶店.
    const last = SHOP_SUFFIX.test(f.form) ? n - 1 : n;
    for (let i = 0; i < last; i++) {
      const key = `${f.form.slice(0, i)}\u0000${f.form.slice(i + 1)}`;
      const list = byKey.get(key);
      if (list) list.push(f);
      else byKey.set(key, [f]);
    }
    lengths.add(n);
    addChar(firsts, n, f.form[0] ?? '');
    addChar(seconds, n, f.form[1] ?? '');
  }
  return { byKey, lengths: [...lengths].sort((a, b) => b - a), firsts, seconds };
}

function addChar(chars: Map<number, Set<string>>, length: number, ch: string): void {
  const set = chars.get(length);
  if (set) set.add(ch);
  else chars.set(length, new Set([ch]));
}

/**
 * One substituted Chinese character in a 4+ character word (洗欲中心, 建身房), never on a trailing shop
 * suffix and never where an exact match already stands; one mention per window, the first substitution
 * that finds a form.
 */
function findFuzzy(text: string, index: FuzzyIndex, exact: Mention[]): Mention[] {
  const found: Mention[] = [];
  const han = Array.from({ length: text.length }, (_, k) => HAN.test(text[k] ?? ''));
  for (const n of index.lengths) {
    const firsts = index.firsts.get(n);
    const seconds = index.seconds.get(n);
    for (let at = 0; at + n <= text.length; at++) {
      const end = at + n;
      if (overlapsAny(exact, at, end) || overlapsAny(found, at, end)) continue;
      const window = text.slice(at, end);
      const firstKept = firsts?.has(window[0] ?? '') ?? false;
      for (let i = 0; i < n; i++) {
        if (!han[at + i] || !(i === 0 ? seconds?.has(window[1] ?? '') : firstKept)) continue;
        const f = index.byKey.get(`${window.slice(0, i)}\u0000${window.slice(i + 1)}`)?.find((x) => x.form !== window);
        if (!f) continue;
        found.push(mentionOf(f, 'fuzzy', at, end, window));
        break;
      }
    }
  }
  return found;
}

const HAN = /\p{Script=Han}/u;
const HAN_ONLY = /^\p{Script=Han}+$/u;

/** Trade forms by their sound: toneless pinyin without spaces (超市 → chaoshi). */
interface SoundIndex {
  bySound: Map<string, Form>;
  /** Keys long enough to find inside typed pinyin, longest first. */
  latinKeys: string[];
}

const MIN_PINYIN_LETTERS = 5;
const SOUND_TIERS: readonly Tier[] = ['name', 'alias', 'colloquial'];
/** Before a two-character homophone, the words of opening: 开个超势, not a stray 潮湿. */
const OPENER_BEFORE = /(?:开|弄|做|搞|整|干|办|盘|想开|要开|打算开)(?:一)?(?:个|家|间|所)?$/;

function soundIndex(forms: Form[]): SoundIndex {
  const bySound = new Map<string, Form>();
  for (const f of forms) {
    if (!SOUND_TIERS.includes(f.tier) || !/^\p{Script=Han}{2,6}$/u.test(f.form)) continue;
    const key = pinyin(f.form, { toneType: 'none', type: 'array' }).join('');
    const known = bySound.get(key);
    if (!known || TIER_ORDER.indexOf(f.tier) < TIER_ORDER.indexOf(known.tier)) bySound.set(key, f);
  }
  const latinKeys = [...bySound.keys()].filter((k) => k.length >= MIN_PINYIN_LETTERS).sort((a, b) => b.length - a.length);
  return { bySound, latinKeys };
}

function findBySound(text: string, sounds: SoundIndex, taken: Mention[]): Mention[] {
  const found: Mention[] = [];
  const free = (start: number, end: number) => !overlapsAny(taken, start, end) && !overlapsAny(found, start, end);
  // Typed pinyin: the Latin runs with their spaces removed.
  for (const run of text.matchAll(/[a-z][a-z ]*[a-z]/g)) {
    const letters = run[0].replace(/ /g, '');
    const start = run.index ?? 0;
    for (const key of sounds.latinKeys) {
      if (!letters.includes(key)) continue;
      const form = sounds.bySound.get(key);
      if (form && free(start, start + run[0].length)) {
        found.push(mentionOf(form, 'pinyin', start, start + run[0].length, key));
        break;
      }
    }
  }
  if (!HAN.test(text)) return found;
  // Homophones: a window of the text that sounds like a trade word but is written otherwise. The text's
  // pinyin (the slow part) is worked out at the first window that may be one.
  let syllables: string[] | undefined;
  for (const n of [4, 3, 2]) {
    for (let at = 0; at + n <= text.length; at++) {
      const window = text.slice(at, at + n);
      if (!HAN_ONLY.test(window) || !free(at, at + n)) continue;
      if (n === 2 && !OPENER_BEFORE.test(text.slice(Math.max(0, at - 4), at))) continue;
      syllables ??= pinyin(text, { toneType: 'none', type: 'array' });
      if (syllables.length !== text.length) return found;
      const form = sounds.bySound.get(syllables.slice(at, at + n).join(''));
      if (!form || form.form === window) continue;
      found.push(mentionOf(form, 'fuzzy', at, at + n, window));
    }
  }
  return found;
}

// 不是X, 不开X了, 不想开一家X, 我不是要开X: the person rules X out.
const NEGATED_BEFORE =
  /(?:不是|不开|不做|不干|不搞|不想开|不想做|不要|不打算开|不打算做|没开|别开|不再开|不再做|不是要开|不是想开|不是开)(?:了)?(?:一)?(?:个|家|间|座|所)?$/;
// An activity word (卖药, 卖书) right after a negation: 不卖药 says what the shop is not.
const NEGATED_ACTIVITY_BEFORE = /(?:不|没|没有|别|不会|不想|不打算)$/;

function isNegatedMention(text: string, m: Mention): boolean {
  const clause = clauseAround(text, m.start);
  const before = text.slice(Math.max(clause.start, m.start - 8), m.start);
  return NEGATED_BEFORE.test(before) || (m.tier === 'weak' && NEGATED_ACTIVITY_BEFORE.test(before));
}

const QUANTIFIER = '(?:了|过)?(?:一|两)?(?:个|家|间|座|所|处|下)?';

/** 「现做咖啡」「自己做蛋糕」: 做 is making the product there, not opening a shop of it. */
const MADE_HERE = /(?:现|自己|手工|当场|现场)做$/;

interface CompiledCues {
  opener: RegExp | null;
  openerIs: RegExp | null;
  secondary: RegExp | null;
  source: RegExp | null;
  desire: string[];
  past: string[];
  locationAfter: string[];
  /** 「店里弄个小水吧」, not 「酒店里的酒吧」: the shop word stands alone (or after 我们/这/在). */
  inside: RegExp | null;
}

function compileCues(cues: IndustriesFile['cues']): CompiledCues {
  const endsWith = (words: string[], tail: string) =>
    words.length > 0 ? new RegExp(`(?:${words.map(escapeRegExp).join('|')})${tail}$`) : null;
  return {
    opener: endsWith(cues.opener, QUANTIFIER),
    openerIs: endsWith(cues.opener, '的是'),
    secondary: endsWith(cues.secondary, '(?:了)?(?:一)?(?:个|家|间)?'),
    source: endsWith(cues.source, ''),
    desire: cues.desire,
    past: cues.past,
    locationAfter: cues.location_after,
    inside: cues.inside.length
      ? new RegExp(`(?:^|[^\\p{Script=Han}]|[我们俺咱这那家在])(?:${cues.inside.map(escapeRegExp).join('|')})`, 'u')
      : null,
  };
}

/** The weight of a mention, and what the words before it say: it is to be opened, or something else. */
function scoreMention(text: string, m: Mention, cues: CompiledCues): { score: number; cue?: TradeCue } {
  let score = BASE[m.tier];
  let cue: TradeCue | undefined;
  if ((m.tier === 'alias' || m.tier === 'colloquial') && !SHOP_SUFFIX.test(m.form)) score -= 0.1;
  const clause = clauseAround(text, m.start);
  const before = text.slice(clause.start, m.start);
  const after = text.slice(m.end, clause.end);
  const past = cues.past.some((w) => before.includes(w));
  if (past) {
    score -= 0.3;
    cue = 'past';
  } else if ((cues.opener?.test(before) || cues.openerIs?.test(before)) && !MADE_HERE.test(before)) {
    score += 0.1;
    cue = 'open';
  }
  if (cues.desire.some((w) => before.includes(w))) {
    score += 0.05;
    cue ??= 'open';
  }
  if (cues.inside?.test(before)) {
    score -= 0.25;
    cue = 'other';
  }
  if (cues.secondary?.test(before) || cues.source?.test(before) || cues.locationAfter.some((w) => after.startsWith(w))) {
    if (cues.secondary?.test(before)) score -= 0.25;
    if (cues.source?.test(before)) score -= 0.3;
    if (cues.locationAfter.some((w) => after.startsWith(w))) score -= 0.25;
    if (cue !== 'past') cue = 'other';
  }
  return cue ? { score, cue } : { score };
}

type Target = { kind: 'industry'; id: string; fallback: boolean } | { kind: 'outside' };

function resolveTarget(m: Word, { regionIds, conceptIndustry }: Resolver): Target {
  if (m.industryId) return { kind: 'industry', id: m.industryId, fallback: false };
  const concept = m.concept;
  if (!concept) return { kind: 'outside' };
  const own = concept.industry ?? concept.id;
  if (regionIds.has(own)) return { kind: 'industry', id: own, fallback: false };
  // A region industry that says it is this concept (or the concept's industry) is where its words lead.
  const linked = conceptIndustry.get(concept.id) ?? conceptIndustry.get(own);
  if (linked) return { kind: 'industry', id: linked, fallback: false };
  const fallback = concept.fallbacks.map((f) => conceptIndustry.get(f) ?? f).find((f) => regionIds.has(f));
  if (fallback) return { kind: 'industry', id: fallback, fallback: true };
  return { kind: 'outside' };
}

function clamp(x: number): number {
  return Math.min(0.99, Math.max(0.05, x));
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

const LATIN_LETTER = /[a-z]/;

/**
 * Where a Latin form found at `[start, end)` ends as a whole word, with a plural s or es (coffee shops),
 * or null when a letter runs on before or after it.
 */
function latinWordEnd(text: string, start: number, end: number): number | null {
  const letterAt = (i: number) => LATIN_LETTER.test(text[i] ?? '');
  if (letterAt(start - 1)) return null;
  if (text[end] === 's' && !letterAt(end + 1)) return end + 1;
  if (text.startsWith('es', end) && !letterAt(end + 2)) return end + 2;
  return letterAt(end) ? null : end;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
