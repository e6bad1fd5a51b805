/**
 * Loads the knowledge files and checks them, schema first, then every cross-reference, so that the
 * assistant refuses to start on a bad catalog instead of running half-loaded.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { parseYamlCached } from './yamlCache.ts';
import type { z } from 'zod';
import { parseClauses, type Clause } from './clauses.ts';
import { CatalogError, formatPath, type CatalogProblem } from './errors.ts';
import { describeIssue, editDistance, isRecord } from './issues.ts';
import { UNITS, unitOf } from './units.ts';
import {
  fieldSchema,
  industrySchema,
  itemSchema,
  materialSchema,
  permitSchema,
  questionSchema,
  regionSchema,
  registrySchema,
  type Industry,
  type Question,
  type Condition,
  type Field,
  type Material,
  type Permit,
  type PermitOverride,
  type Region,
  type Registry,
} from './schema.ts';

export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

export interface Catalog {
  registry: Registry;
  /** Every permit: the registry's and the regions' own (ids are unique across them). */
  permits: ReadonlyMap<string, Permit>;
  materials: ReadonlyMap<string, Material>;
  fields: ReadonlyMap<string, Field>;
  regions: readonly Region[];
  /**
   * Each region's permits as it runs them: the registry's with the region's `permitOverrides` applied, and
   * its own. Read through {@link getPermit} with the region.
   */
  regionPermits: ReadonlyMap<string, ReadonlyMap<string, Permit>>;
  /** Which file each region came from, for messages. */
  regionFiles: ReadonlyMap<string, string>;
  /** Each region's document, clause by clause (empty for a region whose file names no text). */
  clauses: ReadonlyMap<string, readonly Clause[]>;
}

export interface LoadOptions {
  /** Holds `permits.yaml` and `regions/`. */
  dataDir?: string;
  /** Extra region files (the `CATALOG_DIR` setting). */
  extraDirs?: string[];
  /** Extra region files given one by one. */
  extraFiles?: string[];
  /** Load only these region files, not `regions/` (lint of a file or a directory). */
  onlyFiles?: string[];
  /**
   * Draft region files tried before deploying them (`yiye guide --catalog FILE`): loaded after the others,
   * and a draft with the id of a region already there stands in for it instead of clashing.
   */
  drafts?: string[];
}

/** Collects every problem of the files, so that one run reports them all. */
class Problems {
  readonly list: CatalogProblem[] = [];
  add(file: string, path: string, problem: string, accepted?: string, example?: string): void {
    this.list.push({ file, path, problem, ...(accepted ? { accepted } : {}), ...(example ? { example } : {}) });
  }
  throwIfAny(): void {
    const [first, ...rest] = this.list;
    if (first) throw new CatalogError([first, ...rest]);
  }
}

