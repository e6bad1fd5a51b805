/** Reply texts of 投诉、求助、建议: what is asked, and the ticket number given. */
import type { Region } from '../../catalog/schema.ts';
import type { Reply, TicketKind } from '../types.ts';
import { hotlineText } from '../../catalog/lookup.ts';
import { TICKET_KIND_LABEL } from '../../tickets/numbers.ts';


const CANCEL_HINT = '（不想登记了，回复「取消」即可。）';

export function askTicketRegion(kind: TicketKind, regions: readonly Region[]): Reply {
  return {
    kind: 'question',
    text: `好的，我来帮您登记${TICKET_KIND_LABEL[kind]}。请问是哪个地区的事？${CANCEL_HINT}`,
    options: regions.map((r) => ({ label: r.name, value: r.name })),
  };
}

export function askTicketText(kind: TicketKind): Reply {
  const what =
    kind === 'complaint'
      ? '请说说具体情况：什么时间、在哪个窗口或部门、发生了什么。'
      : kind === 'help_request'
        ? '请说说您遇到了什么困难，需要哪方面的帮助。'
        : '请说说您的建议。';
  return { kind: 'question', text: `好的，我来帮您登记${TICKET_KIND_LABEL[kind]}。${what}${CANCEL_HINT}` };
}

export const ticketTextTooShort: Reply = { kind: 'question', text: '请再多说几句具体情况（发生了什么、涉及哪个窗口或事项），便于有关部门处理。' };

export function askTicketAbout(caseNumber: string | undefined): Reply {
  return caseNumber
    ? { kind: 'question', text: `这件事和您的办件 ${caseNumber} 有关吗？有关请回复「是」；和别的办件或店铺有关，请发办件号或店名；都不涉及请回复「无」。`, options: [{ label: '是', value: '是' }, { label: '无', value: '无' }] }
    : { kind: 'question', text: '这件事和哪个办件或哪家店铺有关？请发办件号或店名；都不涉及请回复「无」。', options: [{ label: '无', value: '无' }] };
}

export function askTicketContact(channelHasReplies: boolean): Reply {
  return {
    kind: 'question',
    text: channelHasReplies
      ? '答复会发到这个对话里。如还希望电话联系，请留手机号；不需要请回复「不用」。'
      : '请留一个联系电话，方便工作人员答复您。',
    ...(channelHasReplies ? { options: [{ label: '不用', value: '不用' }] } : {}),
  };
}

export const ticketNowSuggestion: Reply = { kind: 'answer', text: '好的，改为登记建议。' };

/** Where complaints, requests for help and suggestions go: the region's hotline seat, or here. */
export function howToComplain(region: Region | undefined): Reply {
  return {
    kind: 'answer',
    text:
      `投诉、求助和建议可以拨打${hotlineText(region)}${region?.hotline?.seat ? '，专席受理“一业一证”的咨询、投诉、求助、建议' : ''}；也可以直接在这里登记：` +
      '回复「我要投诉」「我要求助」或「提个建议」，我会记下情况并给您工单号，答复会发到这个对话里。',
    ...(region?.hotline?.sources.length ? { sources: region.hotline.sources.map((x) => ({ title: x.title, ref: x.article ?? '', ...(x.quote ? { quote: x.quote } : {}) })) } : {}),
  };
}

export const ticketAnonymous: Reply = { kind: 'answer', text: '登记时可以不留姓名和电话：答复会发到这个对话里。已经留下的电话只用于工作人员联系您，对外显示时会隐去中间的数字。' };

export function ticketNoDeadline(region: Region | undefined): Reply {
  return { kind: 'answer', text: `文件没有规定工单的答复时限。有答复后会在这里通知您；回复「工单」可随时查看进展，紧急情况请拨打${hotlineText(region)}。` };
}

export function ticketNoteAdded(number: string): Reply {
  return { kind: 'answer', text: `已补充到工单 ${number}，工作人员处理时会一并看到。` };
}

export const noTicketToAddTo: Reply = { kind: 'answer', text: '没有找到可以补充的工单（已经答复的工单不能再补充）。如需重新登记，请说「我要投诉」「我要求助」或「提个建议」。' };

export const ticketAck: Reply = { kind: 'answer', text: '好的。有答复后会在这里通知您，回复「工单」可随时查看进展。' };

export const ticketNoted: Reply = { kind: 'answer', text: '好的，已补充到这次登记的内容里。' };

export const nothingToCancel: Reply = {
  kind: 'answer',
  text: '好的。目前没有正在登记的投诉、求助或建议。已经登记的工单如不需要处理了，请在工作人员联系您时说明，或拨打12345。',
};

export const ticketContactInvalid: Reply = { kind: 'question', text: '这个号码好像不完整，请发11位手机号或带区号的固定电话；不需要电话联系请回复「不用」。' };

export function ticketCancelled(kind: TicketKind): Reply {
  return { kind: 'answer', text: `好的，这次${TICKET_KIND_LABEL[kind]}不登记了。` };
}

export function ticketRegistered(kind: TicketKind, number: string, region: Region | undefined): Reply {
  return {
    kind: 'answer',
    text:
      `已为您登记${TICKET_KIND_LABEL[kind]}，工单号 ${number}。工作人员会转交负责的部门办理，有答复后会在这里通知您。` +
      `\n查询进展请回复「工单 ${number}」；紧急情况可拨打${hotlineText(region)}。`,
  };
}
