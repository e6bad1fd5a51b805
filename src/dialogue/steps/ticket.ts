/**
 * 投诉、求助、建议 (奈曼旗's plan gives the hotline seat these besides 咨询): the person is asked the few
 * things a ticket needs, one at a time: the region if it is not known, what happened (unless a message
 * already said it), which case or business it is about, and how to reply. What any message gives on the
 * way (a case number, a phone number, 「不用打电话」) is kept, not asked again. Then the ticket (工单) is
 * taken down with the turn and its number given. 「算了，不投了」 drops it; a question in between is answered
 * and the ticket's question asked again; 「我的投诉有结果了吗」 is a look-up, never a new ticket.
 */
import type { Catalog } from '../../catalog/load.ts';
import { isQuestionKind, type Reading, type RequestKind } from '../../nlu/reading.ts';
import type { Draft } from '../draft.ts';
import * as T from '../texts/index.ts';
import type { TicketDraft, TicketKind } from '../types.ts';
import { again, runExactCommand } from './commands.ts';
import { answerQuestions } from './answers.ts';
import { isFormStage } from '../stages.ts';
import { digitsOf, phoneIn, TICKET_NUMBER } from '../../tickets/numbers.ts';
import { handOff } from './handoff.ts';

export const TICKET_REQUESTS: readonly TicketKind[] = ['complaint', 'help_request', 'suggestion'];

/** Channels whose messages reach the person later (a reply to the ticket can be sent there). */
const CHANNELS_WITH_REPLIES = new Set(['web', 'telegram', 'wechat']);

/** 「我这个投诉啥时候有结果」「投诉有回音没」「我刚才的求助登记上了吗」「我的工单」: asking after a ticket. */
const ASKS_AFTER_TICKET =
  /(投诉|建议|意见|求助|催办|催的|工单|反映的(事|问题))[^，。,.？?！!]{0,12}?(结果|回音|回复|答复|进展|进度|有人管|有人看|处理|怎么样|咋样|登记上|到哪|单号|编号|有没有人|没人回|没回|回我|出来没|出来了吗|办了没|办好没|有结果没|有回音)|(结果|进展|进度|回音)[^，。,.]{0,6}(投诉|建议|求助|催办|工单)|我的工单|工单号是|查.{0,2}工单|(刚才|那个|之前|上次)的?(单号|编号|工单号|那个号)|(要|发|给)我?(刚才|之前)?那个号|(单号|编号|工单号)(是多少|多少来着|再发|发我)/u;
