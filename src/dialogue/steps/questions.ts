/**
 * The scenario questions: the answer to the one pending, facts stated at any time (applied, corrected
 * when they change, and said back so a misreading can be fixed at once), form values stated along the
 * way, and facts that concern a permit the trade's catalog does not list here.
 */
import { describeAnswer } from '../../guidance/answers.ts';
import { evaluate, isBounds, questionsOf, sameAnswer, UNSURE, type AnswerValue, type Bounds } from '../../guidance/conditions.ts';
import { comparisonsOn, figureOf, readFigure, supposed, unsettled, type Comparison } from '../../guidance/figures.ts';
import { KIND_NOUNS, unitOf } from '../../catalog/units.ts';
import { validateField } from '../../guidance/validators.ts';
import type { Question } from '../../catalog/schema.ts';
import type { Reading } from '../../nlu/reading.ts';
import type { Draft } from '../draft.ts';
import { interpretAnswer } from '../interpret.ts';
import * as T from '../texts/index.ts';
import type { Reply } from '../types.ts';

/** `asked`: the reply gave a figure that could not be taken as it stands, and the assistant asked for it again. */
export type PendingOutcome = 'answered' | 'asked' | 'none';

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
  if (question.type === 'number' && (value === undefined || isBounds(value))) {
    const asked = askForFigure(d, question, r, value);
    if (asked) return 'asked';
  }
  if (value === undefined) {
    if (question.type === 'choice' && YES_WORD.test(r.text)) d.say(T.chooseOne);
    return 'none';
  }
  setAnswer(d, question.id, value);
  fillFromAnswer(d, question, value);
  if (value === UNSURE) d.say(T.markedUnsure);
  // A figure between limits is said back as understood (不到200平方米), a converted one with what was written
  // (25万元（250000元）), so a misreading shows at once.
  const written = question.type === 'number' && !isBounds(value) ? readFigure(question, r.raw) : undefined;
  const converted = written?.kind === 'value' && written.written ? `（${written.written}）` : '';
  if (isBounds(value) || converted) d.say(T.learned([`${shortText(question)}——${describeAnswer(question, value)}${converted}`], false));
  return 'answered';
}

/**
 * Facts stated in the message (也卖烟, 其实不卖药了) other than the pending answer: new ones are
 * applied, changed ones corrected, and both said back in one line (`quiet` with a new trade: its
 * permits show them).
 */
export function absorbFacts(d: Draft, r: Reading, options: { except?: string | undefined; quiet: boolean }): { learned: string[]; restated: boolean; later: Reply[] } {
  const except = options.except;
  const region = d.region();
  const changed: { id: string; text: string; figure: boolean }[] = [];
  let corrected = false;
  let restated = false;
  const askedAbout = questionAskedAbout(d, r)?.id;
  const stated = { ...figuresStated(d, r).settled, ...r.answers };
  for (const [id, value] of Object.entries(stated)) {
    // 「个体户 但是店有一百五十平 算小吗」 asks whether the fact holds; it does not state it.
    if (id === except || id === askedAbout) continue;
    if (sameAnswer(d.state.answers[id], value)) {
      restated = true;
      continue;
    }
    const question = region?.questions.find((q) => q.id === id);
    if (region && !question) continue;
    if (d.state.answers[id] !== undefined) corrected = true;
    setAnswer(d, id, value);
    if (question) fillFromAnswer(d, question, value);
    // Said only by naming the trade (烟酒店): remembered as implied, so another trade does not inherit it.
    const facts = r.facts.filter((f) => f.question === id);
    if (facts.length && facts.every((f) => f.inTrade)) d.state.implied = [...new Set([...(d.state.implied ?? []), id])];
    if (question) changed.push({ id, text: `${shortText(question)}——${describeAnswer(question, value)}`, figure: question.type === 'number' });
  }
  // Only what bears on this trade is said back; the rest is kept quietly for a later trade. A figure is said
  // back even with a new trade: the permits do not show what it was read as.
  const uses = new Set(d.industry()?.items.flatMap((i) => (i.when ? questionsOf(i.when) : [])) ?? []);
  const relevant = changed.filter((c) => uses.has(c.id) && (!options.quiet || c.figure));
  const said = relevant.length ? [T.learned(relevant.map((c) => c.text), corrected)] : [];
  // With a new trade, after its introduction.
  if (!options.quiet) d.say(...said);
  return { learned: changed.map((c) => c.id), restated, later: options.quiet ? said : [] };
}

/**
 * A figure stated in passing that leaves the next question's threshold open (「我想开个三百平以上的超市」):
 * that question is asked for the figure, saying what was understood. Call just before the next question.
 */
