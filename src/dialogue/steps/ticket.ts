/**
 * 投诉、求助、建议 (奈曼旗's plan gives the hotline seat these besides 咨询): the person is asked the few
 * things a ticket needs, one at a time: the region if it is not known, what happened (unless the first
 * message already said it), which case or business it is about, and how to reply. Then the ticket (工单)
 * is taken down with the turn and its number given. 「取消」 drops it; 「重新开始」 and 转人工 still work.
 */
import type { Reading, RequestKind } from '../../nlu/reading.ts';
import type { Draft } from '../draft.ts';
import * as T from '../texts/index.ts';
import type { TicketDraft, TicketKind } from '../types.ts';
import { again } from './commands.ts';
import { handOff } from './handoff.ts';

export const TICKET_REQUESTS: readonly TicketKind[] = ['complaint', 'help_request', 'suggestion'];

/** Channels whose messages reach the person later (a reply to the ticket can be sent there). */
const CHANNELS_WITH_REPLIES = new Set(['web', 'telegram', 'wechat']);

/** The ticket the message asks to make, if any (a complaint before help before a suggestion). */
export function ticketRequest(r: Reading): TicketKind | undefined {
  const kinds = new Set<RequestKind>(r.requests.map((q) => q.kind));
  return TICKET_REQUESTS.find((k) => kinds.has(k));
}

/** Starts taking down a ticket; what the first message already says is kept. */
export function startTicket(d: Draft, r: Reading, kind: TicketKind): void {
  const ticket: TicketDraft = { kind, step: 'text' };
  if (saysWhatHappened(r)) ticket.text = r.raw.slice(0, 2000);
  if (r.caseNumber) ticket.about = r.caseNumber;
  if (r.region && !d.state.region) d.state.region = r.region;
  d.state.ticket = ticket;
  askNext(d);
}

/** The next message while a ticket is being taken down. */
export function continueTicket(d: Draft, r: Reading): void {
  const ticket = d.state.ticket;
  if (!ticket) return;
  const said = r.text.replace(/[\s，。,.!！?？~～]+/gu, '');
  if (/^(取消|算了|不用了|不了|不登记了|不投诉了|不提了|不反映了|cancel)$/u.test(said)) {
    delete d.state.ticket;
    d.say(T.ticketCancelled(ticket.kind));
    again(d);
    return;
  }
  if (r.requests.some((q) => q.kind === 'handoff' && q.exact)) {
    delete d.state.ticket;
    handOff(d);
    return;
  }
  switch (ticket.step) {
    case 'region':
      if (!r.region) {
        d.say(T.askTicketRegion(ticket.kind, d.catalog.regions));
        return;
      }
      d.state.region = r.region;
      break;
    case 'text':
      if (said.length < 4) {
        d.say(T.ticketTextTooShort);
        return;
      }
      ticket.text = r.raw.slice(0, 2000);
      break;
    case 'about': {
      if (r.caseNumber) ticket.about = r.caseNumber;
      else if (/^(无|没有|没|不涉及|都不涉及|不是|否|跳过|不用|没有关系|无关)$/u.test(said)) ticket.about = '无';
      else if (r.polarity === 'yes' && d.state.caseNumber) ticket.about = d.state.caseNumber;
      else ticket.about = r.raw.slice(0, 200);
      break;
    }
    case 'contact': {
      const digits = r.raw.normalize('NFKC').replace(/[\s-]/g, '');
      const phone = /(?<!\d)(1[3-9]\d{9}|0\d{2,3}\d{7,8})(?!\d)/.exec(digits)?.[1];
      if (phone) {
        finish(d, ticket, phone);
        return;
      }
      if (answersHere(said) && CHANNELS_WITH_REPLIES.has(d.ctx.channel ?? '')) {
        finish(d, ticket, undefined);
        return;
      }
      d.say(/\d{5,}/.test(digits) ? T.ticketContactInvalid : T.askTicketContact(CHANNELS_WITH_REPLIES.has(d.ctx.channel ?? '')));
      return;
    }
  }
  askNext(d);
}

/** Asks for what the ticket still lacks (also said again after a command run in between). */
export function askNext(d: Draft): void {
  const ticket = d.state.ticket;
  if (!ticket) return;
  if (!d.state.region) {
    ticket.step = 'region';
    d.say(T.askTicketRegion(ticket.kind, d.catalog.regions));
  } else if (!ticket.text) {
    ticket.step = 'text';
    d.say(T.askTicketText(ticket.kind));
  } else if (!ticket.about) {
    ticket.step = 'about';
    d.say(T.askTicketAbout(d.state.caseNumber));
  } else {
    ticket.step = 'contact';
    d.say(T.askTicketContact(CHANNELS_WITH_REPLIES.has(d.ctx.channel ?? '')));
  }
}

function finish(d: Draft, ticket: TicketDraft, contact: string | undefined): void {
  const region = d.state.region;
  if (!region || !ticket.text) return askNext(d);
  delete d.state.ticket;
  d.effect({
    kind: 'ticket',
    input: { kind: ticket.kind, region, text: ticket.text, ...(ticket.about && ticket.about !== '无' ? { about: ticket.about } : {}), ...(contact ? { contact } : {}) },
  });
  // Back to where the conversation was (the form's next field, the next question), if it was anywhere.
  if (d.state.stage !== 'start' && d.state.stage !== 'region') again(d);
}

/** 「不用」「就在这里回复吧」「在微信上答复就行」: no phone, the answer comes in the chat. */
function answersHere(said: string): boolean {
  return /^(不用|不需要|不必|不留|无|没有|没|算了不留)/u.test(said) || /(这里|这儿|这边|对话里|聊天里|微信上?|网上|线上).{0,4}(回|答复|说|就行|就好|即可|可以|吧)/u.test(said) || /^就?(这里|这儿|这边)(吧|就行)?$/u.test(said);
}

/**
 * The first message says what happened, not only that the person wants to complain: something is left
 * once the request words and fillers are taken out (「我要投诉，窗口让我跑了三趟」, not 「我要投诉」).
 */
function saysWhatHappened(r: Reading): boolean {
  const rest = r.text
    .replace(/(我要|我想|我有|想要|想|要|能不能|可以|怎么|如何|在哪|哪里|个|一个|一下|点|些)/gu, '')
    .replace(/(投诉|举报|求助|寻求帮助|反映问题|反映情况|反映|提建议|提意见|建议|意见|小建议)/gu, '')
    .replace(/[\s，。,.!！?？、~～：:]+/gu, '');
  return rest.length >= 5;
}
