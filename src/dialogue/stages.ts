/**
 * The conversation's stages and the moves allowed between them, checked in one place. A move the table
 * does not allow is a bug in a step, not something a user can cause: it throws.
 */
import type { DialogueState, Stage } from './types.ts';

const BEFORE_PERMITS: readonly Stage[] = ['region', 'industry', 'confirm_industry', 'questions', 'guided'];

export const STAGE_MOVES: Readonly<Record<Stage, readonly Stage[]>> = {
  start: BEFORE_PERMITS,
  region: BEFORE_PERMITS,
  industry: BEFORE_PERMITS,
  confirm_industry: BEFORE_PERMITS,
  questions: BEFORE_PERMITS,
  guided: [...BEFORE_PERMITS, 'reuse', 'form', 'confirm'],
  reuse: ['form', 'confirm'],
  form: ['form', 'confirm'],
  confirm: ['form', 'confirm', 'submitted'],
  submitted: ['submitted'],
};

/** What a hotline agent reads about where the conversation stands. */
export const STAGE_LABEL: Readonly<Record<Stage, string>> = {
  start: '刚开始',
  region: '选择地区',
  industry: '确定行业',
  confirm_industry: '确认行业',
  questions: '回答情形问题',
  guided: '已了解所需许可',
  reuse: '确认沿用信息',
  form: '填写申请表',
  confirm: '核对申请表',
  submitted: '已提交申请',
};

export class StageMoveError extends Error {
  override readonly name = 'StageMoveError';
  constructor(
    readonly from: Stage,
    readonly to: Stage,
  ) {
    super(`the dialogue may not move from ${from} to ${to}`);
  }
}

/** Moves the state to `to`, or throws when the table does not allow it. Staying put is always allowed. */
export function moveTo(state: DialogueState, to: Stage): void {
  if (state.stage === to) return;
  if (!STAGE_MOVES[state.stage].includes(to)) throw new StageMoveError(state.stage, to);
  state.stage = to;
}

/** Stages in which the permits are known and the form may be open. */
export function isFormStage(stage: Stage): boolean {
  return stage === 'reuse' || stage === 'form' || stage === 'confirm' || stage === 'submitted';
}
