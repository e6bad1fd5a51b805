/**
 * The environment, read once at start into one typed, validated config. Nothing else reads
 * `process.env`; the core receives options.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_REMINDERS, type ReminderSettings } from './cases/deps.ts';
import { parseExpiryDays, parseSchedule } from './cases/deps.ts';
import { DEFAULT_SESSION, type SessionSettings } from './auth/sessions.ts';
import { parseQuietHours, type QuietHours } from './notify/quietHours.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: optionalText,
  CATALOG_DIR: optionalText,
  DEFAULT_REGION: optionalText,
  PUBLIC_BASE_URL: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LICENCE_SIGNING_SECRET: optionalText,
  /** Where generated secrets and the SQLite file live by default. */
  VAR_DIR: optionalText,
  QUIET_HOURS: optionalText,
  /** Gaps between follow-up reminders about missing materials, e.g. 2,3,5 (days) or 2d,12h,30m (the last repeats). */
  REMINDER_SCHEDULE: optionalText,
  REMINDER_MAX_FOLLOW_UPS: z.coerce.number().int().min(0).max(100).optional(),
  /** Days before a permit's validity ends when the holder is reminded, e.g. 30,7. */
  EXPIRY_REMINDER_DAYS: optionalText,
  /** Per chat user: at most N messages in S seconds, e.g. 20/10; `off` for none. */
  CHAT_RATE_LIMIT: z
    .string()
    .trim()
    .regex(/^(off|\d+\/\d+)$/, 'use N/SECONDS (e.g. 20/10) or off')
    .optional(),
  /** Per client address, every HTTP route: at most N requests in S seconds, e.g. 600/60; `off` for none. */
  HTTP_RATE_LIMIT: z
    .string()
    .trim()
    .regex(/^(off|\d+\/\d+)$/, 'use N/SECONDS (e.g. 600/60) or off')
    .optional(),
  /**
   * SQLite's PRAGMA synchronous: `normal` (the default: a commit survives the process crashing, and the
   * last commits before a power loss or an OS crash may be lost, the file never corrupt) or `full` (an
   * fsync at every commit: about 0.4 ms more a turn on this machine's disk).
   */
  SQLITE_SYNCHRONOUS: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['normal', 'full'], { error: 'use normal or full' }))
    .default('normal'),
  /** On SIGTERM: seconds answering /ready with 503 before the server stops taking requests (a load balancer's poll). */
  SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(300).default(0),
  /** Shared limits and locks (several instances): redis:// or rediss://; without it they are kept in memory. */
  REDIS_URL: optionalText.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
  /** Behind a reverse proxy or load balancer: whose X-Forwarded-For to believe (the proxies' addresses/CIDRs, or true for any). */
  TRUST_PROXY: optionalText.pipe(
    z
      .string()
      .regex(/^(true|false|[\da-fA-F.:/]+(\s*,\s*[\da-fA-F.:/]+)*)$/, "use the proxies' addresses or CIDRs separated by commas, or true")
      .optional(),
  ),
  /** Put before every Redis key, so several deployments can share one Redis. */
  REDIS_KEY_PREFIX: z.string().trim().regex(/^[\w:.-]{1,50}$/, 'use 1 to 50 characters of A-Z a-z 0-9 _ : . -').default('yiye:'),
  /** The console's sign-in: absolute hours, and minutes without a call after which it ends. */
  SESSION_HOURS: z.coerce.number().min(0.1).max(72).default(DEFAULT_SESSION.hours),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(DEFAULT_SESSION.idleMinutes),
  /** An admin token to create on start when no admin exists (then create staff tokens with it). */
  ADMIN_TOKEN: optionalText,
  /** Telegram: the bot's token from @BotFather; the channel starts when it is set. */
  TELEGRAM_BOT_TOKEN: optionalText,
  /** A self-hosted Bot API server (or a test fake) instead of https://api.telegram.org. */
  TELEGRAM_API_ROOT: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** Webhook mode (several instances behind a load balancer): the public https URL Telegram posts to. */
  TELEGRAM_WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** Checked against Telegram's X-Telegram-Bot-Api-Secret-Token header on every webhook call. */
  TELEGRAM_WEBHOOK_SECRET: optionalText.pipe(
    z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, 'use 16 to 256 characters of A-Z a-z 0-9 _ -').optional(),
  ),
  /** WeChat: the wechaty puppet (package name); the channel starts when it is set. */
  WECHATY_PUPPET: optionalText,
  WECHATY_PUPPET_TOKEN: optionalText,
  /** An OpenAI-compatible model server (docs/llm.md): the LLM reads and phrases when the key or base URL is set. */
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  OPENAI_MODEL: optionalText,
  /** Milliseconds one call may take before the offline reading or answer stands. */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8000),
  /** Calls in flight at once (per instance); a message beyond them is handled offline. */
  LLM_MAX_CONCURRENT: z.coerce.number().int().min(1).max(256).default(4),
  /** Tokens a day (per instance, Asia/Shanghai days); 0 for no limit. */
  LLM_DAILY_TOKENS: z.coerce.number().int().min(0).default(2_000_000),
  /** How structured output is asked for: tool calling, JSON mode, or tool calling falling back to JSON mode. */
  LLM_STRUCTURED_OUTPUT: z.enum(['auto', 'tools', 'json']).default('auto'),
  /** Ask for streamed responses (some gateways answer only so). */
  LLM_STREAM: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
});