export function askStatedFigure(d: Draft, r: Reading): void {
  const next = d.assessment()?.nextQuestion;
  const open = next ? figuresStated(d, r).unsettled.find((u) => u.question.id === next.id) : undefined;
  if (open) d.sayOnce('question', T.askExactFigure(describeAnswer(open.question, open.value), figureNoun(d, open.question), open.question.unit ?? '', open.comparison));
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

/**
 * A pending number question whose reply is a figure that cannot be taken as it stands: in another unit
 * (「300米」 for an area), or between limits that leave a threshold undecided (「三百平以上」 against 超过300
 * 平方米). The assistant says what it understood and asks for the figure; true when it did.
 */
function askForFigure(d: Draft, question: Question, r: Reading, value: AnswerValue | undefined): boolean {
  const industry = d.industry();
  const region = d.region();
  const comparisons = industry && region ? comparisonsOn(d.catalog, region, industry, question.id) : [];
  const unit = question.unit ?? '';
  const noun = figureNoun(d, question);
  if (value === undefined) {
    if (r.question || r.polarity === 'unsure') return false;
    const figure = readFigure(question, r.raw);
    if (figure?.kind !== 'other_unit') return false;
    d.sayOnce('question', T.figureInOtherUnit(figure.said, noun, unit, comparisons[0]));
    return true;
  }
  if (!isBounds(value)) return false;
  const open = unsettled(comparisons, question.id, value);
  if (!open) return false;
  d.sayOnce('question', T.askExactFigure(describeAnswer(question, value), noun, unit, open));
  return true;
}

/** A question's first sentence, to say an answer back: 「您的店经营面积有多大（平方米）」. */
function shortText(question: Question): string {
  return question.text.replace(/[？?].*$/s, '');
}

/** What the figure is called: the form field it fills (经营面积), else its kind (面积, 人数). */
function figureNoun(d: Draft, question: Question): string {
  const field = question.fillsField ? d.catalog.fields.get(question.fillsField) : undefined;
  const kind = unitOf(question.unit)?.kind;
  return field?.label ?? (kind ? KIND_NOUNS[kind] : '数值');
}

/**
 * Figures stated in passing (「我想开个300平的超市」) as answers to the region's number questions of their
 * kind: an area or a head count when the region asks only one question of that kind, any kind when the
 * message names the question's field (注册资本100万). A figure between limits counts only when it settles
 * every threshold of the trade; otherwise the question is asked when its turn comes.
 */
function figuresStated(d: Draft, r: Reading): { settled: Record<string, AnswerValue>; unsettled: { question: Question; value: Bounds; comparison: Comparison }[] } {
  const region = d.region();
  const industry = d.industry();
  const out: Record<string, AnswerValue> = {};
  const unsettledOnes: { question: Question; value: Bounds; comparison: Comparison }[] = [];
  if (!region || !r.quantities.length) return { settled: out, unsettled: unsettledOnes };
  const numberQuestions = region.questions.flatMap((q) => {
    const unit = q.type === 'number' ? unitOf(q.unit) : undefined;
    return unit ? [{ q, kind: unit.kind }] : [];
  });
  for (const { q, kind } of numberQuestions) {
    const field = q.fillsField ? d.catalog.fields.get(q.fillsField) : undefined;
    const named = [...(field ? [field.label, ...field.aliases] : []), ...q.aliases].some((w) => r.text.includes(w));
    const alone = (kind === 'area' || kind === 'people') && numberQuestions.filter((x) => x.kind === kind).length === 1;
    if (!named && !alone) continue;
    const quantity = r.quantities.find((x) => x.kind === kind && !supposed(r.text, x));
    if (!quantity) continue;
    const value = figureOf(q, quantity, r.text);
    // Before the trade is settled (a trade offered to confirm) a figure between limits is kept as said: once
    // the trade is known it settles its thresholds, or its question is asked.
    if (isBounds(value) && industry) {
      const open = unsettled(comparisonsOn(d.catalog, region, industry, q.id), q.id, value);
      if (open) {
        unsettledOnes.push({ question: q, value, comparison: open });
        continue;
      }
    }
    out[q.id] = value;
  }
  return { settled: out, unsettled: unsettledOnes };
}

/** An exact figure fills the form field its question names (`fillsField`), if the field takes it; a limit does not. */
function fillFromAnswer(d: Draft, question: Question, value: AnswerValue): void {
  const field = question.fillsField ? d.catalog.fields.get(question.fillsField) : undefined;
  if (!field || typeof value !== 'number' || field.unit !== question.unit) return;
  const checked = validateField(field, String(value));
  if (checked.ok) d.state.form.values[field.id] = checked.value;
}

export function setAnswer(d: Draft, id: string, value: AnswerValue): void {
  d.state.answers[id] = value;
  d.state.answered = [...d.state.answered.filter((q) => q !== id), id];
  if (d.state.implied?.includes(id)) d.state.implied = d.state.implied.filter((q) => q !== id);
}
