/**
 * The hotline agent's API under /api/agent, with the staff token (roles hotline, staff, admin), audited
 * like the staff API: suggested answers to a caller's question, and what the agent did with one (docs/api.md).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Catalog } from '../catalog/load.ts';
import { UnknownNameError } from '../catalog/errors.ts';
import { findRegion } from '../catalog/lookup.ts';
import type { DomainDeps } from '../cases/deps.ts';
import { DomainError } from '../cases/errors.ts';
import { requireRole } from '../cases/model.ts';
import type { AnswerWriter } from '../dialogue/ports.ts';
import { parseState } from '../dialogue/state.ts';
import { suggestAnswers } from '../handoff/suggest.ts';
import { submitForCaller } from '../handoff/assistedApplication.ts';
import { addStaffFaq, listStaffFaq, retireStaffFaq } from '../knowledge/staffFaq.ts';
import type { MessageReader } from '../nlu/reader.ts';
import { commandOf } from '../nlu/reading.ts';
import { NotFoundError } from '../kernel/errors.ts';
import { FEEDBACK_OUTCOMES } from '../store/suggestionFeedback.ts';
import { staffScope } from './staffRoutes.ts';
import type { SessionSettings } from '../auth/sessions.ts';
import { maskText } from '../privacy/mask.ts';

export interface AgentRouteDeps {
  domain: DomainDeps;
  catalog: Catalog;
  reader: MessageReader;
  answerer?: AnswerWriter;
  sessions?: SessionSettings;
}

const feedbackBody = z.object({
  region: z.string().trim().min(1).max(50),
  question: z.string().trim().min(1).max(2000),
  suggestion: z.object({
    text: z.string().trim().min(1).max(5000),
    sources: z.array(z.object({ title: z.string().max(200), ref: z.string().max(100) })).max(20).default([]),
  }),
  outcome: z.enum(FEEDBACK_OUTCOMES),
  sent: z.string().trim().min(1).max(5000).optional(),
  conversationId: z.string().trim().min(1).max(100).optional(),
});

const suggestBody = z.object({
  region: z.string().trim().min(1).max(50).optional(),
  text: z.string().trim().min(1).max(2000).optional(),
  conversationId: z.string().trim().min(1).max(100).optional(),
});

const assistedBody = z.object({
  region: z.string().trim().min(1).max(50),
  industry: z.string().trim().min(1).max(50),
  answers: z.record(z.string().max(50), z.union([z.string().max(100), z.number(), z.boolean()])).default({}),
  form: z.record(z.string().max(50), z.string().max(500)).default({}),
  conversationId: z.string().trim().min(1).max(100).optional(),
});

export function registerAgentRoutes(app: FastifyInstance, deps: AgentRouteDeps): void {
  const { conversations, suggestionFeedback: feedback } = deps.domain.store;
  const regionOf = (name: string) => {
    try {
      return findRegion(deps.catalog, name);
    } catch (error) {
      if (error instanceof UnknownNameError) throw new DomainError('invalid_input', 'unknown region', `没有这个地区：${maskText(name.slice(0, 50))}。可选：${deps.catalog.regions.map((r) => r.name).join('、')}。`);
      throw error;
    }
  };
  /** The user's latest message that is not a command (「转人工」「重新开始」 ask nothing of the documents). */
  const latestQuestion = async (conversationId: string): Promise<string | undefined> => {
    const said = (await conversations.recentMessages(conversationId, 20)).filter((m) => m.direction === 'in').reverse();
    for (const m of said) if (!commandOf(await deps.reader.read(m.text))) return m.text;
    return undefined;
  };
  const conversationOf = async (id: string) => {
    try {
      return await conversations.get(id);
    } catch (error) {
      if (error instanceof NotFoundError) throw new DomainError('not_found', 'no such conversation', `没有这个对话：${maskText(id.slice(0, 100))}`);
      throw error;
    }
  };
  void app.register(
    async (scope) => {
      const { actorOf, auditCall } = staffScope(scope, deps.domain, deps.sessions);

      scope.post('/suggest', async (request) => {
        const actor = actorOf(request);
        requireRole(actor, ['hotline', 'staff', 'admin']);
        const body = suggestBody.parse(request.body ?? {});
        const conversation = body.conversationId ? await conversationOf(body.conversationId) : null;
        const state = conversation ? parseState(conversation.state) : undefined;
        // The caller's latest message, when the agent asks about the conversation without typing one.
        const text = body.text ?? (conversation ? await latestQuestion(conversation.id) : undefined);
        if (!text) throw new DomainError('invalid_input', 'no text', '请填写来电人的问题（text），或给出有消息的对话（conversationId）。');
        // The region as the agent gives it, the conversation's, or one the question itself names (「在新乡经开区…」).
        const regionName = body.region ?? state?.region ?? (await deps.reader.read(text)).region;
        if (!regionName) throw new DomainError('invalid_input', 'no region', `来电人还没有说明地区，暂时无法给出参考答复。请先问清是哪个地区（${deps.catalog.regions.map((r) => r.name).join('、')}）。`);
        const region = regionOf(regionName);
        const industry = state?.region === region.id && state.industry ? region.industries.find((i) => i.id === state.industry) : undefined;
        const result = await suggestAnswers(deps.catalog, deps.reader, { region, text, ...(industry ? { industry, answers: state?.answers ?? {} } : {}) }, deps.answerer);
        // Neither the question nor the answers go into the audit trail: what was asked is the caller's.
        await auditCall(request, { actor, action: 'suggest', ...(body.conversationId ? { target: body.conversationId } : {}), outcome: 'ok', detail: { region: region.id, suggestions: result.suggestions.length } });
        // The question answered (masked) and its region, so the agent sees what the suggestions are for.
        return { ...result, question: maskText(text), region: region.id };
      });

      // What agents did with the suggestions (as `yiye report suggestions`), and the FAQ entries made from edited answers.
      scope.get('/suggestions/report', async (request) => {
        const actor = actorOf(request);
        requireRole(actor, ['hotline', 'staff', 'admin']);
        const q = z.object({ region: z.string().max(50).optional() }).parse(request.query ?? {});
        const report = await feedback.report(q.region ? { region: regionOf(q.region).id } : {});
        await auditCall(request, { actor, action: 'suggestions_report', outcome: 'ok' });
        return report;
      });
      scope.get('/faq', async (request) => {
        const actor = actorOf(request);
        const q = z.object({ region: z.string().max(50).optional() }).parse(request.query ?? {});
        return listStaffFaq(deps.domain, actor, q.region ? regionOf(q.region).id : undefined);
      });
      scope.post('/faq', async (request, reply) => {
        const actor = actorOf(request);
        const body = z.object({ feedbackId: z.number().int().positive(), question: z.string().max(300).optional(), answer: z.string().max(2000).optional() }).parse(request.body ?? {});
        const entry = await addStaffFaq(deps.domain, actor, { feedbackId: body.feedbackId, ...(body.question ? { question: body.question } : {}), ...(body.answer ? { answer: body.answer } : {}) });
        await auditCall(request, { actor, action: 'faq_add', target: String(entry.id), outcome: 'ok', detail: { region: entry.region, feedback: body.feedbackId } });
        return reply.status(201).send(entry);
      });
      scope.delete('/faq/:id', async (request) => {
        const actor = actorOf(request);
        const { id } = z.object({ id: z.string().regex(/^\d{1,9}$/) }).parse(request.params);
        await retireStaffFaq(deps.domain, actor, Number(id));
        await auditCall(request, { actor, action: 'faq_retire', target: id, outcome: 'ok' });
        return { id: Number(id), retired: true };
      });

      // 帮办代办: the agent submits the merged form for a caller (src/handoff/assistedApplication.ts).
      scope.post('/applications', async (request, reply) => {
        const actor = actorOf(request);
        const body = assistedBody.parse(request.body ?? {});
        const result = await submitForCaller(deps.domain, actor, {
          region: body.region,
          industry: body.industry,
          answers: body.answers,
          form: body.form,
          ...(body.conversationId ? { conversationId: body.conversationId } : {}),
        });
        await auditCall(request, { actor, action: 'assisted_submit', target: result.caseNumber, outcome: 'ok', detail: { region: body.region, conversation: body.conversationId ?? null } });
        return reply.status(201).send(result);
      });

      // 「采用」「修改后发送」「有误」: what the agent did with a suggestion, for `yiye report suggestions`.
      scope.post('/suggestions/feedback', async (request, reply) => {
        const actor = actorOf(request);
        requireRole(actor, ['hotline', 'staff', 'admin']);
        const body = feedbackBody.parse(request.body ?? {});
        if (body.outcome === 'edited' && !body.sent) throw new DomainError('invalid_input', 'edited without sent', '标为「修改后发送」时，请附上实际发送的答复（sent）。');
        const region = regionOf(body.region);
        if (body.conversationId) await conversationOf(body.conversationId);
        const saved = await feedback.record({
          region: region.id,
          staffId: actor.id,
          outcome: body.outcome,
          question: body.question,
          suggestion: body.suggestion.text,
          sources: body.suggestion.sources,
          ...(body.sent ? { sent: body.sent } : {}),
          ...(body.conversationId ? { conversationId: body.conversationId } : {}),
        });
        await auditCall(request, { actor, action: 'suggestion_feedback', target: String(saved.id), outcome: 'ok', detail: { region: region.id, feedback: body.outcome } });
        return reply.status(201).send(saved);
      });
    },
    { prefix: '/api/agent' },
  );
}
