/**
 * The store as the use cases see it: repositories that take and return the domain's records, never
 * Prisma's rows. prismaStore() (store.ts) implements them over the database; `transaction` hands its
 * callback the same repositories bound to one transaction, so several writes commit together or not at all.
 * JSON columns come back as the shapes the domain wrote into them (lists of permit ids, materials, form data).
 */
import type { JsonObject } from './conversations.ts';
import type { ConversationRepository } from './conversations.ts';
import type { SuggestionFeedbackRepository } from './suggestionFeedback.ts';
import type { UnansweredRepository } from './unanswered.ts';
import type { TurnLocks } from './turnLocks.ts';

/** A JSON document the domain wrote (form data, scenario answers), read back as an object. */
export type JsonRecord = Record<string, unknown>;

export interface MissingMaterial {
  name: string;
  problem: string;
}

export interface CaseItemRecord {
  id: string;
  caseId: string;
  permitId: string;
  name: string;
  department: string;
  seq: number;
  status: string;
  toConfirm: boolean;
  resumeStatus: string | null;
  inspection: string;
  statutoryWorkingDays: number | null;
  promisedWorkingDays: number | null;
  statutoryDeadline: string | null;
  promisedDeadline: string | null;
  permitNumber: string | null;
  validFrom: string | null;
  validUntil: string | null;
  reason: string | null;
  decidedAt: Date | null;
}

export interface InspectionRecord {
  id: string;
  status: string;
  permitIds: string[];
  scheduledAt: Date;
  opinions: string[];
  recheckAt: Date | null;
  note: string | null;
}

export interface MaterialRequestRecord {
  id: string;
  caseId: string;
  permitIds: string[];
  materials: MissingMaterial[];
  howToSubmit: string;
  status: string;
  remindersSent: number;
  nextReminderAt: Date | null;
  createdAt: Date;
}

export interface LicenceRecord {
  id: string;
  number: string;
  caseId: string;
  region: string;
  industry: string;
  status: string;
  version: number;
  voidReason: string | null;
  createdAt: Date;
}

export interface LicenceVersionRecord {
  version: number;
  /** The printed content as issued; read with the licence module's parser. */
  printed: unknown;
  reason: string;
  free: boolean | null;
  issuedAt: Date;
}

export type NewLicenceVersion = Omit<LicenceVersionRecord, 'printed'> & { printed: JsonObject };

/** Where a case's messages go: the channel and person it came from. */
export interface CaseAddress {
  id: string;
  number: string;
  conversationId: string;
  channel: string;
  userId: string;
}

export interface CaseHeader extends CaseAddress {
  applicationId: string;
  region: string;
  industry: string;
  holderName: string;
  address: string;
  phoneLast4: string;
  creditCode: string | null;
  status: string;
  acceptedAt: Date | null;
  createdAt: Date;
}

/** A case with everything its views need: items by seq, inspections and licences newest first, 补正 oldest first. */
export interface CaseRecord extends CaseHeader {
  items: CaseItemRecord[];
  inspections: InspectionRecord[];
  materialRequests: MaterialRequestRecord[];
  licences: LicenceRecord[];
  application: { number: string; data: JsonRecord; answers: JsonRecord; submittedBy: string | null };
}

export interface CaseEventRecord {
  caseId: string;
  permitId: string | null;
  /** staff:<id>, applicant, system. */
  actor: string;
  actorName: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  reason: string | null;
  /** Details of the change, as written. */
  data: unknown;
  at: Date;
}

export type NewCaseEvent = Omit<CaseEventRecord, 'data'> & { data: JsonObject | null };

export interface NewCaseItem {
  seq: number;
  permitId: string;
  name: string;
  department: string;
  toConfirm: boolean;
  inspection: string;
  statutoryWorkingDays: number | null;
  promisedWorkingDays: number | null;
  statutoryDeadline: string | null;
  promisedDeadline: string | null;
}

export interface NewCase {
  number: string;
  applicationId: string;
  conversationId: string;
  region: string;
  industry: string;
  channel: string;
  userId: string;
  holderName: string;
  address: string;
  phoneLast4: string;
  creditCode?: string;
  createdAt: Date;
  items: NewCaseItem[];
}