/** Reads and validates every catalog file; throws a {@link CatalogError} listing every problem found. */
export function loadCatalog(options: LoadOptions = {}): Catalog {
  const problems = new Problems();
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const registryFile = path.join(dataDir, 'permits.yaml');
  const registry = parseFile(registryFile, registrySchema, problems);
  problems.throwIfAny();
  if (!registry) throw new Error('unreachable: a registry without problems');
  const index = indexRegistry(registry, registryFile, problems);

  const files = options.onlyFiles ?? [
    ...listCatalogFiles(path.join(dataDir, 'regions')),
    ...(options.extraDirs ?? []).flatMap((dir) => listCatalogFiles(dir)),
    ...(options.extraFiles ?? []),
  ];
  const regions: Region[] = [];
  const regionFiles = new Map<string, string>();
  const clauses = new Map<string, readonly Clause[]>();
  const ownerOf = new Map<string, string>(); // a region's own permit, material or field id -> its file
  // A file that fails the schema still has its cross-references checked, as far as it can be read, so that
  // one run reports every problem.
  const read = (file: string) => {
    const region = parseFile(file, regionSchema, problems, (raw) => {
      const partial = partialRegion(raw);
      if (partial) checkRegion(partial.region, index, file, problems, new Map(ownerOf), partial.broken);
    });
    return { file, region };
  };
  const drafts = (options.drafts ?? []).map(read);
  const replaced = new Set(drafts.flatMap((d) => (d.region ? [d.region.id] : [])));
  const parsed = files.map(read);
  for (const { file, region } of [...parsed.filter((p) => !(p.region && replaced.has(p.region.id))), ...drafts]) {
    if (!region) continue;
    const clash = regionFiles.get(region.id);
    if (clash) {
      problems.add(file, 'id', `region id "${region.id}" is already defined in ${clash}`, 'an id no other region file uses', `${region.id}_2`);
      continue;
    }
    checkRegion(region, index, file, problems, ownerOf);
    regions.push(region);
    regionFiles.set(region.id, file);
    clauses.set(region.id, readClauses(region, file, problems));
  }
  if (files.length + drafts.length === 0) problems.add(path.join(dataDir, 'regions'), '', 'no region catalog files found', 'one or more region files (*.yaml, *.yml, *.json)', 'yiye catalog new data/regions/my-county.yaml');
  problems.throwIfAny();

  const permits = new Map(index.permits);
  const materials = new Map(index.materials);
  const fields = new Map(index.fields);
  const regionPermits = new Map<string, ReadonlyMap<string, Permit>>();
  for (const region of regions) {
    for (const m of region.materials) materials.set(m.id, m);
    for (const f of region.fields) fields.set(f.id, f);
    for (const p of region.permits) permits.set(p.id, p);
    const own = new Map<string, Permit>();
    for (const [id, override] of Object.entries(region.permitOverrides)) {
      const base = index.permits.get(id);
      if (base) own.set(id, applyOverride(base, override));
    }
    for (const p of region.permits) own.set(p.id, p);
    regionPermits.set(region.id, own);
  }
  return { registry, permits, materials, fields, regions, regionPermits, regionFiles, clauses };
}

/** A registry permit as a region words and runs it: its additions added, its stated facts in place of the registry's. */
function applyOverride(base: Permit, override: PermitOverride): Permit {
  return {
    ...base,
    aliases: [...new Set([...base.aliases, ...override.aliases])],
    ...(override.authority ? { authority: override.authority } : {}),
    ...(override.summary ? { summary: override.summary } : {}),
    ...(override.timeLimit ? { timeLimit: override.timeLimit } : {}),
    ...(override.inspection ? { inspection: override.inspection } : {}),
    ...(override.fee ? { fee: override.fee } : {}),
    ...(override.validity ? { validity: override.validity } : {}),
    faq: [...base.faq, ...override.faq],
  };
}

/** The numbered clauses of the region's document text; a named text that is missing or has none is a problem. */
function readClauses(region: Region, file: string, problems: Problems): Clause[] {
  if (!region.document.text) return [];
  // Beside the region file, or else among the built-in sources (a county file kept in CATALOG_DIR may
  // name a text that ships with the assistant).
  const candidates = [path.resolve(path.dirname(file), region.document.text), path.join(DEFAULT_DATA_DIR, 'sources', path.basename(region.document.text))];
  let text: string | undefined;
  for (const candidate of candidates) {
    try {
      text = readFileSync(candidate, 'utf8');
      break;
    } catch {
      // the next place
    }
  }
  const textFile = candidates[0] ?? region.document.text;
  const accepted = 'a path, relative to the region file, of a UTF-8 text of the document with its numbered clauses (一、… （一）…)';
  if (text === undefined) {
    problems.add(file, 'document.text', `document text not found or not readable: ${textFile}`, accepted, '../sources/my-county-2024.txt');
    return [];
  }
  const clauses = parseClauses(text);
  if (!clauses.length) problems.add(file, 'document.text', `no numbered clauses (一、… （一）…) found in ${textFile}`, accepted, '../sources/my-county-2024.txt');
  return clauses;
}

/** The `*.yaml`, `*.yml` and `*.json` files of a directory, sorted; a missing directory is an error. */
export function listCatalogFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw CatalogError.at(dir, '', 'catalog directory not found or not readable');
  }
  return names
    .filter((name) => /\.(ya?ml|json)$/i.test(name))
    .sort()
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile());
}

