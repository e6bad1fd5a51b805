/**
 * Personal data replaced by placeholders before a text leaves for an LLM, and put back in what comes
 * back: ID numbers, phone numbers (mobile and landline), credit codes, and the names and addresses the
 * applicant has given on the form. The same value gets the same placeholder within one call.
 */
import { PERSONAL_NUMBERS } from './mask.ts';

/** Placeholder labels by the kind of value (the form's field types). */
export const PLACEHOLDER_LABELS = { id_number: '身份证号', credit_code: '信用代码', mobile: '手机号', text: '姓名或名称', address: '地址' } as const;

/** The numbers maskText masks, and besides them old 15-digit ID numbers and landlines (never sent, not worth masking in logs). */
const PATTERNS: { label: string; pattern: RegExp }[] = [
  ...PERSONAL_NUMBERS.map((p) => ({ label: PLACEHOLDER_LABELS[p.kind], pattern: p.pattern })),
  { label: '身份证号', pattern: /(?<![\dA-Za-z])\d{15}(?![\dA-Za-z])/g },
  { label: '电话', pattern: /(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g },
];

export interface Placeholders {
  /** The text with every personal value replaced (「〔手机号1〕」). */
  mask(text: string): string;
  /** The text with every placeholder this instance made put back. */
  restore(text: string): string;
}

/**
 * `known`: values to replace wherever they appear, with their label (the form's names and addresses);
 * values under two characters are left alone (they would match everywhere).
 */
export function placeholders(known: { label: string; value: string }[] = []): Placeholders {
  const byValue = new Map<string, string>();
  const byPlaceholder = new Map<string, string>();
  const counters = new Map<string, number>();
  const take = (label: string, value: string): string => {
    let p = byValue.get(value);
    if (!p) {
      const n = (counters.get(label) ?? 0) + 1;
      counters.set(label, n);
      p = `〔${label}${n}〕`;
      byValue.set(value, p);
      byPlaceholder.set(p, value);
    }
    return p;
  };
  // The longest first, so that an address containing a name is replaced whole.
  const values = known.filter((k) => k.value.trim().length >= 2).sort((a, b) => b.value.length - a.value.length);
  return {
    mask(text) {
      let out = text;
      for (const { label, pattern } of PATTERNS) out = out.replace(pattern, (m) => take(label, m));
      for (const { label, value } of values) if (out.includes(value)) out = out.split(value).join(take(label, value));
      return out;
    },
    restore(text) {
      return text.replace(/〔[^〔〕]{1,8}\d+〕/g, (p) => byPlaceholder.get(p) ?? p);
    },
  };
}
