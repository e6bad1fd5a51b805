/**
 * The knowledge index: every passage of a catalog (clauses, FAQ, permit facts) searched with BM25
 * (MiniSearch) over jieba words and their characters, narrowed by the region, the trade's permits and
 * what the reading says the question is about, and held to a floor: a question whose meaningful words
 * the best passage does not cover gets no answer rather than a wrong one.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { parseYamlCached } from '../catalog/yamlCache.ts';
import { z } from 'zod';
import type { Catalog } from '../catalog/load.ts';
import { buildPassages, type Passage } from './passages.ts';
import { addWords, isKnownWord, passageTerms, terms, weight } from './segment.ts';
import { loadThesaurus, type Thesaurus } from './thesaurus.ts';

export type { Passage, SourceRef, Aspect } from './passages.ts';

export interface KnowledgeQuery {
  text: string;
  region: string;
  /** The trade's permits, when the trade is known: passages about other permits are not answers. */
  industryPermits?: ReadonlySet<string>;
  /** Permits ruled out for this applicant. */
  excluded?: ReadonlySet<string>;
  /** Permits the question names (the reading's topic): passages about them come first. */
  permits?: readonly string[];
  /** Materials the question names (营业执照, 健康证): a permit's time or fee is not an answer about them. */
  materials?: readonly string[];
  /** What the reading says is asked (post, online, time…). */
  kinds?: readonly string[];
  /**
   * Whether what is asked counts toward covering the question (default true). Off to check that a question
   * the reading takes for a fee or time question is about the permits at all (「房租多少钱」).
   */
  creditKinds?: boolean;
  /** The least coverage a passage needs (default COVERAGE_FLOOR); lower for an LLM to read several. */
  floor?: number;
}

export interface Hit {
  passage: Passage;
  /** BM25 with the boosts, comparable only within one search. */
  score: number;
  /** Share (by rarity) of the question's meaningful words that the passage has: 0 to 1. */
  coverage: number;
  /** How many meaningful words the question has besides trade names and 证, 许可, 手续. */
  words: number;
}

export interface Knowledge {
  readonly passages: readonly Passage[];
  /** The passages that answer the question, best first; empty under the floor. */
  search(query: KnowledgeQuery): Hit[];
  /** Of these passages (ids), the closest to the question first, with no floor: one of them is the answer. */
  rank(text: string, region: string, ids: readonly string[]): Passage[];
}

/** Departments as people name them: two in one question (「市场监管和消防」) ask about them together. */
const DEPARTMENT_WORD = /公安|市场监管|消防|卫生|住建|环保|生态环境|烟草|人社|城管|综合执法/u;
const DEPARTMENT_WORDS = new RegExp(DEPARTMENT_WORD.source, 'gu');

/** Words every permit question has: they do not make a question of its own (「需要什么证」). */
const GENERIC_WORDS = new Set(['证', '许可', '许可证', '办证', '手续', '审批']);

/** Words that ask what something means, without saying what. */
const META_WORDS = new Set(['意思', '啥意思', '什么意思', '解释', '含义', '说说', '简单']);

/** Other words that name a department's field in a question about several (体育 for the sports permit). */
const DEPARTMENT_EXTRA = new Set(['体育', '食品', '排水', '药监', '文旅', '部门', '好几个']);

/** The reading's kinds that ask for one aspect of a permit. */
const ASPECT_KINDS = new Set(['materials', 'time', 'fees', 'inspection', 'validity']);

/** The comprehensive licence itself, as people name it. */
const LICENCE_WORDS = /综合许可证|综合证|综合许可|一业一证|大证/u;

/** 「药证过期了，综合证受影响不」: a question about the comprehensive licence, whatever permit it names. */
export function asksAboutLicence(text: string): boolean {
  return LICENCE_WORDS.test(text);
}

/** A word this rare (jieba's IDF) that the passage lacks, when it is the question's rarest, rules it out. */
const RARE_WORD = 9.5;
const RARE_PENALTY = 0.15;

