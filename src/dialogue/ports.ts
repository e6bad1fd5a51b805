/**
 * What the dialogue needs from the rest of the system, as small interfaces: the application and case
 * workflow (src/app/applications.ts implements it over src/cases; tests use a twin).
 */
import type { FieldValue } from '../guidance/validators.ts';
import type { AnswerValue } from '../guidance/conditions.ts';
import type { ChannelUserKey } from '../store/conversations.ts';
import type { Reply } from './types.ts';

export interface SubmitInput {
  conversationId: string;
  channel: string;
  userId: string;
  regionId: string;
  industryId: string;
  answers: Record<string, AnswerValue>;
  form: Record<string, FieldValue>;
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
  status?(request: ChannelUserKey & { conversationId: string; text: string; applicationNumber?: string }): Promise<Reply[]>;
  /** 「把许可证发我」: the licence summary and its QR image. */
  licence?(request: ChannelUserKey & { conversationId: string; text: string }): Promise<Reply[]>;
  /** Messages waiting for a pull channel (web, terminal), shown at the start of the user's next turn. */
  takePending?(key: ChannelUserKey): Promise<Reply[]>;
}