/** Parses a YAML or JSON file against a schema; every problem is reported, and nothing is returned on any. */
export function parseFile<S extends z.ZodType>(file: string, schema: S, problems?: Problems, onInvalid?: (raw: unknown) => void): z.output<S> | undefined {
  const own = problems ?? new Problems();
  let raw: unknown;
  try {
    const source = readFileSync(file, 'utf8');
    raw = file.toLowerCase().endsWith('.json') ? JSON.parse(source) : parseYamlCached(source, { prettyErrors: false });
  } catch (error) {
    for (const p of syntaxProblems(file, error)) own.add(file, p.path, p.problem, p.accepted, p.example);
    if (!problems) own.throwIfAny();
    return undefined;
  }
  // With the input, an issue can say what was written (kind: "licence") beside what is accepted.
  const result = schema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const { problem, accepted, example } = describeIssue(issue, schema);
      own.add(file, formatPath(issue.path), problem, accepted, example);
    }
    onInvalid?.(raw);
    if (!problems) own.throwIfAny();
    return undefined;
  }
  return result.data;
}

/**
 * A file that cannot be read or parsed: for YAML every syntax error, each at its line (the parser stops at
 * the first, so the text is parsed again for all of them), in words that say what YAML accepts there.
 */
function syntaxProblems(file: string, error: unknown): Omit<CatalogProblem, 'file'>[] {
  const first = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return [{ path: '', problem: `cannot read the file: ${first}`, accepted: 'a readable UTF-8 YAML or JSON file' }];
  }
  if (file.toLowerCase().endsWith('.json')) {
    return [{ path: '', problem: `not valid JSON: ${first}`, accepted: 'JSON: "key": value pairs in { }, separated by commas, no trailing comma', example: '{ "version": 1, "id": "my_county" }' }];
  }
  const errors = parseDocument(source).errors;
  if (!errors.length) return [{ path: '', problem: `cannot parse: ${first}`, accepted: 'a UTF-8 YAML file' }];
  const lines = source.split(/\r?\n/);
  return errors.map((e) => {
    const at = e.linePos?.[0];
    const text = at ? lines[at.line - 1]?.trim() : undefined;
    const what = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    return {
      path: at ? `line ${at.line}, column ${at.col}` : '',
      problem: `YAML syntax: ${what}${text ? ` (line ${at?.line}: «${text}»)` : ''}`,
      ...yamlAdvice(e.code),
    };
  });
}

function yamlAdvice(code: string): { accepted: string; example?: string } {
  switch (code) {
    case 'DUPLICATE_KEY':
      return { accepted: 'each key once in a mapping (merge the two, or remove one)' };
    case 'TAB_AS_INDENT':
      return { accepted: 'indentation with spaces, never tabs', example: '  - permit: food_business_licence' };
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return { accepted: 'a text holding ": " (or starting with [ { * & ! | > % @) in quotes', example: 'quote: "原文：第一条: 内容"' };
    case 'MISSING_CHAR':
      return { accepted: 'each quote and bracket closed on the same value', example: 'name: "便利店"   items: [a, b]' };
    default:
      return { accepted: 'YAML: "key: value" lines, the keys of one mapping at the same column, indented with spaces; a list item starts with "- "', example: 'items:\n  - permit: food_business_licence' };
  }
}

function indexRegistry(registry: Registry, file: string, problems: Problems) {
  const materials = uniqueIndex(registry.materials, file, 'materials', problems);
  const fields = uniqueIndex(registry.fields, file, 'fields', problems);
  const permits = uniqueIndex(registry.permits, file, 'permits', problems);
  checkFields(registry.fields, fields, file, 'fields', problems);
  checkPermits(registry.permits, materials, fields, file, 'permits', problems);
  return { materials, fields, permits };
}

function checkFields(list: readonly Field[], fields: ReadonlyMap<string, Field>, file: string, key: string, problems: Problems): void {
  list.forEach((field, i) => {
    const needsOptions = field.type === 'choice' || field.type === 'multi_choice';
    if (needsOptions && !field.options?.length) {
      problems.add(file, `${key}[${i}].options`, `field "${field.id}" of type ${field.type} needs options`, 'a list of { id, label, synonyms? }', '[{ id: post, label: 邮寄 }]');
    }
    const on = field.when && fields.get(field.when.field);
    if (field.when && (!on || (on.options && !on.options.some((o) => o.id === field.when?.eq)))) {
      problems.add(file, `${key}[${i}].when`, `field "${field.id}" depends on an unknown field or value (${field.when.field} = ${String(field.when.eq)})`, 'the id of another field and one of its option ids', '{ field: licence_delivery, eq: post }');
    }
  });
}