/** What staff search the case list by (every given part must match), newest first. */
export interface CaseFilter {
  number?: string;
  applicationNumber?: string;
  phoneLast4?: string;
  creditCode?: string;
  holderNameContains?: string;
  status?: string;
  region?: string;
  /** Cases with an item in one of these states. */
  itemStatusIn?: readonly string[];
  limit: number;
}

export type ItemChanges = Partial<
  Pick<CaseItemRecord, 'resumeStatus' | 'reason' | 'permitNumber' | 'validFrom' | 'validUntil' | 'decidedAt' | 'statutoryDeadline' | 'promisedDeadline'>
>;

export type CaseChanges = Partial<Pick<CaseHeader, 'holderName' | 'address' | 'phoneLast4' | 'status' | 'acceptedAt'>>;

export interface CaseRepository {
  findByNumber(number: string): Promise<CaseRecord | null>;
  /** The cases one channel user submitted, in any of their conversations, the first ten, oldest first. */
  listOfUser(channel: string, userId: string): Promise<CaseRecord[]>;
  /** The conversations' cases, oldest first. */
  listOfConversations(conversationIds: readonly string[]): Promise<CaseRecord[]>;
  search(filter: CaseFilter): Promise<CaseRecord[]>;
  /** The last four digits of the applicant's mobile, null when there is no such case. */
  phoneLast4Of(number: string): Promise<string | null>;
  /** The departments of the case's items, null when there is no such case. */
  departmentsOf(number: string): Promise<string[] | null>;
  /** @throws ConflictError when the number is taken (or the application has its case). */
  create(input: NewCase): Promise<{ id: string }>;
  update(caseId: string, changes: CaseChanges): Promise<void>;
  updateItem(itemId: string, changes: ItemChanges): Promise<void>;
  /** Moves an item to `to` only if it is still in `from`; false when it is not (someone moved it meanwhile). */
  moveItem(itemId: string, from: string, to: string, changes?: ItemChanges): Promise<boolean>;
  countItems(caseId: string, statuses: readonly string[]): Promise<number>;
  recordEvent(event: NewCaseEvent): Promise<void>;
  /** The case's events in the order written. */
  events(caseId: string): Promise<CaseEventRecord[]>;
  createInspection(input: { caseId: string; permitIds: string[]; scheduledAt: Date; note: string | null }): Promise<{ id: string }>;
  /** Changes an inspection only if it is still in `from`; false when it is not. */
  updateInspection(id: string, from: string, changes: { status?: string; scheduledAt?: Date; opinions?: string[]; recheckAt?: Date | null; note?: string }): Promise<boolean>;
  createMaterialRequest(input: Omit<MaterialRequestRecord, 'id' | 'status' | 'remindersSent'>): Promise<MaterialRequestRecord>;
  /** Ends an open request; false when it was no longer open. */
  closeMaterialRequest(id: string, outcome: 'resolved' | 'cancelled', at: Date): Promise<boolean>;
  /** Open requests whose next follow-up is due, with their case, at most `limit`. */
  dueMaterialRequests(now: Date, limit: number): Promise<(MaterialRequestRecord & { case: CaseAddress & { items: CaseItemRecord[] } })[]>;
  /** Counts a follow-up as sent, only if no one else counted it (remindersSent still `sent`). */
  claimFollowUp(id: string, sent: number, next: Date | null): Promise<boolean>;
  /** Approved items whose validity ends from `from` to `to` (YYYY-MM-DD), with their case. */
  itemsEnding(from: string, to: string): Promise<(CaseItemRecord & { case: CaseAddress & { holderName: string } })[]>;
  /** Approved items whose validity ended before `today`, at most `limit`. */
  itemsLapsed(today: string, limit: number): Promise<(CaseItemRecord & { caseNumber: string })[]>;
  itemStatus(itemId: string): Promise<string | null>;
}

export interface NewApplication {
  number: string;
  conversationId: string;
  region: string;
  industry: string;
  data: JsonObject;
  answers: JsonObject;
  channel: string;
  userId: string;
  submittedBy?: string;
  submittedAt: Date;
}

