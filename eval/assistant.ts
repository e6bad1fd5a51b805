/**
 * The assistant as the evaluation drives it: the real catalog, reader and dialogue, an in-memory store
 * and an applications twin that accepts every submission. One conversation per evaluated user.
 */
import type { Catalog } from '../src/catalog/load.ts';
import { createAssistant } from '../src/dialogue/assistant.ts';
import type { AnswerWriter, ApplicationsPort } from '../src/dialogue/ports.ts';
import { parseState } from '../src/dialogue/state.ts';
import type { TurnResult } from '../src/dialogue/types.ts';
import type { FieldValue } from '../src/guidance/validators.ts';
import { createReader, type MessageReader, type OfflineReader } from '../src/nlu/reader.ts';
import { memoryConversations } from '../src/store/memory.ts';
import type { NewTicket } from '../src/store/conversations.ts';
import { askedTicket, ticketStatusLines, withAddition } from '../src/tickets/tickets.ts';
import * as T from '../src/dialogue/texts/index.ts';
import type { LlmParts } from '../src/llm/index.ts';

export interface EvalAssistant {
  catalog: Catalog;
  /** The reader and answer writer the assistant uses (the agents' suggestions use them too). */
  reader: MessageReader;
  answerer?: AnswerWriter;
  say(user: string, text: string, region: string): Promise<TurnResult>;
  /** The trade waiting for the user's 是 (a typo or a fallback guess), if any. */
  proposed(user: string): Promise<string | undefined>;
  formValues(user: string): Promise<Record<string, FieldValue>>;
}

/** `withModel`: the model reads and writes answers too (npm run eval -- --llm), as `npm start` would with it. */
/** `channel`: the channel the person writes on (default `eval`; the tickets' set writes as on the web page). */
export function evalAssistant(catalog: Catalog, options: { withModel?: (offline: OfflineReader) => LlmParts; channel?: string } = {}): EvalAssistant {
  const channel = options.channel ?? 'eval';
  const tickets: NewTicket[] = [];
  const conversations = memoryConversations([], tickets);
  let n = 0;
  const applications: ApplicationsPort = {
    submit: async () => ({ applicationNumber: `SQ${String(++n).padStart(6, '0')}`, nextSteps: [] }),
    previousCommonFields: async () => null,
    // The person's tickets as the real workflow tells them (no case workflow here: only tickets are looked up).
    status: async ({ channel: on, userId, text }) => {
      const asked = askedTicket(text);
      const mine = tickets.filter((t) => t.channel === on && t.userId === userId && (!asked || t.number === asked)).reverse();
      return [{ kind: 'status', text: ticketStatusLines(mine, asked) ?? '您还没有在这里登记过投诉、求助或建议（工单只能在登记它的对话里查询）。' }];
    },
    addToTicket: async ({ channel: on, userId }, text) => {
      const latest = tickets.filter((t) => t.channel === on && t.userId === userId).at(-1);
      if (!latest) return [T.noTicketToAddTo];
      Object.assign(latest, withAddition(latest, text));
      return [T.ticketNoteAdded(latest.number)];
    },
  };
  const offline = createReader(catalog);
  const model = options.withModel?.(offline);
  const assistant = createAssistant({
    catalog,
    reader: model?.reader ?? offline,
    ...(model ? { answerer: model.answerer } : {}),
    conversations,
    applications,
    rateLimit: false,
  });
  const stateOf = async (user: string) => {
    const conversation = await conversations.findLatest({ channel, userId: user });
    return conversation ? parseState(conversation.state) : undefined;
  };
  return {
    catalog,
    reader: model?.reader ?? offline,
    ...(model ? { answerer: model.answerer } : {}),
    say: (user, text, region) => assistant.handleMessage({ channel, userId: user, text, region }),
    proposed: async (user) => (await stateOf(user))?.proposedIndustry,
    formValues: async (user) => (await stateOf(user))?.form.values ?? {},
  };
}
