/**
 * Answers written by the model from the retrieved passages only, each citation checked: the passage was
 * retrieved, its quote is in the passage word for word, and every figure the answer states is in a cited
 * passage. An answer that fails a check, or says the passages do not cover the question, is dropped and
 * the offline reply stands. The model phrases; it decides nothing (the permits come from the catalog).
 */
import { z } from 'zod';
import type { Catalog } from '../catalog/load.ts';
import type { AnswerWriter } from '../dialogue/ports.ts';
import type { Reply } from '../dialogue/types.ts';
import { withSources } from '../dialogue/knowledge.ts';
import { knowledgeFor, type SourceRef } from '../knowledge/index.ts';
import { placeholders } from '../privacy/placeholders.ts';
import type { Llm } from './client.ts';
import { historyText } from './history.ts';
import type { Prompts } from './prompts.ts';
import { KnowledgeRetriever } from './retriever.ts';

export const answerSchema = z.object({
  covered: z.boolean().describe('段落能否回答这个问题'),
  answer: z.string().describe('回答；不能回答时为空字符串'),
  citations: z.array(z.object({ id: z.string().describe('段落编号，如 P1'), quote: z.string().describe('从该段落逐字摘录的原文') })),
});
export type ModelAnswer = z.infer<typeof answerSchema>;

export interface Candidate {
  /** P0 (the offline answer), P1, P2… as the prompt numbers them. */
  id: string;
  content: string;
  sources: SourceRef[];
}

const MAX_ANSWER_CHARS = 600;
const MIN_QUOTE_CHARS = 4;

export interface AnswererDeps {
  llm: Llm;
  catalog: Catalog;
  prompts: Prompts;
}

export function createLlmAnswerer(deps: AnswererDeps): AnswerWriter {
  const knowledge = knowledgeFor(deps.catalog);
  return {
    async write(request, conversation) {
      const region = deps.catalog.regions.find((r) => r.id === request.region);
      if (!region) return null;
      const industry = request.industry ? region.industries.find((i) => i.id === request.industry) : undefined;
      const masker = placeholders(conversation.personal);
      const question = masker.mask(request.question);
      const retriever = new KnowledgeRetriever({
        knowledge,
        query: {
          region: region.id,
          ...(industry ? { industryPermits: new Set(industry.items.map((i) => i.permit)) } : {}),
          ...(request.excluded.length ? { excluded: new Set(request.excluded) } : {}),
          kinds: request.kinds,
          permits: request.permits,
          materials: request.materials,
        },
      });
      const documents = await retriever.invoke(question);
      const candidates: Candidate[] = [
        ...(request.unknown ? [] : [{ id: 'P0', content: withoutSourceLine(request.offline.text), sources: request.offline.sources?.map((s) => ({ ...s, quote: s.quote ?? '' })) ?? [] }]),
        ...documents.map((d, i) => ({ id: `P${i + 1}`, content: d.pageContent, sources: d.metadata.sources })),
      ];
      if (!candidates.length) return null;
      const result = await deps.llm.structured('answer', deps.prompts.answer, {
        region: region.name,
        industry: industry?.name ?? '未知',
        passages: candidates.map((c) => `[${c.id}] ${c.sources.map((s) => `《${s.title}》${s.ref}`).join('；') || '（本助手的答复）'}\n${masker.mask(c.content)}`).join('\n\n'),
        history: historyText(conversation.history, masker),
        question,
      }, answerSchema);
      if (!result) return null;
      const checked = checkAnswer(result.value, candidates, masker.restore);
      result.report(checked ? 'ok' : 'rejected');
      return checked;
    },
  };
}

/**
 * The model's answer as a reply, or null when it must not be used: not covered, empty or too long, a
 * citation of a passage that was not retrieved or of words the passage does not have, a figure no cited
 * passage states.
 */
export function checkAnswer(answer: ModelAnswer, candidates: readonly Candidate[], restore: (text: string) => string = (t) => t): Reply | null {
  const text = restore(answer.answer.trim());
  if (!answer.covered || !text || text.length > MAX_ANSWER_CHARS || !answer.citations.length) return null;
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const sources: SourceRef[] = [];
  const cited: Candidate[] = [];
  for (const citation of answer.citations) {
    const candidate = byId.get(citation.id.trim().replace(/^\[|\]$/g, ''));
    if (!candidate) return null;
    const quote = restore(citation.quote.trim());
    if (plain(quote).length < MIN_QUOTE_CHARS || !plain(candidate.content).includes(plain(quote))) return null;
    cited.push(candidate);
    // The offline answer (P0) rests on its own sources; a passage on its first, quoted as the model did.
    if (candidate.id === 'P0') sources.push(...candidate.sources);
    else if (candidate.sources[0]) sources.push({ ...candidate.sources[0], quote });
  }
  const said = cited.map((c) => c.content.normalize('NFKC')).join('\n');
  for (const figure of text.normalize('NFKC').match(/\d+(?:\.\d+)?/g) ?? []) if (!said.includes(figure)) return null;
  const { text: withLine, sources: unique } = withSources(text, sources);
  return { kind: 'answer', text: withLine, ...(unique.length ? { sources: unique } : {}) };
}

/** Letters and figures only: a quote matches whatever the spacing and punctuation. */
function plain(text: string): string {
  return text.normalize('NFKC').replace(/[\s\p{P}\p{S}]/gu, '');
}

function withoutSourceLine(text: string): string {
  return text.replace(/\n依据：[^\n]*$/u, '').trim();
}
