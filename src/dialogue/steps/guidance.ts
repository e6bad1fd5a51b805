/**
 * After the message's facts are applied: the next question that decides a permit, or the permits
 * themselves once nothing is left to ask. A question asked again is one short line.
 */
import { renderPermits } from '../../guidance/render.ts';
import type { Assessment } from '../../guidance/assess.ts';
import type { Draft } from '../draft.ts';
import { isFormStage } from '../stages.ts';
import * as T from '../texts/index.ts';
import type { Reply } from '../types.ts';

export interface AdvanceOptions {
  /** The trade was set or changed this turn: the question is asked in full, the permits shown. */
  newTrade?: boolean;
  /** Show the permits as they stand even while questions remain (the user asked which permits). */
  showPermits?: boolean;
  /** Something the permits depend on changed this turn. */
  changed?: boolean;
}

export function advance(d: Draft, options: AdvanceOptions = {}): void {
  const assessment = d.assessment();
  if (!assessment) return;
  const next = assessment.nextQuestion;
  if (next) {
    if (options.showPermits) d.sayOnce('permits', permitsReply(assessment));
    const again = d.state.stage === 'questions' && d.state.pendingQuestion === next.id && !options.newTrade;
    d.state.pendingQuestion = next.id;
    d.moveTo('questions');
    d.sayOnce('question', T.questionReply(next, again));
    return;
  }
  delete d.state.pendingQuestion;
  const wasGuided = d.state.stage === 'guided' || isFormStage(d.state.stage);
  if (!isFormStage(d.state.stage)) d.moveTo('guided');
  if (!wasGuided || options.changed || options.showPermits || options.newTrade) d.sayOnce('permits', permitsReply(assessment));
  if (!wasGuided || options.newTrade) d.sayOnce('offer', T.offerNext(assessment));
}

/** What to ask now, with nothing new to apply (after help, a side question, a visit). */
export function prompt(d: Draft): void {
  const region = d.region();
  if (!region) {
    d.moveTo('region');
    d.sayOnce('ask-region', T.askRegion(d.catalog.regions));
    return;
  }
  if (d.state.stage === 'confirm_industry' && d.state.proposedIndustry) {
    const name = region.industries.find((i) => i.id === d.state.proposedIndustry)?.name;
    if (name) d.sayOnce('confirm-industry', T.confirmIndustry(name));
    return;
  }
  if (!d.industry()) {
    d.sayOnce('ask-industry', T.askIndustry(region));
    return;
  }
  switch (d.state.stage) {
    case 'questions': {
      const q = d.pendingQuestion();
      if (q) d.sayOnce('question', T.questionReply(q, true));
      else advance(d);
      return;
    }
    case 'submitted':
      d.sayOnce('submitted', T.submittedPrompt(d.state.applicationNumber));
      return;
    default:
      return;
  }
}

export function permitsReply(assessment: Assessment): Reply {
  return { kind: 'permits', text: renderPermits(assessment) };
}