export interface ConsoleSettings extends SessionSettings {
  secureCookie: boolean;
}

export interface Config {
  port: number;
  host: string;
  /** `file:` URL for SQLite (the embedded default) or a `postgresql://` URL. */
  databaseUrl: string;
  /** SQLite's PRAGMA synchronous (SQLITE_SYNCHRONOUS). */
  sqliteSynchronous: 'normal' | 'full';
  catalogDirs: string[];
  defaultRegion?: string;
  publicBaseUrl: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  varDir: string;
  licenceSigningSecret?: string;
  quietHours: QuietHours | null;
  reminders: ReminderSettings;
  /** Per chat user; false when switched off. */
  chatRateLimit: { burst: number; windowMs: number } | false;
  /** On SIGTERM, how long /ready says 503 before the server stops taking requests. */
  shutdownDelayMs: number;
  /** Per client address over all HTTP routes; false when switched off. */
  httpRateLimit: { max: number; windowMs: number } | false;
  adminToken?: string;
  /** Fastify's trustProxy: the client address (for the per-address limits) is then taken from X-Forwarded-For. */
  trustProxy: boolean | string[];
  /** Set when REDIS_URL is: the limits and locks every instance shares (docs/configuration.md). */
  redis?: { url: string; keyPrefix: string };
  /** The console's sessions; the cookie is Secure when PUBLIC_BASE_URL is https. */
  console: ConsoleSettings;
  /** Set when TELEGRAM_BOT_TOKEN is; webhook mode when a webhook URL is given, long polling otherwise. */
  telegram?: TelegramConfig;
  /** Set when WECHATY_PUPPET is. */
  wechat?: WechatConfig;
  /** Set when OPENAI_API_KEY or OPENAI_BASE_URL is: absent, the assistant is fully offline. */
  llm?: LlmConfig;
}

export interface LlmConfig {
  /** Servers that need none (a self-hosted vLLM or Ollama) get a placeholder. */
  apiKey: string;
  /** Absent: OpenAI's own endpoint. */
  baseUrl?: string;
  model: string;
  timeoutMs: number;
  maxConcurrent: number;
  /** 0: no limit. */
  dailyTokens: number;
  structuredOutput: 'auto' | 'tools' | 'json';
  stream: boolean;
}

export interface TelegramConfig {
  token: string;
  apiRoot?: string;
  webhook?: { url: string; secret: string };
}

export interface WechatConfig {
  puppet: string;
  puppetToken?: string;
}

function chatRateLimit(value: string | undefined): Config['chatRateLimit'] {
  const limit = perWindow(value, '20/10');
  return limit && { burst: limit.max, windowMs: limit.windowMs };
}

/** `N/SECONDS` (validated by the schema) or `off`. */
function perWindow(value: string | undefined, fallback: string): { max: number; windowMs: number } | false {
  if (value === 'off') return false;
  const [max = '0', seconds = '0'] = (value ?? fallback).split('/');
  return { max: Number(max), windowMs: Number(seconds) * 1000 };
}

function trustProxy(value: string | undefined): Config['trustProxy'] {
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  const proxies = value.split(',').map((s) => s.trim());
  if (proxies.some((p) => !/[.:]/.test(p))) throw new ConfigError(`invalid setting TRUST_PROXY: "${value}" is not a list of addresses or CIDRs`);
  return proxies;
}

