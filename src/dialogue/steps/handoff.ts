/**
 * 转人工: the conversation is marked for a hotline agent with a summary of where it stands; until the
 * user asks for the assistant again (or starts over), the assistant only says that a person will answer.
 */
import type { Catalog } from '../../catalog/load.ts';
import { assess } from '../../guidance/assess.ts';
import type { Draft } from '../draft.ts';
import { STAGE_LABEL } from '../stages.ts';
import * as T from '../texts/index.ts';
import type { DialogueState } from '../types.ts';

export function handOff(d: Draft): void {
  d.handoff = true;
  const { head, items } = whereItStands(d.catalog, d.state);
  d.say(T.handedOff(d.region(), [...head, ...items].join('；')));
}

/**
 * Where the conversation stands, as the user is told on 转人工 and the agent reads it (src/handoff adds the
 * case once there is one): `head` the region, trade and progress; `items` the permits needed and to decide
 * on the answers as they are, and any application number.
 */
export function whereItStands(catalog: Catalog, state: DialogueState): { head: string[]; items: string[] } {
  const region = state.region ? catalog.regions.find((r) => r.id === state.region) : undefined;
  const industry = state.industry ? region?.industries.find((i) => i.id === state.industry) : undefined;
  const head = [region ? `地区：${region.name}` : '地区：未选', industry ? `行业：${industry.name}` : '行业：未确定', `进展：${STAGE_LABEL[state.stage]}`];
  const items: string[] = [];
  if (region && industry) {
    const assessment = assess(catalog, region, industry, state.answers);
    const required = assessment.items.filter((i) => i.status === 'required').map((i) => i.name);
    const undecided = assessment.items.filter((i) => i.status === 'undecided').map((i) => i.name);
    items.push(`需办：${required.join('、') || '无'}`);
    if (undecided.length) items.push(`待确认：${undecided.join('、')}`);
  }
  if (state.applicationNumber) items.push(`申请编号：${state.applicationNumber}`);
  return { head, items };
}