/** Under this coverage the best passage is not an answer. */
export const COVERAGE_FLOOR = 0.5;

const built = new WeakMap<Catalog, Knowledge>();

/** The catalog's index, built on first use and kept for the catalog's life (build it at start). */
export function knowledgeFor(catalog: Catalog): Knowledge {
  let knowledge = built.get(catalog);
  if (!knowledge) {
    knowledge = createKnowledge(catalog);
    built.set(catalog, knowledge);
  }
  return knowledge;
}

/** Builds the index again (after an FAQ entry was added at run time): the next search uses the new one. */
export function rebuildKnowledge(catalog: Catalog): void {
  built.set(catalog, createKnowledge(catalog));
}

interface Indexed {
  id: string;
  words: string;
  question: string;
}

export function createKnowledge(catalog: Catalog, thesaurus: Thesaurus = loadThesaurus(), everyday: EverydayNames = loadEverydayNames()): Knowledge {
  addWords([...catalogWords(catalog), ...Object.values(everyday.permits).flat(), ...Object.values(everyday.materials).flat()]);
  weight('一业一证'); // loads jieba's IDF table now, at start, not in the first user's turn
  const passages = buildPassages(catalog);
  const byId = new Map(passages.map((p) => [p.id, p]));
  const byRegion = new Map<string, Passage[]>();
  for (const p of passages) byRegion.set(p.region, [...(byRegion.get(p.region) ?? []), p]);
  const tokens = new Map<string, { words: Set<string>; chars: Set<string> }>();
  const names = nameWords(catalog, everyday);
  const trades = new Set(catalog.regions.flatMap((r) => r.industries.flatMap((i) => i.name.split('/').flatMap((n) => terms(n).units.map((u) => u.word)))));

  // One index per region: a question is only ever searched in its own region's passages. Its words are
  // kept apart too: a question's word no passage has finds nothing, and is not searched for.
  const indexes = new Map<string, MiniSearch<Indexed>>();
  const vocabularies = new Map<string, Set<string>>();
  for (const p of passages) {
    let index = indexes.get(p.region);
    let vocabulary = vocabularies.get(p.region);
    if (!index || !vocabulary) {
      index = new MiniSearch<Indexed>({ fields: ['words', 'question'], storeFields: [], tokenize: (text) => text.split(' ').filter(Boolean), processTerm: (term) => term });
      vocabulary = new Set();
      indexes.set(p.region, index);
      vocabularies.set(p.region, vocabulary);
    }
    const t = passageTerms(p.text);
    const questionWords = p.question ? passageTerms(p.question).words : [];
    tokens.set(p.id, { words: new Set(t.words), chars: new Set(t.chars) });
    index.add({ id: p.id, words: t.words.join(' '), question: questionWords.join(' ') });
    for (const w of [...t.words, ...questionWords]) vocabulary.add(w);
  }

  const segmented = new Map<string, string[]>();
  const alternativeWords = (a: string) => {
    let words = segmented.get(a);
    if (!words) segmented.set(a, (words = passageTerms(a).words));
    return words;
  };

  return {
    passages,
    rank(text, region, ids) {
      const wanted = new Set(ids);
      const index = indexes.get(region);
      const q = terms(text);
      const scored = new Map<string, number>();
      if (index && q.words.length) {
        for (const r of index.search(q.words.join(' '), { boost: { words: 1, question: 2 }, filter: (x) => wanted.has(String(x.id)) })) scored.set(String(r.id), r.score);
      }
      return ids.map((id) => byId.get(id)).filter((p): p is Passage => Boolean(p)).sort((a, b) => (scored.get(b.id) ?? 0) - (scored.get(a.id) ?? 0));
    },
    search(query) {
      const q = terms(query.text);
      if (!q.words.length && !q.chars.length) return [];
      const named = new Set(query.permits ?? []);
      const kinds = new Set(query.kinds ?? []);
      // 「营业执照几天能下来」 asks about a material, not about a permit's time limit.
      const aboutMaterial = Boolean(query.materials?.length) && !named.size;
      // 「烟草证到期了，综合许可证还能用吗」 asks about the comprehensive licence: a permit's own facts come after.
      const aboutLicence = LICENCE_WORDS.test(query.text);
      const several = named.size >= 2 || new Set(query.text.match(DEPARTMENT_WORDS) ?? []).size >= 2;
      // 「要多久」 is not answered by a permit's fee: an aspect asked rules out the permits' other aspects.
      const aspectsAsked = [...kinds].filter((k) => ASPECT_KINDS.has(k));
      // 「营业执照几天能下来」「健康证多少钱」: the time or fee of a material is not in the knowledge at all.
      if (aboutMaterial && aspectsAsked.some((k) => k !== 'materials')) return [];
      const otherAspect = (p: Passage) => p.kind === 'permit' && aspectsAsked.length > 0 && !p.asks.some((k) => kinds.has(k));
      const allowed = (p: Passage) =>
        p.region === query.region &&
        // 「营业执照怎么办理」 names a material; a permit's list of materials answers only 「要哪些材料」.
        !(aboutMaterial && p.kind === 'permit' && !(p.aspect === 'materials' && kinds.has('materials'))) &&
        !otherAspect(p) &&
        (!p.permit || (!query.excluded?.has(p.permit) && (!query.industryPermits || query.industryPermits.has(p.permit) || named.has(p.permit))));
      // Each meaningful word of the question, with the documents' words for it (寄 → 寄递): a unit of meaning.
      const units: Unit[] = q.units.map((u) => ({ term: u.word, alternatives: [u.word], parts: u.parts }));
      for (const { key, alternatives } of thesaurus.expand(query.text.replace(/\s+/gu, ''), q.words)) {
        const words = alternatives.flatMap(alternativeWords);
        const unit = units.find((u) => u.term === key);
        if (unit) unit.alternatives.push(...words);
        else {
          // A key inside or across the question's words (「跑回去」 in 「专门跑回去」) stands for them.
          for (const u of units) if (key.includes(u.term)) u.spanned = true;
          const host = units.find((u) => u.term.includes(key));
          if (host) host.alternatives.push(...words);
          else units.push({ term: key, alternatives: [key, ...words], parts: [] });
        }
      }
      // A trade's name says which permits, not what is asked: 「开奶茶店能赚钱吗」 is about 赚钱.
      const content = units.filter((u) => !u.spanned && !trades.has(u.term));
      // 「这个是啥意思」 asks about something said before, not about anything here.
      if (content.every((u) => META_WORDS.has(u.term))) return [];
      // The named permits' own words: their passages are found even when the question calls them otherwise.
      const namedTerms = several ? [] : [...named].flatMap((id) => [...(names.get(id) ?? [])]);
      const index = indexes.get(query.region);
      const vocabulary = vocabularies.get(query.region);
      const regional = byRegion.get(query.region);
      if (!index || !vocabulary || !regional) return [];
      const searchTerms = [...new Set([...q.words, ...content.flatMap((u) => u.alternatives), ...namedTerms])].filter((w) => vocabulary.has(w));
      const boosts = new Map<string, number>();
      for (const p of regional) {
        if (!allowed(p)) continue;
        let boost = p.kind === 'faq' ? 1.3 : 1;
        if (p.local) boost *= 2;
        if (p.asks.some((k) => kinds.has(k) && k !== 'reform')) boost *= 3;
        if (aboutLicence) boost *= p.permit ? 0.25 : 1.5;
        // 「卫生和消防能不能约一天一起来看」: several permits or departments at once is a question about the reform.
        if (several) boost *= p.permit ? 0.5 : 2;
        if (p.permit && named.has(p.permit)) boost *= 3;
        else if (p.permit && named.size) boost *= 0.3;
        // 「药店那个证几年要换」 is about the permit it names, not the comprehensive licence (unless it says so).
        else if (!p.permit && named.size && !aboutLicence) boost *= 0.5;
        boosts.set(p.id, boost);
      }
      const results = index.search(searchTerms.join(' '), {
        boost: { words: 2, question: 2 },
        // Passages that may not answer get no score at all; the others their boost, worked out once.
        boostDocument: (id) => boosts.get(String(id)) ?? 0,
      });
      // The names a passage covers: its own permit's; for the reform text, all those named when several are.
      // With several named, the departments named (卫生、消防、体育) are what the reform text's 「多个事项」 means.
      const allNamed = new Set([...[...named].flatMap((id) => [...(names.get(id) ?? [])]), ...(several ? content.map((u) => u.term).filter((t) => DEPARTMENT_WORD.test(t) || DEPARTMENT_EXTRA.has(t)) : [])]);
      const namedWordsFor = (p: Passage) => (p.permit ? (named.has(p.permit) ? names.get(p.permit) : undefined) : several ? allNamed : undefined);
      const weighed = weighUnits(content);
      const hits: Hit[] = [];
      for (const r of results.filter((x) => x.score > 0).slice(0, 8)) {
        const passage = byId.get(String(r.id));
        const t = tokens.get(String(r.id));
        if (!passage || !t) continue;
        const coverage =
          coverageOf(weighed, t, passage, namedWordsFor(passage), query.creditKinds === false ? new Set() : kinds) -
          (aboutLicence && passage.permit ? 0.25 : 0) -
          // 「排水证是干啥的」 is about the permit it names, not what 一业一证 is.
          (named.size && !passage.permit && !aboutLicence && !several ? 0.15 : 0) -
          (several && passage.permit ? 0.15 : 0);
        hits.push({ passage, score: r.score, coverage, words: content.filter((u) => !GENERIC_WORDS.has(u.term)).length });
      }
      // How much of the question a passage covers decides first; BM25 orders passages that cover alike.
      const top = Math.max(...hits.map((h) => h.score), 1e-9);
      hits.sort((a, b) => rank(b, top) - rank(a, top));
      return hits.filter((h) => h.coverage >= (query.floor ?? COVERAGE_FLOOR));
    },
  };
}

