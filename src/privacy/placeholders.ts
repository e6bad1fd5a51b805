/**
 * Personal data replaced by placeholders before a text leaves for an LLM, and put back in what comes
 * back: ID numbers, phone numbers (mobile and landline), credit codes, and the names and addresses the
 * applicant has given on the form. The same value gets the same placeholder within one call.
 */

const PATTERNS: { label: string; pattern: RegExp }[] = [
  { label: '身份证号', pattern: /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])|(?<![\dA-Za-z])\d{15}(?![\dA-Za-z])/g },
  { label: '信用代码', pattern: /(?<![\dA-Za-z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![\dA-Za-z])/g },
  { label: '手机号', pattern: /(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)/g },
  { label: '电话', pattern: /(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g },
];

export interface Placeholders {
  /** The text with every personal value replaced (「〔手机号1〕」). */
  mask(text: string): string;
  /** The text with every placeholder this instance made put back. */
  restore(text: string): string;
  /** How many values were replaced so far. */
  readonly count: number;
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
    get count() {
      return byPlaceholder.size;
    },
  };
}
