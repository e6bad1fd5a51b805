/**
 * The dialogue core: `decide(state, reading, context) → { state, replies, effects }`, with no IO. It
 * takes the whole reading of a message at once: the region, the trade, the answer to the pending
 * question, every other fact, the form values, every request; then it says what comes next. The caller
 * (assistant.ts) loads, decides, commits once and runs the effects.
 */
import { assess } from '../guidance/assess.ts';
import { isQuestionKind, type Reading } from '../nlu/reading.ts';
import { Draft, type Decision, type DecideContext } from './draft.ts';
import type { DialogueState } from './types.ts';
import { answerDeferred, answerQuestions } from './steps/answers.ts';
import { again, restart, runCommandsInPassing, runExactCommand } from './steps/commands.ts';
import { confirm } from './steps/confirm.ts';
import { fillField, reuse } from './steps/form.ts';
import { advance, prompt } from './steps/guidance.ts';
import { applyTrade, introduceTrade } from './steps/industry.ts';
import { absorbFacts, absorbFields, answerPending, askStatedFigure, factsOutsideCatalog } from './steps/questions.ts';
import { applyRegion, chooseRegion } from './steps/region.ts';
import { ticketTurn } from './steps/ticket.ts';
import * as T from './texts/index.ts';

export interface DecideInput {
  state: DialogueState;
  /** A person (hotline agent) has the conversation. */
  handoff: boolean;
  /** An agent has taken it and reads every message: the assistant says nothing more. */
  claimed?: boolean;
  reading: Reading;
  /** A region the channel picked for this message (the web page's selector), by id. */
  channelRegion?: string;
}

export function decide(ctx: DecideContext, input: DecideInput): Decision {
  const d = new Draft(ctx, structuredClone(input.state), input.handoff);
  if (!d.state.region && ctx.defaultRegion) d.state.region = ctx.defaultRegion;
  // The selector's region counts when it is picked, not on every message: a region typed since stays.
  if (input.channelRegion && input.channelRegion !== d.state.channelRegion) {
    chooseRegion(d, input.channelRegion);
    d.state.channelRegion = input.channelRegion;
  }
  turn(d, input.reading, input.claimed === true);
  // A message always gets an answer: a turn that said nothing (and asked for no look-up) says where things
  // stand, so a person is never left with silence.
  if (input.reading.raw && !d.handoff && !d.replies.length && !d.effects.some((e) => e.kind !== 'unanswered')) {
    d.say(T.notUnderstood('', d.region()));
    again(d);
  }
  return { state: d.state, handoff: d.handoff, replies: d.replies, effects: d.effects };
}

function turn(d: Draft, r: Reading, claimed = false): void {
  // An empty message is a visit (the page loading, or polling while a person has the conversation).
  if (!r.raw) {
    if (d.handoff) return;
    if (d.state.stage === 'start') d.say(T.greeting(d.region()));
    again(d);
    return;
  }
  // 「重新开始」, alone or before a new request (「重新开始，我想开个饭店」); it also ends a handoff.
  const reset = r.requests.find((q) => q.kind === 'reset');
  if (reset) {
    restart(d);
    if (reset.exact) {
      again(d);
      return;
    }
  }
  if (d.handoff) {
    whileHandedOff(d, r, claimed);
    return;
  }
  // 「查询办件 BJ…，请同时提供手机号后四位」 answered with 「5678」: the look-up goes on with it.
  const lookup = d.state.pendingLookup;
  delete d.state.pendingLookup;
  const last4 = /^\D{0,8}?(\d{4})\D{0,4}$/u.exec(r.text)?.[1];
  if (lookup && last4 && !r.caseNumber) {
    d.effect({ kind: 'status', text: `查询 ${lookup} ${last4}` });
    return;
  }
  // 投诉、求助、建议: taking one down, asking after one, or asking about complaining (steps/ticket.ts).
  if (ticketTurn(d, r, converse)) return;
  // A 办件号 in the message is a status look-up, whatever the words around it.
  if (r.caseNumber) {
    if (!/(?<!\d)\d{4}(?!\d)/.test(r.text.replace(r.caseNumber.toLowerCase(), ' ').replace(r.caseNumber, ' '))) d.state.pendingLookup = r.caseNumber;
    d.effect({ kind: 'status', text: r.raw });
    return;
  }
  if (runExactCommand(d, r)) return;
  switch (d.state.stage) {
    case 'form':
      if (!runCommandsInPassing(d, r).length) fillField(d, r);
      return;
    case 'confirm':
      if (!runCommandsInPassing(d, r).length) confirm(d, r);
      return;
    case 'reuse':
      reuse(d, r);
      return;
    case 'submitted':
      afterSubmission(d, r);
      return;
    default:
      converse(d, r);
  }
}

