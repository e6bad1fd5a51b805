/**
 * Reading form values as people type them: option numbers (「2」, 「1、3」), spoken numbers (大概三百平),
 * values after a lead-in (「电话是139…」), and corrections that name the field (「电话填错了，应该是139…」).
 */
import { validateField, type Validation } from '../guidance/validators.ts';
import type { FormField } from '../guidance/form.ts';
import { NUMBER_SOURCE, parseNumber } from '../nlu/numerals.ts';

/** How people write the registry's units. */
const UNIT_WORDS: Record<string, string[]> = {
  平方米: ['平方米', '平米', '平方', '平', '㎡', 'm2'],
  人: ['个人', '人', '名', '个'],
  间: ['间', '个房间'],
  '立方米/日': ['立方米', '立方', '方', '吨'],
  万元: ['万元', '万'],
  张: ['张'],
};

const CORRECTION = /(?:填错了|写错了|错了|不对|有误)?[，,。\s]*(?:应该是|应为|改成|改为|换成|更正为|是|为|：|:)\s*(.+)$/;

/** The value for `field` in a reply to its prompt, validated. */
export function readFieldValue(field: FormField, text: string): Validation {
  const checked = validateField(field, normaliseValue(field, text));
  if (checked.ok) return checked;
  const stated = CORRECTION.exec(text)?.[1];
  if (!stated) return checked;
  const again = validateField(field, normaliseValue(field, stated));
  return again.ok ? again : checked;
}

/** A field the text names (by label or alias, the longest match), with the new value said after it. */
export function findCorrection(text: string, fields: FormField[]): { f: FormField; value: string } | null {
  const t = text.normalize('NFKC');
  const named = fields
    .flatMap((f) => fieldNames(f).map((name) => ({ f, name })))
    .filter(({ name }) => name && t.includes(name))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!named) return null;
  // 「面积不是600，是四百五十平」「联系人写包文明，不是那几个字」: what it is not is no value.
  const after = t
    .slice(t.indexOf(named.name) + named.name.length)
    .replace(/^\s*(?:不是|并不是)[^，,。]*[，,。]\s*/, '')
    .replace(/[，,。]\s*(?:不是|而不是)[^，,。]*$/, '');
  const value = (CORRECTION.exec(after)?.[1] ?? WRITTEN.exec(after)?.[1])?.trim();
  return value ? { f: named.f, value } : null;
}

/**
 * How a field is named in a sentence: its label, without the bracket, and without a closing 姓名 or 数
 * (「安全保卫人员改成赵大勇」「床位改成48张」), and its aliases.
 */
function fieldNames(f: FormField): string[] {
  const plain = f.label.replace(/（.*?）/g, '');
  const short = plain.replace(/(?:姓名|数)$/, '');
  return [f.label, plain, ...(short !== plain && short.length >= 2 ? [short] : []), ...f.aliases];
}

/** 「联系人写包文明」: the value after 写/写成/叫. */
const WRITTEN = /^\s*(?:写成|写|叫|填成|填)\s*(.+)$/;

export /** Option numbers for choices (「2」, 「1、3」) and spoken numbers (大概三百平) for numeric fields. */
function normaliseValue(field: FormField, text: string): string {
  if (field.type === 'number' || field.type === 'integer') {
    // An area typed for a count of people stays as typed, so validation refuses it with the reason.
    if (field.unit === '人' && /平|㎡|m2|亩/.test(text)) return text;
    // An address typed one field late stays as typed, so validation refuses it.
    if (/[路街巷号村镇省市]/.test(text)) return text;
    // The number said with the field's unit wins (「五米长一米二高，那就是6平」 → 6; 「一天半方」 → 0.5).
    const t = text.normalize('NFKC');
    const units = UNIT_WORDS[field.unit ?? ''] ?? [];
    const withUnit = units.length ? new RegExp(`(${NUMBER_SOURCE})\\s*(?:多|来|左右)?\\s*(?:${units.join('|')})`).exec(t) : null;
    const m = withUnit ?? new RegExp(`(${NUMBER_SOURCE})`).exec(t);
    let written = m?.[1] ?? '';
    // A field counted in 万元: 「300万元」 is 300 of the unit, not 3,000,000.
    if (field.unit?.startsWith('万') && written.endsWith('万')) written = written.slice(0, -1);
    const n = written ? parseNumber(written) : null;
    return n === null ? text : String(n);
  }
  if (!field.options) return text;
  // 「第二个」 / 「第2项」 as well as 「2」.
  text = text.trim().replace(/^第?([1-9一二三四五六七八九])(?:个|项|种|条)?$/u, (_m, n: string) => String(parseNumber(n) ?? n));
  const parts = text.trim().split(/[、,，\s]+/);
  if (!parts.every((p) => /^\d+$/.test(p))) return text;
  // Option ids, not labels: a label may hold a 、 of its own (特殊食品销售（保健食品、…）).
  const ids = parts.map((p) => field.options?.[Number(p) - 1]?.id);
  return ids.every(Boolean) ? ids.join('、') : text;
}
