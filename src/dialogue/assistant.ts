/**
 * The one entry point every channel calls: `handleMessage({ channel, userId, text, region? })`. It loads
 * the user's conversation, understands the text, decides, acts, stores the turn in one transaction, and
 * returns the replies with the conversation's state.
 */
import type { Catalog } from '../catalog/load.ts';
import { UnknownNameError } from '../catalog/errors.ts';
import { findRegion } from '../catalog/lookup.ts';
import type { CatalogUnderstander } from '../nlu/forCatalog.ts';
import type { ConversationRepository, JsonObject } from '../store/conversations.ts';
import type { IntentDetector } from './intents.ts';
import { Turn } from './policy.ts';
import type { ApplicationsPort } from './ports.ts';
import { parseState } from './state.ts';
import { MAX_MESSAGE_CHARS } from './texts.ts';
import type { IncomingMessage, Reply, TurnResult } from './types.ts';

export interface AssistantDeps {
  catalog: Catalog;
  understander: CatalogUnderstander;
  intents: IntentDetector;
  conversations: ConversationRepository;
  applications: ApplicationsPort;
  /** A deployment's fixed region (id or name); the user may still change it. */
  defaultRegion?: string;
  /** Per user: at most `burst` messages in `windowMs`; false for channels a person cannot flood (the terminal). */
  rateLimit?: { burst: number; windowMs: number } | false;
  now?: () => number;
  log?: { warn(obj: object, msg: string): void };
}

export interface Assistant {
  handleMessage(message: IncomingMessage): Promise<TurnResult>;
}

const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF]/g;

export function createAssistant(deps: AssistantDeps): Assistant {
  const defaultRegion = deps.defaultRegion ? findRegion(deps.catalog, deps.defaultRegion).id : undefined;
  const limit = deps.rateLimit ?? { burst: 20, windowMs: 10_000 };
  const now = deps.now ?? Date.now;
  const recent = new Map<string, number[]>();
  // One turn at a time per user: a burst of messages is handled in order, never interleaved.
  const queues = new Map<string, Promise<unknown>>();

  async function handleMessage(message: IncomingMessage): Promise<TurnResult> {
    const key = `${message.channel}\u0000${message.userId}`;
    const previous = queues.get(key) ?? Promise.resolve();
    const run = previous.then(
      () => turn(message, key),
      () => turn(message, key),
    );
    queues.set(key, run);
    try {
      return await run;
    } finally {
      if (queues.get(key) === run) queues.delete(key);
    }
  }

  async function turn(message: IncomingMessage, key: string): Promise<TurnResult> {
    const userKey = { channel: message.channel, userId: message.userId };
    const conversation = await deps.conversations.findOrStart(userKey);
    const state = parseState(conversation.state);
    const text = String(message.text ?? '').replace(CONTROL_CHARS, '').replace(/\r\n?/g, '\n').trim();

    if (limit && isFlooding(key, limit)) {
      deps.log?.warn({ channel: message.channel }, 'rate limited');
      const t = new Turn(deps, conversation, state, defaultRegion);
      return { conversationId: conversation.id, replies: [{ kind: 'limit', text: '您发送消息太快了，请稍等几秒再发。您之前填写的内容都已保存。' }], state: t.publicState() };
    }

    const t = new Turn(deps, conversation, state, defaultRegion);
    const pending = (await deps.applications.takePending?.(userKey)) ?? [];
    let replies: Reply[];
    if (text.length > MAX_MESSAGE_CHARS) {
      replies = [{ kind: 'error', text: `您的消息太长了（${text.length}字）。请分几次发送，或简要说明您想开什么店、想问什么，每次不超过${MAX_MESSAGE_CHARS}字。` }];
    } else {
      if (message.region) {
        try {
          t.chooseRegion(findRegion(deps.catalog, message.region).id);
        } catch (error) {
          if (!(error instanceof UnknownNameError)) throw error;
        }
      }
      replies = await t.respond(text);
    }
    replies = [...pending, ...replies];
    const stored = text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…（共${text.length}字，已截断）` : text;
    const json: JsonObject = JSON.parse(JSON.stringify(t.state));
    await deps.conversations.saveTurn(t.conversationId, {
      messages: [...(stored ? [{ direction: 'in' as const, text: stored }] : []), ...replies.map((r) => ({ direction: 'out' as const, text: r.text }))],
      changes: {
        state: json,
        stage: t.state.stage,
        region: t.state.region ?? null,
        industry: t.state.industry ?? null,
        // Written only when this turn changed it, so an agent's hand-back meanwhile is not overwritten.
        ...(t.handoff !== conversation.handoff ? { handoff: t.handoff } : {}),
      },
    });
    return { conversationId: t.conversationId, replies, state: t.publicState() };
  }

  function isFlooding(key: string, limit: { burst: number; windowMs: number }): boolean {
    const at = now();
    const times = (recent.get(key) ?? []).filter((x) => at - x < limit.windowMs);
    times.push(at);
    recent.set(key, times);
    if (recent.size > 10_000) {
      for (const [k, v] of recent) if (!v.some((x) => at - x < limit.windowMs)) recent.delete(k);
    }
    return times.length > limit.burst;
  }

  return { handleMessage };
}
