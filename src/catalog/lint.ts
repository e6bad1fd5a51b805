/**
 * Checks beyond the schema: what a region's document says about its own catalog, alternatives that could
 * apply together, notes without conditions, wording the registry does not know, parts of the file nothing
 * uses, sources still to verify, and what the document leaves unknown. Every finding says how to fix it.
 */
import { walkScenarios } from '../guidance/scenarios.ts';
import type { Catalog } from './load.ts';
import { isRecord } from './issues.ts';
import { getPermit, NATIONAL_HOTLINE, regionPermitIds } from './lookup.ts';
import { questionsOf } from '../guidance/conditions.ts';
import { QUESTION_KINDS } from '../nlu/reading.ts';
import type { Condition, Region } from './schema.ts';
import { isComparison, thresholdOf, type Comparison } from '../guidance/figures.ts';

export interface Finding {
  /**
   * error: the assistant would answer wrongly; warning: probably a mistake, or a placeholder left in;
   * info: deliberate as far as lint can tell (the document does not state it), said so the deployer knows.
   */
  level: 'error' | 'warning' | 'info';
  file: string;
  path: string;
  message: string;
  /** What to change, in the file's own terms. */
  fix: string;
}

const CONDITIONAL_NOTES = ['按需办理', '按要求办理'];
/** A note that states a figure as a limit (超过300平方米, 30万元以上, 不满50人). */
const THRESHOLD_WORDS = /\d+(?:\.\d+)?\s*(?:万元|元|平方米|平米|㎡|人|座|间|米)?(?:以上|以下|以内|及以上|及以下)|(?:超过|不满|不足|低于|高于|大于|小于|达到)\s*\d/u;

function usesInclusive(cond: Condition): boolean {
  let inclusive = false;
  walkComparisons(cond, '', (c) => (inclusive ||= 'gte' in c || 'lte' in c), () => undefined);
  return inclusive;
}

/** The words of the starter file (`yiye catalog new`) that stand for what the county's document says. */
export const PLACEHOLDER = '某某';

