import { UnknownNameError } from './errors.ts';
import type { Catalog } from './load.ts';
import type { Industry, Permit, Question, Region } from './schema.ts';

const normalise = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/** A region by its id, its Chinese name, full name or an alias; throws {@link UnknownNameError}. */
export function findRegion(catalog: Catalog, given: string): Region {
  const key = normalise(given);
  const region = catalog.regions.find(
    (r) => r.id === key || [r.name, r.fullName, ...r.aliases].some((n) => normalise(n) === key),
  );
  if (!region) throw new UnknownNameError('region', given, catalog.regions.map((r) => `${r.name}（${r.id}）`));
  return region;
}

/** An industry of a region by id or by the region's own name for it. */
export function findIndustry(region: Region, given: string): Industry {
  const key = normalise(given);
  const industry = region.industries.find((i) => i.id === key || normalise(i.name) === key);
  if (!industry) throw new UnknownNameError('industry', given, region.industries.map((i) => i.name));
  return industry;
}

export function findQuestion(region: Region, id: string): Question {
  const question = region.questions.find((q) => q.id === id);
  if (!question) throw new UnknownNameError('question', id, region.questions.map((q) => q.id));
  return question;
}

/**
 * A permit as the region runs it (the registry's with the region's overrides, or the region's own), or
 * as the registry has it when no region is given.
 */
export function getPermit(catalog: Catalog, id: string, region?: Pick<Region, 'id'> | string): Permit {
  const regionId = typeof region === 'string' ? region : region?.id;
  const permit = (regionId ? catalog.regionPermits.get(regionId)?.get(id) : undefined) ?? catalog.permits.get(id);
  // The loader has checked every reference, so a miss here is a programming error.
  if (!permit) throw new Error(`permit ${id} missing from a checked catalog`);
  return permit;
}

/** The national government service hotline (国办发〔2020〕53号), named when a region's document names none. */
export const NATIONAL_HOTLINE = '12345政务服务便民热线';

/** The region's hotline as people dial it (12345（企业开办专席）), or the national one when its document names none. */
export function hotlineText(region: Region | undefined): string {
  if (!region?.hotline) return NATIONAL_HOTLINE;
  return `${region.hotline.number}${region.hotline.seat ? `（${region.hotline.seat}）` : ''}`;
}

/** The department's full name as the region's document gives it. */
export function departmentFullName(region: Region, department: string): string {
  return region.departments[department]?.fullName ?? department;
}

/** The permits the region's catalog lists for any of its industries. */
export function regionPermitIds(region: Region): Set<string> {
  return new Set(region.industries.flatMap((i) => i.items.map((it) => it.permit)));
}
