/**
 * The one merged form (一表申请) in conversation: fields asked one at a time and validated, values
 * typed as people type them, corrections that name a field, 上一步 and 跳过, checks across fields (a
 * 个体工商户's credit code), a side question answered with the field asked again in one line, and the
 * common fields of an earlier application offered for reuse.
 */
import { buildForm, formFields, type FormField } from '../../guidance/form.ts';
import { validateField } from '../../guidance/validators.ts';
import { asks, isQuestionKind, type Reading } from '../../nlu/reading.ts';
import type { Draft } from '../draft.ts';
import { findCorrection, normaliseValue, readFieldValue } from '../formValues.ts';
import * as T from '../texts/index.ts';
import { answerQuestions } from './answers.ts';
import { advance } from './guidance.ts';
import { summaryReply } from './confirm.ts';
import { checkValue, inferFromValue, personValue, sameAsBefore } from './formInput.ts';

/** 「填表」: the form opens once every item is decided by asking (an item left 不确定 does not block it). */
export function startForm(d: Draft): void {
  const assessment = d.assessment();
  if (!assessment) return;
  if (d.state.stage === 'submitted') {
    d.say(T.alreadySubmitted(d.state.applicationNumber));
    return;
  }
  if (assessment.nextQuestion) {
    d.sayOnce('form-needs-answers', T.formNeedsAnswers);
    advance(d);
    return;
  }
  if (d.state.stage === 'form' || d.state.stage === 'confirm' || d.state.stage === 'reuse') {
    promptField(d);
    return;
  }
  if (!assessment.items.some((i) => i.status !== 'not_needed')) {
    d.say(T.nothingToSubmit);
    return;
  }
  const previous = d.ctx.previousFields;
  if (d.state.reusable === undefined && previous && Object.keys(previous).length && Object.keys(d.state.form.values).length <= 2) {
    d.state.reusable = previous;
    d.moveTo('reuse');
    d.say(T.reuseOffer(d.catalog, previous));
    return;
  }
  d.moveTo('form');
  d.say(formIntro(d));
  nextField(d);
}

/** 「是」 uses the earlier application's common fields; 「否」 starts the form empty. */
export function reuse(d: Draft, r: Reading): void {
  if (r.polarity === 'yes' || asks(r, 'confirm') || /^(沿用|用|要|好)/.test(r.text)) {
    for (const [id, value] of Object.entries(d.state.reusable ?? {})) {
      if (d.state.form.values[id] === undefined) d.state.form.values[id] = value;
    }
  } else if (r.polarity !== 'no' && !/^(不|否|重新)/.test(r.text)) {
    d.say(T.reuseAgain);
    return;
  }
  d.state.reusable = {};
  d.moveTo('form');
  d.say(formIntro(d));
  nextField(d);
}

/** A reply while a field is pending: a correction of another field, this field's value, or a side question. */
export function fillField(d: Draft, r: Reading): void {
  const fields = d.fields();
  const field = fields.find((f) => f.id === d.state.form.pendingField);
  if (!field) {
    nextField(d);
    return;
  }
  // 「有质量负责人吗？这个是啥意思」 names a field too, but asks; it corrects nothing.
  if (!r.question && correct(d, r.raw, fields)) return;
  // 「要多久能办下来」「这个是啥意思」 while a field is pending: a side question, never the field's value.
  if (r.question) {
    // A question about the application (「还要去窗口交纸质材料吗」) is answered from the knowledge; one it
    // does not answer is about the field.
    const asked = answerQuestions(d, r, { quietUnknown: true, holdNotice: false });
    if (!asked.answered && !r.requests.some((q) => isQuestionKind(q.kind))) d.say(asksAboutField(r.text, field) ? T.fieldExplained(field) : T.unknownAnswer(d.region()));
    d.say(T.fieldPrompt(field, position(fields, field), true));
    return;
  }
  const said = sameAsBefore(d, field, r.raw);
  if (said === null) {
    d.say(T.sameAsWhich(field), T.fieldPrompt(field, position(fields, field)));
    return;
  }
  const value = personValue(d, field, said);
  if (value === null) {
    d.say(T.nameNeeded(field), T.fieldPrompt(field, position(fields, field)));
    return;
  }
  const checked = checkValue(d, field, readFieldValue(field, value));
  if (checked.ok) {
    d.state.form.values[field.id] = checked.value;
    d.state.form.history.push(field.id);
    inferFromValue(d, field.id, checked.value);
    nextField(d);
    return;
  }
  d.say({ kind: 'error', text: checked.message }, T.fieldPrompt(field, position(fields, field)));
}

const ABOUT_THIS = /这个|这项|这一项|这里|啥意思|什么意思|怎么填|填什么|填啥|写什么|写啥|怎么写/;