function checkPermits(list: readonly Permit[], materials: ReadonlyMap<string, Material>, fields: ReadonlyMap<string, Field>, file: string, key: string, problems: Problems): void {
  list.forEach((permit, i) => {
    permit.materials.forEach((m, j) => {
      if (!materials.has(m.id)) {
        problems.add(file, `${key}[${i}].materials[${j}].id`, `unknown material "${m.id}" in permit "${permit.id}"`, `a material id of data/permits.yaml or of this file's materials: ${nearest(m.id, materials.keys())}`, 'business_licence');
      }
    });
    permit.fields.forEach((f, j) => {
      if (!fields.has(f)) problems.add(file, `${key}[${i}].fields[${j}]`, `unknown field "${f}" in permit "${permit.id}"`, `a field id of data/permits.yaml or of this file's fields: ${nearest(f, fields.keys())}`, 'entity_name');
    });
  });
}

function uniqueIndex<T extends { id: string }>(list: readonly T[], file: string, key: string, problems: Problems): Map<string, T> {
  const map = new Map<string, T>();
  list.forEach((entry, i) => {
    if (map.has(entry.id)) problems.add(file, `${key}[${i}].id`, `duplicate id "${entry.id}"`, `an id not used by another entry of ${key}`, `${entry.id}_2`);
    else map.set(entry.id, entry);
  });
  return map;
}

/** What the cross-reference checks read of a region. */
type Checked = Pick<Region, 'id' | 'materials' | 'fields' | 'permits' | 'permitOverrides' | 'licenceRules' | 'questions' | 'formFields' | 'industries' | 'departments'>;

/** Ids of a file's entries that failed the schema: references to them are not reported again as undefined. */
interface Broken {
  questions: Set<string>;
  permits: Set<string>;
}

/**
 * A region file that fails the schema, read as far as it fits: each list entry that fits at its own index
 * (the others are holes, which forEach skips, so paths stay right), departments by their keys.
 */
function partialRegion(raw: unknown): { region: Checked; broken: Broken } | undefined {
  if (!isRecord(raw)) return undefined;
  const broken: Broken = { questions: new Set(), permits: new Set() };
  const shape = regionSchema.shape;
  const each = <T>(list: unknown, schema: z.ZodType<T>, brokenIds?: Set<string>): T[] => {
    const out: T[] = [];
    if (!Array.isArray(list)) return out;
    list.forEach((entry: unknown, i) => {
      const result = schema.safeParse(entry);
      if (result.success) out[i] = result.data;
      else if (brokenIds && isRecord(entry) && typeof entry.id === 'string') brokenIds.add(entry.id);
    });
    return out;
  };
  const industryHead = industrySchema.omit({ items: true });
  const industries: Industry[] = [];
  (Array.isArray(raw.industries) ? raw.industries : []).forEach((entry: unknown, i) => {
    if (!isRecord(entry)) return;
    const { items, ...rest } = entry;
    const head = industryHead.safeParse(rest);
    if (head.success) industries[i] = { ...head.data, items: each(items, itemSchema) };
  });
  const overrides = shape.permitOverrides.safeParse(raw.permitOverrides);
  const licenceRules = shape.licenceRules.safeParse(raw.licenceRules);
  const departments = shape.departments.safeParse(raw.departments);
  const formFields = shape.formFields.safeParse(raw.formFields);
  return {
    broken,
    region: {
      id: typeof raw.id === 'string' ? raw.id : 'region',
      materials: each(raw.materials, materialSchema),
      fields: each(raw.fields, fieldSchema),
      permits: each(raw.permits, permitSchema, broken.permits),
      permitOverrides: overrides.success ? overrides.data : {},
      licenceRules: licenceRules.success ? licenceRules.data : { sources: [] },
      questions: each(raw.questions, questionSchema, broken.questions),
      formFields: formFields.success ? formFields.data : [],
      industries,
      departments: departments.success ? departments.data : isRecord(raw.departments) ? Object.fromEntries(Object.keys(raw.departments).map((k) => [k, {}])) : {},
    },
  };
}