/** 「该找哪投诉」「打12345能投诉吗」「投诉渠道有哪些」: asking where and how to complain, not complaining. */
const HOW_TO_COMPLAIN = /(怎么|如何|去哪|在哪|找哪|哪里|哪儿|找谁|向谁|跟谁)[^，。,.]{0,6}(投诉|举报|提建议)|(投诉|举报)(渠道|电话|方式|途径|热线)/u;
/** 「打12345能投诉吗」: the same, as a yes/no question. */
const CAN_COMPLAIN = /(能不能|可不可以|可以|能)[^，。,.]{0,6}(投诉|举报|提建议)[^，。,.]{0,6}(吗|么|不)/u;
/** 「开饭店被顾客投诉了会不会吊销」「有客人说要去举报我们」: being complained about, a question for the documents. */
const COMPLAINED_ABOUT = /(被|让|给)(人|顾客|客人|客户|同行|邻居|别人|人家)?[^，。,.]{0,4}(投诉|举报)|(顾客|客人|客户|同行|邻居|别人|人家|有人)[^，。,.]{0,6}(投诉|举报)/u;
/** 「我不是要投诉」「改成建议 不要投诉」: the person says it is not (or no longer) a complaint. */
const NOT_A_COMPLAINT = /(不是|不是要|没要|没说要|没想|不想|不要|别)再?(投诉|举报)|不投诉|现在不投|不是要再/u;
/** 「算了算了，不投了」「诶还是取消吧」「撤回」: the person no longer wants it taken down. */
const CANCELS = /(取消|算了|不投诉?了|不提了|不反映了|不登记了|不用登记|撤回|没多大事|不弄了|不求助了|不想投诉了|cancel)/u;
/** 「不用打电话」「这里回就行」「别打电话，怕惹麻烦」: no call, the answer comes in the chat (said anywhere). */
const NO_CALL = /(不用|不要|不需要|别|不必|无需)[^，。,.]{0,3}(打|电话|联系|来电)|不打电话|(这里|这儿|这边|在这|对话里|聊天里|微信上?|网上|线上)[^，。,.]{0,3}(回|答复)/u;
/** 「不用」「不打」「就这里吧」: the same, as the answer to the contact question. */
const NO_CALL_ANSWER = /^(不用|不需要|不必|不留|不打|无|没有|没)|^就?(这里|这儿|这边)(吧|就行)?$/u;
/** The marks of a real question in a message. */
const ASKS = /[？?]|吗|么$|会不会|能不能|是不是|可不可以|要不要|怎么|为什么|为啥|多久|多少|几天|哪里|在哪|咋/u;
/** 「店名：阳光超市」「店叫老韩家羊汤馆」「店名叫 串串香烧烤」: the business a ticket is about. */
const SHOP_NAME = /(?:店名|店铺名|门店名|店的名字)(?:是|叫|叫做|：|:)?\s*([^\s，。,.！!？?；;]{2,24})|(?:店铺|店)(?:是|叫|叫做|：|:)\s*([^\s，。,.！!？?；;]{2,24})/u;

/** The questions about the application itself (a trade's permits, materials, time, fees). */
export const CONSULTATION_KINDS: readonly RequestKind[] = ['permits', 'materials', 'time', 'fees'];
/** 「帮我催一下」「一直提交不上」「卡在公安那」: help with a case or the system, whatever else is asked. */
const PLAIN_HELP = /(催|卡在|卡着|提交不|交不上|找不到|打不开|登不上|上传不|传不上|报错|没收到|寄丢|帮我问问|给我问问|帮俺问问|给俺问问|反映|不合理|退钱|能退)/u;

/** A request for help that is really a question about the application (answered, not taken down). */
export function helpIsConsultation(r: Reading): boolean {
  const asksAboutApplying = r.requests.some((q) => isQuestionKind(q.kind)) || (r.industry !== null && /证|手续|许可|材料|办啥|要办/u.test(r.text));
  return r.question && asksAboutApplying && !PLAIN_HELP.test(r.text);
}

/** 「取消」「算了」「撤回」 with nothing being taken down. */
export function cancelsNothing(r: Reading): boolean {
  const said = compact(r.text);
  return said.length <= 10 && /(取消|撤回|撤销|不投诉?了|不提了|不反映了|不登记了)/u.test(said);
}

/** The ticket the message asks to make, if any (a complaint before help before a suggestion). */
export function ticketRequest(r: Reading): TicketKind | undefined {
  const kinds = new Set<RequestKind>(r.requests.map((q) => q.kind));
  // 「帮我把这个想法反映上去」: an idea passed on is a suggestion, whatever word carries it.
  if (kinds.has('suggestion') && /想法|建议|意见|点子|表扬/u.test(r.text) && !/投诉|举报|求助|催/u.test(r.text)) return 'suggestion';
  return TICKET_REQUESTS.find((k) => kinds.has(k));
}

/** 「我没要投诉」「不是要投诉哈」: whatever else the message says, it is not a complaint. */
export function deniesComplaint(r: Reading): boolean {
  return NOT_A_COMPLAINT.test(compact(r.text));
}

