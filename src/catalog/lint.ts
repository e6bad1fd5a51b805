/**
 * Checks beyond the schema: what a region's document says about its own catalog, alternatives that could
 * apply together, notes without conditions, wording the registry does not know.
 */
import { walkScenarios } from '../guidance/scenarios.ts';
import type { Catalog } from './load.ts';
import { getPermit } from './lookup.ts';
import { questionsOf } from '../guidance/conditions.ts';
import type { Condition, Region } from './schema.ts';
import { isComparison, thresholdOf, type Comparison } from '../guidance/figures.ts';

export interface Finding {
  level: 'error' | 'warning';
  file: string;
  path: string;
  message: string;
}

const CONDITIONAL_NOTES = ['按需办理', '按要求办理'];

export function lintCatalog(catalog: Catalog, regionIds?: string[]): Finding[] {
  const findings: Finding[] = [];
  for (const region of catalog.regions) {
    if (regionIds && !regionIds.includes(region.id)) continue;
    const file = catalog.regionFiles.get(region.id) ?? region.id;
    const add = (level: Finding['level'], path: string, message: string) => findings.push({ level, file, path, message });

    const min = region.catalogRules?.minItemsPerIndustry;
    if (min) {
      const quote = region.catalogRules?.sources[0]?.quote;
      const few = region.industries.filter((i) => i.items.length < min);
      if (few.length) {
        add(
          'warning',
          'catalogRules.minItemsPerIndustry',
          `document contradicts itself: its text says industries with fewer than ${min} items are not catalogued` +
            `${quote ? ` («${quote}»)` : ''}, yet its catalog lists ${few.map((i) => `${i.name} (${i.items.length})`).join(', ')}`,
        );
      }
    }

    const used = new Set<string>();
    region.industries.forEach((industry, i) => {
      industry.items.forEach((item, j) => {
        const at = `industries[${i}].items[${j}]`;
        const permit = getPermit(catalog, item.permit);
        if (item.when) questionsOf(item.when).forEach((q) => used.add(q));
        if (![permit.name, ...permit.aliases].includes(item.name)) {
          add('warning', `${at}.name`, `"${item.name}" is not the registry name or an alias of permit "${permit.id}"`);
        }
        if (item.note && CONDITIONAL_NOTES.includes(item.note) && !item.when) {
          add('warning', `${at}.when`, `"${item.name}" in ${industry.name} is marked ${item.note} but has no condition: it will always be required`);
        }
        if (item.when && !(item.note && CONDITIONAL_NOTES.includes(item.note)) && !item.group && !item.conditionSources) {
          add('warning', `${at}.conditionSources`, `"${item.name}" in ${industry.name} has a condition the document does not note; cite its legal basis`);
        }
      });
      const groups = new Set(industry.items.flatMap((item) => (item.group ? [item.group] : [])));
      if (groups.size === 0) return;
      for (const leaf of walkScenarios(catalog, region, industry)) {
        for (const group of groups) {
          const together = leaf.items.filter((it) => it.group === group && it.status === 'required');
          if (together.length > 1) {
            add(
              'error',
              `industries[${i}]`,
              `alternatives ${together.map((t) => t.name).join(' / ')} in ${industry.name} all apply when ${JSON.stringify(leaf.answers)}`,
            );
          }
        }
      }
    });
    region.questions.forEach((q, i) => {
      if (!used.has(q.id)) add('warning', `questions[${i}]`, `question "${q.id}" is not used by any item`);
    });
    lintThresholds(catalog, region, add);
  }
  return findings;
}

const OPS = ['gt', 'gte', 'lt', 'lte'] as const;

/**
 * Thresholds of number questions, which follow the document's words (以上/以下/以内 include the figure,
 * 超过/不满 do not; docs/catalog-format.md): one figure compared both ways in one region (gt and gte 300) is
 * likely a slip, a conjunction no figure satisfies never holds, and a number question without a unit cannot
 * convert 「250000元」 or 「1.5亩」.
 */
