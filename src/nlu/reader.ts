/**
 * The offline reader: one {@link Reading} of a message from the lexicon, bound to the loaded catalogs.
 * Deterministic and fast, no model, no network: the default, and the safety net when an LLM reader is
 * configured but fails. Everything is compiled once per catalog; a message is one pass of matchers.
 */
import type { Catalog } from '../catalog/load.ts';
import { createFactReader } from './facts.ts';
import { factsForRegions } from './regionFacts.ts';
import { CatalogError, type CatalogProblem } from '../catalog/errors.ts';
import type { Industry } from '../catalog/schema.ts';
import { createIndustryMatcher, type RegionIndustry } from './industry.ts';
import { loadLexicon, type Lexicon } from './lexicon.ts';
import { mask, normalize } from './normalize.ts';
import { extractQuantities, isLimit } from './quantities.ts';
import type { Reading } from './reading.ts';
import { createRegionFinder } from './region.ts';
import { createRequestMatcher, stripTrailing } from './requests.ts';
import { createTopicMatcher } from './topics.ts';
import type { RegionRef } from './types.ts';

export interface ReadContext {
  /** The conversation's region, if known: trades are read against its catalog. */
  regionId?: string;
  /** What an LLM reader is also given (docs/llm.md); the offline reader needs none of it. */
  conversation?: ConversationContext;
}

export interface ConversationContext {
  /** The trade already chosen. */
  industryId?: string;
  /** The scenario question just asked. */
  pendingQuestion?: string;
  /** A form field is waiting for its value: the message is that value, and is read offline only. */
  pendingField?: string;
  /** The last messages, oldest first. */
  history: { direction: 'in' | 'out'; text: string }[];
  /** Values the applicant gave that must not leave the machine as they are (names, addresses). */
  personal: { label: string; value: string }[];
}

/** The seam: the offline reader implements it; an LLM reader may too. */
export interface MessageReader {
  read(text: string, ctx?: ReadContext): Reading | Promise<Reading>;
  /** The reader uses `ctx.conversation`: the caller loads it (the offline reader does not). */
  readonly wantsConversation?: boolean;
}

export interface OfflineReader extends MessageReader {
  read(text: string, ctx?: ReadContext): Reading;
}

// 「不对，我是开药店」「其实我想开的是饭店」「改开奶茶店」: the trade named replaces the one before.
const CHANGE_CUE = /不对|不是|错了|说错|换成|改成|改为|改开|改做|换个|其实|还是开|还是想开|还是做|开的是|要开的是|想开的是|不开了|不做了|算了|改主意/;
const QUESTION_MARKERS =
  /[?？吗呢]|(?<![那什怎这多])么|咋|\b(?:shenme|zenme|duojiu|duoshao|nali|what|how|where|which|can i|do i|is it)\b|怎么|怎样|如何|多久|多长|几天|几年|几个|有效期|哪里|哪儿|在哪|哪家|哪个|哪些|什么|啥|多少|是否|能不能|可不可以|可以吗|要不要|需不需要|有没有|用不用|行不行|请问|咨询一下|问一下|问下/;
