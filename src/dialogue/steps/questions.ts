/**
 * The scenario questions: the answer to the one pending, facts stated at any time (applied, corrected
 * when they change, and said back so a misreading can be fixed at once), form values stated along the
 * way, and facts that concern a permit the trade's catalog does not list here.
 */
import { describeAnswer } from '../../guidance/answers.ts';
import { evaluate, questionsOf, UNSURE, type AnswerValue } from '../../guidance/conditions.ts';
import { validateField } from '../../guidance/validators.ts';
import type { Question } from '../../catalog/schema.ts';
import type { Reading } from '../../nlu/reading.ts';
import type { Draft } from '../draft.ts';
import { interpretAnswer } from '../interpret.ts';
import * as T from '../texts/index.ts';

export type PendingOutcome = 'answered' | 'none';

const YES_WORD = /^(是|是的|对|有|嗯|会|卖|经营)$/;

/**
 * Does a question ask about the question pending (「饭店都算吗」「个体户 但是店有一百五十平 算小吗」)? Then it
 * gets the question's explanation and answers nothing.
 */
export function asksAboutQuestion(r: Reading, question: string, pending: boolean): boolean {
  // Only a question of the asking-about kind (算吗, 什么意思): a question that merely shares words with a
  // scenario question (「开超市要办什么证」) is about something else.
  if (!r.question || !ABOUT.test(r.text)) return false;
  if (pending) return true;
  const q = question.replace(/[^\p{Script=Han}]/gu, '');
  for (let i = 0; i + 1 < r.text.length; i++) if (/\p{Script=Han}{2}/u.test(r.text.slice(i, i + 2)) && q.includes(r.text.slice(i, i + 2))) return true;
  return false;
}

const ABOUT = /算[^,]{0,12}[吗么]|算不算|算小吗|算大吗|属于吗|什么意思|啥意思|是指|指的是|怎么算|怎么判断|怎么界定|包括哪些|都算|算是吗/;

/** The trade's question a message asks about, the pending one first. */
export function questionAskedAbout(d: Draft, r: Reading): Question | undefined {
  if (!r.question) return undefined;
  const industry = d.industry();
  const uses = new Set(industry?.items.flatMap((i) => (i.when ? questionsOf(i.when) : [])) ?? []);
  const pending = d.state.stage === 'questions' ? d.pendingQuestion() : undefined;
  const others = d.region()?.questions.filter((q) => uses.has(q.id) && q.id !== pending?.id) ?? [];
  // Another question the words name first (「个体户…算小吗」 while the food question is pending), then the pending one.
  return others.find((q) => asksAboutQuestion(r, q.text, false)) ?? (pending && asksAboutQuestion(r, pending.text, true) ? pending : undefined);
}

/** The pending question's answer, if the message gives one. */
export function answerPending(d: Draft, r: Reading): PendingOutcome {
  const question = d.pendingQuestion();
  if (!question || d.state.stage !== 'questions') return 'none';
  if (question.help && !r.requests.some((q) => q.kind !== 'help') && questionAskedAbout(d, r)?.id === question.id) return 'none';
  const region = d.region();
  const others = Object.keys(r.answers).filter((id) => id !== question.id && region?.questions.some((q) => q.id === id));
  // 「不卖咖啡」 to the online-bookselling question: a no about another trade's goods is not this answer.
  const otherTrade = r.industry !== null && r.industry.id !== d.state.industry && r.text.replace(/[,.;!?。，！？]/g, '').length <= r.industry.matched.length + 3;
  const value = interpretAnswer(question, r, others.length > 0 || otherTrade);
  if (value === undefined) {
    if (question.type === 'choice' && YES_WORD.test(r.text)) d.say(T.chooseOne);
    return 'none';
  }
  setAnswer(d, question.id, value);
  if (value === UNSURE) d.say(T.markedUnsure);
  return 'answered';
}

/**
 * Facts stated in the message (也卖烟, 其实不卖药了) other than the pending answer: new ones are
 * applied, changed ones corrected, and both said back in one line (`quiet` with a new trade: its
 * permits show them).
 */
