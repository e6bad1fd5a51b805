/**
 * The one way the assistant calls a model: langchain's ChatOpenAI against any OpenAI-compatible server,
 * for structured output only (a zod schema, by tool calling, or JSON mode where the server has no tools).
 * Every call is bounded: a timeout, a cap on calls in flight and a daily token budget. Whatever goes wrong
 * (a timeout, an HTTP error, malformed or refused output) the call returns null and the caller keeps its
 * offline result; the user never sees an error because of the model. Each call's purpose, latency, tokens
 * and outcome are logged, never its content.
 */
import { ChatOpenAI } from '@langchain/openai';
import { AIMessageChunk, type AIMessage, type BaseMessage } from '@langchain/core/messages';
import OpenAI from 'openai';
import type { z } from 'zod';
import type { LlmConfig } from '../config.ts';
import type { LoadedPrompt } from './prompts.ts';

export type CallPurpose = 'reader' | 'answer';

/**
 * ok: a valid result. timeout, http_error, error: the call failed. malformed: the output did not fit the
 * schema. refused: the model declined. busy, budget: not called (too many in flight, the day's tokens spent).
 * rejected: a valid shape the caller's checks turned down (reported by the caller).
 */
export type CallOutcome = 'ok' | 'timeout' | 'http_error' | 'error' | 'malformed' | 'refused' | 'busy' | 'budget' | 'rejected';

export interface CallRecord {
  purpose: CallPurpose;
  outcome: CallOutcome;
  latencyMs: number;
  tokens: number;
  method?: 'tools' | 'json';
  status?: number;
  /** Ids and values of the result that the checks dropped (outside the catalog, out of range). */
  dropped?: number;
}

export interface LlmLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface LlmHealth {
  configured: true;
  model: string;
  /** The server's host, never the key. */
  server: string;
  /** Did the last call (or, with none lately, a look at the server's model list) succeed? null: not known yet. */
  answering: boolean | null;
  lastOutcome: CallOutcome | null;
  lastCallAt: string | null;
  calls: { ok: number; failed: number; skipped: number };
  tokensToday: number;
  dailyTokens: number;
  structuredOutput: 'tools' | 'json' | 'auto';
}

export interface Llm {
  readonly model: string;
  /**
   * The prompt filled in and sent; the parsed result, or null for any failure (already logged).
   * `accept` may turn a well-formed result down (recorded as rejected).
   */
  structured<T extends Record<string, unknown>>(
    purpose: CallPurpose,
    prompt: LoadedPrompt,
    values: Record<string, string>,
    schema: z.ZodType<T>,
  ): Promise<{ value: T; report(outcome: 'ok' | 'rejected', dropped?: number): void } | null>;
  health(): Promise<LlmHealth>;
  /** Where call records go (the server's logger, once it exists). */
  useLog(log: LlmLog): void;
}

export interface LlmOptions {
  log?: LlmLog;
  now?: () => number;
}

const TOOL_NAME = 'result';
const RECENT_MS = 10 * 60_000;
const PROBE_EVERY_MS = 60_000;
const SHANGHAI_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