const UNSURE = /不知道|不清楚|不确定|说不准|说不好|不好说|拿不准|不太懂|不懂|看情况|还没想好|没想好|待定|没定|不一定|再看看|还没定|不晓得|不了解|不太清楚|不太确定|也许|可能吧|don'?t know|not sure/;
// 「是嘞」「中」「中嘞」「嗯呐」: yes as 河南 and the north say it.
const YES = /^(?:是|是的|对|对的|对啊|嗯|嗯嗯|恩|嗯呐|好|好的|有|有的|会|会的|要|卖|卖的|可以|行|没错|对头|是滴|中|当然|肯定|算是|算|属于|涉及|需要|应该是|没问题|确认|确定|yes|yeah|yep|y|ok|okay|sure)(?:的|啊|呀|吧|哈|呢|了|嘞|咧)?$/;
const NO = /^(?:不|否|没|无|别|不是|不对|没有|不用|不要|不会|不卖|不需要|不涉及|不属于|不算|算了|没呢|还没|no|nope|n)(?:的|啊|呀|吧|哈|呢|了|有)?$/;
/** 「会排」「有的」「不卖的」: the verb of the question echoed with a yes or a no. */
const YES_ECHO = /^(?:(?:会|要|得|肯定|应该|有|是)(?:排|卖|有|做|提供|涉及|放|挂|装|设|住|开|算|属于|的)|(?:排|卖|住|设|挂|装)的)(?:的|啊|吧|呀|哦)?$/;
const NO_ECHO = /^(?:不|没|不会|不用|没有)(?:排|卖|有|做|提供|涉及|放|挂|装|设|住|开|算|属于)(?:的|啊|吧|呀|哦|了)?$/;
const ORDINAL = /^(?:第|选)?([1-9一二三四五六七八九])(?:个|项|种|条|号)?$/;
const CASE_NUMBER = /bj\d{14}/i;
const NOT_THERE = /(?:不在|不是|不去|没在|而非|并非|不是在)$/u;

/** Builds the reader for these catalogs (and the project's lexicon unless another is given). */
export function createReader(catalog: Catalog, lexicon: Lexicon = loadLexicon()): OfflineReader {
  checkConcepts(catalog, lexicon);
  const industries = createIndustryMatcher(lexicon.industries);
  // Each region's questions are answered with its own words too; with no region known, every region's.
  const facts = createFactReader(factsForRegions(lexicon.facts, catalog.regions));
  const regionFacts = new Map(catalog.regions.map((r) => [r.id, createFactReader(factsForRegions(lexicon.facts, [r]))]));
  const requests = createRequestMatcher(lexicon.requests);
  const topics = createTopicMatcher(catalog, lexicon.topics);
  const regions = createRegionFinder(catalog.regions.map((r): RegionRef => ({ id: r.id, name: r.name, aliases: [r.fullName, ...r.aliases], places: r.places })));
  const regionIndustries = new Map(catalog.regions.map((r) => [r.id, r.industries.map(industryWords)]));
  const allIndustries = mergeIndustries(catalog.regions.flatMap((r) => r.industries.map(industryWords)));

  return {
    read(raw, ctx = {}) {
      const text = normalize(raw);
      const mentions = regions.find(text);
      // Place names are masked so their characters are not read as trades or facts (小店镇).
      let masked = text;
      for (const m of mentions) masked = mask(masked, m.start, m.end);
      const regionsNamed = mentions.map((m) => m.regionId);
      // 「店在奈曼旗，不在新乡」: a region said not to be the one does not count.
      const region = mentions.filter((m) => !NOT_THERE.test(text.slice(Math.max(0, m.start - 4), m.start))).at(-1)?.regionId;
      // Trades are read against the region the message names, else the conversation's, else all.
      const regionId = region ?? ctx.regionId;
      // A permit's name is not a trade: 「要办旅馆业的证吗」 names no 旅馆.
      const named = topics.match(masked);
      let forTrade = masked;
      for (const span of named.spans) forTrade = mask(forTrade, span.start, span.end);
      const trade = industries.match(forTrade, (regionId && regionIndustries.get(regionId)) || allIndustries);
      const stated = ((regionId && regionFacts.get(regionId)) || facts).extract(masked, trade.industry?.id ?? null, named.spans);
      const tradeAt = trade.industry ? masked.lastIndexOf(trade.industry.matched) : -1;
      if (trade.industry && tradeAt >= 0) {
        const end = tradeAt + trade.industry.matched.length;
        for (const f of stated.facts) if (f.start >= tradeAt && f.end <= end) f.inTrade = true;
      }
      const quantities = extractQuantities(masked);
      const fields: Record<string, string | number> = { ...stated.fields };
      const area = quantities.find((q) => q.kind === 'area' && !isLimit(q));
      if (area) fields.business_area = area.value;
      const people = quantities.find((q) => q.kind === 'people' && !isLimit(q));
      if (people) fields.employee_count = people.value;
      const rooms = quantities.find((q) => q.kind === 'rooms' && !isLimit(q));
      if (rooms) fields.room_count = rooms.value;

      const short = stripTrailing(masked.replace(/[,.;!?]+/g, ''));
      const reading: Reading = {
        raw,
        text,
        regions: regionsNamed,
        industry: trade.industry,
        candidates: trade.candidates,
        changesTrade: trade.industry !== null && CHANGE_CUE.test(textBefore(masked, trade.industry.matched)),
        facts: stated.facts,
        answers: stated.answers,
        quantities,
        fields,
        requests: requests.match(masked),
        topic: named.topic,
        question: isQuestion(masked),
      };
      if (region) reading.region = region;
      if (trade.outOfCatalog) reading.outOfCatalog = trade.outOfCatalog;
      const polarity = polarityOf(short) ?? clausePolarity(masked);
      if (polarity) reading.polarity = polarity;
      const verb = polarity && polarity !== 'unsure' ? echoedVerb(masked) : undefined;
      if (verb) reading.polarityVerb = verb;
      const ordinal = ORDINAL.exec(short)?.[1];
      if (ordinal) reading.ordinal = '123456789'.includes(ordinal) ? Number(ordinal) : '一二三四五六七八九'.indexOf(ordinal) + 1;
      const caseNumber = CASE_NUMBER.exec(text)?.[0];
      if (caseNumber) reading.caseNumber = caseNumber.toUpperCase();
      return reading;
    },
  };
}

