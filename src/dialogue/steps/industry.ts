/**
 * The trade: set from a message, proposed for a 是/不是 when the guess is weak (a typo, a fallback),
 * remembered until the region is known, changed when the person says they mean another one (keeping
 * the answers that still apply, and saying so), or said to be outside the catalog.
 */
import { describeAnswer } from '../../guidance/answers.ts';
import { questionsOf, UNSURE } from '../../guidance/conditions.ts';
import { asks, type Reading } from '../../nlu/reading.ts';
import type { IndustryGuess, TradeCue } from '../../nlu/types.ts';
import type { Draft } from '../draft.ts';
import * as T from '../texts/index.ts';

export type TradeOutcome = 'none' | 'set' | 'changed' | 'proposed' | 'declined' | 'outside' | 'awaiting_region';

export function applyTrade(d: Draft, r: Reading): TradeOutcome {
  const region = d.region();
  const current = d.state.industry;
  const proposed = d.state.proposedIndustry;
  const guess = r.industry;

  if (d.state.stage === 'confirm_industry' && proposed && (!guess || guess.id === proposed)) {
    if (r.polarity === 'yes' || asks(r, 'confirm') || guess?.id === proposed) {
      setIndustry(d, proposed);
      return 'set';
    }
    if (r.polarity === 'no') {
      delete d.state.proposedIndustry;
      d.moveTo('industry');
      d.say(T.industryDeclined);
      return 'declined';
    }
  }

  if (guess) {
    if (current === guess.id) return 'none';
    if (current && !namesNewTrade(r, guess.cue, guess)) return 'none';
    if (!region) {
      d.state.proposedIndustry = guess.id;
      return 'awaiting_region';
    }
    if (!current && isUncertain(guess)) {
      d.state.proposedIndustry = guess.id;
      d.moveTo('confirm_industry');
      // 「奶茶店」 in a region without it: said plainly, with the nearest catalog trade to confirm.
      if (guess.via === 'fallback') d.say(T.nearestIndustry(guess.matched, region, guess.name));
      return 'proposed';
    }
    if (current) {
      changeIndustry(d, guess.id);
      return 'changed';
    }
    setIndustry(d, guess.id);
    return 'set';
  }

  if (r.outOfCatalog && (!current || namesNewTrade(r, r.outOfCatalog.cue))) {
    d.say(region ? T.outsideCatalog(r.outOfCatalog, region, d.industry()?.name) : T.outsideAllCatalogs(r.outOfCatalog, d.catalog.regions));
    return 'outside';
  }

  // A trade named before the region was known, now that it is.
  if (!current && region && proposed && d.state.stage !== 'confirm_industry' && region.industries.some((i) => i.id === proposed)) {
    setIndustry(d, proposed);
    return 'set';
  }
  return 'none';
}

export function setIndustry(d: Draft, id: string): void {
  d.state.industry = id;
  delete d.state.proposedIndustry;
}

/**
 * Another trade: the answers its questions also use are kept and named (so a wrong carry-over can be
 * corrected at once), the others dropped; the form keeps only the shared fields; what changed is said.
 */
export function changeIndustry(d: Draft, id: string): void {
  const before = d.assessment();
  const from = d.industry()?.name ?? '';
  const region = d.region();
  const target = region?.industries.find((i) => i.id === id);
  if (!region || !target) return;
  const uses = new Set(target.items.flatMap((i) => (i.when ? questionsOf(i.when) : [])));
  const kept: string[] = [];
  const implied = new Set(d.state.implied ?? []);
  delete d.state.implied;
  for (const [qid, value] of Object.entries(d.state.answers)) {
    const question = d.question(qid);
    if (uses.has(qid) && question && !implied.has(qid)) {
      if (value !== UNSURE) kept.push(`${shortText(question.text)}——${describeAnswer(question, value)}`);
    } else {
      delete d.state.answers[qid];
    }
  }
  d.state.answered = d.state.answered.filter((q) => q in d.state.answers);
  d.state.form = {
    values: Object.fromEntries(Object.entries(d.state.form.values).filter(([fid]) => d.catalog.fields.get(fid)?.common)),
    skipped: [],
    history: [],
  };
  delete d.state.pendingQuestion;
  setIndustry(d, id);
  const after = d.assessment();
  const had = new Set(before?.items.filter((i) => i.status !== 'not_needed').map((i) => i.name) ?? []);
  const has = new Set(after?.items.filter((i) => i.status !== 'not_needed').map((i) => i.name) ?? []);
  const changes = [
    ...[...has].filter((n) => !had.has(n)).map((n) => `涉及${n}`),
    ...[...had].filter((n) => !has.has(n)).map((n) => `不再涉及${n}`),
  ];
  d.say(T.tradeChanged(from, target.name, kept, before ? changes : []));
}

/** 「好的，在奈曼旗开便利店。」 once, when a trade is set. */
export function introduceTrade(d: Draft): void {
  const region = d.region();
  const industry = d.industry();
  if (!region || !industry) return;
  d.sayOnce('intro', T.tradeIntro(region, industry.name, Boolean(d.assessment()?.nextQuestion)));
}

/**
 * With a trade already chosen, does the message mean another one? Only when it says so: a correction
 * (不对，我是开药店), the words of opening (我想开个饭店), or the trade's name alone. 「有餐厅」 in a
 * hotel's questions, or 「卖点药」 in a shop's, names something the place has.
 */
function namesNewTrade(r: Reading, cue: TradeCue | undefined, guess?: IndustryGuess): boolean {
  // 「不卖咖啡」「咖啡也不弄了」 in a bookshop's conversation says what it does not do, not a new trade.
  if (guess && negatedWord(r.text, guess.matched)) return false;
  if (r.changesTrade) return true;
  if (cue === 'other' || cue === 'past') return false;
  if (cue === 'open') return true;
  return guess !== undefined && r.text.replace(/[,.;!?。，！？]/g, '').length <= guess.matched.length + 2;
}

/** The trade word comes right after a no (不卖咖啡, 没开饭店) or right before one (咖啡也不弄了). */
function negatedWord(text: string, word: string): boolean {
  const at = word ? text.lastIndexOf(word) : -1;
  if (at < 0) return false;
  const before = text.slice(Math.max(0, at - 3), at);
  const after = text.slice(at + word.length, at + word.length + 4);
  return /(?:不|没|别|不卖|不做|不弄|不搞|不开|没有)$/u.test(before) || /^(?:也|就|先|都)?(?:不|没)(?:弄|做|卖|搞|开|要|干)/u.test(after);
}

function isUncertain(guess: IndustryGuess): boolean {
  return guess.via === 'typo' || guess.via === 'fallback' || guess.confidence < 0.8;
}

function shortText(question: string): string {
  return question.replace(/[？?].*$/s, '');
}
