/**
 * A zod issue of a catalog file in words an operator can act on: what is wrong, what the place accepts,
 * and an example value.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

export interface DescribedIssue {
  problem: string;
  accepted?: string;
  example?: string;
}

/** Example values by the key they stand under. */
const EXAMPLES: Record<string, string> = {
  version: '1',
  id: 'tea_shop',
  seq: '1',
  name: '茶叶店',
  fullName: '某某省某某市某某县',
  title: '某某县“一业一证”改革实施方案',
  number: '某政办〔2024〕12号',
  issuer: '某某县人民政府办公室',
  date: '"2024-07-29"',
  catalogTitle: '某某县“一业一证”改革行业目录',
  department: '市场监管局',
  permit: 'food_business_licence',
  text: '您的店会销售卷烟、雪茄烟等烟草制品吗？',
  type: 'boolean',
  quote: '文件原文的一句话',
  article: '二、（三）',
  confidence: 'H',
  kind: '许可',
  q: 'sells_tobacco',
  workingDays: '20',
  required: 'sometimes',
  free: 'true',
  reductionPercent: '50',
  sources: '[{ title: 某某县“一业一证”改革实施方案, article: 二、（三）, quote: ... }]',
  legalBasis: '[{ title: 中华人民共和国食品安全法, article: 第三十五条 }]',
  materials: '[{ id: business_licence }]',
  fields: '[entity_name, credit_code]',
  items: '[{ permit: food_business_licence, name: 食品经营许可, department: 市场监管局 }]',
  industries: '[{ id: tea_shop, seq: 1, name: 茶叶店, items: [...] }]',
  hotline: '{ number: "12345", sources: [...] }   or   unknown',
  timeRule: '{ kind: reduced, reductionPercent: 50, sources: [...] }   or   unknown',
  window: '{ name: 县政务服务中心“一业一证”窗口, sources: [...] }',
};

/** What a value of this kind looks like, for a missing or mistyped one. */
const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  array: 'a list (- item lines, or [a, b])',
};

export function describeIssue(issue: Issue, knownKeys: readonly string[] = []): DescribedIssue {
  const key = lastKey(issue.path);
  const example = key ? EXAMPLES[key] : undefined;
  const withExample = (d: DescribedIssue): DescribedIssue => (example && !d.example ? { ...d, example } : d);
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      const missing = /received undefined/.test(issue.message);
      return withExample({ problem: missing ? 'required, missing' : `wrong kind of value (${issue.message.replace(/^Invalid input: /, '')})`, accepted: expected });
    }
    case 'invalid_value':
      return { problem: 'not an accepted value', accepted: `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, ...(issue.values[0] !== undefined ? { example: String(issue.values[0]) } : {}) };
    case 'invalid_format':
      return withExample({ problem: issue.message, accepted: issue.format === 'regex' && 'pattern' in issue ? `text matching ${String(issue.pattern)}` : issue.format });
    case 'unrecognized_keys': {
      const suggestions = issue.keys.map((k) => {
        const close = closest(k, knownKeys);
        return close ? `${k} → ${close}?` : k;
      });
      return { problem: `unknown key${issue.keys.length > 1 ? 's' : ''}: ${suggestions.join(', ')}`, accepted: 'only the keys docs/catalog-format.md lists for this place (check the spelling)' };
    }
    case 'too_small':
      return withExample({ problem: issue.message, accepted: issue.origin === 'array' ? `a list of at least ${String(issue.minimum)}` : issue.origin === 'string' ? 'non-empty text' : `at least ${String(issue.minimum)}` });
    case 'too_big':
      return withExample({ problem: issue.message, accepted: `at most ${String(issue.maximum)}` });
    case 'invalid_union': {
      // The branch that came closest says what was meant.
      const branches = issue.errors.filter((b) => b.length > 0).sort((a, b) => a.length - b.length);
      const best = branches[0];
      const kinds = issue.errors.flatMap((b) => b.flatMap((i) => (i.code === 'invalid_value' ? i.values.map((v) => JSON.stringify(v)) : [])));
      if ('note' in issue && typeof issue.note === 'string' && /discriminator/i.test(issue.note)) {
        return withExample({ problem: 'kind missing or not known', accepted: kinds.length ? `kind: one of ${kinds.join(', ')}` : 'see docs/catalog-format.md' });
      }
      if (best?.length === 1 && best[0]) {
        const inner = describeIssue(best[0], knownKeys);
        return withExample({ ...inner, problem: `${inner.problem}${best[0].path.length ? ` at ${best[0].path.join('.')}` : ''}` });
      }
      return withExample({ problem: 'does not fit any of the accepted forms', accepted: 'see docs/catalog-format.md for this place' });
    }
    default:
      return withExample({ problem: issue.message });
  }
}

function lastKey(path: readonly PropertyKey[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return undefined;
}

function closest(given: string, known: readonly string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const key of known) {
    const d = distance(given.toLowerCase(), key.toLowerCase());
    if (d <= Math.max(2, Math.floor(key.length / 3)) && (!best || d < best.d)) best = { key, d };
  }
  return best?.key;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}