/** The message asks how a ticket is going (not to make one). */
/** 「补充一下，是3号窗口」「电话写错了，是139…」 right after a ticket: added to it. */
const ADDS_TO_TICKET = /^(补充|再补充|还有一点|还有个|另外|忘了说|对了|改一下|改下|更正|我要补充)|(电话|号码|手机号?)[^，。,.]{0,6}(错|不对|改|换)/u;

/** After a ticket was taken down: the message adds to it, asks about anonymity, or asks how long an answer takes. */
export function afterTicket(d: Draft, r: Reading): boolean {
  // Only right after one, and never in the form (the phone typed there is the form's).
  if (!d.state.ticketFiled || isFormStage(d.state.stage)) return false;
  const said = compact(r.text);
  // 「咋样了 有人管没」「你们记的我电话对吗」: how the ticket stands (with the contact it holds).
  if (/^(咋样了?|怎么样了?|有人管没?|有人管吗|有进展吗|有进展没|有结果了?吗|有结果没|处理了吗|处理了没)/u.test(said) || /(电话|号码|手机)[^，。,.]{0,6}(对吗|对不对|记的|记上|记对|哪个)/u.test(said)) {
    d.effect({ kind: 'status', text: `工单 ${r.raw}` });
    return true;
  }
  if (/^(不用了?|不需要|好的?|谢谢|谢了|行|嗯|知道了|ok|收到)$/iu.test(said)) {
    d.say(T.ticketAck);
    return true;
  }
  // 「对了审批一般多少天能下来？」 is a question, answered as one; 「算了还是留个吧 158…」 adds the phone.
  const phone = phoneIn(r.raw);
  if ((ADDS_TO_TICKET.test(said) && !(r.question && ASKS.test(said))) || (phone && !r.caseNumber)) {
    d.effect({ kind: 'ticket_note', text: r.raw.slice(0, 1000) });
    return true;
  }
  if (/匿名|不留名|不想留名字|不留姓名/u.test(said)) {
    d.say(T.ticketAnonymous);
    return true;
  }
  if (/(几天|多久|多长时间|什么时候|啥时候)[^，。,.]{0,6}(答复|回复|回我|处理|有结果)/u.test(said)) {
    d.effect({ kind: 'status', text: `工单 ${r.raw}` });
    d.say(T.ticketNoDeadline(d.region()));
    return true;
  }
  return false;
}

/** 「投诉一般多久给答复」: no document sets a time limit for tickets; said so, nothing taken down. */
export function asksTicketDeadline(r: Reading): boolean {
  return /(投诉|举报|工单|建议|求助)[^，。,.]{0,8}(几天|多久|多长时间|什么时候|啥时候)[^，。,.]{0,6}(答复|回复|回我|处理|有结果|给结果)/u.test(compact(r.text));
}

/** What a message says about complaining without making a complaint: asking how, or being complained about. */
export function aboutComplaining(r: Reading): 'how' | 'complained_about' | undefined {
  const said = compact(r.text);
  if (/(我要|我想|我得|必须|一定要)(投诉|举报)/u.test(said)) return undefined;
  if (COMPLAINED_ABOUT.test(said)) return 'complained_about';
  if (HOW_TO_COMPLAIN.test(said) || CAN_COMPLAIN.test(said)) return 'how';
  return undefined;
}

export function asksAfterTicket(r: Reading): boolean {
  return ASKS_AFTER_TICKET.test(r.text) || (/(投诉|工单|求助|建议)/u.test(r.text) && /(能查|查得到|能不能查|怎么查|在哪查|哪里查)/u.test(r.text));
}