/** A setting that cannot be used; the message names it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid setting ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  const varDir = path.resolve(e.VAR_DIR ?? path.join(PROJECT_ROOT, 'var'));
  const databaseUrl = e.DATABASE_URL ?? `file:${path.join(varDir, 'yiye.db')}`;
  let reminders: ReminderSettings;
  let quietHours: QuietHours | null;
  try {
    reminders = {
      followUpGapsMs: parseSchedule(e.REMINDER_SCHEDULE),
      maxFollowUps: e.REMINDER_MAX_FOLLOW_UPS ?? DEFAULT_REMINDERS.maxFollowUps,
      expiryLeadDays: parseExpiryDays(e.EXPIRY_REMINDER_DAYS),
    };
    quietHours = parseQuietHours(e.QUIET_HOURS);
  } catch (error) {
    throw new ConfigError(`invalid setting: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (e.LICENCE_SIGNING_SECRET && e.LICENCE_SIGNING_SECRET.length < 16) {
    throw new ConfigError('invalid setting LICENCE_SIGNING_SECRET: use at least 16 characters');
  }
  if (!/^(file:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError('invalid setting DATABASE_URL: use a file: URL (SQLite) or a postgresql:// URL');
  }
  if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_WEBHOOK_SECRET) {
    throw new ConfigError('invalid setting TELEGRAM_WEBHOOK_SECRET: webhook mode (TELEGRAM_WEBHOOK_URL) needs a secret');
  }
  if ((e.TELEGRAM_WEBHOOK_URL || e.TELEGRAM_API_ROOT) && !e.TELEGRAM_BOT_TOKEN) {
    throw new ConfigError('invalid setting TELEGRAM_BOT_TOKEN: Telegram settings are given but the bot token is missing');
  }
  if ((e.OPENAI_API_KEY || e.OPENAI_BASE_URL) && !e.OPENAI_MODEL) {
    throw new ConfigError('invalid setting OPENAI_MODEL: an LLM is configured (OPENAI_API_KEY or OPENAI_BASE_URL) but no model is named');
  }
  if (e.OPENAI_MODEL && !e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) {
    throw new ConfigError('invalid setting OPENAI_BASE_URL: OPENAI_MODEL is set but neither OPENAI_BASE_URL nor OPENAI_API_KEY is');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    catalogDirs: e.CATALOG_DIR ? [path.resolve(e.CATALOG_DIR)] : [],
    ...(e.DEFAULT_REGION ? { defaultRegion: e.DEFAULT_REGION } : {}),
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    varDir,
    ...(e.LICENCE_SIGNING_SECRET ? { licenceSigningSecret: e.LICENCE_SIGNING_SECRET } : {}),
    quietHours,
    reminders,
    chatRateLimit: chatRateLimit(e.CHAT_RATE_LIMIT),
    httpRateLimit: perWindow(e.HTTP_RATE_LIMIT, '600/60'),
    shutdownDelayMs: e.SHUTDOWN_DELAY_SECONDS * 1000,
    ...(e.ADMIN_TOKEN ? { adminToken: e.ADMIN_TOKEN } : {}),
    trustProxy: trustProxy(e.TRUST_PROXY),
    ...(e.REDIS_URL ? { redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX } } : {}),
    console: { hours: e.SESSION_HOURS, idleMinutes: e.SESSION_IDLE_MINUTES, secureCookie: (e.PUBLIC_BASE_URL ?? '').startsWith('https://') },
    ...(e.TELEGRAM_BOT_TOKEN
      ? {
          telegram: {
            token: e.TELEGRAM_BOT_TOKEN,
            ...(e.TELEGRAM_API_ROOT ? { apiRoot: e.TELEGRAM_API_ROOT } : {}),
            ...(e.TELEGRAM_WEBHOOK_URL && e.TELEGRAM_WEBHOOK_SECRET ? { webhook: { url: e.TELEGRAM_WEBHOOK_URL, secret: e.TELEGRAM_WEBHOOK_SECRET } } : {}),
          },
        }
      : {}),
    ...(e.OPENAI_MODEL && (e.OPENAI_API_KEY || e.OPENAI_BASE_URL)
      ? {
          llm: {
            apiKey: e.OPENAI_API_KEY ?? 'not-needed',
            ...(e.OPENAI_BASE_URL ? { baseUrl: e.OPENAI_BASE_URL.replace(/\/+$/, '') } : {}),
            model: e.OPENAI_MODEL,
            timeoutMs: e.LLM_TIMEOUT_MS,
            maxConcurrent: e.LLM_MAX_CONCURRENT,
            dailyTokens: e.LLM_DAILY_TOKENS,
            structuredOutput: e.LLM_STRUCTURED_OUTPUT,
            stream: e.LLM_STREAM,
          },
        }
      : {}),
    ...(e.WECHATY_PUPPET ? { wechat: { puppet: e.WECHATY_PUPPET, ...(e.WECHATY_PUPPET_TOKEN ? { puppetToken: e.WECHATY_PUPPET_TOKEN } : {}) } } : {}),
  };
}