export function lintCatalog(catalog: Catalog, regionIds?: string[]): Finding[] {
  const findings: Finding[] = [];
  for (const region of catalog.regions) {
    if (regionIds && !regionIds.includes(region.id)) continue;
    const file = catalog.regionFiles.get(region.id) ?? region.id;
    const add = (level: Finding['level'], path: string, message: string, fix: string) => findings.push({ level, file, path, message, fix });

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
          'if the document really says both, keep the catalog as written and record the contradiction in docs/data-notes.md; otherwise correct the items or catalogRules.minItemsPerIndustry',
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
          add(
            'warning',
            `${at}.name`,
            `"${item.name}" is not the registry name or an alias of permit "${permit.id}" (${[permit.name, ...permit.aliases].join(', ')})`,
            `if the document writes it so, keep it and add it to the permit's wordings: permitOverrides: { ${permit.id}: { aliases: [${item.name}] } }; otherwise check that permit: ${permit.id} is the permit meant`,
          );
        }
        if (item.note && CONDITIONAL_NOTES.includes(item.note) && !item.when) {
          add(
            'warning',
            `${at}.when`,
            `"${item.name}" in ${industry.name} is marked ${item.note} but has no condition: it will always be required`,
            `add a question and a condition, e.g. when: { q: ${exampleQuestion(region)}, eq: true }, or remove the ${item.note} note if the document has none`,
          );
        }
        // 「工程投资额超过30万元或者建筑面积超过300平方米的须办理」 with no condition: the figure is never asked.
        if (item.note && !item.when && THRESHOLD_WORDS.test(item.note)) {
          add(
            'warning',
            `${at}.when`,
            `"${item.name}" in ${industry.name} has a note with a threshold («${item.note}») but no condition: it will always be required`,
            'add a number question (type: number, unit: …) and the comparison the note words, e.g. when: { q: building_area, gt: 300 } for 超过300平方米',
          );
        }
        // 「…30万元以上且建筑面积300平方米以上（均不含本数）」: gt, not gte.
        if (item.note && item.when && /不含本数/u.test(item.note) && usesInclusive(item.when)) {
          add(
            'warning',
            `${at}.when`,
            `"${item.name}" in ${industry.name}: the note says 不含本数, yet the condition compares with gte or lte, which include the figure`,
            'write gt / lt for figures the document says do not include themselves (不含本数)',
          );
        }
        if (item.when && !(item.note && CONDITIONAL_NOTES.includes(item.note)) && !item.group && !item.conditionSources) {
          add(
            'warning',
            `${at}.conditionSources`,
            `"${item.name}" in ${industry.name} has a condition the document does not note`,
            'cite the law the condition interprets: conditionSources: [{ title: 中华人民共和国…法, article: 第…条, quote: … }], or write the document\'s note (note: 按需办理) if it has one',
          );
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
              `alternatives ${together.map((t) => t.name).join(' / ')} (group ${group}) in ${industry.name} all apply when ${JSON.stringify(leaf.answers)}`,
              `make the when conditions of group ${group} exclusive (e.g. one item when: { q: …, eq: a }, the other when: { q: …, ne: a }), or take the items that can apply together out of the group`,
            );
          }
        }
      }
    });
    region.reformFaq.forEach((faq, i) => {
      const unknown = faq.asks.filter((k) => !(QUESTION_KINDS as readonly string[]).includes(k));
      if (unknown.length) {
        add('warning', `reformFaq[${i}].asks`, `unknown request kind${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: the entry will not answer that kind of question`, `use some of ${QUESTION_KINDS.join(', ')}, or leave asks: [] for an entry found by its question and variants only`);
      }
    });
    region.questions.forEach((q, i) => {
      if (!used.has(q.id)) {
        add('warning', `questions[${i}]`, `question "${q.id}" is not used by any item`, `use it in an item's condition (when: { q: ${q.id}, eq: … }) or remove the question`);
      }
    });

    const listed = regionPermitIds(region);
    for (const id of Object.keys(region.permitOverrides)) {
      if (!listed.has(id)) {
        add('warning', `permitOverrides.${id}`, `overrides permit "${id}", which no industry of ${region.name} lists`, `add an item with permit: ${id} to the industries that need it, or remove permitOverrides.${id}`);
      }
    }
    region.permits.forEach((p, i) => {
      if (!listed.has(p.id)) add('warning', `permits[${i}]`, `the region's own permit "${p.id}" (${p.name}) is not used by any industry`, `list it in an industry's items (permit: ${p.id}), or remove it`);
    });

    for (const { path, title } of sourcesToVerify(region)) {
      add('warning', path, `source "${title}" has confidence L (not found in a source: to verify)`, 'find it in the source and set confidence: H (read there) or M (partial or secondary source), or remove what it supports');
    }

    const placeholders = placeholderPaths(region);
    if (placeholders.length) {
      add(
        'warning',
        placeholders[0] ?? '',
        `${placeholders.length} text(s) still hold the starter file's placeholder ${PLACEHOLDER}: ${placeholders.slice(0, 5).join(', ')}${placeholders.length > 5 ? ', …' : ''}`,
        `replace each ${PLACEHOLDER} with the document's own words before deploying`,
      );
    }

    const stated = (what: string) => `if the document states ${what}, write it; if it does not, nothing to do`;
    if (!region.hotline) {
      add('info', 'hotline', `no hotline: the assistant names the window and the national ${NATIONAL_HOTLINE}, and says 以窗口告知为准`, `${stated('a consultation line')} (hotline: { number: "12345", seat: 企业开办专席, sources: [...] })`);
    }
    if (!region.timeRule) {
      add('info', 'timeRule', 'no time rule: the assistant gives the statutory time limits only and says 以窗口告知为准 for the total', `${stated('a promised time limit')} (timeRule: { kind: reduced, reductionPercent: 50, sources: [...] } or { kind: shortest_inspection_item, sources: [...] })`);
    }
    const rules = region.licenceRules;
    const ruleKeys = ['issueWithPendingItems', 'onPrintedChange', 'onUnprintedChange', 'onItemEnded'] as const;
    const unknownRules = ruleKeys.filter((k) => rules[k] === undefined);
    if (unknownRules.length) {
      add(
        'info',
        unknownRules.length === ruleKeys.length ? 'licenceRules' : `licenceRules.${unknownRules[0] ?? ''}`,
        `${unknownRules.length === ruleKeys.length ? 'no licence rules' : `licence rules unknown: ${unknownRules.join(', ')}`}: the assistant promises nothing about what a change or a revoked item does to the licence and says 以窗口告知为准`,
        `${stated('what happens to the licence when an item changes or ends')} (licenceRules: { onItemEnded: void_licence, …, sources: [...] })`,
      );
    }

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
function lintThresholds(catalog: Catalog, region: Region, add: (level: Finding['level'], path: string, message: string, fix: string) => void): void {
  const seen = new Map<string, Map<string, string>>(); // question → `${op} ${figure}` → where
  region.industries.forEach((industry, i) => {
    industry.items.forEach((item, j) => {
      const at = `industries[${i}].items[${j}]`;
      const conditions: [string, Condition][] = item.caveats.map((c, k) => [`${at}.caveats[${k}].when`, c.when]);
      if (item.when) conditions.unshift([`${at}.when`, item.when]);
      const permit = getPermit(catalog, item.permit, region);
      permit.materials.forEach((m, k) => {
        if (m.when) conditions.push([`permit ${permit.id} materials[${k}].when`, m.when]);
      });
      for (const [path, cond] of conditions) {
        walkComparisons(cond, path, (c, where) => {
          const op = OPS.find((o) => o in c);
          if (!op) return;
          const figures = seen.get(c.q) ?? new Map<string, string>();
          seen.set(c.q, figures);
          const key = `${op} ${thresholdOf(c)}`;
          figures.set(key, figures.get(key) ?? where);
        }, (parts, where) => {
          if (emptyInterval(parts)) add('warning', where, `conditions ${JSON.stringify(parts)} can never all hold: no figure satisfies them`, 'check the figures and the comparisons against the document (以上 → gte, 超过 → gt, 以下 → lte, 不满 → lt)');
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
          add('warning', where, `question "${q}" is compared with both ${strict} ${n} (here) and ${inclusive} ${n} (${other})`, `check the document's words (${words}): 以上/以下 include the figure (gte/lte), 超过/不满 do not (gt/lt)`);
        }
      }
    }
  }
  region.questions.forEach((q, i) => {
    if (q.type === 'number' && !q.unit && seen.has(q.id)) {
      add('warning', `questions[${i}].unit`, `number question "${q.id}" has no unit: answers such as 「250000元」 cannot be converted, only bare figures are read`, 'give the unit the document uses (unit: 平方米, 万元, 人 …)');
    }
  });
}

/** Visits every comparison, and every `all` whose parts are comparisons of one question. */
function walkComparisons(cond: Condition, at: string, leaf: (c: Comparison, at: string) => void, conjunction: (parts: Comparison[], at: string) => void): void {
  if ('all' in cond) {
    cond.all.forEach((c, i) => walkComparisons(c, `${at}.all[${i}]`, leaf, conjunction));
    const byQuestion = new Map<string, Comparison[]>();
    for (const c of cond.all) if (isComparison(c)) byQuestion.set(c.q, [...(byQuestion.get(c.q) ?? []), c]);
    for (const parts of byQuestion.values()) if (parts.length > 1) conjunction(parts, at);
    return;
  }
  if ('any' in cond) return cond.any.forEach((c, i) => walkComparisons(c, `${at}.any[${i}]`, leaf, conjunction));
  if ('not' in cond) return walkComparisons(cond.not, `${at}.not`, leaf, conjunction);
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

/** A question id to show in a fix: the region's first boolean question, or a typical one. */
function exampleQuestion(region: Region): string {
  return region.questions.find((q) => q.type === 'boolean')?.id ?? 'sells_tobacco';
}

/** Every source object of the region with confidence L, and where it is. */
function sourcesToVerify(region: Region): { path: string; title: string }[] {
  const out: { path: string; title: string }[] = [];
  walk(region, '', (value, at) => {
    if (isRecord(value) && value.confidence === 'L' && typeof value.title === 'string') out.push({ path: at, title: value.title });
  });
  return out;
}

/** The paths of the texts that still hold the starter file's placeholder. */
function placeholderPaths(region: Region): string[] {
  const out: string[] = [];
  walk(region, '', (value, at) => {
    if (typeof value === 'string' && value.includes(PLACEHOLDER)) out.push(at);
  });
  return out;
}

function walk(value: unknown, at: string, visit: (value: unknown, at: string) => void): void {
  visit(value, at);
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`, visit));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) walk(v, at ? `${at}.${k}` : k, visit);
}

