/**
 * The console for hotline agents and window staff (docs/console.md): the page at /console, its chart
 * library, and signing in and out. Signing in exchanges a staff token for a session cookie (httpOnly,
 * SameSite=Strict, Secure behind https); the page then calls the staff and agent APIs with that cookie
 * and the session's CSRF token (src/auth/sessions.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { audit } from '../auth/audit.ts';
import { authFailed, refuseLockedAddress } from '../auth/failures.ts';
import { csrfMatches, DEFAULT_SESSION, endSession, openSession, resumeSession, SESSION_COOKIE, type ConsoleSession } from '../auth/sessions.ts';
import type { Catalog } from '../catalog/load.ts';
import type { DomainDeps } from '../cases/deps.ts';
import { DomainError, HTTP_STATUS } from '../cases/errors.ts';
import type { ConsoleSettings } from '../config.ts';
import { ticketDepartments } from '../tickets/tickets.ts';

const PAGE = readFileSync(new URL('./web/console.html', import.meta.url), 'utf8');
/** The page's script, a file of its own: the CSP (src/server/app.ts) allows no inline script. */
const SCRIPT = readFileSync(new URL('./web/console.js', import.meta.url), 'utf8');
/** Chart.js, served from the installed package: the console works with no network. */
const CHART_JS = path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

export const DEFAULT_CONSOLE: ConsoleSettings = { ...DEFAULT_SESSION, secureCookie: false };

export function registerConsoleRoutes(app: FastifyInstance, deps: { domain: DomainDeps; catalog: Catalog; console: ConsoleSettings }): void {
  const { store, clock } = deps.domain;
  const settings = deps.console;
  const chartJs = readFileSync(CHART_JS, 'utf8');
  const regions = deps.catalog.regions.map((r) => ({ id: r.id, name: r.name, departments: ticketDepartments(r) }));
  const page = PAGE.replace('"__REGIONS__"', JSON.stringify(regions).replace(/</g, '\\u003c'));

  const sessionJson = (s: ConsoleSession) => ({
    actor: { id: s.actor.id, name: s.actor.name, role: s.actor.role, ...(s.actor.department ? { department: s.actor.department } : {}) },
    csrf: s.csrf,
    expiresAt: s.expiresAt.toISOString(),
  });
  const refuse = (reply: FastifyReply, error: unknown) => {
    if (error instanceof DomainError) return reply.status(HTTP_STATUS[error.code]).send({ error: error.code, message: error.userMessage });
    throw error;
  };
  const setCookie = (reply: FastifyReply, value: string, expires: Date) =>
    reply.setCookie(SESSION_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'strict', secure: settings.secureCookie, expires });

  app.get('/console', async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page));
  app.get('/console/console.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(SCRIPT));
  app.get('/console/chart.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(chartJs));

  // Signing in: at most ten tries a minute from one address; a sign-in is audited, refused ones in aggregate
  // with the staff API's (src/auth/failures.ts): ten refused in fifteen minutes and the address waits.
  app.post('/api/console/session', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = z.object({ token: z.string().max(200) }).safeParse(request.body);
    if (!body.success || !body.data.token.trim()) return reply.status(400).send({ error: 'invalid_input', message: '请输入工作人员令牌。' });
    try {
      await refuseLockedAddress(deps.domain, request.ip);
      const session = await openSession(store, clock, settings, body.data.token.trim());
      await audit(store, clock, { actor: session.actor, via: 'http', action: 'console_sign_in', outcome: 'ok' });
      setCookie(reply, session.cookie, session.expiresAt);
      return sessionJson(session);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'unauthenticated') {
        const refused = await authFailed(deps.domain, request.ip, new DomainError('unauthenticated', 'console sign-in refused', '令牌无效或已停用，请核对后重试。'));
        return refuse(reply, refused);
      }
      return refuse(reply, error);
    }
  });

  // The page asks on load whether it is still signed in (and for the CSRF token it lost with a reload).
  app.get('/api/console/session', async (request, reply) => {
    try {
      return sessionJson(await resumeSession(store, clock, settings, request.cookies[SESSION_COOKIE]));
    } catch (error) {
      return refuse(reply, error);
    }
  });

  app.delete('/api/console/session', async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    try {
      const session = await resumeSession(store, clock, settings, cookie);
      const csrf = request.headers['x-csrf-token'];
      if (!csrfMatches(session, typeof csrf === 'string' ? csrf : undefined)) throw new DomainError('forbidden', 'csrf', '页面已过期，请刷新页面后重试。');
      await endSession(store, clock, cookie);
      await audit(store, clock, { actor: session.actor, via: 'http', action: 'console_sign_out', outcome: 'ok' });
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'unauthenticated')) return refuse(reply, error);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { signedOut: true };
  });
}