/**
 * How much of the question the passage speaks to: each meaningful word counts by its rarity, whole or by
 * its characters (「寄」 of 「寄给」 in 「寄递」). The names of the permit the question names are covered by a
 * passage about that permit, and a passage for what the reading says is asked (its fee, post, online) gets
 * part of the way for that alone.
 */
function coverageOf(
  content: readonly WeighedUnit[],
  t: { words: Set<string>; chars: Set<string> },
  passage: Passage,
  namedPermitWords: ReadonlySet<string> | undefined,
  kinds: ReadonlySet<string>,
): number {
  const asked = passage.asks.some((k) => kinds.has(k) && k !== 'reform');
  let all = 0;
  let covered = 0;
  let rarestMissed = 0;
  for (const { unit, weight: w, known } of content) {
    all += w;
    const whole = Math.max(...unit.alternatives.map((a) => wordCover(a, t, namedPermitWords)));
    // 「综合许可证」 is covered by a passage that has 「综合」 and 「许可证」.
    const parts = unit.parts.length ? unit.parts.filter((p) => t.words.has(p) || namedPermitWords?.has(p)).length / unit.parts.length : 0;
    const share = Math.max(whole, 0.9 * parts);
    covered += w * share;
    if (share === 0 && known) rarestMissed = Math.max(rarestMissed, w);
  }
  // A very rare word the passage does not have at all (「纸质」 in 「交纸质材料」) is what the question is about.
  const missedRarest = rarestMissed >= RARE_WORD && rarestMissed >= Math.max(...content.map((u) => u.weight));
  const share = (all ? covered / all : 0) - (missedRarest ? RARE_PENALTY : 0);
  return Math.min(1, share + (asked ? 0.2 : 0) + (namedPermitWords ? 0.1 : 0));
}