function checkRegion(region: Checked, index: ReturnType<typeof indexRegistry>, file: string, problems: Problems, ownerOf: Map<string, string>, broken: Broken = { questions: new Set(), permits: new Set() }): void {
  // The region's own materials, fields and permits: new ids, next to the registry's.
  const own = (kind: 'materials' | 'fields' | 'permits', registryIds: ReadonlyMap<string, unknown>) => {
    region[kind].forEach((entry, i) => {
      const key = `${kind}:${entry.id}`;
      if (registryIds.has(entry.id)) {
        problems.add(file, `${kind}[${i}].id`, `"${entry.id}" is already in data/permits.yaml`, kind === 'permits' ? 'a new id; to change what a registry permit says here, use permitOverrides' : 'a new id (the registry\'s can be used as they are)', kind === 'permits' ? `permitOverrides: { ${entry.id}: { aliases: [...] } }` : `${region.id}_${entry.id}`);
      } else if (ownerOf.has(key)) {
        problems.add(file, `${kind}[${i}].id`, `"${entry.id}" is already defined in ${ownerOf.get(key)}`, 'an id no other region file uses (prefix it with the region id)', `${region.id}_${entry.id}`);
      } else ownerOf.set(key, file);
    });
  };
  own('materials', index.materials);
  own('fields', index.fields);
  own('permits', index.permits);
  const materials = new Map([...index.materials, ...uniqueIndex(region.materials, file, 'materials', problems)]);
  const fields = new Map([...index.fields, ...uniqueIndex(region.fields, file, 'fields', problems)]);
  const ownPermits = uniqueIndex(region.permits, file, 'permits', problems);
  const permits = new Map([...index.permits, ...ownPermits]);
  checkFields(region.fields, fields, file, 'fields', problems);
  checkPermits(region.permits, materials, fields, file, 'permits', problems);
  for (const id of Object.keys(region.permitOverrides)) {
    if (!index.permits.has(id)) {
      problems.add(file, `permitOverrides.${id}`, `"${id}" is not a permit of data/permits.yaml`, `a registry permit id (${nearest(id, index.permits.keys())}); a permit of the county's own goes in permits`, 'food_business_licence');
    }
  }

  const rules = region.licenceRules;
  const stated = (['issueWithPendingItems', 'onPrintedChange', 'onUnprintedChange', 'onItemEnded'] as const).filter((k) => rules[k] !== undefined);
  if (stated.length && !rules.sources.length) {
    problems.add(file, 'licenceRules.sources', `licence rules stated (${stated.join(', ')}) without a source`, 'a list of the document\'s clauses that state them', '[{ title: 某某县“一业一证”改革实施方案, article: 三、（九）, quote: … }]');
  }

  const questions: Map<string, Question | undefined> = uniqueIndex(region.questions, file, 'questions', problems);
  for (const id of broken.questions) if (!questions.has(id)) questions.set(id, undefined);
  region.questions.forEach((q, i) => {
    if (q.type === 'choice' && !q.options?.length) {
      problems.add(file, `questions[${i}].options`, `choice question "${q.id}" needs options`, 'a list of { id, label, synonyms? }', '[{ id: none, label: 不经营食品 }, { id: other, label: 经营食品 }]');
    }
    if (q.type === 'number' && q.unit !== undefined && !unitOf(q.unit)) {
      problems.add(file, `questions[${i}].unit`, `unknown unit "${q.unit}" for number question "${q.id}"`, `one of ${Object.keys(UNITS).join(', ')}`, '平方米');
    }
    if (q.fillsField && !fields.has(q.fillsField)) {
      problems.add(file, `questions[${i}].fillsField`, `unknown field "${q.fillsField}"`, `a field id (${nearest(q.fillsField, fields.keys())})`, 'business_area');
    }
    if (q.answers && q.type !== 'boolean') {
      problems.add(file, `questions[${i}].answers`, `answers (yes/no words) are for boolean questions, "${q.id}" is ${q.type}`, q.type === 'choice' ? 'synonyms on each option' : 'nothing: number answers are read with their unit', 'options: [{ id: other, label: 经营食品, synonyms: [卖吃的] }]');
    }
  });
  region.formFields.forEach((f, i) => {
    if (!fields.has(f.field)) problems.add(file, `formFields[${i}].field`, `unknown field "${f.field}"`, `a field id of data/permits.yaml or of this file's fields (${nearest(f.field, fields.keys())})`, 'licence_delivery');
  });
  uniqueIndex(region.industries, file, 'industries', problems);
  const departments = Object.keys(region.departments);
  region.industries.forEach((industry, i) => {
    const seen = new Set<string>();
    industry.items.forEach((item, j) => {
      const at = `industries[${i}].items[${j}]`;
      if (!permits.has(item.permit) && !broken.permits.has(item.permit)) {
        const close = nearestIds(item.permit, [...index.permits.keys(), ...ownPermits.keys()]);
        problems.add(file, `${at}.permit`, `unknown permit "${item.permit}"`, `a permit id of data/permits.yaml or of this file's permits (closest: ${close.join(', ')})`, close[0] ?? 'food_business_licence');
      }
      if (seen.has(item.permit)) problems.add(file, `${at}.permit`, `permit "${item.permit}" listed twice in "${industry.name}"`, 'each permit once per industry');
      seen.add(item.permit);
      if (!(item.department in region.departments)) {
        problems.add(file, `${at}.department`, `department "${item.department}" is not defined in departments`, `a key of departments: ${departments.join(', ') || '(none defined yet)'}`, departments[0] ?? '市场监管局');
      }
      if (item.when) checkCondition(item.when, questions, file, `${at}.when`, problems);
      item.caveats.forEach((c, k) => checkCondition(c.when, questions, file, `${at}.caveats[${k}].when`, problems));
    });
  });
  // Conditions on materials refer to the questions of every region that lists the permit.
  region.industries.forEach((industry) =>
    industry.items.forEach((item) => {
      const permit = permits.get(item.permit);
      permit?.materials.forEach((m, j) => {
        if (m.when) checkCondition(m.when, questions, file, `permit ${permit.id} materials[${j}].when`, problems);
      });
    }),
  );
}

