/**
 * (d) Suggested answers for hotline agents (`eval/suggest/*.yaml`, the follow-up questions' format): the
 * question as an agent types it, with the caller's trade as context when the item gives one. Counted: the
 * right source among the (at most three) suggestions, the right source first, questions the documents do
 * not answer given no sourced suggestion, and confident wrong suggestion lists (sources, none right).
 */
import type { Catalog } from '../src/catalog/load.ts';
import { findRegion } from '../src/catalog/lookup.ts';
import type { AnswerWriter } from '../src/dialogue/ports.ts';
import { suggestAnswers } from '../src/handoff/suggest.ts';
import type { MessageReader } from '../src/nlu/reader.ts';
import { cite, matcher, type KnowledgeItem } from './knowledge.ts';

export interface SuggestScore {
  answerable: number;
  inTop3: number;
  first: number;
  none: number;
  honest: number;
  confidentWrong: number;
  misses: string[];
}

export async function scoreSuggestions(catalog: Catalog, reader: MessageReader, items: readonly KnowledgeItem[], writer?: AnswerWriter): Promise<SuggestScore> {
  const score: SuggestScore = { answerable: 0, inTop3: 0, first: 0, none: 0, honest: 0, confidentWrong: 0, misses: [] };
  for (const item of items) {
    const region = findRegion(catalog, item.region);
    const trade = item.trade ? (await reader.read(item.trade, { regionId: region.id })).industry : null;
    const industry = trade ? region.industries.find((i) => i.id === trade.id) : undefined;
    const result = await suggestAnswers(catalog, reader, { region, text: item.ask, ...(industry ? { industry } : {}) }, writer);
    const lists = result.suggestions.map((s) => s.sources);
    const cited = lists.flat();
    const label = `${item.region}${industry ? `/${industry.name}` : ''} | ${item.ask}`;
    if (item.source === 'none') {
      score.none++;
      if (!cited.length) score.honest++;
      else {
        score.confidentWrong++;
        score.misses.push(`  WRONG (none) ${label} → ${cite(cited)}`);
      }
      continue;
    }
    score.answerable++;
    const fits = matcher(catalog, item);
    const hit = lists.findIndex((sources) => sources.some(fits));
    if (hit >= 0) score.inTop3++;
    if (hit === 0) score.first++;
    if (hit < 0) {
      if (cited.length) score.confidentWrong++;
      score.misses.push(`  ${cited.length ? 'WRONG' : 'miss '} ${item.source} ${label} → ${cite(cited) || 'no suggestion'}`);
    }
  }
  return score;
}
