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
import { CatalogError, formatPath } from './errors.ts';
import { UNITS, unitOf } from './units.ts';
import {
  regionSchema,
  registrySchema,
  type Condition,
  type Field,
  type Material,
  type Permit,
  type Region,
  type Registry,
} from './schema.ts';

export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

export interface Catalog {
  registry: Registry;
  permits: ReadonlyMap<string, Permit>;
  materials: ReadonlyMap<string, Material>;
  fields: ReadonlyMap<string, Field>;
  regions: readonly Region[];
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

/** Reads and validates every catalog file; throws the first {@link CatalogError}. */
export function loadCatalog(options: LoadOptions = {}): Catalog {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const registryFile = path.join(dataDir, 'permits.yaml');
  const registry = parseFile(registryFile, registrySchema);
  const index = indexRegistry(registry, registryFile);

  const files = options.onlyFiles ?? [
    ...listCatalogFiles(path.join(dataDir, 'regions')),
    ...(options.extraDirs ?? []).flatMap((dir) => listCatalogFiles(dir)),
    ...(options.extraFiles ?? []),
  ];
  const regions: Region[] = [];
  const regionFiles = new Map<string, string>();
  const clauses = new Map<string, readonly Clause[]>();
  for (const file of files) {
    const region = parseFile(file, regionSchema);
    const clash = regionFiles.get(region.id);
    if (clash) throw new CatalogError(file, 'id', `region id "${region.id}" is already defined in ${clash}`);
    checkRegion(region, index, file);
    regions.push(region);
    regionFiles.set(region.id, file);
    clauses.set(region.id, readClauses(region, file));
  }
  if (regions.length === 0) throw new CatalogError(path.join(dataDir, 'regions'), '', 'no region catalog files found');
  return { registry, ...index, regions, regionFiles, clauses };
}

/** The numbered clauses of the region's document text; a named text that is missing or has none is an error. */
function readClauses(region: Region, file: string): Clause[] {
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
  if (text === undefined) throw new CatalogError(file, 'document.text', `document text not found or not readable: ${textFile}`);
  const clauses = parseClauses(text);
  if (!clauses.length) throw new CatalogError(file, 'document.text', `no numbered clauses (一、… （一）…) found in ${textFile}`);
  return clauses;
}

/** The `*.yaml`, `*.yml` and `*.json` files of a directory, sorted; a missing directory is an error. */
export function listCatalogFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new CatalogError(dir, '', 'catalog directory not found or not readable');
  }
  return names
    .filter((name) => /\.(ya?ml|json)$/i.test(name))
    .sort()
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile());
}

/** Parses a YAML or JSON file against a schema; any problem becomes a one-line {@link CatalogError}. */
export function parseFile<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  let raw: unknown;
  try {
    const source = readFileSync(file, 'utf8');
    raw = file.toLowerCase().endsWith('.json') ? JSON.parse(source) : parseYamlCached(source, { prettyErrors: false });
  } catch (error) {
    const problem = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CatalogError(file, '', `cannot read or parse: ${problem}`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new CatalogError(file, issue ? formatPath(issue.path) : '', issue?.message ?? 'invalid');
  }
  return result.data;
}

function indexRegistry(registry: Registry, file: string) {
  const materials = uniqueIndex(registry.materials, file, 'materials');
  const fields = uniqueIndex(registry.fields, file, 'fields');
  const permits = uniqueIndex(registry.permits, file, 'permits');
  registry.fields.forEach((field, i) => {
    const needsOptions = field.type === 'choice' || field.type === 'multi_choice';
    if (needsOptions && !field.options?.length) {
      throw new CatalogError(file, `fields[${i}].options`, `field "${field.id}" of type ${field.type} needs options`);
    }
    const on = field.when && fields.get(field.when.field);
    if (field.when && (!on || (on.options && !on.options.some((o) => o.id === field.when?.eq)))) {
      throw new CatalogError(file, `fields[${i}].when`, `field "${field.id}" depends on an unknown field or value (${field.when.field} = ${String(field.when.eq)})`);
    }
  });
  registry.permits.forEach((permit, i) => {
    permit.materials.forEach((m, j) => {
      if (!materials.has(m.id)) {
        throw new CatalogError(file, `permits[${i}].materials[${j}].id`, `unknown material "${m.id}" in permit "${permit.id}"`);
      }
    });
    permit.fields.forEach((f, j) => {
      if (!fields.has(f)) throw new CatalogError(file, `permits[${i}].fields[${j}]`, `unknown field "${f}" in permit "${permit.id}"`);
    });
  });
  return { materials, fields, permits };
}

