/**
 * 转人工: the conversation is marked for a hotline agent with a summary of where it stands; until the
 * user asks for the assistant again (or starts over), the assistant only says that a person will answer.
 */
import type { Draft } from '../draft.ts';
import { STAGE_LABEL } from '../stages.ts';
import * as T from '../texts/index.ts';

export function handOff(d: Draft): void {
  d.handoff = true;
  const region = d.region();
  const industry = d.industry();
  const parts = [region ? `地区：${region.name}` : '地区：未选', industry ? `行业：${industry.name}` : '行业：未确定', `进展：${STAGE_LABEL[d.state.stage]}`];
  const assessment = d.assessment();
  if (assessment) {
    const required = assessment.items.filter((i) => i.status === 'required').map((i) => i.name);
    const undecided = assessment.items.filter((i) => i.status === 'undecided').map((i) => i.name);
    parts.push(`需办：${required.join('、') || '无'}`);
    if (undecided.length) parts.push(`待确认：${undecided.join('、')}`);
  }
  if (d.state.applicationNumber) parts.push(`申请编号：${d.state.applicationNumber}`);
  d.state.handoffSummary = parts.join('；');
  d.say(T.handedOff(region, d.state.handoffSummary));
}