/** Starts taking down a ticket; what the message already says is kept. */
export function startTicket(d: Draft, r: Reading, kind: TicketKind): void {
  const ticket: TicketDraft = { kind, step: 'text' };
  // 「我是来投诉的，不是来开店的」 after telling the story: the story goes with it.
  const before = d.ctx.previousText?.trim();
  const meta = /^(我是来|我是要|我就是要|我就是来|我是说|我说了|我刚说的|我刚才说的)/u.test(compact(r.text));
  if (before && before.length >= 10 && meta) {
    ticket.text = `${before}\n${r.raw}`.slice(0, 2000);
    const named = SHOP_NAME.exec(before);
    if (named) ticket.about = named[1] ?? named[2];
  }
  else if (saysWhatHappened(r, placeWords(d.catalog))) ticket.text = r.raw.slice(0, 2000);
  if (r.region && !d.state.region) d.state.region = r.region;
  d.state.ticket = ticket;
  absorb(d, ticket, r);
  askNext(d);
}

/**
 * The next message while a ticket is being taken down. `consult` when the message is a question the
 * assistant should answer first (the ticket's question is asked again after it).
 */
export function continueTicket(d: Draft, r: Reading): 'consult' | undefined {
  const ticket = d.state.ticket;
  if (!ticket) return undefined;
  const said = compact(r.text);
  // 「改成建议 不要投诉」「就当提个意见」: the same ticket, another kind.
  if (ticket.kind !== 'suggestion' && /(改成|就当|算是|当成|当作|只是)(提?个?)(建议|意见)/u.test(said)) {
    ticket.kind = 'suggestion';
    d.say(T.ticketNowSuggestion);
    askNext(d);
    return undefined;
  }
  // 「算了还是别给我打电话了」「算了还是留个吧 158…」: 算了 about the phone, not about the ticket.
  const aboutPhone = /算了还是/u.test(said) || phoneIn(r.raw) !== undefined || NO_CALL.test(said);
  if ((CANCELS.test(said) && !aboutPhone && (ticket.step !== 'text' || said.length <= 14)) || (ticket.kind === 'complaint' && NOT_A_COMPLAINT.test(said))) {
    delete d.state.ticket;
    d.say(T.ticketCancelled(ticket.kind));
    again(d);
    return undefined;
  }
  if (r.requests.some((q) => q.kind === 'handoff' && q.exact)) {
    delete d.state.ticket;
    handOff(d);
    return undefined;
  }
  if (asksAfterTicket(r)) {
    d.effect({ kind: 'status', text: r.raw });
    askNext(d);
    return undefined;
  }
  // 「对了顺便问下，超市卖烟是不是还得去烟草局单独办证？」 while asked for the shop: answered first.
  const phone = phoneIn(r.raw);
  // A question, not an answer that happens to say 哪个 or end in 呢 (「跟哪个店没关系」「无，还没交上去呢」).
  const asking = r.question && ASKS.test(said) && !r.caseNumber && !phone;
  const aboutPermits = r.requests.some((q) => isQuestionKind(q.kind)) || r.topic.permits.length > 0;
  // 「不是困难，就是问问面包房要啥证」: a request for help that turns out to be a consultation.
  if (r.question && aboutPermits && ticket.kind === 'help_request' && helpIsConsultation(r)) {
    delete d.state.ticket;
    return 'consult';
  }
  // 「投诉了会不会影响我审批啊」「12345是新乡的也能打吗」 while asked for the business or the phone: answered first.
  if (asking && ticket.step !== 'text') return 'consult';
  // 「我不是来问这个的，我是要反映你们来回踢皮球的问题！」 while asked for the shop or the phone: it adds to what
  // happened, and the question stands.
  const restates = (ticketRequest(r) !== undefined && !r.question) || (ticket.step === 'contact' && said.length >= 12 && !phone && !NO_CALL.test(said) && !NO_CALL_ANSWER.test(said));
  if (restates && (ticket.step === 'about' || ticket.step === 'contact') && !r.caseNumber) {
    ticket.text = `${ticket.text ?? ''}\n${r.raw}`.trim().slice(0, 2000);
    absorb(d, ticket, r);
    d.say(T.ticketNoted);
    askNext(d);
    return undefined;
  }
  switch (ticket.step) {
    case 'region':
      if (!r.region) {
        d.say(T.askTicketRegion(ticket.kind, d.catalog.regions));
        return undefined;
      }
      d.state.region = r.region;
      absorb(d, ticket, r);
      break;
    case 'text':
      if (said.length < 4) {
        d.say(T.ticketTextTooShort);
        return undefined;
      }
      ticket.text = r.raw.slice(0, 2000);
      absorb(d, ticket, r);
      break;
    case 'about': {
      absorb(d, ticket, r);
      if (ticket.about) break;
      if (/^(无|没有|没|不涉及|都不涉及|不是|否|跳过|不用|没有关系|无关|都没有|没有办件)/u.test(said)) ticket.about = '无';
      else if (r.polarity === 'yes' && d.state.caseNumber) ticket.about = d.state.caseNumber;
      else ticket.about = r.raw.slice(0, 200);
      break;
    }
    case 'contact': {
      absorb(d, ticket, r);
      if (ticket.contact || ticket.noCall) break;
      d.say(/\d{5,}/.test(digitsOf(r.raw)) ? T.ticketContactInvalid : T.askTicketContact(CHANNELS_WITH_REPLIES.has(d.ctx.channel ?? '')));
      return undefined;
    }
  }
  askNext(d);
  return undefined;
}

