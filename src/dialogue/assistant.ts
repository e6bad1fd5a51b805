/**
 * The one entry point every channel calls: `handleMessage({ channel, userId, text, region? })`. It loads
 * the user's conversation, reads the message once, decides (no IO), runs what the decision asks of the
 * case workflow, commits the turn once (a submission in the same transaction), and returns the replies
 * with the conversation's state.
 */
import type { Catalog } from '../catalog/load.ts';
import { UnknownNameError } from '../catalog/errors.ts';
import { findRegion } from '../catalog/lookup.ts';
import { asks } from '../nlu/reading.ts';
import type { ConversationContext, MessageReader } from '../nlu/reader.ts';
import type { ChannelUserKey, ConversationRepository, JsonObject, NewTicket, UnansweredQuestion } from '../store/conversations.ts';
import { cleanText } from '../kernel/cleanText.ts';
import { ConflictError } from '../kernel/errors.ts';
import { LockTimeoutError } from '../store/turnLocks.ts';
import { ticketNumber } from '../tickets/numbers.ts';
import { ticketRequest } from './steps/ticket.ts';
import { PLACEHOLDER_LABELS } from '../privacy/placeholders.ts';
import { decide } from './decide.ts';
import { groundReplies } from './grounding.ts';
import type { DecideContext, Decision, Effect } from './draft.ts';
import { sequentialTurns, type AnswerWriter, type ApplicationsPort, type TurnRecord, type TurnSession, type TurnStore } from './ports.ts';
import { publicState } from './publicState.ts';
import { parseState } from './state.ts';
import { afterSubmit } from './steps/confirm.ts';
import * as T from './texts/index.ts';
import type { DialogueState, IncomingMessage, Reply, TurnResult } from './types.ts';
import { memoryCounters, type WindowCounters } from '../limits/counters.ts';

export interface AssistantDeps {
  catalog: Catalog;
  reader: MessageReader;
  conversations: ConversationRepository;
  applications: ApplicationsPort;
  /**
   * Where turns are read and committed, one user at a time (across instances on PostgreSQL); by default
   * through `conversations` under an in-process lock, a submission first.
   */
  turns?: TurnStore;
  /** A deployment's fixed region (id or name); the user may still change it. */
  defaultRegion?: string;
  /** Per user: at most `burst` messages in `windowMs`; false for channels a person cannot flood (the terminal). */
  rateLimit?: { burst: number; windowMs: number } | false;
  /** Where the rate limit counts: shared by the instances (Redis) when configured; in memory by default. */
  counters?: WindowCounters;
  now?: () => number;
  log?: { warn(obj: object, msg: string): void };
  /** An LLM writing answers from the retrieved passages (docs/llm.md); without it, the offline answers. */
  answerer?: AnswerWriter;
}

export interface Assistant {
  handleMessage(message: IncomingMessage): Promise<TurnResult>;
  /** The user's latest conversation as it was said (for a page reloaded), or null when there is none. */
  history(user: ChannelUserKey, limit?: number): Promise<ConversationHistory | null>;
}

export interface ConversationHistory {
  conversationId: string;
  messages: { direction: 'in' | 'out'; text: string }[];
  state: TurnResult['state'];
}


