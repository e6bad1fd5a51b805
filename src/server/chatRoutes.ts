/**
 * The web channel: `POST /api/chat` (one turn of the one core) and the chat page at `/`. A thin edge:
 * validate, call `handleMessage`, render the replies as JSON.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Assistant } from '../dialogue/assistant.ts';
import { flowChartAlt, flowChartSvg } from '../guidance/flowchart.ts';
import type { Reply } from '../dialogue/types.ts';
import type { Catalog } from '../catalog/load.ts';
import { maskText } from '../privacy/mask.ts';

const chatBody = z.object({
  userId: z
    .string()
    .trim()
    .min(1, 'userId 不能为空')
    .max(128, 'userId 太长')
    .regex(/^[\w.:@-]+$/, 'userId 只能包含字母、数字和 _ . : @ -'),
  // Longer texts get a polite answer from the assistant; beyond this the request itself is refused.
  text: z.string().max(20_000, '消息太长了'),
  region: z.string().trim().max(50).optional(),
});

const historyQuery = z.object({ userId: chatBody.shape.userId });

const PAGE = readFileSync(new URL('./web/chat.html', import.meta.url), 'utf8');
/** The page's script, a file of its own: the CSP (src/server/app.ts) allows no inline script. */
const SCRIPT = readFileSync(new URL('./web/chat.js', import.meta.url), 'utf8');
/** A licence with a tick, in the page's blue: the tab's icon. */
const FAVICON = readFileSync(new URL('./web/favicon.svg', import.meta.url), 'utf8');

export interface ChatRouteDeps {
  assistant: Assistant;
  catalog: Catalog;
}

export function registerChatRoutes(app: FastifyInstance, deps: ChatRouteDeps): void {
  app.post(
    '/api/chat',
    { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const body = chatBody.parse(request.body);
      const result = await deps.assistant.handleMessage({
        channel: 'web',
        userId: body.userId,
        text: body.text,
        ...(body.region ? { region: body.region } : {}),
        // The web page picks its own userId: locks that must hold (the status look-up) also count per address.
        address: request.ip,
      });
      // Personal answers are in it: never kept by a browser's or a proxy's cache.
      void reply.header('cache-control', 'no-store');
      return { conversationId: result.conversationId, replies: result.replies.map(replyJson), state: result.state };
    },
  );

  // The page asks for the conversation so far when it is loaded again: the userId is the page's own secret.
  // ID, phone and credit-code numbers come back masked, as in the assistant's own summaries: whoever has the
  // page's userId (a shared computer in the service hall) does not read them back in full.
  app.get('/api/chat/history', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (request, reply) => {
    const { userId } = historyQuery.parse(request.query);
    const history = await deps.assistant.history({ channel: 'web', userId });
    void reply.header('cache-control', 'no-store');
    if (!history) return { conversationId: null, messages: [], state: null };
    return { ...history, messages: history.messages.map((m) => ({ ...m, text: maskText(m.text) })) };
  });

  for (const url of ['/favicon.svg', '/favicon.ico']) {
    app.get(url, async (_request, reply) => reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON));
  }

  const regions = deps.catalog.regions.map((r) => ({ id: r.id, name: r.name }));
  const page = PAGE.replace('"__REGIONS__"', JSON.stringify(regions).replace(/</g, '\\u003c'));
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  // Revalidated on every load, so a page and its script never come from different versions.
  app.get('/chat.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(SCRIPT));
}

/** Replies as JSON: the image, if any, as a data URL the page can show. */
export function replyJson(reply: Reply) {
  return {
    text: reply.text,
    ...(reply.kind ? { kind: reply.kind } : {}),
    ...(reply.options ? { options: reply.options } : {}),
    ...(reply.chart ? { chart: { title: reply.chart.title, svg: flowChartSvg(reply.chart), alt: flowChartAlt(reply.chart) } } : {}),
    ...(reply.sources?.length ? { sources: reply.sources.map((x) => ({ title: x.title, ref: x.ref, quote: x.quote ?? '' })) } : {}),
    ...(reply.image
      ? { image: { dataUrl: `data:image/png;base64,${reply.image.png.toString('base64')}`, alt: reply.image.alt, ...(reply.image.caption ? { caption: reply.image.caption } : {}) } }
      : {}),
  };
}