/** What the message gives besides the step's answer: a case number, a phone number, 「不用打电话」. */
function absorb(d: Draft, ticket: TicketDraft, r: Reading): void {
  if (r.caseNumber && !ticket.about) ticket.about = r.caseNumber;
  const found = SHOP_NAME.exec(r.raw);
  const shop = found?.[1] ?? found?.[2];
  if (shop && !ticket.about) ticket.about = shop;
  const phone = phoneIn(r.raw);
  const said = compact(r.text);
  if (phone) ticket.contact = phone;
  else if (CHANNELS_WITH_REPLIES.has(d.ctx.channel ?? '') && (NO_CALL.test(said) || (ticket.step === 'contact' && NO_CALL_ANSWER.test(said)))) ticket.noCall = true;
}

/** Asks for what the ticket still lacks, or takes it down (also said again after a command or a question in between). */
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
  } else if (!ticket.contact && !ticket.noCall) {
    ticket.step = 'contact';
    d.say(T.askTicketContact(CHANNELS_WITH_REPLIES.has(d.ctx.channel ?? '')));
  } else finish(d, ticket);
}

function finish(d: Draft, ticket: TicketDraft): void {
  const region = d.state.region;
  if (!region || !ticket.text) return;
  delete d.state.ticket;
  d.state.ticketFiled = true;
  d.effect({
    kind: 'ticket',
    input: { kind: ticket.kind, region, text: ticket.text, ...(ticket.about && ticket.about !== '无' ? { about: ticket.about } : {}), ...(ticket.contact ? { contact: ticket.contact } : {}) },
  });
  // Back to where the conversation was (the form's next field, the next question), if it was anywhere:
  // someone who came only to complain is not asked what shop they are opening.
  if (!['start', 'region', 'industry'].includes(d.state.stage)) again(d);
}

const compact = (text: string) => text.replace(/[\s，。,.!！?？~～、]+/gu, '');


/** The regions' names and places and their departments' names, longest first: they say where, not what. */
const placeWordsOf = new WeakMap<Catalog, string[]>();
function placeWords(catalog: Catalog): string[] {
  let words = placeWordsOf.get(catalog);
  if (!words) {
    const all = catalog.regions.flatMap((region) => [region.name, region.fullName, ...region.aliases, ...region.places, ...Object.keys(region.departments)]);
    words = [...new Set(all.map((w) => w.normalize('NFKC').toLowerCase()).filter((w) => w.length >= 2))].sort((a, b) => b.length - a.length);
    placeWordsOf.set(catalog, words);
  }
  return words;
}

