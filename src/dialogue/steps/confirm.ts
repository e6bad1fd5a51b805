/**
 * The summary and 确认提交: the submission is an effect the caller runs in the turn's transaction, so the
 * case exists exactly when the conversation says it was submitted. A side question on the summary is
 * answered and the confirmation asked again in one line; items left 不确定 go to the window to settle.
 */
import { asks, isQuestionKind, type Reading } from '../../nlu/reading.ts';
import type { Draft } from '../draft.ts';
import type { SubmitResult } from '../ports.ts';
import { moveTo } from '../stages.ts';
import * as T from '../texts/index.ts';
import type { DialogueState, Reply } from '../types.ts';
import { answerQuestions } from './answers.ts';
import { correct, nextField } from './form.ts';

const CONFIRM = /^(确认|确认提交|提交|确定|是|是的|对|对的|没问题|好|好的|可以|行|ok|yes|y)$/;
const DECLINE = /^(不|否|不是|不对|不用|不要|取消|修改|改|算了|no|n)/;

export function summaryReply(d: Draft): Reply {
  const assessment = d.assessment();
  if (!assessment) return T.confirmAgain;
  return T.summary(assessment, d.fields(), d.state.form.values);
}

export function confirm(d: Draft, r: Reading): void {
  const t = r.text.replace(/[,.;!?]+$/g, '');
  if (asks(r, 'confirm') || CONFIRM.test(t) || r.polarity === 'yes') {
    submit(d);
    return;
  }
  if (correct(d, r.raw, d.fields())) return;
  if (r.question && r.requests.some((q) => isQuestionKind(q.kind))) {
    answerQuestions(d, r, { quietUnknown: true, holdNotice: false });
    d.say(T.confirmAgain);
    return;
  }
  if (DECLINE.test(t) || r.polarity === 'no') {
    d.say(T.whatToChange);
    return;
  }
  d.say({ kind: 'answer', text: '请回复「确认提交」提交申请，或说明要修改的内容。' }, summaryReply(d));
}

function submit(d: Draft): void {
  const region = d.region();
  const industry = d.industry();
  if (!region || !industry) return;
  const missing = d.fields().filter((f) => f.required && d.state.form.values[f.id] === undefined);
  if (missing.length) {
    d.say(T.missingRequired(missing.map((f) => f.label)));
    nextField(d);
    return;
  }
  d.effect({
    kind: 'submit',
    input: { regionId: region.id, industryId: industry.id, answers: { ...d.state.answers }, form: { ...d.state.form.values } },
  });
}

/** The state and the reply after the submission the decision asked for has been made. */
export function afterSubmit(state: DialogueState, result: SubmitResult): { state: DialogueState; replies: Reply[] } {
  const next: DialogueState = { ...state, applicationNumber: result.applicationNumber, form: { ...state.form } };
  moveTo(next, 'submitted');
  if (result.caseNumber) next.caseNumber = result.caseNumber;
  delete next.form.pendingField;
  return { state: next, replies: [T.submitted(result.applicationNumber, result.caseNumber, result.nextSteps)] };
}
