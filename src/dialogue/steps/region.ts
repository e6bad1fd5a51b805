/**
 * The region: chosen by the channel (the web page's selector), named in a message (a region, an alias
 * or a place inside it), or asked. A trade chosen before stays when the new region has it too.
 */
import type { Reading } from '../../nlu/reading.ts';
import type { Draft } from '../draft.ts';
import * as T from '../texts/index.ts';

/** Sets the region without a word (the channel chose it, or a message named it with more to say). */
export function chooseRegion(d: Draft, id: string): void {
  if (d.state.region === id) return;
  d.state.region = id;
  const region = d.region();
  if (d.state.industry && !region?.industries.some((i) => i.id === d.state.industry)) {
    d.state.proposedIndustry = d.state.industry;
    delete d.state.industry;
  }
  if (d.state.pendingQuestion && !region?.questions.some((q) => q.id === d.state.pendingQuestion)) delete d.state.pendingQuestion;
  if (d.state.stage === 'start' || d.state.stage === 'region') d.moveTo('industry');
}

/**
 * A region the message names (the last one: 「其实不是奈曼，是新乡经开区」). A switch is acknowledged;
 * a first choice only when the message names no trade (the trade's introduction names the region).
 * Returns true when the region changed.
 */
export function applyRegion(d: Draft, r: Reading): boolean {
  if (!r.region || r.region === d.state.region) return false;
  const switching = d.state.region !== undefined;
  const trade = d.industry()?.name;
  chooseRegion(d, r.region);
  const region = d.region();
  if (region && (switching || (!r.industry && !r.outOfCatalog))) d.say(T.regionChosen(region, switching));
  // The trade chosen before is not in the new region's catalog: said, not dropped silently.
  if (region && trade && !d.state.industry && !r.industry) d.say(T.tradeNotInRegion(trade, region));
  return true;
}

/** 「换个地区」: the trade goes too (another region has another catalog). */
export function changeRegion(d: Draft): void {
  delete d.state.region;
  delete d.state.industry;
  delete d.state.proposedIndustry;
  delete d.state.pendingQuestion;
  d.moveTo('region');
  d.say(T.askRegion(d.catalog.regions));
}