/** A region industry's `concept` must name a trade concept of the lexicon (or the industry one stands for). */
function checkConcepts(catalog: Catalog, lexicon: Lexicon): void {
  const known = new Set(lexicon.industries.concepts.flatMap((c) => [c.id, c.industry ?? c.id]));
  const problems: CatalogProblem[] = [];
  for (const region of catalog.regions) {
    region.industries.forEach((industry, i) => {
      for (const concept of conceptsOf(industry)) {
        if (known.has(concept)) continue;
        problems.push({
          file: catalog.regionFiles.get(region.id) ?? region.id,
          path: `industries[${i}].concept`,
          problem: `"${concept}" is not a trade concept of data/lexicon/industries.yaml`,
          accepted: 'a concept id of data/lexicon/industries.yaml, or leave concept out',
          example: 'tea_leaf_shop',
        });
      }
    });
  }
  const [first, ...rest] = problems;
  if (first) throw new CatalogError([first, ...rest]);
}

function conceptsOf(industry: Industry): string[] {
  return industry.concept === undefined ? [] : typeof industry.concept === 'string' ? [industry.concept] : industry.concept;
}

/** What the industry matcher is given of a region's industry: its name and the region file's words for it. */
function industryWords(industry: Industry): RegionIndustry {
  return {
    id: industry.id,
    name: industry.name,
    aliases: industry.aliases,
    colloquial: industry.colloquial,
    activities: industry.activities,
    concepts: conceptsOf(industry),
  };
}

/** Every region's industries as one list when no region is known: one entry per id, its words together. */
function mergeIndustries(list: RegionIndustry[]): RegionIndustry[] {
  const byId = new Map<string, RegionIndustry>();
  for (const industry of list) {
    const seen = byId.get(industry.id);
    if (!seen) {
      byId.set(industry.id, industry);
      continue;
    }
    const join = (a?: readonly string[], b?: readonly string[]) => [...new Set([...(a ?? []), ...(b ?? [])])];
    byId.set(industry.id, {
      ...seen,
      aliases: join(seen.aliases, industry.aliases),
      colloquial: join(seen.colloquial, industry.colloquial),
      activities: join(seen.activities, industry.activities),
      concepts: join(seen.concepts, industry.concepts),
    });
  }
  return [...byId.values()];
}

