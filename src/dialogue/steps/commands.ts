/**
 * Commands: the whole message is one (a button, 「重新开始」, 「上一步」), or a sentence asks for one
 * (「我的申请到哪一步了」). Each runs from any stage where it makes sense and says where things stand.
 */
import type { Reading, RequestKind } from '../../nlu/reading.ts';
import type { Draft } from '../draft.ts';
import { isFormStage } from '../stages.ts';
import * as T from '../texts/index.ts';
import { initialState } from '../types.ts';
import { backInForm, promptField, skipField, startForm } from './form.ts';
import { advance, prompt } from './guidance.ts';
import { handOff } from './handoff.ts';
import { changeRegion } from './region.ts';

/** Commands a whole message can be, handled here in every stage; the rest fall through to the stages. */
const WHOLE_MESSAGE: readonly RequestKind[] = ['handoff', 'resume_bot', 'help', 'back', 'skip', 'form', 'change_region', 'change_industry', 'status', 'licence'];
/** Commands a sentence may ask for in passing; in the form only those that cannot be a field's value. */
const IN_PASSING: readonly RequestKind[] = ['handoff', 'status', 'licence', 'form', 'change_region', 'change_industry', 'help', 'back'];
const IN_PASSING_IN_FORM: readonly RequestKind[] = ['handoff', 'status', 'licence'];

/** 「重新开始」: a new conversation; the old one stays stored and leaves the agents' queue. */
export function restart(d: Draft): void {
  d.effect({ kind: 'restart' });
  d.handoff = false;
  d.state = initialState();
  if (d.ctx.defaultRegion) d.state.region = d.ctx.defaultRegion;
  d.say(T.restarted);
}

/** The message is a command: run it. Returns false for anything else. */
export function runExactCommand(d: Draft, r: Reading): boolean {
  const command = r.requests.find((q) => q.exact)?.kind;
  if (!command || !WHOLE_MESSAGE.includes(command)) return false;
  run(d, command, r);
  return true;
}

/** Commands a sentence asks for besides what it says (「多久能批下来，我的申请到哪了」). */
export function runCommandsInPassing(d: Draft, r: Reading): RequestKind[] {
  const allowed = isFormStage(d.state.stage) && d.state.stage !== 'submitted' ? IN_PASSING_IN_FORM : IN_PASSING;
  const ran: RequestKind[] = [];
  for (const q of r.requests) {
    if (q.exact || !allowed.includes(q.kind) || ran.includes(q.kind)) continue;
    // 「帮我申请」 while questions remain is handled as the form request; 「怎么用」 is help.
    run(d, q.kind, r);
    ran.push(q.kind);
  }
  return ran;
}

function run(d: Draft, command: RequestKind, r: Reading): void {
  switch (command) {
    case 'help':
      d.say(T.helpText(d.region()));
      if (d.state.stage !== 'start') again(d);
      return;
    case 'handoff':
      handOff(d);
      return;
    case 'resume_bot':
      d.say(T.stillHere);
      again(d);
      return;
    case 'status':
      d.effect({ kind: 'status', text: r.raw });
      return;
    case 'licence':
      d.effect({ kind: 'licence', text: r.raw });
      return;
    case 'change_region':
      changeRegion(d);
      return;
    case 'change_industry': {
      delete d.state.industry;
      delete d.state.proposedIndustry;
      delete d.state.pendingQuestion;
      d.moveTo('industry');
      const region = d.region();
      if (region) d.say(T.askIndustry(region));
      else prompt(d);
      return;
    }
    case 'back':
      back(d);
      return;
    case 'skip':
      skipField(d);
      return;
    case 'form':
      if (d.assessment()) startForm(d);
      else prompt(d);
      return;
    default:
      return;
  }
}

/** 上一步: the last field in the form, the last answered question before it. */
function back(d: Draft): void {
  if (d.state.stage === 'form' || d.state.stage === 'confirm') {
    backInForm(d);
    return;
  }
  if (d.state.stage === 'questions' || d.state.stage === 'guided') {
    const last = d.state.answered.pop();
    if (!last) {
      d.say(T.firstQuestion);
      prompt(d);
      return;
    }
    delete d.state.answers[last];
    d.say(T.backToQuestion);
    advance(d);
    return;
  }
  prompt(d);
}

/** Where the conversation stands, said again after a command that changed nothing. */
export function again(d: Draft): void {
  if (isFormStage(d.state.stage) && d.state.stage !== 'submitted') promptField(d);
  else prompt(d);
}