/**
 * The message says what happened, not only that the person wants to complain: something is left once the
 * request words, fillers and the place are taken out (「我要投诉，窗口让我跑了三趟」, not 「我想投诉一下新乡经开区
 * 政务服务中心的工作人员」).
 */
function saysWhatHappened(r: Reading, places: readonly string[]): boolean {
  let rest = r.text;
  for (const place of places) rest = rest.split(place).join('');
  rest = rest
    .replace(/(政务服务中心|政务服务大厅|政务大厅|大厅|窗口|工作人员|人员|你们|他们|那边|这边)/gu, '')
    .replace(/(我要|我想|我有|想要|想|要|能不能|可以|怎么|如何|在哪|哪里|个|一个|一下|点|些|的|了|啊|吧|呢)/gu, '')
    .replace(/(投诉|举报|求助|寻求帮助|反映问题|反映情况|反映|提建议|提意见|建议|意见|小建议)/gu, '')
    .replace(/[\s，。,.!！?？、~～：:]+/gu, '');
  return rest.length >= 4;
}

/**
 * The ticket side of a turn, before anything else reads the message: a ticket being taken down goes on (a
 * command or a question in between is run, then its question asked again); a look-up of one, a question about
 * complaining or about the time an answer takes, is answered; a request for a ticket starts one. `consult`
 * handles a message as the conversation would. True when the turn is done.
 */
export function ticketTurn(d: Draft, r: Reading, consult: (d: Draft, r: Reading) => void): boolean {
  if (d.state.ticket) {
    // A command in between runs; the ticket's question is asked again after it.
    if (runExactCommand(d, r)) askNext(d);
    else if (continueTicket(d, r) === 'consult') {
      // In the form the question is answered without touching it; elsewhere as any message would be.
      if (isFormStage(d.state.stage)) answerQuestions(d, r, { quietUnknown: false, holdNotice: false });
      else consult(d, r);
      askNext(d);
    }
    return true;
  }
  // 「补充一下…」 goes to the ticket just taken down: the window stays open while the person keeps at it.
  const filed = d.state.ticketFiled;
  delete d.state.ticketFiled;
  if (filed) {
    d.state.ticketFiled = true;
    if (afterTicket(d, r)) return true;
    delete d.state.ticketFiled;
  }
  if (asksTicketDeadline(r)) {
    if (filed) d.state.ticketFiled = true;
    d.say(T.ticketNoDeadline(d.region()));
    return true;
  }
  // 「该找哪投诉」「投诉电话是多少」 is told where complaints go; 「被顾客投诉了会不会吊销」 is a question for the documents.
  const about = aboutComplaining(r);
  if (about === 'how') {
    d.say(T.howToComplain(d.region()));
    if (r.industry || r.requests.some((q) => CONSULTATION_KINDS.includes(q.kind))) consult(d, r);
    return true;
  }
  if (about === 'complained_about') {
    consult(d, r);
    return true;
  }
  // 「我的投诉有结果了吗」「投诉有回音没」 ask after a ticket, never make one; a trade or question with it is answered too.
  if (asksAfterTicket(r) || TICKET_NUMBER.test(r.raw.normalize('NFKC'))) {
    if (filed) d.state.ticketFiled = true;
    if (r.industry || r.requests.some((q) => CONSULTATION_KINDS.includes(q.kind))) consult(d, r);
    d.effect({ kind: 'status', text: r.raw });
    return true;
  }
  const ticket = ticketRequest(r);
  // 「求助，开饭店要办哪些证」 is a consultation, while 「求助，网上申请一直提交不了」 is a request for help.
  if (ticket && !(ticket === 'help_request' && helpIsConsultation(r)) && !(ticket === 'complaint' && deniesComplaint(r))) {
    startTicket(d, r, ticket);
    return true;
  }
  if (cancelsNothing(r) && !isFormStage(d.state.stage)) {
    d.say(T.nothingToCancel);
    again(d);
    return true;
  }
  return false;
}
