/**
 * The staff API under /api/staff, authenticated with `Authorization: Bearer <token>`. Every call is
 * audited (reads and refused calls included: 403, 404, 400; refused credentials in aggregate, per client
 * address); listings mask ID and phone numbers. Domain errors map to HTTP statuses here and carry their
 * safe Chinese message. Documented in docs/staff.md.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit, listAudit } from '../auth/audit.ts';
import { csrfMatches, resumeSession, SESSION_COOKIE, type SessionSettings } from '../auth/sessions.ts';
import { authFailed, refuseLockedAddress } from '../auth/failures.ts';
import { authenticate, createStaff, knownDepartments, listStaff, revokeStaff, type StaffActor } from '../auth/staff.ts';
import type { DomainDeps } from '../cases/deps.ts';
import { DomainError, HTTP_STATUS } from '../cases/errors.ts';
import { requireRole } from '../cases/model.ts';
import { runStaffOperation, type StaffOperation } from '../app/staffOperations.ts';
import { knownRegion, zodInputError } from '../cases/validation.ts';
import { maskText } from '../privacy/mask.ts';
import { shanghaiDate } from '../kernel/clock.ts';
import { serviceStats, STATS_TABLES, statsCsv } from '../app/stats.ts';
import { answerTicket, assignTicket, listTickets, showTicket } from '../tickets/tickets.ts';
import { addHandoffNote, claimHandoff, handoffDetail, listHandoffs, releaseHandoff, replyToHandoff } from '../handoff/agentHandoffs.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the routes of an authenticated scope use: the caller, and the audit entry of a call. */
export interface StaffScope {
  actorOf(request: FastifyRequest): StaffActor;
  auditCall(request: FastifyRequest, entry: Omit<Parameters<typeof audit>[2], 'via'>): Promise<void>;
  /** The call audits itself from here on (a staff operation does). */
  auditedElsewhere(request: FastifyRequest): void;
}

/**
 * A scope whose every call carries a staff token (`Authorization: Bearer`) or the console's session cookie
 * (with its CSRF token on every change) and is audited, refused ones included (refused credentials in
 * aggregate: src/auth/failures.ts); domain errors answer with their status and safe Chinese message.
 */
export function staffScope(scope: FastifyInstance, deps: DomainDeps, sessions?: SessionSettings): StaffScope {
  const actors = new WeakMap<FastifyRequest, StaffActor>();
  const actorOf = (request: FastifyRequest): StaffActor => {
    const actor = actors.get(request);
    if (!actor) throw new DomainError('unauthenticated', 'no actor', '请提供有效的工作人员令牌。');
    return actor;
  };

  // The audit trail, in one place: the case operations audit themselves (runStaffOperation, with their
  // validated input); a few routes write a richer entry of their own; every other call, refused ones
  // included (403, 404, 400), is audited by the onSend hook below with its method, route and status.
  const audited = new WeakSet<FastifyRequest>();
  const outcomes = new WeakMap<FastifyRequest, string>();
  const auditCall = async (request: FastifyRequest, entry: Omit<Parameters<typeof audit>[2], 'via'>) => {
    audited.add(request);
    await audit(deps.store, deps.clock, { ...entry, via: 'http' });
  };

  scope.setErrorHandler((error, request, reply) => {
    if (error instanceof DomainError) {
      outcomes.set(request, error.code);
      return reply.status(HTTP_STATUS[error.code]).send({ error: error.code, message: error.userMessage });
    }
    if (error instanceof z.ZodError) {
      outcomes.set(request, 'invalid_input');
      return reply.status(400).send({ error: 'invalid_input', message: zodInputError(error).userMessage });
    }
    const code = error instanceof Error && 'statusCode' in error ? Number(error.statusCode) : 500;
    if (code >= 400 && code < 500) return reply.status(code).send({ error: 'bad_request', message: code === 413 ? '请求内容太长' : '请求格式不正确' });
    request.log.error({ err: error }, 'staff request failed');
    return reply.status(500).send({ error: 'internal', message: '服务暂时不可用，请稍后再试' });
  });

  scope.addHook('onRequest', async (request) => {
    try {
      actors.set(request, await signedIn(request));
    } catch (error) {
      // Refused credentials are counted per client address and audited in aggregate (src/auth/failures.ts),
      // not a row per call: a flood of wrong tokens writes a handful of rows and is answered 429.
      if (error instanceof DomainError && (error.code === 'unauthenticated' || error.code === 'locked')) {
        audited.add(request);
        throw error.code === 'locked' ? error : await authFailed(deps, request.ip, error);
      }
      throw error;
    }
  });

  const signedIn = async (request: FastifyRequest): Promise<StaffActor> => {
    const header = request.headers.authorization;
    // The console's cookie when no token is given: a call that changes something carries its CSRF token.
    const cookie = request.cookies?.[SESSION_COOKIE];
    if (!header && cookie && sessions) {
      const session = await resumeSession(deps.store, deps.clock, sessions, cookie);
      const csrf = request.headers['x-csrf-token'];
      if (!SAFE_METHODS.has(request.method) && !csrfMatches(session, typeof csrf === 'string' ? csrf : undefined)) {
        throw new DomainError('forbidden', 'missing or wrong CSRF token', '页面已过期，请刷新页面后重试。');
      }
      return session.actor;
    }
    // No token is checked from an address locked by refused ones.
    await refuseLockedAddress(deps, request.ip);
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    return authenticate(deps.store, token, deps.clock);
  };

  // Runs before the answer leaves, so the entry is written for every call, whatever its status.
  scope.addHook('onSend', async (request, reply, payload) => {
    if (audited.has(request)) return payload;
    audited.add(request);
    const status = reply.statusCode;
    const p = typeof request.params === 'object' && request.params !== null ? (request.params as Record<string, unknown>) : {};
    const target = typeof p['number'] === 'string' ? p['number'] : typeof p['id'] === 'string' ? p['id'] : undefined;
    const route = request.routeOptions.url ?? (request.url.split('?')[0] ?? '').slice(0, 200);
    try {
      await audit(deps.store, deps.clock, {
        actor: actors.get(request) ?? null,
        via: 'http',
        action: `${request.method} ${route}`,
        ...(target ? { target } : {}),
        outcome: outcomes.get(request) ?? (status < 400 ? 'ok' : `http_${status}`),
        detail: { status },
      });
    } catch (error) {
      request.log.error({ err: error }, 'audit entry not written');
    }
    return payload;
  });

  scope.setNotFoundHandler(async (request, reply) => {
    outcomes.set(request, 'not_found');
    return reply.status(404).send({ error: 'not_found', message: `没有这个接口：${request.method} ${maskText((request.url.split('?')[0] ?? '').slice(0, 200))}` });
  });
  return { actorOf, auditCall, auditedElsewhere: (request) => void audited.add(request) };
}

