/**
 * The staff API under /api/staff, authenticated with `Authorization: Bearer <token>`. Every call is
 * audited (reads included); listings mask ID and phone numbers. Domain errors map to HTTP statuses here
 * and carry their safe Chinese message. Documented in docs/staff.md.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit, listAudit } from '../auth/audit.ts';
import { authenticate, createStaff, listStaff, revokeStaff, type StaffActor } from '../auth/staff.ts';
import type { DomainDeps } from '../cases/deps.ts';
import { DomainError, HTTP_STATUS } from '../cases/errors.ts';
import { requireRole } from '../cases/model.ts';
import { runStaffOperation, type StaffOperation } from '../cases/staffOperations.ts';
import { listHandoffs, releaseHandoff, replyToHandoff } from '../handoff/agentHandoffs.ts';

export function registerStaffRoutes(app: FastifyInstance, deps: DomainDeps): void {
  void app.register(
    async (scope) => {
      const actors = new WeakMap<FastifyRequest, StaffActor>();
      const actorOf = (request: FastifyRequest): StaffActor => {
        const actor = actors.get(request);
        if (!actor) throw new DomainError('unauthenticated', 'no actor', '请提供有效的工作人员令牌。');
        return actor;
      };

      scope.setErrorHandler((error, request, reply) => {
        if (error instanceof DomainError) {
          return reply.status(HTTP_STATUS[error.code]).send({ error: error.code, message: error.userMessage });
        }
        if (error instanceof z.ZodError) return reply.status(400).send({ error: 'invalid_input', message: '请求格式不正确' });
        const code = error instanceof Error && 'statusCode' in error ? Number(error.statusCode) : 500;
        if (code >= 400 && code < 500) return reply.status(code).send({ error: 'bad_request', message: '请求格式不正确' });
        request.log.error({ err: error }, 'staff request failed');
        return reply.status(500).send({ error: 'internal', message: '服务暂时不可用，请稍后再试' });
      });

      scope.addHook('onRequest', async (request) => {
        const header = request.headers.authorization ?? '';
        const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
        try {
          actors.set(request, await authenticate(deps.db, token, deps.clock));
        } catch (error) {
          await audit(deps.db, deps.clock, { actor: null, via: 'http', action: `${request.method} ${request.routeOptions.url ?? request.url}`, outcome: 'unauthenticated' });
          throw error;
        }
      });

      const op = (name: StaffOperation, input: (request: FastifyRequest) => unknown) => async (request: FastifyRequest, reply: FastifyReply) => {
        const result = await runStaffOperation(deps, actorOf(request), 'http', name, input(request));
        return reply.send(result);
      };
      const params = (r: FastifyRequest) => z.object({ number: z.string().optional(), permit: z.string().optional(), id: z.string().optional() }).parse(r.params);
      const body = (r: FastifyRequest) => (typeof r.body === 'object' && r.body !== null ? r.body : {});
      const query = (r: FastifyRequest) => z.record(z.string(), z.string()).parse(r.query ?? {});

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
            ...(q['limit'] ? { limit: Number(q['limit']) } : {}),
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
        const q = query(request);
        const list = await listHandoffs(deps, actor, q['limit'] ? { limit: Number(q['limit']) } : {});
        await audit(deps.db, deps.clock, { actor, via: 'http', action: 'handoffs', outcome: 'ok', detail: { count: list.length } });
        return list;
      });
      scope.post('/handoffs/:id/reply', async (request) => {
        const actor = actorOf(request);
        const id = params(request).id ?? '';
        const { text } = z.object({ text: z.string() }).parse(request.body);
        const done = await replyToHandoff(deps, actor, { conversationId: id, text });
        await audit(deps.db, deps.clock, { actor, via: 'http', action: 'handoff_reply', target: id, outcome: 'ok' });
        return done;
      });
      scope.post('/handoffs/:id/release', async (request) => {
        const actor = actorOf(request);
        const id = params(request).id ?? '';
        const done = await releaseHandoff(deps, actor, { conversationId: id });
        await audit(deps.db, deps.clock, { actor, via: 'http', action: 'handoff_release', target: id, outcome: 'ok' });
        return done;
      });

      scope.get('/outbox', async (request) => {
        const actor = actorOf(request);
        requireRole(actor, ['staff']);
        const status = query(request)['status'] ?? 'failed';
        const rows = await deps.db.prisma.outboxMessage.findMany({ where: { status }, orderBy: { id: 'desc' }, take: 200 });
        await audit(deps.db, deps.clock, { actor, via: 'http', action: 'outbox', outcome: 'ok', detail: { status } });
        return rows.map((m) => ({ id: m.id, channel: m.channel, status: m.status, attempts: m.attempts, lastError: m.lastError, caseId: m.caseId, createdAt: m.createdAt.toISOString(), text: m.text }));
      });
      scope.post('/outbox/:id/retry', async (request) => {
        const actor = actorOf(request);
        requireRole(actor, ['staff']);
        const id = Number(params(request).id);
        const done = await deps.db.prisma.outboxMessage.updateMany({ where: { id, status: 'failed' }, data: { status: 'pending', attempts: 0, availableAt: deps.clock.now() } });
        await audit(deps.db, deps.clock, { actor, via: 'http', action: 'outbox_retry', target: String(id), outcome: done.count ? 'ok' : 'not_found' });
        if (!done.count) throw new DomainError('not_found', `failed message ${id} not found`, '未找到该发送失败的消息。');
        return { id, status: 'pending' };
      });

      scope.get('/audit', async (request) => {
        const actor = actorOf(request);
        requireRole(actor, ['admin']);
        const q = query(request);
        return listAudit(deps.db, { ...(q['limit'] ? { limit: Number(q['limit']) } : {}), ...(q['actor'] ? { actorId: q['actor'] } : {}) });
      });
      scope.get('/users', async (request) => listStaff(deps.db, actorOf(request)));
      scope.post('/users', async (request, reply) => {
        const actor = actorOf(request);
        const input = z.object({ name: z.string(), role: z.string() }).parse(request.body);
        const created = await createStaff(deps.db, deps.clock, { actor, ...input });
        await audit(deps.db, deps.clock, { actor, via: 'http', action: 'staff_create', target: created.id, outcome: 'ok', detail: { name: created.name, role: created.role } });
        return reply.status(201).send(created);
      });
      scope.delete('/users/:id', async (request) => {
        const actor = actorOf(request);
        const id = params(request).id ?? '';
        await revokeStaff(deps.db, deps.clock, { actor, id });
        await audit(deps.db, deps.clock, { actor, via: 'http', action: 'staff_revoke', target: id, outcome: 'ok' });
        return { id, revoked: true };
      });
    },
    { prefix: '/api/staff' },
  );
}
