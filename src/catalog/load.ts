/**
 * Loads the knowledge files and checks them, schema first, then every cross-reference, so that the
 * assistant refuses to start on a bad catalog instead of running half-loaded.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseYamlCached } from './yamlCache.ts';
import type { z } from 'zod';
import { parseClauses, type Clause } from './clauses.ts';
import { CatalogError, formatPath, type CatalogProblem } from './errors.ts';
import { describeIssue } from './issues.ts';
import {
  regionSchema,
  registrySchema,
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
  for (const file of files) {
    const region = parseFile(file, regionSchema, problems);
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
  if (files.length === 0) problems.add(path.join(dataDir, 'regions'), '', 'no region catalog files found', 'one or more region files (*.yaml, *.yml, *.json)', 'yiye catalog new data/regions/my-county.yaml');
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

/** Every key the catalog files accept, to suggest the one meant by a misspelt key. */
const KNOWN_KEYS = [...new Set([...objectKeys(regionSchema), ...objectKeys(registrySchema)])];

function objectKeys(schema: unknown, seen = new Set<unknown>()): string[] {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return [];
  seen.add(schema);
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def ?? {};
  const keys: string[] = [];
  const shape = def.shape as Record<string, unknown> | undefined;
  if (shape) for (const [key, inner] of Object.entries(shape)) keys.push(key, ...objectKeys(inner, seen));
  for (const part of ['element', 'innerType', 'in', 'out', 'valueType', 'getter']) {
    const inner = part === 'getter' && typeof def.getter === 'function' ? (def.getter as () => unknown)() : def[part];
    keys.push(...objectKeys(inner, seen));
  }
  for (const option of (def.options as unknown[] | undefined) ?? []) keys.push(...objectKeys(option, seen));
  return keys;
}

/** Parses a YAML or JSON file against a schema; every problem is reported, and nothing is returned on any. */
export function parseFile<S extends z.ZodType>(file: string, schema: S, problems?: Problems): z.output<S> | undefined {
  const own = problems ?? new Problems();
  let raw: unknown;
  try {
    const source = readFileSync(file, 'utf8');
    raw = file.toLowerCase().endsWith('.json') ? JSON.parse(source) : parseYamlCached(source, { prettyErrors: false });
  } catch (error) {
    const problem = error instanceof Error ? error.message.split('\n')[0] : String(error);
    own.add(file, '', `cannot read or parse: ${problem}`, 'a UTF-8 YAML or JSON file');
    if (!problems) own.throwIfAny();
    return undefined;
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const { problem, accepted, example } = describeIssue(issue, KNOWN_KEYS);
      own.add(file, formatPath(issue.path), problem, accepted, example);
    }
    if (!problems) own.throwIfAny();
    return undefined;
  }
  return result.data;
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

function checkRegion(region: Region, index: ReturnType<typeof indexRegistry>, file: string, problems: Problems, ownerOf: Map<string, string>): void {
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

  const questions = uniqueIndex(region.questions, file, 'questions', problems);
  region.questions.forEach((q, i) => {
    if (q.type === 'choice' && !q.options?.length) {
      problems.add(file, `questions[${i}].options`, `choice question "${q.id}" needs options`, 'a list of { id, label, synonyms? }', '[{ id: none, label: 不经营食品 }, { id: other, label: 经营食品 }]');
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
      if (!permits.has(item.permit)) {
        problems.add(file, `${at}.permit`, `unknown permit "${item.permit}"`, `a permit id of data/permits.yaml (${nearest(item.permit, index.permits.keys())}) or of this file's permits`, 'food_business_licence');
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
  for (const industry of region.industries) {
    for (const item of industry.items) {
      const permit = permits.get(item.permit);
      permit?.materials.forEach((m, j) => {
        if (m.when) checkCondition(m.when, questions, file, `permit ${permit.id} materials[${j}].when`, problems);
      });
    }
  }
}

function checkCondition(cond: Condition, questions: Map<string, Region['questions'][number]>, file: string, at: string, problems: Problems): void {
  if ('all' in cond) return cond.all.forEach((c, i) => checkCondition(c, questions, file, `${at}.all[${i}]`, problems));
  if ('any' in cond) return cond.any.forEach((c, i) => checkCondition(c, questions, file, `${at}.any[${i}]`, problems));
  if ('not' in cond) return checkCondition(cond.not, questions, file, `${at}.not`, problems);
  const question = questions.get(cond.q);
  if (!question) {
    problems.add(file, `${at}.q`, `question "${cond.q}" is not defined in questions`, `the id of one of this file's questions: ${[...questions.keys()].join(', ') || '(none defined yet)'}`, `{ q: ${[...questions.keys()][0] ?? 'sells_tobacco'}, eq: true }`);
    return;
  }
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
  const ranked = [...known]
    .map((id) => ({ id, distance: editDistance(given, id) }))
    .sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map((r) => r.id);
  return ranked.length ? `closest: ${ranked.join(', ')}` : 'none defined';
}

function editDistance(a: string, b: string): number {
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