export function createAssistant(deps: AssistantDeps): Assistant {
  const defaultRegion = deps.defaultRegion ? findRegion(deps.catalog, deps.defaultRegion).id : undefined;
  const limit = deps.rateLimit ?? { burst: 20, windowMs: 10_000 };
  const now = deps.now ?? Date.now;
  const turns = deps.turns ?? sequentialTurns(deps.conversations, deps.applications);
  const counters = deps.counters ?? memoryCounters(now);

  /**
   * One turn at a time per user, on every instance: a burst of messages is handled in order, never
   * interleaved, each seeing what the one before saved. A turn whose commit met another's write (a unique
   * key taken: the same update, the application, a waiting message) is run once more from the start.
   */
  async function handleMessage(message: IncomingMessage): Promise<TurnResult> {
    const user: ChannelUserKey = { channel: message.channel, userId: message.userId };
    try {
      return await turns.run(user, async (session) => {
        try {
          return await turn(message, user, session, false);
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          deps.log?.warn({ channel: message.channel, entity: error.entity }, 'turn met a concurrent write; run again');
          return turn(message, user, session, true);
        }
      });
    } catch (error) {
      if (!(error instanceof LockTimeoutError)) throw error;
      // The turn before is stuck (an unreachable service): nothing was read or written for this one.
      deps.log?.warn({ channel: message.channel }, 'turn lock not free; asked to send again');
      const latest = await deps.conversations.findLatest(user);
      const state = parseState(latest?.state ?? {});
      return { conversationId: latest?.id ?? '', replies: [T.stillWorking], state: publicState(deps.catalog, state, latest?.handoff ?? false) };
    }
  }

  /** `again`: the same message run a second time (its first commit met another's write); counted once. */
  async function turn(message: IncomingMessage, user: ChannelUserKey, session: TurnSession, again: boolean): Promise<TurnResult> {
    const key = `${message.channel}\u0000${message.userId}`;
    const { updateKey } = message;
    const opening = await session.open(updateKey ? { updateKey } : {});
    const conversation = opening.conversation ?? (await deps.conversations.start(user));
    const state = parseState(conversation.state);
    if (!state.region && defaultRegion) state.region = defaultRegion;
    if (opening.handled) {
      return { conversationId: conversation.id, replies: [], state: publicState(deps.catalog, state, conversation.handoff), duplicate: true };
    }
    // Every channel's text, not only the web's: no invisible, direction-changing or unpaired characters.
    const text = cleanText(String(message.text ?? '')).replace(/\r\n?/g, '\n').trim();

    if (limit && !again && (await counters.hit(`chat:${key}`, limit.windowMs)).count > limit.burst) {
      deps.log?.warn({ channel: message.channel }, 'rate limited');
      return { conversationId: conversation.id, replies: [T.tooFast], state: publicState(deps.catalog, state, conversation.handoff) };
    }

    const pending = opening.waiting.length && deps.applications.present ? await deps.applications.present(opening.waiting) : [];
    const delivered = pending.length ? opening.waiting.map((m) => m.id) : [];
    // What every stored turn carries besides its messages: the update it answers, the notices it showed.
    const committed = { ...(updateKey ? { updateKey } : {}), ...(delivered.length ? { delivered } : {}) };
    if (text.length > T.MAX_MESSAGE_CHARS) {
      const stored = `${text.slice(0, T.MAX_MESSAGE_CHARS)}…（共${text.length}字，已截断）`;
      const replies = [...pending, T.tooLong(text.length)];
      await session.save({ ...record(conversation.id, stored, replies, state), ...committed, expectedVersion: conversation.version });
      return { conversationId: conversation.id, replies, state: publicState(deps.catalog, state, conversation.handoff) };
    }

    const channelRegion = regionOf(message.region);
    // What an LLM is given besides the message (masked before it is sent); loaded only when one is configured.
    let context: ConversationContext | undefined;
    const conversationContext = async () => (context ??= await contextOf(conversation.id, state));
    const reading = await deps.reader.read(text, {
      ...((channelRegion ?? state.region) ? { regionId: channelRegion ?? state.region } : {}),
      ...(deps.reader.wantsConversation ? { conversation: await conversationContext() } : {}),
    });
    const ctx: DecideContext = { catalog: deps.catalog, channel: message.channel, ...(defaultRegion ? { defaultRegion } : {}) };
    // 「我是来投诉的」 after the story: the story is the message before (read only when a ticket may start).
    if (ticketRequest(reading)) {
      const before = (await deps.conversations.recentMessages(conversation.id, 6)).filter((m) => m.direction === 'in').at(-1);
      if (before) ctx.previousText = before.text;
    }
    // The form may open this turn: the earlier application's common fields are offered for reuse.
    if (asks(reading, 'form')) ctx.previousFields = await deps.applications.previousCommonFields(user);
    const decision = decide(ctx, { state, handoff: conversation.handoff, claimed: Boolean(conversation.claimedBy), reading, ...(channelRegion ? { channelRegion } : {}) });

    let conversationId = conversation.id;
    // The turn saves over the version it read: a turn that ran beside it elsewhere makes this one run again.
    let expectedVersion = conversation.version;
    if (decision.effects.some((e) => e.kind === 'restart')) {
      // A conversation left with a person is closed for them too: it leaves the agents' queue.
      if (conversation.handoff) await deps.conversations.update(conversation.id, { handoff: false });
      const fresh = await deps.conversations.start(user);
      conversationId = fresh.id;
      expectedVersion = fresh.version;
    }
    const written = await groundReplies(decision, deps.answerer, conversationContext, (error) =>
      deps.log?.warn({ err: error instanceof Error ? error.name : 'error' }, 'answer writer failed; the offline answer stands'),
    );
    const looked = await withLookups({ ...decision, replies: written.replies }, { ...user, conversationId, ...(message.address ? { address: message.address } : {}) });
    const withNumbers = withTickets(decision, looked, user);
    const { tickets } = withNumbers;
    // A visit (an empty message) that collects waiting messages shows them alone: where things stand is not
    // said again after every notice.
    const replies = !text && pending.length ? [] : withNumbers.replies;
    // What a visit (an empty message) is told again is not written to the transcript a second time.
    const stored = text ? replies : [];
    const submission = decision.effects.find((e): e is Extract<Effect, { kind: 'submit' }> => e.kind === 'submit');
    // Written only when this turn changed it, so an agent's hand-back in the meantime is not overwritten.
    const handoff = decision.handoff !== (conversationId === conversation.id ? conversation.handoff : false) ? decision.handoff : undefined;

    const unanswered = decision.effects
      .filter((e): e is Extract<Effect, { kind: 'unanswered' }> => e.kind === 'unanswered' && !written.answered.has(e.text))
      .map((e) => ({ channel: user.channel, region: e.region, text: e.text, ...(e.industry ? { industry: e.industry } : {}) }));
    if (!submission) {
      await session.save({ ...record(conversationId, text, [...pending, ...stored], decision.state, handoff, unanswered), ...(tickets.length ? { tickets } : {}), ...committed, expectedVersion });
      return { conversationId, replies: [...pending, ...replies], state: publicState(deps.catalog, decision.state, decision.handoff) };
    }
    let final: { state: DialogueState; replies: Reply[] } = { state: decision.state, replies };
    await session.submitAndSave({ ...submission.input, conversationId, channel: user.channel, userId: user.userId }, (result) => {
      const after = afterSubmit(decision.state, result);
      final = { state: after.state, replies: splice(replies, submission.at, after.replies) };
      return { ...record(conversationId, text, [...pending, ...final.replies], final.state, handoff, unanswered), ...(tickets.length ? { tickets } : {}), ...committed, expectedVersion };
    });
    return { conversationId, replies: [...pending, ...final.replies], state: publicState(deps.catalog, final.state, decision.handoff) };
  }

  /** The conversation as an LLM may see it: the last messages, the pending question, the personal values to mask. */
  async function contextOf(conversationId: string, state: DialogueState): Promise<ConversationContext> {
    const messages = await deps.conversations.recentMessages(conversationId, CONTEXT_MESSAGES);
    return {
      history: messages.map((m) => ({ direction: m.direction, text: m.text })),
      personal: personalValues(deps.catalog, state),
      ...(state.industry ? { industryId: state.industry } : {}),
      ...(state.pendingQuestion ? { pendingQuestion: state.pendingQuestion } : {}),
      ...(state.form.pendingField && (state.stage === 'form' || state.stage === 'reuse' || state.stage === 'confirm') ? { pendingField: state.form.pendingField } : {}),
    };
  }

  /**
   * The tickets the decision took down, numbered, with the reply giving each number in its place. They
   * are written with the turn: the number is never given for a ticket that was not stored.
   */
  function withTickets(decision: Decision, replies: Reply[], user: ChannelUserKey): { replies: Reply[]; tickets: NewTicket[] } {
    const effects = decision.effects.filter((e): e is Extract<Effect, { kind: 'ticket' }> => e.kind === 'ticket');
    const at = new Date(now());
    const tickets: NewTicket[] = [];
    let out = replies;
    // A turn taking down a ticket asks for no look-up (the ticket's step returns first): the places hold.
    for (const effect of [...effects].reverse()) {
      const number = ticketNumber(at);
      tickets.unshift({ number, ...effect.input, channel: user.channel, userId: user.userId, createdAt: at });
      const region = deps.catalog.regions.find((r) => r.id === effect.input.region);
      out = splice(out, Math.min(effect.at, out.length), [T.ticketRegistered(effect.input.kind, number, region)]);
    }
    return { replies: out, tickets };
  }

  /** The replies of the decision with those of its status and licence look-ups in their places. */
  async function withLookups(decision: Decision, request: ChannelUserKey & { conversationId: string; address?: string }): Promise<Reply[]> {
    let replies = decision.replies;
    const lookups = decision.effects.filter((e): e is Extract<Effect, { kind: 'status' | 'licence' | 'ticket_note' }> => e.kind === 'status' || e.kind === 'licence' || e.kind === 'ticket_note');
    // From the last to the first, so that each effect's position still holds.
    for (const effect of [...lookups].reverse()) {
      const found =
        effect.kind === 'status'
          ? await status(effect.text, decision.state, request)
          : effect.kind === 'licence'
            ? await licence(effect.text, request)
            : ((await deps.applications.addToTicket?.(request, effect.text)) ?? [T.noTicketToAddTo]);
      replies = splice(replies, effect.at, found);
    }
    return replies;
  }

  async function status(text: string, state: DialogueState, request: ChannelUserKey & { conversationId: string; address?: string }): Promise<Reply[]> {
    if (deps.applications.status) {
      return deps.applications.status({ ...request, text, ...(state.applicationNumber ? { applicationNumber: state.applicationNumber } : {}) });
    }
    return [state.applicationNumber ? T.submittedAwaiting(state.applicationNumber) : T.noApplicationYet()];
  }

  async function licence(text: string, request: ChannelUserKey & { conversationId: string }): Promise<Reply[]> {
    return deps.applications.licence ? deps.applications.licence({ ...request, text }) : [T.licenceNotYet()];
  }

  function regionOf(name: string | undefined): string | undefined {
    if (!name) return undefined;
    try {
      return findRegion(deps.catalog, name).id;
    } catch (error) {
      if (error instanceof UnknownNameError) return undefined;
      throw error;
    }
  }

  async function history(user: ChannelUserKey, limit = HISTORY_LIMIT): Promise<ConversationHistory | null> {
    const conversation = await deps.conversations.findLatest(user);
    if (!conversation) return null;
    const messages = await deps.conversations.recentMessages(conversation.id, limit);
    return {
      conversationId: conversation.id,
      messages: messages.map((m) => ({ direction: m.direction, text: m.text })),
      state: publicState(deps.catalog, parseState(conversation.state), conversation.handoff),
    };
  }

  return { handleMessage, history };
}

