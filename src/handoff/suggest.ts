/**
 * Suggested answers for a hotline agent (12345 企业开办专席): up to three answers to a caller's question in
 * the region's own words, each with the passage it rests on, from the same reading and knowledge index the
 * assistant answers with. The caller's trade (named in the question, or the conversation's) gives the
 * permits as the catalog decides them, and the answers about this trade's items. With an LLM configured
 * the first answer may be phrased by it, under the same citation checks as the assistant's answers.
 */
import type { Catalog } from '../catalog/load.ts';
import type { Industry, Region } from '../catalog/schema.ts';
import { assess, type Assessment } from '../guidance/assess.ts';
import type { AnswerValue } from '../guidance/conditions.ts';
import { decide } from '../dialogue/decide.ts';
import { catalogSource, passageAnswer, queryFor, withSources } from '../dialogue/knowledge.ts';
import { groundReplies } from '../dialogue/grounding.ts';
import type { AnswerWriter } from '../dialogue/ports.ts';
import { initialState, type PermitState } from '../dialogue/types.ts';
import { knowledgeFor, type SourceRef } from '../knowledge/index.ts';
import type { MessageReader } from '../nlu/reader.ts';
import { isQuestionKind } from '../nlu/reading.ts';

export interface Suggestion {
  text: string;
  /** Each with the permits it was cited for, when it is a permit's fact (agents see which item it is about). */
  sources: SourceRef[];
}

export interface Suggestions {
  suggestions: Suggestion[];
  /** The caller's trade, when the question or the conversation names it. */
  industry?: { id: string; name: string };
  /** Its permits as the catalog decides them on what is known. */
  permits?: PermitState[];
}

export interface SuggestRequest {
  region: Region;
  text: string;
  /** The conversation's trade and answers, when the agent is looking at one. */
  industry?: Industry;
  answers?: Record<string, AnswerValue>;
}

const MAX_SUGGESTIONS = 3;

/**
 * How agents put a caller's question (「来电人问证能不能寄到家」「群众反映…」「他想知道…」): the framing is not
 * the question.
 */
const FRAMING = /^(?:(?:来电人|来电者|来电|群众|市民|商户|申请人|客户|对方|老板|他|她)(?:想|要)?(?:问|咨询|反映|打听|想知道|说|询问)(?:一下|下)?|(?:问一下|问下|咨询一下|请问))[，,：:\s]*/u;

export function callerQuestion(text: string): string {
  // 「…，帮我转人工问问吧」: the agent is the person asked for; the question is the rest.
  const stripped = text.trim().replace(FRAMING, '').replace(ASKS_FOR_A_PERSON, '').replace(/^我?(拿不准|不确定|不知道|想问问?)/u, '');
  return stripped.length >= 2 ? stripped : text.trim();
}

const ASKS_FOR_A_PERSON = /[，,。！!？?\s]*(帮我|给我|麻烦)?(转|找|接)(个)?人工[^，,。！!？?]*[。！!？?]?$/u;

export async function suggestAnswers(catalog: Catalog, reader: MessageReader, request: SuggestRequest, writer?: AnswerWriter): Promise<Suggestions> {
  const { region } = request;
  const text = callerQuestion(request.text);
  const read = await reader.read(text, { regionId: region.id });
  // The agent is the person: whatever else asks for one is not a request here.
  const reading = { ...read, requests: read.requests.filter((q) => q.kind !== 'handoff') };
  // What the assistant itself would answer the caller, decided as it decides (no IO): the same permits,
  // notice and answers, and the same honest 「没有确切答案」 where the documents say nothing.
  const state = initialState();
  state.region = region.id;
  state.stage = 'industry';
  if (request.industry) {
    state.industry = request.industry.id;
    state.answers = { ...(request.answers ?? {}) };
    state.stage = 'guided';
  }
  const decision = decide({ catalog }, { state, handoff: false, reading });
  const industry = decision.state.industry ? region.industries.find((i) => i.id === decision.state.industry) : undefined;
  const assessment = industry ? assess(catalog, region, industry, decision.state.answers) : undefined;

  // The assistant's own replies, an LLM's from the passages in their place when one is configured.
  const { replies } = await groundReplies(decision, writer, async () => ({ history: [], personal: [] }));
  const found: Suggestion[] = [];
  for (const reply of replies) {
    // The permits and the one-time notice are the catalog's, decided for this trade.
    if ((reply.kind === 'permits' || reply.kind === 'notice') && assessment) found.push(catalogSuggestion(reply.text, assessment));
    else if (reply.sources?.length) found.push({ text: reply.text, sources: reply.sources.map((x): SourceRef => ({ ...x, quote: x.quote ?? '' })) });
  }
  const unanswered = decision.effects.some((e) => e.kind === 'unanswered');
  // Beside the assistant's own answer, the next passages that cover the question, each its own source.
  if (!unanswered) {
    const kinds = reading.requests.filter((r) => isQuestionKind(r.kind)).map((r) => r.kind);
    const question = { kinds, permits: reading.topic.permits, materials: reading.topic.materials };
    for (const hit of knowledgeFor(catalog).search(queryFor(text, region, industry, question))) {
      const answer = passageAnswer(catalog, region, industry, hit.passage, text);
      found.push({ text: answer.text, sources: answer.sources });
    }
  }

  const suggestions: Suggestion[] = [];
  const seen = new Set<string>();
  const said = new Set<string>();
  for (const s of found) {
    // Each suggestion a different source and a different answer (the same words under two citations once).
    const key = s.sources.map((x) => `${x.title}|${x.ref}`).join(';');
    const body = (s.text.split('\n依据')[0] ?? s.text).replace(/（[^）]*）/gu, '').replace(/[\s，。,.]+/gu, '');
    if (seen.has(key) || said.has(body)) continue;
    seen.add(key);
    said.add(body);
    suggestions.push(s);
    if (suggestions.length === MAX_SUGGESTIONS) break;
  }
  return {
    suggestions,
    ...(industry ? { industry: { id: industry.id, name: industry.name } } : {}),
    ...(assessment ? { permits: assessment.items.map((i) => ({ name: i.name, department: i.department, status: i.status })) } : {}),
  };
}

/** The trade's items (or its notice) as the catalog decides them, with the catalog as the source. */
function catalogSuggestion(text: string, assessment: Assessment): Suggestion {
  return withSources(text, [catalogSource(assessment.region, assessment.industry)]);
}
