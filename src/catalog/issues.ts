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
  window: '{ name: 文件写明的受理窗口或实施机关（如 行政审批局）, sources: [...] }',
};

/** What a value of this kind looks like, for a missing or mistyped one. */
const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  array: 'a list (- item lines, or [a, b])',
};

/** Example values by the path's last two keys, where the last alone is ambiguous. */
const EXAMPLES_AT: Record<string, string> = {
  'timeRule.kind': 'reduced',
  'inspection.required': 'sometimes',
  'departments.fullName': '某某县市场监督管理局   or   unknown',
};

const CONDITION_FORMS = '{ q: id, eq: value }, { q: id, ne: value }, { q: id, in: [a, b] }, { q: id, gt|gte|lt|lte: n }, { all: [...] }, { any: [...] } or { not: ... }';

/**
 * An issue in words: what is wrong (with what was written, when zod reported the input), what the place
 * accepts and an example. `root` is the file's schema, to name the keys a place accepts.
 */
export function describeIssue(issue: Issue, root?: z.ZodType): DescribedIssue {
  const key = lastKey(issue.path);
  const parent = lastKey(issue.path.slice(0, issue.path.lastIndexOf(key ?? '')));
  const example = (parent && key && EXAMPLES_AT[`${parent}.${key}`]) || (key ? EXAMPLES[key] : undefined);
  const withExample = (d: DescribedIssue): DescribedIssue => (example && !d.example ? { ...d, example } : d);
  const input = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      if (input === undefined) return withExample({ problem: 'required, missing', accepted: expected });
      const quoteIt = issue.expected === 'string' && (typeof input === 'number' || typeof input === 'boolean');
      return withExample({
        problem: `${shown(input)} is ${kindOf(input)}, not ${expected}`,
        accepted: quoteIt ? `${expected}: a number or yes/no meant as text goes in quotes` : expected,
        ...(quoteIt ? { example: JSON.stringify(String(input)) } : {}),
      });
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      return {
        problem: `${input === undefined ? 'missing' : shown(input)} is not accepted here`,
        accepted: values.length === 1 ? `only ${values[0] ?? ''}` : `one of ${values.join(', ')}`,
        ...(issue.values[0] !== undefined ? { example: String(issue.values[0]) } : {}),
      };
    }
    case 'invalid_format': {
      // The schema's messages read "must be …(e.g. …)": the accepted form and the example are in them.
      const words = /^must be (.*?)(?: \(e\.g\. (.*)\))?$/.exec(issue.message);
      return withExample({
        problem: `${input === undefined ? 'the value' : shown(input)} ${words ? `is not ${words[1] ?? ''}` : issue.message}`,
        accepted: words?.[1] ?? issue.format,
        ...(words?.[2] ? { example: words[2] } : {}),
      });
    }
    case 'unrecognized_keys': {
      const place = root ? keysAt(root, issue.path) : [];
      const suggestions = issue.keys.map((k) => {
        const close = closest(k, place);
        return close ? `${k} (did you mean ${close}?)` : k;
      });
      return {
        problem: `unknown key${issue.keys.length > 1 ? 's' : ''}: ${suggestions.join(', ')}`,
        accepted: place.length ? `the keys of this place: ${place.join(', ')}` : 'only the keys docs/catalog-format.md lists for this place (check the spelling)',
      };
    }
    case 'too_small':
      return withExample({
        problem: issue.origin === 'array' ? `needs at least ${String(issue.minimum)} entr${issue.minimum === 1 ? 'y' : 'ies'}` : issue.message,
        accepted: issue.origin === 'array' ? `a list of at least ${String(issue.minimum)}` : issue.origin === 'string' ? 'non-empty text' : `at least ${String(issue.minimum)}`,
      });
    case 'too_big':
      return withExample({ problem: issue.message, accepted: `at most ${String(issue.maximum)}` });
    case 'invalid_union': {
      if ('discriminator' in issue && typeof issue.discriminator === 'string') {
        const options = 'options' in issue && Array.isArray(issue.options) ? issue.options.map(String) : [];
        const given = isRecord(input) ? input[issue.discriminator] : undefined;
        return {
          problem: given === undefined ? `${issue.discriminator} missing` : `${issue.discriminator} ${shown(given)} is not known`,
          accepted: options.length ? `${issue.discriminator}: one of ${options.map((o) => JSON.stringify(o)).join(', ')}` : 'see docs/catalog-format.md',
          ...(options[0] ? { example: `${issue.discriminator}: ${options[0]}` } : {}),
        };
      }
      if (isCondition(issue.path)) {
        const keys = isRecord(input) ? Object.keys(input) : [];
        return { problem: `not a condition${keys.length ? ` (keys written: ${keys.join(', ')})` : input !== undefined ? ` (${shown(input)})` : ''}`, accepted: `a condition: ${CONDITION_FORMS}`, example: '{ q: sells_tobacco, eq: true }' };
      }
      // The branch that came closest says what was meant.
      const branches = issue.errors.filter((b) => b.length > 0).sort((a, b) => a.length - b.length);
      const best = branches[0];
      if (best?.length === 1 && best[0]) {
        const inner = describeIssue(best[0], undefined);
        return withExample({ ...inner, problem: `${inner.problem}${best[0].path.length ? ` at ${best[0].path.join('.')}` : ''}` });
      }
      return withExample({ problem: 'does not fit any of the accepted forms', accepted: 'see docs/catalog-format.md for this place' });
    }
    default:
      return withExample({ problem: issue.message });
  }
}

