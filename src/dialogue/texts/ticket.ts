/** Reply texts of 投诉、求助、建议: what is asked, and the ticket number given. */
import type { Region } from '../../catalog/schema.ts';
import type { Reply, TicketKind } from '../types.ts';
import { hotlineText } from './conversation.ts';

export const TICKET_LABEL: Record<TicketKind, string> = { complaint: '投诉', help_request: '求助', suggestion: '建议' };

const CANCEL_HINT = '（不想登记了，回复「取消」即可。）';

export function askTicketRegion(kind: TicketKind, regions: readonly Region[]): Reply {
  return {
    kind: 'question',
    text: `好的，我来帮您登记${TICKET_LABEL[kind]}。请问是哪个地区的事？${CANCEL_HINT}`,
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
  return { kind: 'question', text: `好的，我来帮您登记${TICKET_LABEL[kind]}。${what}${CANCEL_HINT}` };
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

export const ticketNoted: Reply = { kind: 'answer', text: '好的，已补充到这次登记的内容里。' };

export const nothingToCancel: Reply = {
  kind: 'answer',
  text: '好的。目前没有正在登记的投诉、求助或建议。已经登记的工单如不需要处理了，请在工作人员联系您时说明，或拨打12345。',
};

export const ticketContactInvalid: Reply = { kind: 'question', text: '这个号码好像不完整，请发11位手机号或带区号的固定电话；不需要电话联系请回复「不用」。' };

export function ticketCancelled(kind: TicketKind): Reply {
  return { kind: 'answer', text: `好的，这次${TICKET_LABEL[kind]}不登记了。` };
}

export function ticketRegistered(kind: TicketKind, number: string, region: Region | undefined): Reply {
  return {
    kind: 'answer',
    text:
      `已为您登记${TICKET_LABEL[kind]}，工单号 ${number}。工作人员会转交负责的部门办理，有答复后会在这里通知您。` +
      `\n查询进展请回复「工单 ${number}」；紧急情况可拨打${hotlineText(region)}。`,
  };
}
