/**
 * The HTTP app: health, the catalogs and the guidance engine as JSON. Later issues add the web chat,
 * the staff API and the licence pages here.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { UnknownNameError } from '../catalog/errors.ts';
import type { Catalog } from '../catalog/load.ts';
import { findIndustry, findQuestion, findRegion } from '../catalog/lookup.ts';
import { catalogJson } from '../catalog/json.ts';
import { AnswerError, parseAnswer } from '../guidance/answers.ts';
import type { AnswerValue } from '../guidance/conditions.ts';
import { guide, guidanceJson } from '../guidance/guide.ts';
import type { MessageReader } from '../nlu/reader.ts';
import type { Assistant } from '../dialogue/assistant.ts';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import { cleanStrings } from '../kernel/cleanText.ts';
import { registerChatRoutes } from './chatRoutes.ts';
import type { DomainDeps } from '../cases/deps.ts';
import { registerLicenceRoutes } from './licenceRoutes.ts';
import { registerStaffRoutes } from './staffRoutes.ts';
import { registerAgentRoutes } from './agentRoutes.ts';
import cookie from '@fastify/cookie';
import { DEFAULT_CONSOLE, registerConsoleRoutes } from './consoleRoutes.ts';
import type { ConsoleSettings } from '../config.ts';
import type { AnswerWriter } from '../dialogue/ports.ts';
import { loggerOptions } from './logger.ts';
import { zodInputError } from '../cases/validation.ts';

export interface AppOptions {
  catalog: Catalog;
  reader: MessageReader;
  assistant: Assistant;
  /** The case workflow: staff API and licence pages. */
  domain: DomainDeps;
  logLevel?: string;
  /** Extra readiness check (the database's `SELECT 1`). */
  ready?: () => Promise<void>;
  /** True once the server is stopping: /ready answers 503 so a load balancer sends no new work. */
  draining?: () => boolean;
  /** The LLM's state for /health, when one is configured. */
  llm?: { health(): Promise<object> };
  /** The LLM's answer writer, for the agents' suggestions, when one is configured. */
  answerer?: AnswerWriter;
  /** Per client address over every route (default 600 a minute); false for none. */
  httpRateLimit?: { max: number; windowMs: number } | false;
  /** The console's sessions (default: 8 hours, 60 idle minutes, cookie not Secure). */
  console?: ConsoleSettings;
  /** Whose X-Forwarded-For gives the client address (TRUST_PROXY); default none: the TCP peer's. */
  trustProxy?: boolean | string[];
  /** Redis, when configured: the HTTP rate limits count there, shared by every instance (else in memory). */
  redis?: { client: Redis; keyPrefix: string };
}

const guideBody = z.object({
  region: z.string().trim().min(1).max(50),
  industry: z.string().trim().min(1).max(50).optional(),
  text: z.string().max(2000).optional(),
  answers: z.record(z.string().max(50), z.union([z.string().max(100), z.number(), z.boolean()])).optional(),
});

/**
 * The security headers of every answer (helmet): scripts only from this server (the pages load theirs
 * from /chat.js, /console/console.js and /v/print.js), inline styles allowed, images also as data: URLs
 * (QR codes, flow charts), never framed, no referrer (a licence's URL carries its token), no MIME sniffing.
 * HSTS and upgrade-insecure-requests only when the public address is https: a service centre's intranet
 * may serve plain http.
 */
export function securityHeaders(https: boolean): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: https ? { maxAge: 31_536_000 } : false,
  };
}

/** For answers given before the hooks run (helmet's among them): nothing may load, nothing may frame it. */
const BARE_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

