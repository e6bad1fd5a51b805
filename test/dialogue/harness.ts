/**
 * A dialogue under test: the real catalog, understanding and policy over the in-memory conversation
 * store, with an applications twin that records submissions.
 */
import { loadCatalog } from '../../src/catalog/load.ts';
import { createAssistant, type Assistant } from '../../src/dialogue/assistant.ts';
import type { ApplicationsPort, SubmitInput } from '../../src/dialogue/ports.ts';
import type { Reply, TurnResult } from '../../src/dialogue/types.ts';
import { createReader } from '../../src/nlu/reader.ts';
import { memoryConversations } from '../../src/store/memory.ts';
import type { ConversationRepository, NewTicket } from '../../src/store/conversations.ts';
import * as T from '../../src/dialogue/texts/index.ts';
import { withAddition } from '../../src/tickets/tickets.ts';
import type { FieldValue } from '../../src/guidance/validators.ts';
import type { Catalog } from '../../src/catalog/load.ts';

const defaultCatalog = loadCatalog();
const defaultReader = createReader(defaultCatalog);

export interface Harness {
  assistant: Assistant;
  conversations: ConversationRepository;
  submitted: SubmitInput[];
  say(text: string, region?: string): Promise<TurnResult>;
  /** All reply texts of the last turn joined. */
  text(result: TurnResult): string;
}

export function harness(
  options: { userId?: string; channel?: string; defaultRegion?: string; conversations?: ConversationRepository; submitted?: SubmitInput[]; catalog?: Catalog } = {},
): Harness {
  const catalog = options.catalog ?? defaultCatalog;
  const reader = options.catalog ? createReader(options.catalog) : defaultReader;
  const tickets: NewTicket[] = [];
  const conversations = options.conversations ?? memoryConversations([], tickets);
  const submitted: SubmitInput[] = options.submitted ?? [];
  const applications: ApplicationsPort = {
    async submit(input) {
      submitted.push(input);
      return { applicationNumber: `SQ${String(submitted.length).padStart(4, '0')}`, nextSteps: ['窗口工作人员将在受理后通知您。'] };
    },
    async addToTicket({ channel: on, userId: who }, text) {
      const latest = tickets.filter((t) => t.channel === on && t.userId === who).at(-1);
      if (!latest) return [T.noTicketToAddTo];
      Object.assign(latest, withAddition(latest, text));
      return [T.ticketNoteAdded(latest.number)];
    },
    async previousCommonFields() {
      const last = submitted.at(-1);
      if (!last) return null;
      const out: Record<string, FieldValue> = {};
      for (const [id, v] of Object.entries(last.form)) if (catalog.fields.get(id)?.common) out[id] = v;
      return out;
    },
  };
  const assistant = createAssistant({
    catalog,
    reader,
    conversations,
    applications,
    rateLimit: false,
    ...(options.defaultRegion ? { defaultRegion: options.defaultRegion } : {}),
  });
  const channel = options.channel ?? 'test';
  const userId = options.userId ?? 'u1';
  return {
    assistant,
    conversations,
    submitted,
    say: (text, region) => assistant.handleMessage({ channel, userId, text, ...(region ? { region } : {}) }),
    text: (r) => r.replies.map((x: Reply) => x.text).join('\n---\n'),
  };
}