function textBefore(text: string, word: string): string {
  const at = text.lastIndexOf(word);
  return at >= 0 ? text.slice(0, at) : text;
}

/**
 * 「是，规模挺大的，肯定算」「不算吧，就镇上一个小澡堂」「一千多平，算的」: a clause that is a bare yes or no
 * answers the question, whatever the rest explains. Clauses that disagree say nothing.
 */
function clausePolarity(text: string): Reading['polarity'] {
  const found = new Set(
    text
      .split(/[,.;!?]+/)
      .map((clause) => stripTrailing(clause).replace(LEAD_IN, ''))
      // 「哦不对，晚上能住」: 不对 corrects what was said before; it answers nothing.
      .filter((clause) => clause.length > 0 && clause.length <= 4 && !/^(?:不对|错了|说错了|不是的|搞错了)$/.test(clause))
      .map((clause) => polarityOf(clause))
      .filter((p): p is NonNullable<Reading['polarity']> => p !== undefined),
  );
  return found.size === 1 ? [...found][0] : undefined;
}

/**
 * Reads as a question (a question word or mark, or A-not-A). 什么/啥 count only as a question word, not as 「不在什么保护区」 (none at all) or
 * 「什么都不卖」 (nothing).
 */
function isQuestion(text: string): boolean {
  // 「零食饮料啥的」「烟酒什么的」: and so on, not a question (「要准备啥的」 still asks).
  const plain = text.replace(/(?:不|没|没有|也没|并不|不是)\p{Script=Han}{0,2}(?:什么|啥)|(?:什么|啥)(?:都|也)|(?<=\p{Script=Han})(?<![要备带交办做干问是有买卖些])(?:什么|啥)(?:的|之类的?)(?=[,.;!\s，。；！]|$)/gu, '');
  // 「算不算」「卖不卖」「有没有」: the A-not-A question.
  // 「要办食品经营许可还是登记」: A or B is asked, too.
  return QUESTION_MARKERS.test(plain) || /(\p{Script=Han})[不没]\1/u.test(text) || /(?:办|申请|选)[^,.;，。；]{1,16}还是\p{Script=Han}/u.test(plain);
}

/** The verb of the message's yes-or-no clause, when it echoes one (会排 → 排, 不卖 → 卖). */
function echoedVerb(text: string): string | undefined {
  for (const clause of text.split(/[,.;!?]+/)) {
    const short = stripTrailing(clause).replace(LEAD_IN, '');
    const m = /^(?:会|要|得|肯定|应该|有|是|不|没|不会|不用|没有)(排|卖|做|提供|涉及|放|挂|装|设|住|开)/.exec(short);
    if (m && (YES_ECHO.test(short) || NO_ECHO.test(short))) return m[1];
  }
  return undefined;
}

/** Words that lead into a reply without changing it: 「那就不算」「哦，是的」「嗯嗯有的」. */
const LEAD_IN = /^(?:那就|那么|那|这样的话|那样的话|哦|噢|嗯|恩|好吧|好的|行吧|其实|应该|估计|大概|可能)+(?=.)/;

/** A short reply's yes, no or don't-know; undefined for anything longer or else. */
function polarityOf(text: string): Reading['polarity'] {
  const short = text.replace(LEAD_IN, '');
  if (!short) return undefined;
  if (short.length <= 12 && UNSURE.test(short)) return 'unsure';
  if (short.length > 6) return undefined;
  // 「对对」「是是是」「宾馆不就算嘛」
  if (YES.test(short) || YES_ECHO.test(short) || /^(对|是|好|嗯|行)\1+$/.test(short) || /不就(?:是|算)|当然(?:是|算)|肯定(?:是|算)/.test(short)) return 'yes';
  if (NO.test(short) || NO_ECHO.test(short)) return 'no';
  return undefined;
}