class TooManyRequestsError extends Error {
  override readonly name = 'TooManyRequestsError';
  readonly statusCode = 429;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { catalog, reader } = options;
  const app = Fastify({
    logger: loggerOptions(options.logLevel ?? 'info'),
    bodyLimit: 64 * 1024,
    trustProxy: options.trustProxy ?? false,
    // A URL the router cannot read (bad percent-encoding, a path parameter over the length limit) is answered
    // before any hook runs: its answer carries the headers itself, in Chinese like every other.
    frameworkErrors: (error, _request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const body = JSON.stringify({ error: 'BadRequest', message: tooLong ? '请求地址太长' : '请求地址不正确' });
      reply.raw.writeHead(tooLong ? 414 : 400, { ...BARE_SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      reply.raw.end(body);
    },
  });
  await app.register(helmet, securityHeaders(options.domain.licence.publicBaseUrl.startsWith('https://')));
  // Every string a request carries, before any route reads it: no invisible or direction-changing
  // characters and no unpaired surrogates reach a form, a licence or the database (src/kernel/cleanText.ts).
  app.addHook('preValidation', async (request) => {
    request.body = cleanStrings(request.body);
    request.query = cleanStrings(request.query);
    request.params = cleanStrings(request.params);
  });
  // Per client address: every route at most 600 requests a minute by default (staff API, licence pages,
  // guidance); the chat sets a tighter limit of its own. Answers in Chinese, like everything the public reads.
  // HTTP_RATE_LIMIT=off switches off every per-address limit, the chat's own included (a load test, or a
  // proxy in front that limits already). With Redis, every instance counts the same requests; while Redis
  // cannot be reached, requests are served unlimited rather than refused (the look-up lock and staff
  // sign-in failures do not give way so).
  const httpLimit = options.httpRateLimit ?? { max: 600, windowMs: 60_000 };
  if (httpLimit) {
    await app.register(rateLimit, {
      global: true,
      max: httpLimit.max,
      timeWindow: httpLimit.windowMs,
      ...(options.redis ? { redis: options.redis.client, nameSpace: `${options.redis.keyPrefix}http:`, skipOnError: true } : {}),
      // Thrown, then answered by the error handler below.
      // Only the chat has something the person typed to reassure them about.
      errorResponseBuilder: (request, context) =>
        new TooManyRequestsError(`请求太频繁了，请${Math.ceil(context.ttl / 1000)}秒后再试。${request.url.startsWith('/api/chat') ? '您已填写的内容都已保存。' : ''}`),
    });
  }

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof UnknownNameError || error instanceof AnswerError) {
      return reply.status(error instanceof UnknownNameError ? 404 : 400).send({ error: error.name, message: error.message });
    }
    if (error instanceof z.ZodError) {
      // The message in Chinese (the public reads it); the issues in English for developers.
      return reply.status(400).send({
        error: 'BadRequest',
        message: zodInputError(error, request.body).userMessage.replace(/^输入不正确/u, '请求格式不正确'),
        issues: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    }
    if (error instanceof TooManyRequestsError) {
      return reply.status(429).send({ error: 'TooManyRequests', message: error.message });
    }
    // Fastify's own client errors (bad JSON, body too large) carry a 4xx statusCode.
    const code = error instanceof Error && 'statusCode' in error ? Number(error.statusCode) : 500;
    const status = code >= 400 && code < 500 ? code : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const message = status >= 500 ? '服务暂时不可用，请稍后再试' : status === 413 ? '请求内容太长' : '请求格式不正确';
    return reply.status(status).send({ error: status >= 500 ? 'InternalError' : 'BadRequest', message });
  });

  // Probes are not counted against the address's limit: a load balancer polls from one address.
  app.get('/health', { config: { rateLimit: false } }, async () => {
    await options.ready?.();
    // The LLM's state is reported, never a reason to be unhealthy: the assistant answers offline without it.
    return { ok: true, regions: catalog.regions.map((r) => r.id), llm: options.llm ? await options.llm.health() : { configured: false } };
  });

  // Readiness, for a load balancer: 503 while stopping (running turns finish, no new ones come) or when the
  // database does not answer.
  app.get('/ready', { config: { rateLimit: false } }, async (_request, reply) => {
    if (options.draining?.()) return reply.status(503).send({ ok: false, reason: 'stopping' });
    await options.ready?.();
    return { ok: true };
  });

  app.get('/api/regions', async () =>
    catalog.regions.map((r) => ({ id: r.id, name: r.name, fullName: r.fullName, industries: r.industries.length })),
  );

  app.get<{ Params: { region: string } }>('/api/catalog/:region', async (request) =>
    catalogJson(findRegion(catalog, request.params.region)),
  );

  app.post('/api/guide', async (request, reply) => {
    const body = guideBody.parse(request.body);
    const region = findRegion(catalog, body.region);
    const understanding = body.text ? await reader.read(body.text, { regionId: region.id }) : undefined;
    const industryId = body.industry ?? understanding?.industry?.id;
    if (!industryId) {
      return reply.status(422).send({
        error: understanding?.outOfCatalog ? 'OutOfCatalog' : 'NoIndustry',
        message: understanding?.outOfCatalog
          ? `「${understanding.outOfCatalog.name}」不在${region.name}“一业一证”改革行业目录中`
          : '没有识别出行业，请说明要经营的行业',
        industries: region.industries.map((i) => ({ id: i.id, name: i.name })),
      });
    }
    const industry = findIndustry(region, industryId);
    const answers: Record<string, AnswerValue> = {};
    const known = new Set(region.questions.map((q) => q.id));
    for (const [id, value] of Object.entries(understanding?.answers ?? {})) if (known.has(id)) answers[id] = value;
    for (const [id, value] of Object.entries(body.answers ?? {})) {
      const question = findQuestion(region, id);
      answers[id] = typeof value === 'string' ? parseAnswer(question, value) : value;
    }
    return guidanceJson(guide(catalog, region, industry, answers));
  });

  await app.register(cookie);
  const sessions = options.console ?? DEFAULT_CONSOLE;
  registerChatRoutes(app, { assistant: options.assistant, catalog });
  registerConsoleRoutes(app, { domain: options.domain, catalog, console: sessions });
  registerStaffRoutes(app, options.domain, sessions);
  registerAgentRoutes(app, { domain: options.domain, catalog, reader, sessions, ...(options.answerer ? { answerer: options.answerer } : {}) });
  registerLicenceRoutes(app, options.domain);
  return app;
}