const HISTORY_LIMIT = 60;
const CONTEXT_MESSAGES = 6;

/** The form's names, addresses and numbers so far: replaced by placeholders wherever they appear. */
function personalValues(catalog: Catalog, state: DialogueState): ConversationContext['personal'] {
  const values: ConversationContext['personal'] = [];
  for (const [id, value] of Object.entries({ ...(state.reusable ?? {}), ...state.form.values })) {
    const type = catalog.fields.get(id)?.type;
    const label = type && type in PLACEHOLDER_LABELS ? PLACEHOLDER_LABELS[type as keyof typeof PLACEHOLDER_LABELS] : undefined;
    if (label && typeof value === 'string') values.push({ label, value });
  }
  return values;
}

/** The stored turn; the handoff flag only when given. */
function record(conversationId: string, text: string, replies: Reply[], state: DialogueState, handoff?: boolean, unanswered: UnansweredQuestion[] = []): TurnRecord {
  const json: JsonObject = JSON.parse(JSON.stringify(state));
  return {
    conversationId,
    ...(unanswered.length ? { unanswered } : {}),
    messages: [...(text ? [{ direction: 'in' as const, text }] : []), ...replies.filter((r) => !r.recorded).map((r) => ({ direction: 'out' as const, text: r.text }))],
    changes: {
      state: json,
      stage: state.stage,
      region: state.region ?? null,
      industry: state.industry ?? null,
      ...(handoff === undefined ? {} : { handoff }),
    },
  };
}

function splice(replies: Reply[], at: number, inserted: Reply[]): Reply[] {
  return [...replies.slice(0, at), ...inserted, ...replies.slice(at)];
}
