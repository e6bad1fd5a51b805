/**
 * (c) Follow-up questions in context (`eval/knowledge/*.yaml`): a user names their trade (or not), then
 * asks; the reply is graded by where it says it comes from. Counted: answered from the right source
 * (the clause, or the permit and the aspect), right at the first source (hit@1), honest "not in my
 * knowledge" for questions the documents do not answer, and confident wrong answers apart (a source given,
 * but not the right one; or any source for a question the documents do not answer).
 */
import { z } from 'zod';
import type { Catalog } from '../src/catalog/load.ts';
import { getPermit } from '../src/catalog/lookup.ts';
import { clauseRef, type Aspect } from '../src/knowledge/passages.ts';
import type { Reply } from '../src/dialogue/types.ts';
import type { EvalAssistant } from './assistant.ts';

export const questionSchema = z.strictObject({
  region: z.string(),
  trade: z.string().optional(),
  ask: z.string().min(1),
  source: z.string(),
  // Authors write one clause or a list.
  also: z
    .union([z.string(), z.array(z.string())])
    .default([])
    .transform((v) => (typeof v === 'string' ? [v] : v)),
  note: z.string().optional(),
});
export type KnowledgeItem = z.infer<typeof questionSchema>;

type Source = NonNullable<Reply['sources']>[number];

/** What the honest answer says: nothing to cite (or a fact the sources do not state). */
const HONEST = /没有确切答案|不在我的|未写明|没有写明|没有规定|不在.{0,12}目录/u;

export interface KnowledgeScore {
  answerable: number;
  right: number;
  hitAt1: number;
  none: number;
  honest: number;
  confidentWrong: number;
  misses: string[];
}

export async function scoreKnowledge(assistant: EvalAssistant, file: string, items: readonly KnowledgeItem[]): Promise<KnowledgeScore> {
  const catalog = assistant.catalog;
  const score: KnowledgeScore = { answerable: 0, right: 0, hitAt1: 0, none: 0, honest: 0, confidentWrong: 0, misses: [] };
  for (const [n, item] of items.entries()) {
    const user = `${file}#${n}`;
    if (item.trade) {
      await assistant.say(user, item.trade, item.region);
      // A nearest trade offered to confirm: the user says yes, as a person would.
      if (await assistant.proposed(user)) await assistant.say(user, '是的', item.region);
    }
    const result = await assistant.say(user, item.ask, item.region);
    const sources = result.replies.flatMap((r) => r.sources ?? []);
    const text = result.replies.map((r) => r.text).join('\n');
    const fits = matcher(catalog, item);
    if (item.source === 'none') {
      score.none += 1;
      if (!sources.length || HONEST.test(text)) score.honest += 1;
      else {
        score.confidentWrong += 1;
        score.misses.push(`  WRONG (none) ${item.region} | ${item.ask} → ${cite(sources)}`);
      }
      continue;
    }
    score.answerable += 1;
    const right = sources.some(fits);
    if (right) score.right += 1;
    if (sources[0] && fits(sources[0])) score.hitAt1 += 1;
    if (!right && sources.length) {
      score.confidentWrong += 1;
      score.misses.push(`  WRONG ${item.region} ${item.source} | ${item.ask} → ${cite(sources)}`);
    } else if (!right) {
      score.misses.push(`  miss  ${item.region} ${item.source} | ${item.ask} → ${text.split('\n')[0]?.slice(0, 50)}`);
    }
  }
  return score;
}

/** Whether a reply's source is where the item says the answer is (`catalog`: the region's catalog of industries). */
export function matcher(catalog: Catalog, item: KnowledgeItem): (s: Pick<Source, 'title' | 'ref' | 'permits'>) => boolean {
  const region = catalog.regions.find((r) => r.id === item.region || r.name === item.region);
  const catalogToo = [item.source, ...item.also].includes('catalog');
  if (item.source.startsWith('permit:')) {
    const [id = '', aspect = ''] = item.source.slice('permit:'.length).split('#');
    const permit = getPermit(catalog, id);
    const own = aspectSources(permit, aspect as Aspect).map((s) => `${s.title}|${clauseRef(s.article ?? '')}`);
    const faq = permit.faq.flatMap((f) => f.sources).map((s) => `${s.title}|${clauseRef(s.article ?? '')}`);
    return (s) => Boolean(s.permits?.includes(id)) && (own.includes(`${s.title}|${s.ref}`) || faq.includes(`${s.title}|${s.ref}`));
  }
  const refs = [item.source, ...item.also].filter((r) => r !== 'catalog').map(clauseRef);
  return (s) => (s.title === region?.document.title && refs.includes(s.ref)) || (catalogToo && s.title === region?.document.catalogTitle);
}

function aspectSources(permit: ReturnType<typeof getPermit>, aspect: Aspect) {
  switch (aspect) {
    case 'time':
      return permit.timeLimit.sources;
    case 'fee':
      return permit.fee.sources;
    case 'inspection':
      return permit.inspection.sources;
    case 'validity':
      return permit.validity?.sources ?? permit.legalBasis;
    case 'materials':
    case 'basis':
      return permit.legalBasis;
  }
}

/** Sources as the misses list them. */
export function cite(sources: Pick<Source, 'title' | 'ref' | 'permits'>[]): string {
  return sources.map((s) => `《${s.title}》${s.ref}${s.permits ? `[${s.permits.join(',')}]` : ''}`).join('；');
}
