/**
 * The knowledge index as a langchain retriever: the same search the offline answers use (one region's
 * clauses, FAQ and permit facts), with a lower floor so that the model reads the few best passages and
 * says itself whether they answer. Each document carries its passage id and source for the citation check.
 */
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import { Document } from '@langchain/core/documents';
import type { Knowledge, KnowledgeQuery, Passage, SourceRef } from '../knowledge/index.ts';

export interface PassageMetadata {
  id: string;
  kind: Passage['kind'];
  sources: SourceRef[];
  permit?: string;
}

export interface KnowledgeRetrieverInput extends BaseRetrieverInput {
  knowledge: Knowledge;
  /** Everything of the query but its text (region, trade's permits, kinds, permits named). */
  query: Omit<KnowledgeQuery, 'text'>;
  k?: number;
}

/** Coverage a passage needs to be shown to the model (the offline answers need 0.5). */
export const RETRIEVER_FLOOR = 0.25;

export class KnowledgeRetriever extends BaseRetriever<PassageMetadata> {
  override lc_namespace = ['yiye', 'knowledge'];
  private readonly knowledge: Knowledge;
  private readonly query: Omit<KnowledgeQuery, 'text'>;
  private readonly k: number;

  constructor(input: KnowledgeRetrieverInput) {
    super(input);
    this.knowledge = input.knowledge;
    this.query = input.query;
    this.k = input.k ?? 5;
  }

  override async _getRelevantDocuments(text: string): Promise<Document<PassageMetadata>[]> {
    const hits = this.knowledge.search({ floor: RETRIEVER_FLOOR, ...this.query, text });
    return hits.slice(0, this.k).map(
      (h) =>
        new Document<PassageMetadata>({
          pageContent: passageContent(h.passage),
          metadata: { id: h.passage.id, kind: h.passage.kind, sources: h.passage.sources, ...(h.passage.permit ? { permit: h.passage.permit } : {}) },
        }),
    );
  }
}

/** What the model reads of a passage: a clause's own sentences, an FAQ entry's or a permit fact's answer. */
export function passageContent(p: Passage): string {
  return p.kind === 'clause' ? (p.sentences?.join('') ?? p.answer) : p.answer;
}
