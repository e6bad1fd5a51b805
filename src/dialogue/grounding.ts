/**
 * The decision's replies with the answers an LLM wrote from the retrieved passages in place of the offline
 * ones marked `ground` (docs/llm.md). Each offline reply stands where the writer returns nothing or fails.
 * Used by the assistant's turn and by the agents' suggestions.
 */
import type { ConversationContext } from '../nlu/reader.ts';
import type { Decision } from './draft.ts';
import type { AnswerWriter } from './ports.ts';
import type { Reply } from './types.ts';

export interface Grounded {
  replies: Reply[];
  /** The questions the offline knowledge could not answer that the writer did. */
  answered: Set<string>;
}

export async function groundReplies(
  decision: Decision,
  writer: AnswerWriter | undefined,
  conversation: () => Promise<ConversationContext>,
  onError: (error: unknown) => void = () => {},
): Promise<Grounded> {
  const replies = [...decision.replies];
  const answered = new Set<string>();
  if (!writer) return { replies, answered };
  for (const effect of decision.effects) {
    if (effect.kind !== 'ground') continue;
    const offline = replies[effect.at];
    if (!offline) continue;
    const { kind: _kind, at, ...request } = effect;
    try {
      const reply = await writer.write({ ...request, offline }, await conversation());
      if (!reply) continue;
      replies[at] = reply;
      if (effect.unknown) answered.add(effect.question);
    } catch (error) {
      onError(error);
    }
  }
  return { replies, answered };
}