function checkCondition(cond: Condition, questions: ReadonlyMap<string, Question | undefined>, file: string, at: string, problems: Problems): void {
  if ('all' in cond) return cond.all.forEach((c, i) => checkCondition(c, questions, file, `${at}.all[${i}]`, problems));
  if ('any' in cond) return cond.any.forEach((c, i) => checkCondition(c, questions, file, `${at}.any[${i}]`, problems));
  if ('not' in cond) return checkCondition(cond.not, questions, file, `${at}.not`, problems);
  const question = questions.get(cond.q);
  if (!questions.has(cond.q)) {
    problems.add(file, `${at}.q`, `question "${cond.q}" is not defined in questions`, `the id of one of this file's questions: ${[...questions.keys()].join(', ') || '(none defined yet)'}`, `{ q: ${[...questions.keys()][0] ?? 'sells_tobacco'}, eq: true }`);
    return;
  }
  if (!question) return; // a question that failed the schema, reported there
  const values = 'eq' in cond ? [cond.eq] : 'ne' in cond ? [cond.ne] : 'in' in cond ? cond.in : [];
  for (const value of values) {
    const fits =
      question.type === 'boolean'
        ? typeof value === 'boolean'
        : question.type === 'number'
          ? typeof value === 'number'
          : question.options?.some((o) => o.id === value);
    if (!fits) {
      const accepted = question.type === 'boolean' ? 'true or false' : question.type === 'number' ? 'a number' : `one of the option ids: ${(question.options ?? []).map((o) => o.id).join(', ')}`;
      problems.add(file, at, `value ${JSON.stringify(value)} does not fit ${question.type} question "${question.id}"`, accepted, question.type === 'choice' ? `{ q: ${question.id}, eq: ${question.options?.[0]?.id ?? 'x'} }` : `{ q: ${question.id}, eq: ${question.type === 'boolean' ? 'true' : '300'} }`);
    }
  }
  const numeric = 'gt' in cond || 'gte' in cond || 'lt' in cond || 'lte' in cond;
  if (numeric && question.type !== 'number') {
    problems.add(file, at, `numeric comparison on ${question.type} question "${question.id}"`, 'gt/gte/lt/lte only on a number question; eq/ne/in otherwise', `{ q: ${question.id}, eq: ${question.type === 'boolean' ? 'true' : (question.options?.[0]?.id ?? 'x')} }`);
  }
}

/** The known ids closest to a mistyped one, for "accepted". */
function nearest(given: string, known: Iterable<string>): string {
  const ranked = nearestIds(given, known);
  return ranked.length ? `closest: ${ranked.join(', ')}` : 'none defined';
}

function nearestIds(given: string, known: Iterable<string>): string[] {
  return [...known]
    .map((id) => ({ id, distance: editDistance(given, id) }))
    .sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map((r) => r.id);
}