/** A question about the field asked (「这个是啥意思」「主体名称要写全称吗」), not about something else. */
function asksAboutField(text: string, field: FormField): boolean {
  return ABOUT_THIS.test(text) || [field.label.replace(/（.*?）/g, ''), ...field.aliases].some((w) => w.length >= 2 && text.includes(w));
}

/**
 * 「电话填错了，应该是139…」: a field named in the text, with a new value after it; several in one message
 * (「名称改成…，法人姓名改成王建国」) each apply.
 */
export function correct(d: Draft, text: string, fields: FormField[]): boolean {
  const parts = text.split(/[，,;；。]\s*(?=\S{1,12}(?:改成|改为|换成|更正为|应该是|应为))/);
  if (parts.length > 1 && parts.every((p) => findCorrection(p, fields))) {
    for (const part of parts) correctOne(d, part, fields, part === parts.at(-1));
    return true;
  }
  return correctOne(d, text, fields, true);
}

function correctOne(d: Draft, text: string, fields: FormField[], last: boolean): boolean {
  const named = findCorrection(text, fields);
  if (!named) return false;
  // 「法人就是我 刘长海」 names the field and its value, read as the field's own reply would be.
  const value = personValue(d, named.f, named.value) ?? named.value;
  const checked = checkValue(d, named.f, validateField(named.f, normaliseValue(named.f, value)));
  if (!checked.ok) {
    d.say({ kind: 'error', text: checked.message });
    promptField(d);
    return true;
  }
  const had = d.state.form.values[named.f.id] !== undefined;
  d.state.form.values[named.f.id] = checked.value;
  d.state.form.skipped = d.state.form.skipped.filter((id) => id !== named.f.id);
  if (!d.state.form.history.includes(named.f.id)) d.state.form.history.push(named.f.id);
  d.say(T.fieldRecorded(named.f, checked.value, had));
  if (!last) return true;
  if (d.state.stage === 'confirm') d.say(summaryReply(d));
  else nextField(d);
  return true;
}

export function backInForm(d: Draft): void {
  const last = d.state.form.history.pop();
  if (!last) {
    d.say(T.firstField);
    promptField(d);
    return;
  }
  delete d.state.form.values[last];
  const fields = d.fields();
  const field = fields.find((f) => f.id === last);
  d.moveTo('form');
  d.state.form.pendingField = last;
  if (field) d.say(T.backToField, T.fieldPrompt(field, position(fields, field)));
  else nextField(d);
}

export function skipField(d: Draft): void {
  if (d.state.stage !== 'form') {
    d.say(T.noSkipHere);
    return;
  }
  const fields = d.fields();
  const field = fields.find((f) => f.id === d.state.form.pendingField);
  if (!field) {
    nextField(d);
    return;
  }
  if (field.required) {
    d.say(T.requiredField(field), T.fieldPrompt(field, position(fields, field)));
    return;
  }
  d.state.form.skipped.push(field.id);
  d.state.form.history.push(field.id);
  nextField(d);
}

/** The next empty field, or the summary when every field has a value (or was skipped). */
export function nextField(d: Draft): void {
  const fields = d.fields();
  const { values, skipped } = d.state.form;
  const index = fields.findIndex((f) => values[f.id] === undefined && !skipped.includes(f.id));
  const next = fields[index];
  if (!next) {
    delete d.state.form.pendingField;
    d.moveTo('confirm');
    d.say(summaryReply(d));
    return;
  }
  d.moveTo('form');
  d.state.form.pendingField = next.id;
  d.say(T.fieldPrompt(next, { index: index + 1, total: fields.length }));
}

/** The form's current prompt again: the pending field, or the summary. */
export function promptField(d: Draft): void {
  if (d.state.stage === 'confirm') {
    d.say(summaryReply(d));
    return;
  }
  if (d.state.stage === 'reuse') {
    d.say(T.reuseOffer(d.catalog, d.state.reusable ?? {}));
    return;
  }
  nextField(d);
}

function formIntro(d: Draft) {
  const assessment = d.assessment();
  const form = assessment ? buildForm(d.catalog, assessment) : undefined;
  // Fields asked only in some cases (a postal address) count when they are asked, as the prompts count.
  const hidden = form ? formFields(form).length - d.fields().length : 0;
  const counts = form ? { fieldsBefore: form.counts.fieldsBefore - hidden, fieldsAfter: form.counts.fieldsAfter - hidden } : { fieldsBefore: 0, fieldsAfter: 0 };
  return T.formIntro(counts, form ? formFields(form).some((f) => !f.required) : false);
}

function position(fields: FormField[], field: FormField) {
  return { index: fields.findIndex((f) => f.id === field.id) + 1, total: fields.length };
}
