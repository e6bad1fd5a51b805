/** Reply texts of the conversation: greeting, help, region, trade, questions, permits, handoff. */
import { hotlineText } from '../../catalog/lookup.ts';
import type { Question, Region } from '../../catalog/schema.ts';
import type { Assessment } from '../../guidance/assess.ts';
import { thresholdOf, type Comparison } from '../../guidance/figures.ts';
import type { Reply, ReplyOption } from '../types.ts';

export const MAX_MESSAGE_CHARS = 1000;

export const YES_NO: ReplyOption[] = [
  { label: '是', value: '是' },
  { label: '否', value: '否' },
];

const NEXT_OPTIONS: ReplyOption[] = [
  { label: '告知单', value: '告知单' },
  { label: '填表', value: '填表' },
  { label: '转人工', value: '转人工' },
];


// ---- greeting, help, limits ------------------------------------------------------------------------

export function greeting(region: Region | undefined): Reply {
  return {
    kind: 'greeting',
    text:
      `您好！我是${region?.name ?? ''}“一业一证”办事助手。告诉我您想开什么店，例如「我想开个便利店，也卖烟」，` +
      '我会告诉您需要办哪些许可、准备哪些材料，并可以帮您在线填写一张申请表。',
  };
}

export function helpText(region: Region | undefined): Reply {
  return {
    kind: 'greeting',
    text: [
      '我可以帮您：',
      '1. 说出想开的店，我告诉您需要办哪些许可、由哪个部门办理；',
      '2. 回复「告知单」查看一次告知单（要准备的材料、时限、收费）；',
      '3. 回复「填表」在线填写一张合并申请表并提交；',
      '4. 回复「进度」查询申请办到哪一步，「许可证」获取行业综合许可证；',
      '5. 直接提问，例如「健康证要几个人的」「要收费吗」；',
      `6. 回复「重新开始」从头再来，「转人工」请热线${hotlineText(region)}坐席联系您。`,
    ].join('\n'),
    options: [
      { label: '告知单', value: '告知单' },
      { label: '填表', value: '填表' },
      { label: '进度', value: '进度' },
      { label: '转人工', value: '转人工' },
    ],
  };
}

/** The user's previous message is still being handled (on this or another instance) after the lock's wait. */
export const stillWorking: Reply = { kind: 'limit', text: '您的上一条消息还在处理中，请稍后再发一次。您之前填写的内容都已保存。' };

export const tooFast: Reply = { kind: 'limit', text: '您发送消息太快了，请稍等几秒再发。您之前填写的内容都已保存。' };

export function tooLong(length: number): Reply {
  return {
    kind: 'error',
    text: `您的消息太长了（${length}字）。请分几次发送，或简要说明您想开什么店、想问什么，每次不超过${MAX_MESSAGE_CHARS}字。`,
  };
}

export const restarted: Reply = { kind: 'greeting', text: '好的，已重新开始。之前的记录已保存，不会丢失。' };
export const stillHere: Reply = { kind: 'answer', text: '我一直在，请继续。' };
export const resumed: Reply = { kind: 'answer', text: '好的，由我继续为您服务。' };

export function notUnderstood(extra: string, region: Region | undefined): Reply {
  return {
    kind: 'error',
    text: `抱歉，我没有理解您的意思。${extra}也可以回复「帮助」查看我能做什么，或拨打${hotlineText(region)}咨询。`,
  };
}

export function unknownAnswer(region: Region | undefined): Reply {
  return {
    kind: 'answer',
    text: `这个问题我的资料里没有确切答案，为避免误导您，建议拨打${hotlineText(region)}咨询${region ? `，或到${region.window.name}现场询问` : ''}。`,
    options: [{ label: '转人工', value: '转人工' }],
  };
}

// ---- scenario questions --------------------------------------------------------------------------------

/** The question in full the first time; one short line (no help) when it is asked again. */
export function questionReply(question: Question, again = false): Reply {
  const options =
    question.type === 'boolean'
      ? [...YES_NO, { label: '不确定', value: '不确定' }]
      : question.type === 'choice'
        ? [...(question.options ?? []).map((o) => ({ label: o.label, value: o.label })), { label: '不确定', value: '不确定' }]
        : undefined;
  const text = again ? `回到刚才的问题：${shortQuestion(question)}` : [question.text, ...(question.help ? [`（${question.help}）`] : [])].join('\n');
  return { kind: 'question', text, ...(options ? { options } : {}) };
}

/** The first sentence of a question: 「您的店里是否销售药品（包括非处方药）？」. */
function shortQuestion(question: Question): string {
  const first = /^[^？?]*[？?]/.exec(question.text)?.[0];
  return first ?? question.text;
}

/**
 * A figure that does not settle a threshold (「三百平以上」 against 超过300平方米): what was understood, what
 * the item turns on, in the words of the law (超过 and 不到 exclude the figure, 达到 and 不超过 include it).
 */
export function askExactFigure(said: string, noun: string, unit: string, comparison: Comparison): Reply {
  const t = thresholdOf(comparison);
  const test = 'gt' in comparison ? `超过${t}${unit}` : 'gte' in comparison ? `达到${t}${unit}` : 'lt' in comparison ? `不到${t}${unit}` : `不超过${t}${unit}`;
  return { kind: 'question', text: `您说的是${said}。这一项要看${noun}是否${test}，请告诉我具体${noun}（${unit}），例如：${exampleNear(t)}` };
}

