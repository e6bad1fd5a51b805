/**
 * Checks beyond the schema: what a region's document says about its own catalog, alternatives that could
 * apply together, notes without conditions, wording the registry does not know.
 */
import { walkScenarios } from '../guidance/scenarios.ts';
import type { Catalog } from './load.ts';
import { getPermit } from './lookup.ts';
import { questionsOf } from '../guidance/conditions.ts';

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
        const permit = getPermit(catalog, item.permit, region);
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
  }
  return findings;
}
