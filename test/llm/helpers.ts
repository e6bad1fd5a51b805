/**
 * The assistant with an LLM configured against the fake model server: the real catalog, offline reader,
 * ChatOpenAI client, prompts, LLM reader and answer writer, over the in-memory store.
 */
import { loadCatalog } from '../../src/catalog/load.ts';
import type { LlmConfig } from '../../src/config.ts';
import { createAssistant, type Assistant } from '../../src/dialogue/assistant.ts';
import type { ApplicationsPort } from '../../src/dialogue/ports.ts';
import type { TurnResult } from '../../src/dialogue/types.ts';
import { createLlm, type Llm } from '../../src/llm/client.ts';
import { createLlmAnswerer } from '../../src/llm/answerer.ts';
import { loadPrompts } from '../../src/llm/prompts.ts';
import { createLlmReader } from '../../src/llm/reader.ts';
import { createReader } from '../../src/nlu/reader.ts';
import { memoryConversations, memoryUnanswered } from '../../src/store/memory.ts';
import type { UnansweredRow } from '../../src/store/unanswered.ts';
import type { FakeModel } from './fakeModel.ts';

export const catalog = loadCatalog();
const offline = createReader(catalog);
const prompts = loadPrompts();

export function llmConfig(fake: FakeModel, extra: Partial<LlmConfig> = {}): LlmConfig {
  return { apiKey: 'test-key', baseUrl: fake.url, model: 'fake-model', timeoutMs: 3000, maxConcurrent: 4, dailyTokens: 0, structuredOutput: 'auto', stream: false, ...extra };
}

export interface LlmChat {
  assistant: Assistant;
  llm: Llm;
  unanswered: UnansweredRow[];
  logs: { level: string; obj: Record<string, unknown> }[];
  say(text: string, region?: string): Promise<TurnResult>;
}

/** One user's conversation; `offlineToo` builds the same assistant without the LLM, for comparison. */
export function llmChat(fake: FakeModel, extra: Partial<LlmConfig> = {}, userId = 'u1'): LlmChat {
  const logs: LlmChat['logs'] = [];
  const log = { info: (obj: object) => logs.push({ level: 'info', obj: obj as Record<string, unknown> }), warn: (obj: object) => logs.push({ level: 'warn', obj: obj as Record<string, unknown> }) };
  const llm = createLlm(llmConfig(fake, extra), { log });
  const rows: UnansweredRow[] = [];
  const assistant = createAssistant({
    catalog,
    reader: createLlmReader({ offline, llm, catalog, prompts }),
    answerer: createLlmAnswerer({ llm, catalog, prompts }),
    conversations: memoryConversations(rows),
    applications: twinApplications(),
    rateLimit: false,
    log,
  });
  return { assistant, llm, unanswered: rows, logs, say: (text, region) => assistant.handleMessage({ channel: 'test', userId, text, ...(region ? { region } : {}) }) };
}

export function offlineChat(userId = 'u1'): { say(text: string, region?: string): Promise<TurnResult> } {
  const assistant = createAssistant({ catalog, reader: offline, conversations: memoryConversations(), applications: twinApplications(), rateLimit: false });
  return { say: (text, region) => assistant.handleMessage({ channel: 'test', userId, text, ...(region ? { region } : {}) }) };
}

function twinApplications(): ApplicationsPort {
  let n = 0;
  return { submit: async () => ({ applicationNumber: `SQ${String(++n).padStart(4, '0')}`, nextSteps: [] }), previousCommonFields: async () => null };
}

export const text = (r: TurnResult) => r.replies.map((x) => x.text).join('\n---\n');
export { memoryUnanswered };