function uniqueIndex<T extends { id: string }>(list: T[], file: string, key: string): Map<string, T> {
  const map = new Map<string, T>();
  list.forEach((entry, i) => {
    if (map.has(entry.id)) throw new CatalogError(file, `${key}[${i}].id`, `duplicate id "${entry.id}"`);
    map.set(entry.id, entry);
  });
  return map;
}

function checkRegion(region: Region, index: ReturnType<typeof indexRegistry>, file: string): void {
  const questions = uniqueIndex(region.questions, file, 'questions');
  region.questions.forEach((q, i) => {
    if (q.type === 'choice' && !q.options?.length) {
      throw new CatalogError(file, `questions[${i}].options`, `choice question "${q.id}" needs options`);
    }
    if (q.type === 'number' && q.unit !== undefined && !unitOf(q.unit)) {
      throw new CatalogError(file, `questions[${i}].unit`, `unknown unit "${q.unit}" for number question "${q.id}"; accepted: ${Object.keys(UNITS).join(', ')}`);
    }
    if (q.fillsField && !index.fields.has(q.fillsField)) {
      throw new CatalogError(file, `questions[${i}].fillsField`, `unknown field "${q.fillsField}"`);
    }
  });
  region.formFields.forEach((f, i) => {
    if (!index.fields.has(f.field)) throw new CatalogError(file, `formFields[${i}].field`, `unknown field "${f.field}" (not in permits.yaml)`);
  });
  uniqueIndex(region.industries, file, 'industries');
  region.industries.forEach((industry, i) => {
    const seen = new Set<string>();
    industry.items.forEach((item, j) => {
      const at = `industries[${i}].items[${j}]`;
      if (!index.permits.has(item.permit)) {
        throw new CatalogError(file, `${at}.permit`, `unknown permit "${item.permit}" (not in permits.yaml)`);
      }
      if (seen.has(item.permit)) throw new CatalogError(file, `${at}.permit`, `permit "${item.permit}" listed twice in "${industry.name}"`);
      seen.add(item.permit);
      if (!(item.department in region.departments)) {
        throw new CatalogError(file, `${at}.department`, `department "${item.department}" is not defined in departments`);
      }
      if (item.when) checkCondition(item.when, questions, file, `${at}.when`);
      item.caveats.forEach((c, k) => checkCondition(c.when, questions, file, `${at}.caveats[${k}].when`));
    });
  });
  // Conditions on materials refer to the questions of every region that lists the permit.
  for (const industry of region.industries) {
    for (const item of industry.items) {
      const permit = index.permits.get(item.permit);
      permit?.materials.forEach((m, j) => {
        if (m.when) checkCondition(m.when, questions, file, `permit ${permit.id} materials[${j}].when`);
      });
    }
  }
}

function checkCondition(cond: Condition, questions: Map<string, Region['questions'][number]>, file: string, at: string): void {
  if ('all' in cond) return cond.all.forEach((c, i) => checkCondition(c, questions, file, `${at}.all[${i}]`));
  if ('any' in cond) return cond.any.forEach((c, i) => checkCondition(c, questions, file, `${at}.any[${i}]`));
  if ('not' in cond) return checkCondition(cond.not, questions, file, `${at}.not`);
  const question = questions.get(cond.q);
  if (!question) throw new CatalogError(file, `${at}.q`, `question "${cond.q}" is not defined in questions`);
  const values = 'eq' in cond ? [cond.eq] : 'ne' in cond ? [cond.ne] : 'in' in cond ? cond.in : [];
  for (const value of values) {
    const fits =
      question.type === 'boolean'
        ? typeof value === 'boolean'
        : question.type === 'number'
          ? typeof value === 'number'
          : question.options?.some((o) => o.id === value);
    if (!fits) throw new CatalogError(file, `${at}`, `value ${JSON.stringify(value)} does not fit ${question.type} question "${question.id}"`);
  }
  const numeric = 'gt' in cond || 'gte' in cond || 'lt' in cond || 'lte' in cond;
  if (numeric && question.type !== 'number') {
    throw new CatalogError(file, at, `numeric comparison on ${question.type} question "${question.id}"`);
  }
}
