/**
 * What a typed form value means beyond its field's own validation: 「同上」 for the contact or the postal
 * address, a name without the words around it, what a value also tells (a 有限公司 name), and checks
 * across fields (a 个体工商户's credit code).
 */
import type { FormField } from '../../guidance/form.ts';
import { validateField, type FieldValue, type Validation } from '../../guidance/validators.ts';
import type { Draft } from '../draft.ts';

const SAME_PERSON = /^(?:同上|一样|同法人|同法定代表人|和上面一样|跟上面一样|(?:就是|也是|是|就)?(?:我自己|我本人|本人|我)(?:本人)?)(?:的|啊|吧)?$/;

/** What 「同上」 can mean: the contact is the legal representative, the postal address the shop's. */
const SAME_AS: Record<string, string> = { contact_name: 'legal_rep_name', postal_address: 'business_address' };
const SAME_PLACE = /^(?:同上|一样|地址同上|寄到店里|寄到店里就行|店里|就寄店里|经营地址|和上面一样|跟上面一样|同经营地址|(?:跟|和|同)店(?:里|的)?地址一样|跟店一样|就是店的地址)(?:的|就行|吧)?$/;

/**
 * 「同上」「就我自己」 for the contact (the legal representative) or the postal address (the shop's): the
 * value named before; null when 「同上」 has nothing to stand for here.
 */
export function sameAsBefore(d: Draft, field: { id: string }, text: string): string | null {
  const t = text.trim().replace(/[。.!！]$/, '');
  if (!SAME_PERSON.test(t) && !SAME_PLACE.test(t)) return text;
  const source = SAME_AS[field.id];
  const value = source ? d.state.form.values[source] : undefined;
  if (typeof value === 'string') return value;
  return /^同上$|^一样$/.test(t) ? null : text;
}

const PERSON_FIELDS = new Set(['legal_rep_name', 'contact_name', 'pharmacist_name', 'security_officer_name']);
const LEAD =
  /^(?:我是|我叫|叫|名字是|姓名是|姓名|法人代表|法定代表人|法人|负责人|经营者|联系人|执业药师|药师|治安保卫人员|保卫人员|安保人员|保卫|保安|安保)(?:还是|就是|也是|是|为|叫|:)?((?:我自己|我本人|本人|我)?)[,，\s]*/;

export interface PersonValue {
  /** The name without the words around it ('' when only 「我」 was said). */
  value: string;
  /** The person named is the one writing (「联系人还是我」). */
  self?: boolean;
  mobile?: string;
  id?: string;
}

/** 「法人是我，王建国」「联系人还是我 电话139…」「保安叫赵大勇」: the name without the words around it, and a phone or id said with it. */
export function withoutLead(field: FormField, text: string): PersonValue {
  if (!PERSON_FIELDS.has(field.id)) return { value: text };
  let value = text.trim();
  let self = false;
  for (let n = 0; n < 3; n++) {
    // 「我 刘长海」 (what is left of 「法人就是我 刘长海」) as well as 「法人是我，王建国」.
    const lead = LEAD.exec(value) ?? /^((?:我自己|我本人|本人|我))(?:[,，\s]+|$)/.exec(value);
    if (!lead) break;
    if (lead[1]) self = true;
    value = value.slice(lead[0].length);
  }
  const mobile = /(?<!\d)1[3-9]\d{9}(?!\d)/.exec(value.replace(/[\s-]/g, ''))?.[0];
  const id = /\d{17}[\dXx]/.exec(value.replace(/\s/g, ''))?.[0]?.toUpperCase();
  // The name is the words before 电话/手机/身份证/a number.
  value = value.split(/[,，\s]*(?:电话|手机|联系方式|号码|身份证号码|身份证号|身份证|信用代码|tel)|[,，\s]+(?=\d)/i)[0]?.trim() ?? value;
  if (!value && !self) value = text;
  return { value, ...(self ? { self } : {}), ...(mobile ? { mobile } : {}), ...(id ? { id } : {}) };
}

/**
 * A person's name read from `text` for `field`, with the phone or id said along with it stored too.
 * 「还是我」 for the contact is the legal representative named before; null when only 「我」 was said and
 * there is no one it stands for (the name must be written).
 */
export function personValue(d: Draft, field: FormField, text: string): string | null {
  const { value, self, mobile, id } = withoutLead(field, text);
  // 「联系人王磊，电话139…」: the number said with the name fills the phone too.
  if (mobile && field.id !== 'contact_mobile' && d.state.form.values['contact_mobile'] === undefined) d.state.form.values['contact_mobile'] = mobile;
  // 「法人刘志强 身份证1505…」: the number fills its field too, when it is valid.
  const idField = d.catalog.fields.get('legal_rep_id_number');
  if (id && field.id === 'legal_rep_name' && idField && d.state.form.values['legal_rep_id_number'] === undefined) {
    const checkedId = validateField(idField, id);
    if (checkedId.ok) d.state.form.values['legal_rep_id_number'] = checkedId.value;
  }
  if (value) return value;
  const source = self ? SAME_AS[field.id] : undefined;
  const named = source ? d.state.form.values[source] : undefined;
  return typeof named === 'string' ? named : null;
}

/** What a value also tells: a name ending in 有限公司 is an enterprise's. */
export function inferFromValue(d: Draft, fieldId: string, value: FieldValue): void {
  if (fieldId === 'entity_name' && typeof value === 'string' && /(?:有限公司|有限责任公司|股份公司|公司)$/.test(value) && d.state.form.values['entity_type'] === undefined) {
    d.state.form.values['entity_type'] = 'company';
  }
}

/**
 * Checks one value against the rest of the form: a 个体工商户's 统一社会信用代码 has 2 as its second
 * character and an enterprise's 1 (GB 32100-2015, 机构类别代码 of the 工商 registry).
 */
export function checkValue(d: Draft, field: FormField, checked: Validation): Validation {
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
