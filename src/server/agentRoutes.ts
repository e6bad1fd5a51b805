/**
 * The hotline agent's API under /api/agent, with the staff token (roles hotline, staff, admin), audited
 * like the staff API: suggested answers to a caller's question (docs/api.md).
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
import type { MessageReader } from '../nlu/reader.ts';
import { prismaConversations } from '../store/conversations.ts';
import { NotFoundError } from '../store/errors.ts';
import { staffScope } from './staffRoutes.ts';

export interface AgentRouteDeps {
  domain: DomainDeps;
  catalog: Catalog;
  reader: MessageReader;
  answerer?: AnswerWriter;
}

const suggestBody = z.object({
  region: z.string().trim().min(1).max(50).optional(),
  text: z.string().trim().min(1).max(2000).optional(),
  conversationId: z.string().trim().min(1).max(100).optional(),
});

export function registerAgentRoutes(app: FastifyInstance, deps: AgentRouteDeps): void {
  const conversations = prismaConversations(deps.domain.db.prisma);
  const conversationOf = async (id: string) => {
    try {
      return await conversations.get(id);
    } catch (error) {
      if (error instanceof NotFoundError) throw new DomainError('not_found', 'no such conversation', `没有这个对话：${id.slice(0, 100)}`);
      throw error;
    }
  };
  void app.register(
    async (scope) => {
      const { actorOf, auditCall } = staffScope(scope, deps.domain);

      scope.post('/suggest', async (request) => {
        const actor = actorOf(request);
        requireRole(actor, ['hotline', 'staff', 'admin']);
        const body = suggestBody.parse(request.body ?? {});
        const conversation = body.conversationId ? await conversationOf(body.conversationId) : null;
        const state = conversation ? parseState(conversation.state) : undefined;
        // The caller's latest message, when the agent asks about the conversation without typing one.
        const text = body.text ?? (conversation ? (await conversations.recentMessages(conversation.id, 20)).filter((m) => m.direction === 'in').at(-1)?.text : undefined);
        if (!text) throw new DomainError('invalid_input', 'no text', '请填写来电人的问题（text），或给出有消息的对话（conversationId）。');
        const regionName = body.region ?? state?.region;
        if (!regionName) throw new DomainError('invalid_input', 'no region', '请说明地区（region），如「奈曼旗」或「新乡经开区」。');
        let region;
        try {
          region = findRegion(deps.catalog, regionName);
        } catch (error) {
          if (error instanceof UnknownNameError) throw new DomainError('invalid_input', 'unknown region', `没有这个地区：${regionName.slice(0, 50)}。可选：${deps.catalog.regions.map((r) => r.name).join('、')}。`);
          throw error;
        }
        const industry = state?.region === region.id && state.industry ? region.industries.find((i) => i.id === state.industry) : undefined;
        const result = await suggestAnswers(deps.catalog, deps.reader, { region, text, ...(industry ? { industry, answers: state?.answers ?? {} } : {}) }, deps.answerer);
        // Neither the question nor the answers go into the audit trail: what was asked is the caller's.
        await auditCall(request, { actor, action: 'suggest', ...(body.conversationId ? { target: body.conversationId } : {}), outcome: 'ok', detail: { region: region.id, suggestions: result.suggestions.length } });
        return result;
      });
    },
    { prefix: '/api/agent' },
  );
}