export function absorbFacts(d: Draft, r: Reading, options: { except?: string | undefined; quiet: boolean }): { learned: string[]; restated: boolean } {
  const except = options.except;
  const region = d.region();
  const changed: { id: string; text: string }[] = [];
  let corrected = false;
  let restated = false;
  const askedAbout = questionAskedAbout(d, r)?.id;
  for (const [id, value] of Object.entries(r.answers)) {
    // 「个体户 但是店有一百五十平 算小吗」 asks whether the fact holds; it does not state it.
    if (id === except || id === askedAbout) continue;
    if (d.state.answers[id] === value) {
      restated = true;
      continue;
    }
    const question = region?.questions.find((q) => q.id === id);
    if (region && !question) continue;
    if (d.state.answers[id] !== undefined) corrected = true;
    setAnswer(d, id, value);
    // Said only by naming the trade (烟酒店): remembered as implied, so another trade does not inherit it.
    const facts = r.facts.filter((f) => f.question === id);
    if (facts.length && facts.every((f) => f.inTrade)) d.state.implied = [...new Set([...(d.state.implied ?? []), id])];
    if (question) changed.push({ id, text: `${question.text.replace(/[？?].*$/s, '')}——${describeAnswer(question, value)}` });
  }
  // Only what bears on this trade is said back; the rest is kept quietly for a later trade.
  const uses = new Set(d.industry()?.items.flatMap((i) => (i.when ? questionsOf(i.when) : [])) ?? []);
  const relevant = changed.filter((c) => uses.has(c.id));
  if (relevant.length && !options.quiet) d.say(T.learned(relevant.map((c) => c.text), corrected));
  return { learned: changed.map((c) => c.id), restated };
}

/** Form values stated along the way (八百平, 五个员工, 个体户): kept for the form if they are valid. */
export function absorbFields(d: Draft, r: Reading): void {
  for (const [id, value] of Object.entries(r.fields)) {
    const field = d.catalog.fields.get(id);
    if (!field) continue;
    const checked = validateField(field, String(value));
    if (checked.ok) d.state.form.values[id] = checked.value;
  }
}

/**
 * A fact that matters for a permit this trade's catalog does not list here (卖烟 in 新乡经开区's 便利店):
 * said plainly, so no one concludes the permit is not needed. Which permits a fact concerns is read from
 * every region's conditions.
 */
export function factsOutsideCatalog(d: Draft, r: Reading): void {
  const region = d.region();
  const industry = d.industry();
  if (!region || !industry) return;
  const listed = new Set(industry.items.map((i) => i.permit));
  const families = new Set(industry.items.map((i) => d.catalog.permits.get(i.permit)?.family).filter(Boolean));
  const names = new Set<string>();
  for (const [id, value] of Object.entries(r.answers)) {
    if (value === false || value === 'none' || value === UNSURE) continue;
    if (industry.items.some((i) => i.when && questionsOf(i.when).includes(id))) continue;
    for (const other of d.catalog.regions) {
      for (const ind of other.industries) {
        for (const item of ind.items) {
          // Only where the fact alone decides a permit elsewhere (卖烟 → 烟草), not where it picks one of
          // alternatives (个体户 → 小经营店登记 instead of 食品经营许可).
          const family = d.catalog.permits.get(item.permit)?.family;
          if (family && families.has(family)) continue;
          if (!item.group && item.when && 'q' in item.when && item.when.q === id && evaluate(item.when, { [id]: value }) === true && !listed.has(item.permit)) {
            names.add(d.catalog.permits.get(item.permit)?.name ?? item.name);
          }
        }
      }
    }
  }
  if (names.size) d.sayOnce('outside-permits', T.permitOutsideCatalog([...names], region, industry.name));
}

export function setAnswer(d: Draft, id: string, value: AnswerValue): void {
  d.state.answers[id] = value;
  d.state.answered = [...d.state.answered.filter((q) => q !== id), id];
  if (d.state.implied?.includes(id)) d.state.implied = d.state.implied.filter((q) => q !== id);
}
