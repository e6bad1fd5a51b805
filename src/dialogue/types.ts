/**
 * The contract between channels and the assistant core: one message in, replies and state out.
 * Nothing here knows Telegram, WeChat or HTTP.
 */
import type { FlowChart } from '../guidance/flowchart.ts';
import type { AnswerValue } from '../guidance/conditions.ts';
import type { FieldValue } from '../guidance/validators.ts';

export interface IncomingMessage {
  /** 'web', 'cli', 'telegram', 'wechat', … */
  channel: string;
  /** The channel's own id for the person. */
  userId: string;
  text: string;
  /** A region id or name the channel or the user picked (the web page's selector, `--region`). */
  region?: string;
  /**
   * The platform's id of the update carrying the message (telegram:<bot>:<update_id>, wechat:<id>): a
   * second delivery of it, on any instance, is not answered again (TurnResult.duplicate).
   */
  updateKey?: string;
  /** The client's network address, when the channel has one (the web chat's HTTP client): what a user id chosen by the client cannot dodge. */
  address?: string;
}

/** A choice the channel can show as a button; sending `value` as text chooses it. */
export interface ReplyOption {
  label: string;
  value: string;
}

export interface Reply {
  text: string;
  options?: ReplyOption[];
  /** Where an answer from the knowledge comes from. */
  sources?: { title: string; ref: string; quote?: string; permits?: string[] }[];
  /** The applicant's flow chart (一张办理流程图), with the notice: SVG on the web page, PNG on the channels. */
  chart?: FlowChart;
  /** An image to send with the text (the licence QR code). */
  image?: { png: Buffer; caption?: string; alt: string };
  /** What the reply is, for channels that render some kinds specially. */
  kind?: 'greeting' | 'question' | 'permits' | 'notice' | 'form' | 'field' | 'summary' | 'submitted' | 'answer' | 'status' | 'licence' | 'handoff' | 'notice_message' | 'error' | 'limit';
  /** Already in the conversation's record (an agent's reply is written when sent): shown, not recorded again. */
  recorded?: boolean;
}

export interface PermitState {
  name: string;
  department: string;
  status: 'required' | 'undecided' | 'not_needed';
}

/** What a channel (and `POST /api/chat`) learns about the conversation after a turn. */
export interface ConversationState {
  region: { id: string; name: string } | null;
  industry: { id: string; name: string } | null;
  permits: PermitState[];
  pendingQuestion: { id: string; text: string; type: string; options?: { id: string; label: string }[] } | null;
  pendingField: { id: string; label: string; type: string; required: boolean } | null;
  stage: Stage;
  answers: Record<string, AnswerValue>;
  applicationNumber: string | null;
  caseNumber: string | null;
  handoff: boolean;
  /** A complaint, request for help or suggestion being taken down: its kind and what is asked now. */
  ticket: { kind: TicketKind; step: TicketDraft['step'] } | null;
}

export interface TurnResult {
  conversationId: string;
  replies: Reply[];
  state: ConversationState;
  /** The update (IncomingMessage.updateKey) was answered before: nothing was done, nothing is to be sent. */
  duplicate?: true;
}

export type Stage =
  | 'start' // nothing known yet
  | 'region' // waiting for the region
  | 'industry' // waiting for the industry
  | 'confirm_industry' // a guess to confirm
  | 'questions' // scenario questions
  | 'guided' // permits known; notice, questions, form on request
  | 'reuse' // offering the common fields of an earlier application
  | 'form' // filling the merged form
  | 'confirm' // summary shown, waiting for 确认提交
  | 'submitted'; // application submitted

/** A question asked before it could be answered (no trade yet, or permits still undecided). */
export interface DeferredQuestion {
  /** The question as the user typed it, for the answers that match its words. */
  text: string;
  /** What it asked for (permits, materials, time, …). */
  kinds: string[];
  /** The permits and materials it named (registry ids). */
  permits: string[];
  materials: string[];
}

/** The dialogue's memory, stored as the conversation's JSON state. */
export interface DialogueState {
  stage: Stage;
  region?: string;
  industry?: string;
  /** An industry guess waiting for 是/不是, or a trade named before the region was known. */
  proposedIndustry?: string;
  /** Questions to answer as soon as they can be (asked before the trade or the permits were known). */
  deferred: DeferredQuestion[];
  /** The region the channel last picked (the page's selector): applied again only when it changes. */
  channelRegion?: string;
  /** Answers read only from a trade's own word (熟食店 → 现制现售): dropped when the trade changes. */
  implied?: string[];
  answers: Record<string, AnswerValue>;
  /** Questions in the order they were answered, for 上一步. */
  answered: string[];
  pendingQuestion?: string;
  form: {
    values: Record<string, FieldValue>;
    pendingField?: string;
    skipped: string[];
    /** Fields in the order they were answered, for 上一步. */
    history: string[];
  };
  /** Common fields of an earlier application, offered for reuse. */
  reusable?: Record<string, FieldValue>;
  applicationNumber?: string;
  caseNumber?: string;
  /** A ticket was just taken down (kept while the next messages are about it): 「补充一下…」「电话写错了」 add to it. */
  ticketFiled?: boolean;
  /** A case number looked up without the phone's last four digits: a reply of four digits completes it. */
  pendingLookup?: string;
  /** A complaint, request for help or suggestion being taken down, one question at a time. */
  ticket?: TicketDraft;
}

export type TicketKind = 'complaint' | 'help_request' | 'suggestion';

export interface TicketDraft {
  kind: TicketKind;
  /** What is asked now: the region (when unknown), what happened, which case or business, how to reply. */
  step: 'region' | 'text' | 'about' | 'contact';
  text?: string;
  about?: string;
  /** A phone number given on the way. */
  contact?: string;
  /** The person said not to call: the answer comes in the chat. */
  noCall?: boolean;
}

export function initialState(): DialogueState {
  return { stage: 'start', answers: {}, answered: [], deferred: [], form: { values: {}, skipped: [], history: [] } };
}