export function registerStaffRoutes(app: FastifyInstance, deps: DomainDeps, sessions?: SessionSettings): void {
  void app.register(
    async (scope) => {
      const { actorOf, auditCall, auditedElsewhere } = staffScope(scope, deps, sessions);

      const op = (name: StaffOperation, input: (request: FastifyRequest) => unknown) => async (request: FastifyRequest, reply: FastifyReply) => {
        const actor = actorOf(request);
        const raw = input(request);
        auditedElsewhere(request); // runStaffOperation audits every outcome from here on
        const result = await runStaffOperation(deps, actor, 'http', name, raw);
        return reply.send(result);
      };
      const params = (r: FastifyRequest) => z.object({ number: z.string().optional(), permit: z.string().optional(), id: z.string().optional() }).parse(r.params);
      /** The JSON body as an object; none is `{}`; an array or a bare value is refused. */
      const body = (r: FastifyRequest): object => {
        if (r.body === undefined || r.body === null) return {};
        if (typeof r.body !== 'object' || Array.isArray(r.body)) throw new DomainError('invalid_input', 'body is not a JSON object', '请求体应为 JSON 对象。');
        return r.body;
      };
      const query = (r: FastifyRequest) => z.record(z.string(), z.string()).parse(r.query ?? {});
      /** `?limit=`: a whole number 1–max, else a 400 in Chinese. */
      const limitOf = (r: FastifyRequest, max: number): { limit?: number } => {
        const raw = query(r)['limit'];
        if (raw === undefined || raw === '') return {};
        const n = Number(raw);
        if (!/^\d+$/.test(raw) || n < 1 || n > max) throw new DomainError('invalid_input', `bad limit ${raw}`, `「条数」（limit）应为 1 到 ${max} 之间的整数（收到「${raw.slice(0, 20)}」）。`);
        return { limit: n };
      };

      scope.get('/me', async (request) => actorOf(request));

      scope.get(
        '/cases',
        op('list', (r) => {
          const q = query(r);
          return {
            ...(q['status'] ? { status: q['status'] } : {}),
            ...(q['overdue'] ? { overdue: q['overdue'] === '1' || q['overdue'] === 'true' } : {}),
            ...(q['region'] ? { region: q['region'] } : {}),
            ...(q['itemStatus'] ? { itemStatus: q['itemStatus'] } : {}),
            ...(q['q'] ? { q: q['q'] } : {}),
            ...limitOf(r, 500),
          };
        }),
      );
      scope.get('/cases/:number', op('show', (r) => ({ caseNumber: params(r).number, reveal: ['1', 'true'].includes(query(r)['reveal'] ?? '') })));
      scope.post('/cases/:number/accept', op('accept', (r) => ({ ...body(r), caseNumber: params(r).number })));
      scope.post('/cases/:number/items/:permit', op('decide', (r) => ({ ...body(r), caseNumber: params(r).number, permit: params(r).permit })));
      scope.post('/cases/:number/items/:permit/end', op('end', (r) => ({ ...body(r), caseNumber: params(r).number, permit: params(r).permit })));
      scope.post('/cases/:number/inspection', op('scheduleInspection', (r) => ({ ...body(r), caseNumber: params(r).number })));
      scope.post('/cases/:number/inspection/result', op('recordInspection', (r) => ({ ...body(r), caseNumber: params(r).number })));
      scope.post('/cases/:number/material-requests', op('requestMaterials', (r) => ({ ...body(r), caseNumber: params(r).number })));
      scope.post(
        '/cases/:number/material-requests/:id',
        op('closeMaterials', (r) => ({ ...body(r), caseNumber: params(r).number, ...(params(r).id !== 'current' ? { requestId: params(r).id } : {}) })),
      );
      scope.post('/cases/:number/licence', op('issue', (r) => ({ caseNumber: params(r).number })));
      scope.post('/cases/:number/changes', op('change', (r) => ({ ...body(r), caseNumber: params(r).number })));

      // 转人工: the hotline agent's queue, replies and hand-back (src/handoff/agentHandoffs.ts).
      scope.get('/handoffs', async (request) => {
        const actor = actorOf(request);
        const list = await listHandoffs(deps, actor, limitOf(request, 500));
        await auditCall(request, { actor, action: 'handoffs', outcome: 'ok', detail: { count: list.length } });
        return list;
      });
      scope.get('/handoffs/:id', async (request) => {
        const actor = actorOf(request);
        const id = params(request).id ?? '';
        const detail = await handoffDetail(deps, actor, id);
        await auditCall(request, { actor, action: 'handoff_show', target: id, outcome: 'ok' });
        return detail;
      });
      scope.post('/handoffs/:id/notes', async (request, reply) => {
        const actor = actorOf(request);
        const id = params(request).id ?? '';
        const { text } = z.object({ text: z.string().max(5000) }).parse(request.body);
        const note = await addHandoffNote(deps, actor, { conversationId: id, text });
        await auditCall(request, { actor, action: 'handoff_note', target: id, outcome: 'ok' });
        return reply.status(201).send(note);
      });
      scope.post('/handoffs/:id/claim', async (request) => {
        const actor = actorOf(request);
        const id = params(request).id ?? '';
        const force = z.object({ force: z.boolean().optional() }).parse(body(request)).force === true;
        const claimed = await claimHandoff(deps, actor, { conversationId: id, force });
        await auditCall(request, { actor, action: 'handoff_claim', target: id, outcome: 'ok', ...(force ? { detail: { force } } : {}) });
        return claimed;
      });
      scope.post('/handoffs/:id/reply', async (request) => {
        const actor = actorOf(request);
        const id = params(request).id ?? '';
        const { text } = z.object({ text: z.string() }).parse(request.body);
        const done = await replyToHandoff(deps, actor, { conversationId: id, text });
        await auditCall(request, { actor, action: 'handoff_reply', target: id, outcome: 'ok' });
        return done;
      });
      scope.post('/handoffs/:id/release', async (request) => {
        const actor = actorOf(request);
        const id = params(request).id ?? '';
        const done = await releaseHandoff(deps, actor, { conversationId: id });
        await auditCall(request, { actor, action: 'handoff_release', target: id, outcome: 'ok' });
        return done;
      });

      // The dashboard (src/app/stats.ts): JSON, or one table as CSV.
      const statsOf = async (request: FastifyRequest) => {
        const actor = actorOf(request);
        const q = query(request);
        const region = q['region'] ? knownRegion(deps.catalog, q['region']) : undefined;
        return { actor, stats: await serviceStats(deps, actor, region ? { region: region.id } : {}) };
      };
      scope.get('/stats', async (request) => {
        const { actor, stats } = await statsOf(request);
        await auditCall(request, { actor, action: 'stats', outcome: 'ok' });
        return stats;
      });
      scope.get('/stats.csv', async (request, reply) => {
        const table = query(request)['table'] ?? 'items';
        const known = STATS_TABLES.find((t) => t === table);
        if (!known) throw new DomainError('invalid_input', `unknown table ${table}`, `表格（table）应为 ${STATS_TABLES.join('、')} 之一。`);
        const { actor, stats } = await statsOf(request);
        await auditCall(request, { actor, action: 'stats_csv', target: known, outcome: 'ok' });
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="yiye-${known}-${shanghaiDate(new Date(stats.generatedAt))}.csv"`)
          .send(statsCsv(stats, known));
      });

      // 投诉、求助、建议 (src/tickets/tickets.ts).
      scope.get('/tickets', async (request) => {
        const actor = actorOf(request);
        const q = query(request);
        const list = await listTickets(deps, actor, { ...(q['status'] ? { status: q['status'] } : {}), ...(q['region'] ? { region: q['region'] } : {}), ...limitOf(request, 500) });
        await auditCall(request, { actor, action: 'tickets', outcome: 'ok', detail: { count: list.length } });
        return list;
      });
      scope.get('/tickets/:number', async (request) => {
        const actor = actorOf(request);
        const number = params(request).number ?? '';
        const reveal = ['1', 'true'].includes(query(request)['reveal'] ?? '');
        const ticket = await showTicket(deps, actor, number, reveal);
        await auditCall(request, { actor, action: 'ticket_show', target: ticket.number, outcome: 'ok', ...(reveal ? { detail: { reveal } } : {}) });
        return ticket;
      });
      scope.post('/tickets/:number/assign', async (request) => {
        const actor = actorOf(request);
        const { department } = z.object({ department: z.string().max(50) }).parse(request.body);
        const ticket = await assignTicket(deps, actor, { number: params(request).number ?? '', department });
        await auditCall(request, { actor, action: 'ticket_assign', target: ticket.number, outcome: 'ok', detail: { department } });
        return ticket;
      });
      scope.post('/tickets/:number/answer', async (request) => {
        const actor = actorOf(request);
        const { answer } = z.object({ answer: z.string().max(5000) }).parse(request.body);
        const ticket = await answerTicket(deps, actor, { number: params(request).number ?? '', answer });
        await auditCall(request, { actor, action: 'ticket_answer', target: ticket.number, outcome: 'ok' });
        return ticket;
      });

      scope.get('/outbox', async (request) => {
        const actor = actorOf(request);
        requireRole(actor, ['staff']);
        const status = query(request)['status'] ?? 'failed';
        const rows = await deps.store.outbox.withStatus(status);
        await auditCall(request, { actor, action: 'outbox', outcome: 'ok', detail: { status } });
        return rows.map((m) => ({ id: m.id, channel: m.channel, status: m.status, attempts: m.attempts, lastError: m.lastError, caseId: m.caseId, createdAt: m.createdAt.toISOString(), text: m.text }));
      });
      scope.post('/outbox/:id/retry', async (request) => {
        const actor = actorOf(request);
        requireRole(actor, ['staff']);
        const raw = params(request).id ?? '';
        if (!/^\d{1,12}$/.test(raw)) throw new DomainError('invalid_input', `bad message id ${raw}`, '消息编号应为数字。');
        const id = Number(raw);
        const done = await deps.store.outbox.retry(id, deps.clock.now());
        await auditCall(request, { actor, action: 'outbox_retry', target: String(id), outcome: done ? 'ok' : 'not_found' });
        if (!done) throw new DomainError('not_found', `failed message ${id} not found`, '未找到该发送失败的消息。');
        return { id, status: 'pending' };
      });

      scope.get('/audit', async (request) => {
        const actor = actorOf(request);
        requireRole(actor, ['admin']);
        const q = query(request);
        return listAudit(deps.store, { ...limitOf(request, 1000), ...(q['actor'] ? { actorId: q['actor'] } : {}) });
      });
      scope.get('/users', async (request) => listStaff(deps.store, actorOf(request)));
      scope.post('/users', async (request, reply) => {
        const actor = actorOf(request);
        const input = z.object({ name: z.string(), role: z.string(), department: z.string().max(50).optional() }).parse(request.body);
        const created = await createStaff(deps.store, deps.clock, { actor, ...input, departments: knownDepartments(deps.catalog) });
        await auditCall(request, { actor, action: 'staff_create', target: created.id, outcome: 'ok', detail: { name: created.name, role: created.role, ...(created.department ? { department: created.department } : {}) } });
        return reply.status(201).send(created);
      });
      scope.delete('/users/:id', async (request) => {
        const actor = actorOf(request);
        const id = params(request).id ?? '';
        await revokeStaff(deps.store, deps.clock, { actor, id });
        await auditCall(request, { actor, action: 'staff_revoke', target: id, outcome: 'ok' });
        return { id, revoked: true };
      });
    },
    { prefix: '/api/staff' },
  );
}