/** Everything the message says and asks, applied in order; then what comes next. */
function converse(d: Draft, r: Reading): void {
  const regionChanged = applyRegion(d, r);
  const trade = applyTrade(d, r);
  const newTrade = trade === 'set' || trade === 'changed';
  const pending = regionChanged || newTrade ? 'none' : answerPending(d, r);
  const pendingId = pending === 'answered' ? d.state.answered.at(-1) : undefined;
  const { learned, restated, later } = absorbFacts(d, r, { except: pendingId, quiet: newTrade });
  absorbFields(d, r);
  factsOutsideCatalog(d, r);
  // The trade's introduction first, then the answers to what the message asked, then the next question.
  if (trade === 'set') introduceTrade(d);
  d.say(...later);
  const understood = trade !== 'none' || pending !== 'none' || learned.length > 0 || restated || regionChanged;
  const waiting = d.industry() ? answerDeferred(d, { holdNotice: true }) : undefined;
  const asked = answerQuestions(d, r, { quietUnknown: understood, holdNotice: true });
  const commands = runCommandsInPassing(d, r);
  if (commands.some((c) => c === 'form' || c === 'handoff' || c === 'change_region' || c === 'change_industry')) return;

  if (!d.industry()) {
    // Waiting for the region, the trade or its confirmation: ask for it, unless the reply already did.
    if (trade === 'proposed' || trade === 'declined' || trade === 'awaiting_region' || d.state.stage === 'confirm_industry') prompt(d);
    else if (trade === 'outside') return;
    else if (d.replies.length === 0 && !commands.some((c) => c === 'status' || c === 'licence')) nothingUnderstood(d, r);
    else if (!asked.answered) prompt(d);
    return;
  }
  askStatedFigure(d, r);
  advance(d, {
    newTrade,
    showPermits: asked.wantsPermits || waiting?.wantsPermits === true,
    changed: learned.length > 0 || pending === 'answered',
  });
  // Questions remembered for when the permits are known (the notice), now that they may be.
  answerDeferred(d, { holdNotice: false });
  if (!understood && !asked.answered && !commands.length && d.replies.every((x) => x.kind === 'question')) {
    d.replies.unshift(r.question ? T.unknownAnswer(d.region()) : T.notUnderstood('', d.region()));
  }
}

/** After the submission: status, licence and questions; anything else is pointed to them. */
function afterSubmission(d: Draft, r: Reading): void {
  const commands = runCommandsInPassing(d, r);
  // 「排水那个为啥不用办了」「烟草证批了吗」: a question about one of the case's items is answered from the case.
  if (r.question && r.topic.permits.length && !commands.length && !r.requests.some((q) => isQuestionKind(q.kind))) {
    d.effect({ kind: 'status', text: r.raw });
    return;
  }
  // 「我后来也想卖烟」: the application stands as submitted; what the change would add is said, and it
  // goes to the window. A question states no change.
  if (!r.question && (Object.keys(r.answers).length || r.industry)) {
    const region = d.region();
    const industry = d.industry();
    const before = d.assessment();
    const after = region && industry ? assess(d.catalog, region, industry, { ...d.state.answers, ...r.answers }) : undefined;
    const added = after?.items.filter((i) => i.status === 'required' && before?.items.find((b) => b.permitId === i.permitId)?.status !== 'required').map((i) => i.name) ?? [];
    factsOutsideCatalog(d, r);
    d.say(T.changedAfterSubmission(d.state.applicationNumber, region, added));
    return;
  }
  const asked = answerQuestions(d, r, { quietUnknown: false, holdNotice: false });
  if (!commands.length && !asked.answered) prompt(d);
}

function whileHandedOff(d: Draft, r: Reading, claimed: boolean): void {
  if (r.requests.some((q) => q.kind === 'resume_bot')) {
    d.handoff = false;
    d.say(T.resumed);
    again(d);
    return;
  }
  // Once an agent has the chat they answer; until then the person is told a person will.
  if (!claimed) d.say(T.withAgent(d.region()));
}

function nothingUnderstood(d: Draft, r: Reading): void {
  const region = d.region();
  if (!region) {
    prompt(d);
    return;
  }
  if (!d.industry()) {
    const candidates = r.candidates.map((c) => c.name);
    if (candidates.length) d.say(T.askWhichIndustry(candidates));
    else d.say(T.notUnderstood('请告诉我您想开什么店。', region), T.askIndustry(region));
    return;
  }
  d.say(r.question ? T.unknownAnswer(region) : T.notUnderstood('', region));
  again(d);
}