/** A figure in a unit the question's cannot be converted from (「300米」 for an area). */
export function figureInOtherUnit(said: string, noun: string, unit: string, comparison: Comparison | undefined): Reply {
  const example = comparison ? `，例如：${exampleNear(thresholdOf(comparison))}` : '';
  return { kind: 'question', text: `您说的是“${said}”，这一项问的是${noun}，单位是${unit}。请告诉我${noun}是多少${unit}${example}` };
}

/** A figure a little above a threshold, to show the form of an answer (300 → 320). */
function exampleNear(t: number): number {
  const step = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(t, 1))) - 1);
  return t + 2 * step;
}

export const chooseOne: Reply = { kind: 'answer', text: '请从下面选一项，方便我判断要办哪个许可：' };

export function questionHelp(question: Question): Reply {
  return { kind: 'answer', text: question.help ?? question.text };
}

export function permitNotInRegion(names: string[], region: Region): Reply {
  return {
    kind: 'answer',
    text: `${names.map((n) => `「${n}」`).join('、')}不在${region.name}“一业一证”改革行业目录的事项中，需要的话按相关规定另行向主管部门申请，可拨打${hotlineText(region)}咨询。`,
  };
}

export function tradeNotInRegion(name: string, region: Region): Reply {
  return {
    kind: 'answer',
    text: `${region.name}“一业一证”目录中没有「${name}」这个行业，请告诉我您在${region.name}要开什么店，或回复「换个地区」。`,
  };
}
export const markedUnsure: Reply = { kind: 'answer', text: '好的，这一项先标记为“待确认”，办理时可向窗口或热线确认。' };

export function learned(said: string[], corrected: boolean): Reply {
  return { kind: 'answer', text: `${corrected ? '已更正' : '已记下'}：${said.join('；')}。` };
}

export const needAnswersFirst: Reply = { kind: 'answer', text: '还需要先确认几个问题，才能列出要准备的材料。回答完我就把一次告知单发给您。' };
export const formNeedsAnswers: Reply = { kind: 'answer', text: '填表前还需要确认几个问题，以便确定要办理的事项。' };
export const askTradeFirst: Reply = { kind: 'answer', text: '您的问题我记下了，知道您开什么店、在哪个地区后马上回答您。' };

// ---- permits and what to do next ------------------------------------------------------------------------

export function offerNext(assessment: Assessment | undefined): Reply {
  const undecided = assessment?.items.some((i) => i.status === 'undecided');
  return {
    kind: 'answer',
    text:
      `${undecided ? '标记“待确认”的事项可向窗口或热线确认。' : ''}` +
      '您可以回复「告知单」查看一次告知单（材料、时限、收费），回复「填表」在线填写申请表，也可以直接提问。',
    options: NEXT_OPTIONS,
  };
}

export function submittedPrompt(applicationNumber: string | undefined): Reply {
  return {
    kind: 'answer',
    text: `您的申请（编号 ${applicationNumber ?? ''}）已提交。回复「进度」查看办理进度，「许可证」获取行业综合许可证；为另一家店申请请回复「重新开始」。`,
    options: [
      { label: '进度', value: '进度' },
      { label: '许可证', value: '许可证' },
    ],
  };
}

export function changedAfterSubmission(applicationNumber: string | undefined, region: Region | undefined, added: string[]): Reply {
  return {
    kind: 'answer',
    text:
      (added.length ? `按您说的新情况，还需要办理${added.map((n) => `「${n}」`).join('、')}。` : '') +
      `您的申请（编号 ${applicationNumber ?? ''}）已经提交，事项按提交时的情况办理${added.length ? '，不包含上面的事项' : ''}。情况有变化的，` +
      `请告诉${region ? region.window.name : '窗口'}工作人员或回复「转人工」；为另一家店申请请回复「重新开始」。`,
    options: [
      { label: '转人工', value: '转人工' },
      { label: '进度', value: '进度' },
    ],
  };
}

export const noSkipHere: Reply = { kind: 'answer', text: '这里没有可以跳过的项目。' };
export const firstQuestion: Reply = { kind: 'answer', text: '已经是第一个问题了。' };
export const firstField: Reply = { kind: 'answer', text: '已经是第一项了。' };
export const backToQuestion: Reply = { kind: 'answer', text: '好的，返回上一个问题。' };
export const backToField: Reply = { kind: 'answer', text: '好的，返回上一项。' };

export function submittedAwaiting(applicationNumber: string): Reply {
  return { kind: 'status', text: `您的申请（编号 ${applicationNumber}）已提交，正在等待窗口受理。` };
}

export function noApplicationYet(): Reply {
  return { kind: 'status', text: '这个对话里还没有提交过申请。如需查询其他申请，请提供申请编号和申请人手机号后四位。' };
}

export function licenceNotYet(): Reply {
  return { kind: 'licence', text: '您的行业综合许可证还没有颁发。颁发后回复「许可证」即可获取。' };
}

// ---- handoff -----------------------------------------------------------------------------------------

export function handedOff(region: Region | undefined, summary: string): Reply {
  return {
    kind: 'handoff',
    text:
      `已为您转接人工坐席${region?.hotline ? `（${hotlineText(region)}）` : ''}。坐席工作人员会在这个对话里回复您，请留意消息；紧急事项可直接拨打${region?.hotline?.number ?? '12345'}。` +
      `\n我已把您的情况整理给坐席：${summary}。\n如需继续使用助手，请回复「返回助手」。`,
  };
}

export function withAgent(region: Region | undefined): Reply {
  return {
    kind: 'handoff',
    text: `您的咨询已转给人工坐席，坐席会尽快在这里回复您；紧急事项请拨打${hotlineText(region)}。如需继续使用助手，请回复「返回助手」。`,
  };
}
