/**
 * The one merged form (一表申请) in conversation: fields asked one at a time and validated, values
 * typed as people type them, corrections that name a field, 上一步 and 跳过, checks across fields (a
 * 个体工商户's credit code), a side question answered with the field asked again in one line, and the
 * common fields of an earlier application offered for reuse.
 */
import { buildForm, formFields, type FormField } from '../../guidance/form.ts';
import { validateField, type FieldValue, type Validation } from '../../guidance/validators.ts';
import { asks, type Reading } from '../../nlu/reading.ts';
import type { Draft } from '../draft.ts';
import { findCorrection, normaliseValue, readFieldValue } from '../formValues.ts';
import * as T from '../texts/index.ts';
import { answerQuestions, QUESTION_KINDS } from './answers.ts';
import { advance } from './guidance.ts';
import { summaryReply } from './confirm.ts';

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
    if (r.requests.some((q) => QUESTION_KINDS.includes(q.kind))) answerQuestions(d, r, { quietUnknown: true, holdNotice: false });
    else d.say(field.help ? { kind: 'answer', text: `${field.label}：${field.help}` } : T.fieldExplained(field));
    d.say(T.fieldPrompt(field, position(fields, field), true));
    return;
  }
  const said = sameAsBefore(d, field, r.raw);
  if (said === null) {
    d.say({ kind: 'error', text: `「同上」说的是哪一项？请直接填写${field.label}。` }, T.fieldPrompt(field, position(fields, field)));
    return;
  }
  const { value, mobile } = withoutLead(field, said);
  const checked = checkValue(d, field, readFieldValue(field, value));
  if (checked.ok) {
    d.state.form.values[field.id] = checked.value;
    d.state.form.history.push(field.id);
    inferFromValue(d, field.id, checked.value);
    // 「联系人王磊，电话139…」: the number said with the name fills the phone too.
    if (mobile && d.state.form.values['contact_mobile'] === undefined) d.state.form.values['contact_mobile'] = mobile;
    nextField(d);
    return;
  }
  d.say({ kind: 'error', text: checked.message }, T.fieldPrompt(field, position(fields, field)));
}

const SAME_PERSON = /^(?:同上|一样|同法人|就是我|就我|我自己|本人|就我自己|是我|我本人|和上面一样|跟上面一样|同法定代表人)(?:的)?$/;

/** What 「同上」 can mean: the contact is the legal representative, the postal address the shop's. */
const SAME_AS: Record<string, string> = { contact_name: 'legal_rep_name', postal_address: 'business_address' };
const SAME_PLACE = /^(?:同上|一样|地址同上|寄到店里|寄到店里就行|店里|就寄店里|经营地址|和上面一样|跟上面一样|同经营地址)(?:的|就行|吧)?$/;

/**
 * 「同上」「就我自己」 for the contact (the legal representative) or the postal address (the shop's): the
 * value named before; null when 「同上」 has nothing to stand for here.
 */
function sameAsBefore(d: Draft, field: { id: string }, text: string): string | null {
  const t = text.trim().replace(/[。.!！]$/, '');
  if (!SAME_PERSON.test(t) && !SAME_PLACE.test(t)) return text;
  const source = SAME_AS[field.id];
  const value = source ? d.state.form.values[source] : undefined;
  if (typeof value === 'string') return value;
  return /^同上$|^一样$/.test(t) ? null : text;
}

const PERSON_FIELDS = new Set(['legal_rep_name', 'contact_name', 'pharmacist_name', 'security_officer_name']);
const LEAD = /^(?:我是|我叫|叫|名字是|姓名是|姓名|法人代表|法定代表人|法人|负责人|经营者|联系人|执业药师|药师|治安保卫人员|保卫人员)(?:是|为|叫|:)?(?:我|本人)?[,，\s]*/;

/** 「法人是我，王建国」「联系人王磊 电话139…」: the name without the words around it, and a phone said with it. */
function withoutLead(field: FormField, text: string): { value: string; mobile?: string } {
  if (!PERSON_FIELDS.has(field.id)) return { value: text };
  let value = text.trim();
  for (let n = 0; n < 3 && LEAD.test(value); n++) value = value.replace(LEAD, '');
  const mobile = /(?<!\d)1[3-9]\d{9}(?!\d)/.exec(value.replace(/[\s-]/g, ''))?.[0];
  // The name is the words before 电话/手机/a number.
  value = value.split(/[,，\s]*(?:电话|手机|联系方式|号码|tel)|[,，\s]+(?=\d)/i)[0]?.trim() ?? value;
  return mobile ? { value: value || text, mobile } : { value: value || text };
}

/** What a value also tells: a name ending in 有限公司 is an enterprise's. */
function inferFromValue(d: Draft, fieldId: string, value: FieldValue): void {
  if (fieldId === 'entity_name' && typeof value === 'string' && /(?:有限公司|有限责任公司|股份公司|公司)$/.test(value) && d.state.form.values['entity_type'] === undefined) {
    d.state.form.values['entity_type'] = 'company';
  }
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

/**
 * Checks one value against the rest of the form: a 个体工商户's 统一社会信用代码 has 2 as its second
 * character and an enterprise's 1 (GB 32100-2015, 机构类别代码 of the 工商 registry).
 */
function checkValue(d: Draft, field: FormField, checked: Validation): Validation {
  if (!checked.ok) return checked;
  const values: Record<string, FieldValue> = { ...d.state.form.values, [field.id]: checked.value };
  const code = values['credit_code'];
  const type = values['entity_type'];
  if ((field.id === 'credit_code' || field.id === 'entity_type') && typeof code === 'string' && code.startsWith('9')) {
    if (type === 'individual' && code[1] !== '2') {
      return { ok: false, message: `个体工商户的统一社会信用代码第2位是「2」（92开头），您填写的是${code.slice(0, 2)}开头（${code[1] === '1' ? '企业' : '其他类别'}）。请核对营业执照，或先更正主体类型。` };
    }
    if (type === 'company' && code[1] === '2') {
      return { ok: false, message: '这个统一社会信用代码以92开头，是个体工商户的代码，而主体类型填的是企业。请核对营业执照，或先更正主体类型。' };
    }
  }
  return checked;
}