function lintThresholds(catalog: Catalog, region: Region, add: (level: Finding['level'], path: string, message: string) => void): void {
  const seen = new Map<string, Map<string, string>>(); // question → `${op} ${figure}` → where
  region.industries.forEach((industry, i) => {
    industry.items.forEach((item, j) => {
      const at = `industries[${i}].items[${j}]`;
      const conditions: [string, Condition][] = item.caveats.map((c, k) => [`${at}.caveats[${k}].when`, c.when]);
      if (item.when) conditions.unshift([`${at}.when`, item.when]);
      const permit = catalog.permits.get(item.permit);
      permit?.materials.forEach((m, k) => {
        if (m.when) conditions.push([`permit ${permit.id} materials[${k}].when`, m.when]);
      });
      for (const [path, cond] of conditions) {
        walk(cond, path, (c, where) => {
          const op = OPS.find((o) => o in c);
          if (!op) return;
          const figures = seen.get(c.q) ?? new Map<string, string>();
          seen.set(c.q, figures);
          const key = `${op} ${thresholdOf(c)}`;
          figures.set(key, figures.get(key) ?? where);
        }, (parts, where) => {
          if (emptyInterval(parts)) add('warning', where, `conditions ${JSON.stringify(parts)} can never all hold: no figure satisfies them`);
        });
      }
    });
  });
  for (const [q, figures] of seen) {
    for (const [strict, inclusive, words] of [['gt', 'gte', '超过 / 以上'], ['lt', 'lte', '不满 / 以下']] as const) {
      for (const [key, where] of figures) {
        const [op, n] = key.split(' ');
        if (op !== strict) continue;
        const other = figures.get(`${inclusive} ${n}`);
        if (other) {
          add('warning', where, `question "${q}" is compared with both ${strict} ${n} (here) and ${inclusive} ${n} (${other}): check the document's words (${words}; 以上/以下 include the figure, 超过/不满 do not)`);
        }
      }
    }
  }
  region.questions.forEach((q, i) => {
    if (q.type === 'number' && !q.unit && seen.has(q.id)) {
      add('warning', `questions[${i}].unit`, `number question "${q.id}" has no unit: answers such as 「250000元」 cannot be converted, only bare figures are read`);
    }
  });
}

/** Visits every comparison, and every `all` whose parts are comparisons of one question. */
function walk(cond: Condition, at: string, leaf: (c: Comparison, at: string) => void, conjunction: (parts: Comparison[], at: string) => void): void {
  if ('all' in cond) {
    cond.all.forEach((c, i) => walk(c, `${at}.all[${i}]`, leaf, conjunction));
    const byQuestion = new Map<string, Comparison[]>();
    for (const c of cond.all) if (isComparison(c)) byQuestion.set(c.q, [...(byQuestion.get(c.q) ?? []), c]);
    for (const parts of byQuestion.values()) if (parts.length > 1) conjunction(parts, at);
    return;
  }
  if ('any' in cond) return cond.any.forEach((c, i) => walk(c, `${at}.any[${i}]`, leaf, conjunction));
  if ('not' in cond) return walk(cond.not, `${at}.not`, leaf, conjunction);
  if (isComparison(cond)) leaf(cond, at);
}

/** No figure lies above every lower limit and below every upper one. */
function emptyInterval(parts: Comparison[]): boolean {
  let low = -Infinity;
  let lowOpen = false;
  let high = Infinity;
  let highOpen = false;
  for (const c of parts) {
    if ('gt' in c && c.gt >= low) [low, lowOpen] = [c.gt, true];
    else if ('gte' in c && c.gte > low) [low, lowOpen] = [c.gte, false];
    else if ('lt' in c && c.lt <= high) [high, highOpen] = [c.lt, true];
    else if ('lte' in c && c.lte < high) [high, highOpen] = [c.lte, false];
  }
  return low > high || (low === high && (lowOpen || highOpen));
}
