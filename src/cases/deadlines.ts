/**
 * Time limits per item, from the permit registry and the region's rule (both data):
 * - `reduced` (奈曼旗): each item's promised limit is its statutory limit cut by the region's percentage;
 * - `shortest_inspection_item` (新乡经开区): items are approved in parallel within the statutory limit
 *   of the shortest item that needs on-site inspection, so each item's promised limit is the smaller of
 *   its own limit and that one.
 * An item whose statutory limit no source states gets no deadline at all.
 */
import type { WorkingCalendar } from '../calendar/workingDays.ts';
import type { Catalog } from '../catalog/load.ts';
import { getPermit } from '../catalog/lookup.ts';
import type { Region } from '../catalog/schema.ts';
import { promisedDays } from '../guidance/notice.ts';

export interface ItemLimits {
  statutoryWorkingDays?: number;
  promisedWorkingDays?: number;
}

export function itemLimits(catalog: Catalog, region: Region, permitIds: readonly string[]): Map<string, ItemLimits> {
  const permits = permitIds.map((id) => getPermit(catalog, id, region));
  const limits = new Map<string, ItemLimits>();
  const rule = region.timeRule;
  const inspected = permits
    .filter((p) => p.inspection.required === 'always' || p.inspection.required === 'sometimes')
    .flatMap((p) => (p.timeLimit.workingDays === undefined ? [] : [p.timeLimit.workingDays]));
  const shortest = inspected.length ? Math.min(...inspected) : undefined;
  for (const permit of permits) {
    const statutory = permit.timeLimit.workingDays;
    if (statutory === undefined) {
      limits.set(permit.id, {});
      continue;
    }
    // No rule the document states: the statutory limit only, nothing promised beyond it.
    const promised =
      rule?.kind === 'reduced'
        ? promisedDays(statutory, rule.reductionPercent)
        : rule?.kind === 'shortest_inspection_item' && shortest !== undefined
          ? Math.min(statutory, shortest)
          : undefined;
    limits.set(permit.id, { statutoryWorkingDays: statutory, ...(promised !== undefined ? { promisedWorkingDays: promised } : {}) });
  }
  return limits;
}

export interface ItemDeadlines {
  statutoryDeadline: string | null;
  promisedDeadline: string | null;
  /** Some day counted fell in a year without official holiday data. */
  approximate: boolean;
  /** The deadline that applies (promised, else statutory) is approximate: what the applicant is told. */
  applyingApproximate: boolean;
}

/** Deadlines counted from `startDate` (the day of submission or acceptance, not itself counted). */
export function deadlinesFrom(calendar: WorkingCalendar, startDate: string, limits: ItemLimits): ItemDeadlines {
  const statutory = limits.statutoryWorkingDays !== undefined ? calendar.addWorkingDays(startDate, limits.statutoryWorkingDays) : undefined;
  const promised = limits.promisedWorkingDays !== undefined ? calendar.addWorkingDays(startDate, limits.promisedWorkingDays) : undefined;
  return {
    statutoryDeadline: statutory?.date ?? null,
    promisedDeadline: promised?.date ?? null,
    approximate: Boolean(statutory?.approximate || promised?.approximate),
    applyingApproximate: Boolean((promised ?? statutory)?.approximate),
  };
}

/** Whether a stored deadline was counted approximately: it lies after the last year the calendar covers. */
export function deadlineApproximate(calendar: WorkingCalendar, deadline: string | undefined): boolean {
  if (deadline === undefined) return false;
  return !calendar.coveredYears.includes(Number(deadline.slice(0, 4)));
}