/** A value as written, short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'empty';
  return { string: 'text', number: 'a number', boolean: 'true/false', object: 'a mapping' }[typeof value as string] ?? typeof value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A path to a condition: a when, or inside all / any / not. */
function isCondition(path: readonly PropertyKey[]): boolean {
  const key = lastKey(path);
  const last = path[path.length - 1];
  const before = path[path.length - 2];
  return key === 'when' || key === 'not' || (typeof last === 'number' && (before === 'all' || before === 'any'));
}

/** The keys the object schema at this path accepts (following lists, records, optionals, lazies and unions). */
export function keysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  const node = resolve(schema, path);
  const shape = node ? def(node).shape : undefined;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

function def(schema: unknown): Record<string, unknown> {
  return (schema as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def ?? {};
}

/** Unwraps optional, default, pipe and lazy schemas to the one that holds the value. */
function unwrap(schema: unknown): unknown {
  for (let i = 0; i < 10; i++) {
    const d = def(schema);
    const next = typeof d.getter === 'function' ? (d.getter as () => unknown)() : (d.innerType ?? (d.type === 'pipe' ? (def(d.out).type === 'transform' ? d.in : d.out) : undefined));
    if (!next) return schema;
    schema = next;
  }
  return schema;
}

function resolve(schema: unknown, path: readonly PropertyKey[]): unknown {
  let node = unwrap(schema);
  for (const part of path) {
    const d = def(node);
    if (typeof part === 'number') node = d.element;
    else if (d.shape && typeof d.shape === 'object') node = (d.shape as Record<string, unknown>)[String(part)];
    else if (d.valueType) node = d.valueType;
    else if (Array.isArray(d.options)) node = d.options.map((o) => def(unwrap(o)).shape as Record<string, unknown> | undefined).find((shape) => shape && part in shape)?.[String(part)];
    else return undefined;
    if (!node) return undefined;
    node = unwrap(node);
  }
  return node;
}

function lastKey(path: readonly PropertyKey[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return undefined;
}

function closest(given: string, known: readonly string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const key of known) {
    const d = editDistance(given.toLowerCase(), key.toLowerCase());
    if (d <= Math.max(2, Math.floor(key.length / 3)) && (!best || d < best.d)) best = { key, d };
  }
  return best?.key;
}

/** Levenshtein distance: how many one-character edits turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
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
