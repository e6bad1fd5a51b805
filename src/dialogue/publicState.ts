/** What a channel (and `POST /api/chat`) learns about the conversation after a turn. */
import type { Catalog } from '../catalog/load.ts';
import { assess } from '../guidance/assess.ts';
import type { ConversationState, DialogueState } from './types.ts';

export function publicState(catalog: Catalog, state: DialogueState, handoff: boolean): ConversationState {
  const region = state.region ? catalog.regions.find((r) => r.id === state.region) : undefined;
  const industry = state.industry ? region?.industries.find((i) => i.id === state.industry) : undefined;
  const assessment = region && industry ? assess(catalog, region, industry, state.answers) : undefined;
  const question = state.pendingQuestion ? region?.questions.find((q) => q.id === state.pendingQuestion) : undefined;
  const field = state.form.pendingField ? catalog.fields.get(state.form.pendingField) : undefined;
  return {
    region: region ? { id: region.id, name: region.name } : null,
    industry: industry ? { id: industry.id, name: industry.name } : null,
    permits: assessment?.items.map((i) => ({ name: i.name, department: i.department, status: i.status })) ?? [],
    pendingQuestion:
      state.stage === 'questions' && question
        ? {
            id: question.id,
            text: question.text,
            type: question.type,
            ...(question.options ? { options: question.options.map((o) => ({ id: o.id, label: o.label })) } : {}),
          }
        : null,
    pendingField: state.stage === 'form' && field ? { id: field.id, label: field.label, type: field.type, required: field.required } : null,
    stage: state.stage,
    answers: { ...state.answers },
    applicationNumber: state.applicationNumber ?? null,
    caseNumber: state.caseNumber ?? null,
    handoff,
    ticket: state.ticket ? { kind: state.ticket.kind, step: state.ticket.step } : null,
  };
}