export function createLlm(config: LlmConfig, options: LlmOptions = {}): Llm {
  const now = options.now ?? Date.now;
  const chat = new ChatOpenAI({
    model: config.model,
    apiKey: config.apiKey,
    ...(config.baseUrl ? { configuration: { baseURL: config.baseUrl } } : {}),
    timeout: config.timeoutMs,
    maxRetries: 0,
    temperature: 0,
    streaming: config.stream,
  });
  const client = new OpenAI({ apiKey: config.apiKey, ...(config.baseUrl ? { baseURL: config.baseUrl } : {}), timeout: config.timeoutMs, maxRetries: 0 });
  // Tool calling first; a server found not to support it gets JSON mode from then on (auto).
  let method: 'tools' | 'json' = config.structuredOutput === 'json' ? 'json' : 'tools';
  let inFlight = 0;
  let day = '';
  let tokensToday = 0;
  let last: { outcome: CallOutcome; at: number } | null = null;
  let probe: { ok: boolean; at: number } | null = null;
  const counts = { ok: 0, failed: 0, skipped: 0 };
  let log = options.log;

  const record = (r: CallRecord) => {
    if (r.outcome === 'ok') counts.ok++;
    else if (r.outcome === 'busy' || r.outcome === 'budget') counts.skipped++;
    else counts.failed++;
    if (r.outcome !== 'busy' && r.outcome !== 'budget') last = { outcome: r.outcome, at: now() };
    const line = { llm: r.purpose, outcome: r.outcome, latencyMs: Math.round(r.latencyMs), tokens: r.tokens, model: config.model, ...(r.method ? { method: r.method } : {}), ...(r.status ? { status: r.status } : {}), ...(r.dropped ? { dropped: r.dropped } : {}) };
    if (r.outcome === 'ok' || r.outcome === 'rejected') log?.info(line, 'llm call');
    else log?.warn(line, 'llm call');
  };
  const spend = (tokens: number) => {
    const today = SHANGHAI_DAY.format(now());
    if (today !== day) {
      day = today;
      tokensToday = 0;
    }
    tokensToday += tokens;
  };
  const budgetLeft = () => {
    if (SHANGHAI_DAY.format(now()) !== day) return true;
    return config.dailyTokens === 0 || tokensToday < config.dailyTokens;
  };

  /**
   * One request. Not streamed: langchain's structured output. Streamed: the model's `.stream()`, the chunks
   * joined and parsed against the same schema; langchain's own streamed `invoke` estimates tokens with
   * js-tiktoken, which downloads its encodings from the internet and hangs where there is none.
   */
  async function attempt<T extends Record<string, unknown>>(messages: BaseMessage[], schema: z.ZodType<T>, how: 'tools' | 'json', signal: AbortSignal): Promise<{ raw: AIMessage | AIMessageChunk; parsed: T | null }> {
    if (!config.stream) {
      const runnable = chat.withStructuredOutput(schema, { method: how === 'tools' ? 'functionCalling' : 'jsonMode', includeRaw: true, name: TOOL_NAME });
      const result = (await runnable.invoke(messages, { signal })) as { raw: AIMessage; parsed: T | null | undefined };
      return { raw: result.raw, parsed: result.parsed ?? null };
    }
    const bound =
      how === 'tools'
        ? chat.bindTools([{ name: TOOL_NAME, description: '', schema }], { tool_choice: { type: 'function', function: { name: TOOL_NAME } } })
        : chat.withConfig({ response_format: { type: 'json_object' } });
    let raw: AIMessageChunk | undefined;
    for await (const chunk of await bound.stream(messages, { signal })) raw = raw ? raw.concat(chunk) : chunk;
    if (!raw) return { raw: new AIMessageChunk(''), parsed: null };
    const value = how === 'tools' ? raw.tool_calls?.[0]?.args : parseJsonContent(String(raw.content ?? ''));
    const checked = schema.safeParse(value);
    return { raw, parsed: checked.success ? checked.data : null };
  }

  return {
    model: config.model,
    useLog(next) {
      log = next;
    },
    async structured<T extends Record<string, unknown>>(purpose: CallPurpose, prompt: LoadedPrompt, values: Record<string, string>, schema: z.ZodType<T>) {
      if (!budgetLeft()) {
        record({ purpose, outcome: 'budget', latencyMs: 0, tokens: 0 });
        return null;
      }
      if (inFlight >= config.maxConcurrent) {
        record({ purpose, outcome: 'busy', latencyMs: 0, tokens: 0 });
        return null;
      }
      inFlight++;
      const started = performance.now();
      const signal = AbortSignal.timeout(config.timeoutMs);
      let how = method;
      try {
        const messages = await prompt.template.formatMessages(values);
        const promptChars = messages.reduce((n, m) => n + String(m.content).length, 0);
        for (;;) {
          let result: { raw: AIMessage | AIMessageChunk; parsed: T | null };
          try {
            result = await attempt(messages, schema, how, signal);
          } catch (error) {
            // A server without tool calling answers 400/404/422 to `tools`: JSON mode, once, and from then on.
            if (how === 'tools' && config.structuredOutput === 'auto' && isToolsUnsupported(error) && !signal.aborted) {
              how = method = 'json';
              continue;
            }
            throw error;
          }
          const raw = result.raw;
          const tokens = raw.usage_metadata?.total_tokens ?? Math.ceil((promptChars + String(raw.content ?? '').length) / 1.5);
          spend(tokens);
          const latencyMs = performance.now() - started;
          if (result.parsed === null) {
            // Plain text where a tool call was asked for: the server ignores tools; JSON mode, once.
            if (how === 'tools' && config.structuredOutput === 'auto' && !raw.tool_calls?.length && !isRefusal(raw) && !signal.aborted) {
              how = method = 'json';
              continue;
            }
            record({ purpose, outcome: isRefusal(raw) ? 'refused' : 'malformed', latencyMs, tokens, method: how });
            return null;
          }
          const value = result.parsed;
          let reported = false;
          return {
            value,
            report(outcome, dropped) {
              if (reported) return;
              reported = true;
              record({ purpose, outcome, latencyMs, tokens, method: how, ...(dropped ? { dropped } : {}) });
            },
          };
        }
      } catch (error) {
        const latencyMs = performance.now() - started;
        const status = statusOf(error);
        const outcome: CallOutcome = signal.aborted || isTimeout(error) ? 'timeout' : status ? 'http_error' : 'error';
        record({ purpose, outcome, latencyMs, tokens: 0, method: how, ...(status ? { status } : {}) });
        return null;
      } finally {
        inFlight--;
      }
    },
    async health() {
      const at = now();
      const recent = last && at - last.at < RECENT_MS ? last : null;
      if (!recent && (!probe || at - probe.at > PROBE_EVERY_MS)) {
        // No call lately: the server's model list says whether it is there (no tokens spent).
        try {
          await client.models.list({ timeout: Math.min(config.timeoutMs, 3000) });
          probe = { ok: true, at };
        } catch {
          probe = { ok: false, at };
        }
      }
      return {
        configured: true,
        model: config.model,
        server: config.baseUrl ? new URL(config.baseUrl).host : 'api.openai.com',
        answering: recent ? recent.outcome === 'ok' || recent.outcome === 'rejected' : (probe?.ok ?? null),
        lastOutcome: last?.outcome ?? null,
        lastCallAt: last ? new Date(last.at).toISOString() : null,
        calls: { ...counts },
        tokensToday: SHANGHAI_DAY.format(at) === day ? tokensToday : 0,
        dailyTokens: config.dailyTokens,
        structuredOutput: config.structuredOutput === 'auto' ? method : config.structuredOutput,
      };
    },
  };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown; response?: { status?: unknown } } | null)?.status ?? (error as { response?: { status?: unknown } } | null)?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

function isTimeout(error: unknown): boolean {
  const e = error as { name?: string; message?: string } | null;
  return /timeout|timed out|abort/i.test(`${e?.name ?? ''} ${e?.message ?? ''}`);
}

function isToolsUnsupported(error: unknown): boolean {
  const status = statusOf(error);
  return status === 400 || status === 404 || status === 422 || status === 501;
}

/**
 * The model declined: a refusal field, or nothing at all where a result was asked for (langchain's
 * Chat Completions converter drops the refusal field, leaving an empty message).
 */
function isRefusal(raw: AIMessage | AIMessageChunk): boolean {
  const refusal = (raw.additional_kwargs as { refusal?: unknown } | undefined)?.refusal;
  if (typeof refusal === 'string' && refusal.length > 0) return true;
  return !raw.tool_calls?.length && String(raw.content ?? '').trim() === '';
}

/** JSON content, also inside a ```json fence as some servers write it; undefined when it is not JSON. */
function parseJsonContent(content: string): unknown {
  const text = content.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/u, '$1');
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
