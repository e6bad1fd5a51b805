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
import { checkValue, inferFromValue, sameAsBefore, withoutLead } from './formInput.ts';

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
    if (r.requests.some((q) => isQuestionKind(q.kind))) answerQuestions(d, r, { quietUnknown: true, holdNotice: false });
    else d.say(T.fieldExplained(field));
    d.say(T.fieldPrompt(field, position(fields, field), true));
    return;
  }
  const said = sameAsBefore(d, field, r.raw);
  if (said === null) {
    d.say(T.sameAsWhich(field), T.fieldPrompt(field, position(fields, field)));
    return;
  }
  const { value, mobile, id } = withoutLead(field, said);
  const checked = checkValue(d, field, readFieldValue(field, value));
  if (checked.ok) {
    d.state.form.values[field.id] = checked.value;
    d.state.form.history.push(field.id);
    inferFromValue(d, field.id, checked.value);
    // 「联系人王磊，电话139…」: the number said with the name fills the phone too.
    if (mobile && d.state.form.values['contact_mobile'] === undefined) d.state.form.values['contact_mobile'] = mobile;
    // 「法人刘志强 身份证1505…」: the number fills its field too, when it is valid.
    const idField = d.catalog.fields.get('legal_rep_id_number');
    if (id && field.id === 'legal_rep_name' && idField && d.state.form.values['legal_rep_id_number'] === undefined) {
      const checkedId = validateField(idField, id);
      if (checkedId.ok) d.state.form.values['legal_rep_id_number'] = checkedId.value;
    }
    nextField(d);
    return;
  }
  d.say({ kind: 'error', text: checked.message }, T.fieldPrompt(field, position(fields, field)));
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
  const checked = checkValue(d, named.f, validateField(named.f, normaliseValue(named.f, named.value)));
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