export interface ApplicationRepository {
  /** The conversation's application (one per conversation) and its case's number, if any. */
  findByConversation(conversationId: string): Promise<{ number: string; caseNumber: string | null } | null>;
  /** @throws ConflictError when the number is taken or the conversation has its application. */
  create(input: NewApplication): Promise<{ id: string }>;
  updateData(id: string, data: JsonObject): Promise<void>;
  /** The form of the user's most recent application. */
  latestData(channel: string, userId: string): Promise<JsonRecord | null>;
  /** What one staff member submitted for a trade since `since`, newest first (twenty at most). */
  recentBySubmitter(input: { submittedBy: string; region: string; industry: string; since: Date }): Promise<{ data: JsonRecord; caseNumber: string | null }[]>;
}

export interface LicenceRepository {
  /** @throws ConflictError when the number is taken. */
  create(input: { number: string; caseId: string; region: string; industry: string; createdAt: Date; first: NewLicenceVersion }): Promise<{ id: string }>;
  /** @throws NotFoundError */
  version(licenceId: string, version: number): Promise<LicenceVersionRecord>;
  /** Versions oldest first. */
  versions(licenceId: string): Promise<LicenceVersionRecord[]>;
  /** Voids a valid licence; false when it was no longer valid. */
  void(licenceId: string, reason: string, at: Date): Promise<boolean>;
  /** Issues `next` over version `from`, only if the licence is still valid at it; false otherwise. */
  reissue(licenceId: string, from: number, next: NewLicenceVersion): Promise<boolean>;
  find(licenceId: string): Promise<LicenceRecord | null>;
  /** The licence, its versions oldest first and its case's items by seq: what its QR page shows. */
  findWithCase(licenceId: string): Promise<{ licence: LicenceRecord; versions: LicenceVersionRecord[]; items: CaseItemRecord[] } | null>;
  /** The licences of the conversation's cases, newest first, each with its latest version. */
  ofConversation(conversationId: string): Promise<(LicenceRecord & { latest: LicenceVersionRecord | null })[]>;
}

export type OutboxImage = { kind: 'licence_qr'; licenceId: string };

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'delivered' | 'failed';

export interface OutboxInput {
  channel: string;
  userId: string;
  conversationId?: string;
  caseId?: string;
  text: string;
  image?: OutboxImage;
  /** A second enqueue with the same key is ignored: what makes scheduled reminders exactly-once. */
  dedupeKey?: string;
  /** Not before this time (default: now). */
  availableAt?: Date;
  /** Already in the conversation's transcript (see {@link OutboxRepository.say}). */
  recorded?: boolean;
}