/** 1 for a word the passage has; for a two-character word, part credit for its characters. */
function wordCover(w: string, t: { words: Set<string>; chars: Set<string> }, named: ReadonlySet<string> | undefined): number {
  if (t.words.has(w) || named?.has(w)) return 1;
  if (w.length !== 2) return 0;
  const [a = '', b = ''] = [...w];
  if (t.chars.has(a) && t.chars.has(b)) return 0.7;
  return t.chars.has(a) || t.chars.has(b) ? 0.3 : 0;
}

interface Unit {
  term: string;
  alternatives: string[];
  parts: string[];
  /** Stood for by a thesaurus key that spans it. */
  spanned?: boolean;
}

/** A unit with its weight and whether it is a word of the language (of two or more characters), worked out once per question. */
interface WeighedUnit {
  unit: Unit;
  weight: number;
  known: boolean;
}

function weighUnits(units: readonly Unit[]): WeighedUnit[] {
  return units.map((unit) => ({ unit, weight: weight(unit.term), known: unit.term.length >= 2 && isKnownWord(unit.term) }));
}

function rank(hit: Hit, topScore: number): number {
  return hit.coverage + 0.35 * (hit.score / topScore);
}

/** Words of the reform that segmentation must keep whole (「一个许可能不能」 is 许可 + 能, not 许 + 可能). */
const DOMAIN_WORDS = ['行业综合许可证', '综合许可证', '一业一证', '单项审批证件', '许可', '许可证', '审批', '事项', '单项', '综合证'];

