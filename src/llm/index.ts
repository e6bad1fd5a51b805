/**
 * The LLM's parts, assembled when one is configured (docs/llm.md): the guarded client, the prompts
 * (loaded and checked now), the reader over the offline one and the answer writer. Imported only then:
 * langchain takes seconds to load, which an offline deployment should not pay.
 */
import type { Catalog } from '../catalog/load.ts';
import type { AnswerWriter } from '../dialogue/ports.ts';
import type { MessageReader, OfflineReader } from '../nlu/reader.ts';
import { createLlmAnswerer } from './answerer.ts';
import type { Llm } from './client.ts';
import { loadPrompts } from './prompts.ts';
import { createLlmReader } from './reader.ts';

export interface LlmParts {
  llm: Llm;
  reader: MessageReader;
  answerer: AnswerWriter;
}

export { createLlm } from './client.ts';

export function createLlmParts(llm: Llm, catalog: Catalog, offline: OfflineReader): LlmParts {
  const prompts = loadPrompts();
  return { llm, reader: createLlmReader({ offline, llm, catalog, prompts }), answerer: createLlmAnswerer({ llm, catalog, prompts }) };
}