export interface OutboxRecord {
  id: number;
  channel: string;
  userId: string;
  caseId: string | null;
  text: string;
  image?: OutboxImage;
  recorded: boolean;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

export interface ClaimOptions {
  channels: readonly string[];
  now: Date;
  leaseUntil: Date;
  limit: number;
}

export interface ClaimedMessage {
  id: number;
  channel: string;
  userId: string;
  text: string;
  image?: OutboxImage;
  /** Including this one. */
  attempts: number;
}

export interface OutboxRepository {
  /**
   * Writes a message; false when one with the same `dedupeKey` exists. `now` is the caller's clock, so
   * tests and the dispatcher agree on time.
   */
  enqueue(message: OutboxInput, now: Date): Promise<boolean>;
  /**
   * A person's words to the user of a conversation (an agent's reply, a ticket's answer): written to its
   * transcript and sent on its channel. The pull channels show it without recording it again.
   */
  say(to: { channel: string; userId: string; conversationId: string | null }, text: string, now: Date, dedupeKey?: string): Promise<void>;
  hasKey(dedupeKey: string): Promise<boolean>;
  /** What waits for a pull channel's user now, oldest first, at most `limit`. */
  waiting(to: { channel: string; userId: string }, now: Date, limit: number): Promise<OutboxRecord[]>;
  /** Marks waiting messages delivered, in one statement; false when someone else took any of them. */
  takeWaiting(ids: readonly number[], at: Date): Promise<boolean>;
  /**
   * Claims, in one statement, the rows a dispatcher may send now: due (pending and available, or
   * sending under an expired lease), on one of its channels, and each the oldest unsent row of its user.
   * The claim sets them `sending` under a lease and counts the attempt; no two dispatchers win one row.
   * The claimed rows, in the order they were written.
   *
   * Order per user: only a user's head row is claimable, the oldest still pending or sending on that
   * channel. While it is in flight (or waiting for a retry) the user's later rows wait, so two instances
   * can never send one user's messages out of order. The price is one message per user per claim, which
   * the dispatcher makes up for by claiming again as soon as a batch is sent. (Claiming all of a user's
   * due rows at once instead would need a lock per user: two instances could each lock part of one
   * user's queue and send the parts side by side.) A row scheduled for later (`availableAt` ahead) holds
   * back the user's later rows the same way; nothing schedules ahead today.
   */
  claimDue(options: ClaimOptions): Promise<ClaimedMessage[]>;
  markSent(id: number, at: Date): Promise<void>;
  /** Gives up a claim, only if it is still this one (the row sending at `attempts`). */
  release(id: number, attempts: number, changes: { status: OutboxStatus; leaseUntil: null; attempts?: number; lastError?: string; availableAt?: Date }): Promise<void>;
  ofCase(caseId: string): Promise<OutboxRecord[]>;
  /** The latest 200 in one status, newest first. */
  withStatus(status: string): Promise<OutboxRecord[]>;
  /** Puts a failed message back to be sent now; false when there is no such failed message. */
  retry(id: number, at: Date): Promise<boolean>;
}

export interface StaffUserRecord {
  id: string;
  name: string;
  /** staff, hotline or admin (checked by the caller). */
  role: string;
  department: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface ConsoleSessionRecord {
  id: string;
  staffUserId: string;
  csrfToken: string;
  lastSeenAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
}

export interface StaffRepository {
  findUser(id: string): Promise<StaffUserRecord | null>;
  findUserByTokenHash(tokenHash: string): Promise<StaffUserRecord | null>;
  /** The names of these staff members, by id (those that exist). */
  names(ids: readonly string[]): Promise<Map<string, string>>;
  /** @throws ConflictError when the token's hash is taken. */
  createUser(input: { name: string; role: string; department?: string; tokenHash: string; createdAt: Date }): Promise<StaffUserRecord>;
  touchUser(id: string, at: Date): Promise<void>;
  /** Revokes a member not yet revoked; false when there is none. */
  revokeUser(id: string, at: Date): Promise<boolean>;
  /** Every member, oldest first. */
  listUsers(): Promise<StaffUserRecord[]>;
  createSession(input: { tokenHash: string; staffUserId: string; csrfToken: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  findSession(tokenHash: string): Promise<ConsoleSessionRecord | null>;
  touchSession(id: string, at: Date): Promise<void>;
  endSession(tokenHash: string, at: Date): Promise<void>;
}

export interface AuditRecord {
  id: number;
  actorId: string;
  actor: string;
  role: string;
  via: string;
  action: string;
  target: string | null;
  outcome: string;
  detail: unknown;
  at: Date;
}

export interface AuditRepository {
  record(entry: Omit<AuditRecord, 'id' | 'detail'> & { detail?: JsonObject }): Promise<void>;
  /** Newest first. */
  list(options: { limit: number; actorId?: string }): Promise<AuditRecord[]>;
}

export interface TicketRecord {
  id: string;
  number: string;
  kind: string;
  region: string;
  channel: string;
  userId: string;
  conversationId: string | null;
  text: string;
  about: string | null;
  contact: string | null;
  status: string;
  department: string | null;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: Date | null;
  createdAt: Date;
}

export type TicketChanges = Partial<Pick<TicketRecord, 'text' | 'contact' | 'status' | 'department' | 'answer' | 'answeredBy' | 'answeredAt'>>;

export interface TicketRepository {
  /** Newest first. */
  list(filter: { status?: string; region?: string; limit: number }): Promise<TicketRecord[]>;
  findByNumber(number: string): Promise<TicketRecord | null>;
  update(id: string, changes: TicketChanges): Promise<TicketRecord>;
  /** The person's latest ticket not yet answered. */
  latestOpenOf(channel: string, userId: string): Promise<TicketRecord | null>;
  /** The person's latest five tickets (the one numbered, if given), newest first. */
  ofPerson(channel: string, userId: string, number?: string): Promise<TicketRecord[]>;
  /** Kind and status of the tickets (of a region), for the statistics. */
  tally(region?: string): Promise<{ kind: string; status: string }[]>;
}

export interface AgentNoteRecord {
  id: number;
  staffName: string;
  text: string;
  createdAt: Date;
}

/** A conversation as hotline agents see it: who has it, and its latest messages, newest first. */
export interface HandoffRecord {
  id: string;
  channel: string;
  userId: string;
  region: string | null;
  industry: string | null;
  state: unknown;
  handoff: boolean;
  updatedAt: Date;
  claimedBy: string | null;
  claimedAt: Date | null;
  messages: { direction: string; text: string; createdAt: Date }[];
}

export interface HandoffRepository {
  /** The conversation with its last `messages` messages. */
  find(conversationId: string, messages: number): Promise<HandoffRecord | null>;
  /** The handed-off conversations, longest waiting first, each with its last ten messages. */
  listHandedOff(limit: number): Promise<HandoffRecord[]>;
  /** The conversation's application and its case number, if any. */
  applicationOf(conversationId: string): Promise<{ number: string; caseNumber: string | null } | null>;
  /**
   * Gives the chat to `staffId` only if it is still held by `heldBy` (null: nobody), and, with
   * `handedOff`, only while it is handed off; false when someone else moved first.
   */
  claim(conversationId: string, heldBy: string | null, staffId: string, at: Date, handedOff: boolean): Promise<boolean>;
  /** Hands a handed-off chat back to the assistant (nobody holds it); false when it was not handed off. */
  release(conversationId: string): Promise<boolean>;
  /** Records a submission made for the caller: the conversation's new state, region, trade and stage. */
  markSubmitted(conversationId: string, changes: { state: JsonObject; region: string; industry: string }): Promise<void>;
  /** A new conversation of a channel with no messenger (the hotline), holding a case for a caller on the phone. */
  startFor(input: { channel: string; userId: string; region: string; industry: string; state: JsonObject }): Promise<{ id: string; channel: string; userId: string }>;
  notes(conversationId: string): Promise<AgentNoteRecord[]>;
  addNote(input: { conversationId: string; staffId: string; staffName: string; text: string; createdAt: Date }): Promise<{ id: number }>;
}

export interface StaffFaqRecord {
  id: number;
  region: string;
  question: string;
  answer: string;
  sources: { title: string; ref: string }[];
  createdBy: string;
  createdAt: Date;
}

export interface StaffFaqRepository {
  /** The entries not retired (of a region), oldest first, or newest first with a limit. */
  current(options?: { region?: string; newestFirst?: boolean; limit?: number }): Promise<StaffFaqRecord[]>;
  create(input: Omit<StaffFaqRecord, 'id'> & { feedbackId: number }): Promise<StaffFaqRecord>;
  /** Retires a current entry; false when there is none. */
  retire(id: number, at: Date): Promise<boolean>;
}

export interface InboundUpdateRepository {
  /** Records the channel update as answered by the turn being written. @throws ConflictError when it was already */
  answered(key: string, at: Date): Promise<void>;
  /** Removes the records of channel updates answered before `before`; returns how many. */
  pruneBefore(before: Date): Promise<number>;
}

export interface Repositories {
  cases: CaseRepository;
  applications: ApplicationRepository;
  licences: LicenceRepository;
  outbox: OutboxRepository;
  conversations: ConversationRepository;
  unanswered: UnansweredRepository;
  suggestionFeedback: SuggestionFeedbackRepository;
  staff: StaffRepository;
  audit: AuditRepository;
  tickets: TicketRepository;
  handoffs: HandoffRepository;
  staffFaq: StaffFaqRepository;
  inboundUpdates: InboundUpdateRepository;
}

export interface Store extends Repositories {
  /**
   * Runs `fn` in one transaction with the repositories bound to it. Inside, `transaction` joins the
   * running one: a use case that opens its own becomes part of its caller's.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** One turn at a time per user, across every process on this database. */
  readonly locks: TurnLocks;
}