/** Names that segmentation keeps whole: trades, permits (and their other names), materials, places. */
function catalogWords(catalog: Catalog): string[] {
  return [
    ...[...catalog.permits.values()].flatMap((p) => [p.name, ...p.aliases]),
    ...catalog.regions.flatMap((r) => Object.values(r.permitOverrides).flatMap((o) => [...o.aliases, ...o.colloquial])),
    ...[...catalog.materials.values()].map((m) => m.name),
    ...catalog.regions.flatMap((r) => [r.name, ...r.industries.flatMap((i) => [i.name, ...i.items.map((it) => it.name)])]),
    ...DOMAIN_WORDS,
  ].flatMap((name) => name.split(/[（）()、/，,\s]+/u));
}

/** The words of each permit's names, official and everyday: covered by any passage about that permit. */
function nameWords(catalog: Catalog, everyday: EverydayNames): Map<string, Set<string>> {
  const words = new Map<string, Set<string>>();
  for (const p of catalog.permits.values()) {
    words.set(p.id, new Set([p.name, ...p.aliases, ...(everyday.permits[p.id] ?? [])].flatMap((n) => passageTerms(n).words)));
  }
  // A county's own words for a registry permit cover passages about it too.
  for (const region of catalog.regions) {
    for (const [id, o] of Object.entries(region.permitOverrides)) {
      const set = words.get(id);
      if (set) for (const n of [...o.aliases, ...o.colloquial]) for (const w of passageTerms(n).words) set.add(w);
    }
  }
  return words;
}

/** The everyday names of permits and materials (特行证, 排水证, 健康证): `data/lexicon/topics.yaml`. */
export interface EverydayNames {
  permits: Record<string, string[]>;
  materials: Record<string, string[]>;
}

const TOPICS_FILE = fileURLToPath(new URL('../../data/lexicon/topics.yaml', import.meta.url));

function loadEverydayNames(file: string = TOPICS_FILE): EverydayNames {
  const parsed = z
    .object({ permits: z.record(z.string(), z.array(z.string())).default({}), materials: z.record(z.string(), z.array(z.string())).default({}) })
    .parse(parseYamlCached(readFileSync(file, 'utf8')));
  return parsed;
}

