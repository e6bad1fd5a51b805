/**
 * What the dialogue needs from the rest of the system, as small interfaces: the application and case
 * workflow (src/app/applications.ts implements it over src/cases; tests use a twin).
 */
import type { FieldValue } from '../guidance/validators.ts';
import type { AnswerValue } from '../guidance/conditions.ts';
import type { ChannelUserKey, ConversationRepository } from '../store/conversations.ts';
import { processLocks, userLockKey, type TurnLocks } from '../store/turnLocks.ts';
import type { TurnOpening, TurnWrite, WaitingMessage } from '../store/turnStore.ts';
import type { ConversationContext } from '../nlu/reader.ts';
import type { Reply, TicketKind } from './types.ts';

export interface SubmitInput {
  conversationId: string;
  channel: string;
  userId: string;
  regionId: string;
  industryId: string;
  answers: Record<string, AnswerValue>;
  form: Record<string, FieldValue>;
}

/** A complaint, request for help or suggestion as the dialogue took it down. */
export interface TicketInput {
  kind: TicketKind;
  region: string;
  text: string;
  about?: string;
  contact?: string;
}

export interface SubmitResult {
  applicationNumber: string;
  caseNumber?: string;
  /** What happens next, in plain Chinese. */
  nextSteps: string[];
}

/** What the dialogue needs from the application and case workflow. */
export interface ApplicationsPort {
  submit(input: SubmitInput): Promise<SubmitResult>;
  /** The common fields of the user's most recent earlier application, for reuse (共用信息共享应用). */
  previousCommonFields(key: ChannelUserKey): Promise<Record<string, FieldValue> | null>;
  /** 「我的申请到哪一步了」: replies about the user's cases, or a look-up by case number + phone digits. */
  /** `address`: the client's network address, when the channel knows one (the web chat): look-ups are locked per address too. */
  status?(request: ChannelUserKey & { conversationId: string; text: string; applicationNumber?: string; address?: string }): Promise<Reply[]>;
  /** 「把许可证发我」: the licence summary and its QR image. */
  licence?(request: ChannelUserKey & { conversationId: string; text: string }): Promise<Reply[]>;
  /** 「补充一下…」: adds to the user's latest ticket not yet answered; the reply says which, or that there is none. */
  addToTicket?(key: ChannelUserKey, text: string): Promise<Reply[]>;
  /**
   * What waited for the user (TurnOpening.waiting) as replies, shown at the start of their turn; the turn
   * marks them delivered when it commits (TurnRecord.delivered), so a failed turn loses none.
   */
  present?(waiting: readonly WaitingMessage[]): Promise<Reply[]>;
}

/**
 * A question the knowledge answered, or found no answer to, that an LLM may answer from the retrieved
 * passages instead (docs/llm.md). The offline reply stands unless the writer returns one that passed its checks.
 */
export interface GroundingRequest {
  question: string;
  region: string;
  industry?: string;
  kinds: string[];
  permits: string[];
  materials: string[];
  /** Permits ruled out for this applicant: what is said of them is no answer. */
  excluded: string[];
  /** The offline reply. */
  offline: Reply;
  /** The offline reply says the documents have no answer. */
  unknown: boolean;
}

/** Writes a grounded answer, or null to keep the offline one. */
export interface AnswerWriter {
  write(request: GroundingRequest, conversation: ConversationContext): Promise<Reply | null>;
}

/** One turn as it is stored: the messages in and out and the conversation's new state. */
export type TurnRecord = TurnWrite;

/**
 * Where turns are read and committed, one user at a time. A turn runs inside `run`, holding the user's
 * lock (on PostgreSQL taken by the turn's first read, on the same connection, and released by its
 * write), reads once (`open`) and commits once (`save`, or `submitAndSave` with a submission), each in
 * one transaction: the conversation, its messages, tickets, the channel update it answers, the waiting
 * messages it showed, and a submission with its case. The case exists exactly when the conversation
 * says it was submitted, and a failed turn leaves none of it. A write that meets another's (a unique key
 * taken, a version moved on) throws ConflictError: the turn is run again inside the same lock.
 */
export interface TurnStore {
  /** @throws LockTimeoutError when the user's lock is not free in time */
  run<T>(user: ChannelUserKey, fn: (session: TurnSession) => Promise<T>): Promise<T>;
}

export interface TurnSession {
  open(request: { updateKey?: string }): Promise<TurnOpening>;
  save(turn: TurnRecord): Promise<void>;
  /** Submits the application, then saves the turn that follows from its result, in one transaction. */
  submitAndSave(input: SubmitInput, turnFor: (result: SubmitResult) => TurnRecord): Promise<SubmitResult>;
}

/**
 * The twin for tests and single-process use without a database transaction: reads and saves through
 * the repository, submits through the applications port, one after the other, under an in-process lock.
 */
export function sequentialTurns(conversations: ConversationRepository, applications: ApplicationsPort, locks: TurnLocks = processLocks()): TurnStore {
  const answered = new Set<string>();
  const save = async (turn: TurnRecord) => {
    await conversations.saveTurn(turn.conversationId, turn);
    if (turn.updateKey) answered.add(turn.updateKey);
  };
  const session = (user: ChannelUserKey): TurnSession => ({
    open: async ({ updateKey }) => ({ conversation: await conversations.findLatest(user), handled: updateKey !== undefined && answered.has(updateKey), waiting: [] }),
    save,
    async submitAndSave(input, turnFor) {
      const result = await applications.submit(input);
      await save(turnFor(result));
      return result;
    },
  });
  return { run: (user, fn) => locks.run(userLockKey(user), () => fn(session(user))) };
}
