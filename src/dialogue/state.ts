/**
 * The stored dialogue state is read back through zod: a state written by an older version, or damaged,
 * becomes a fresh start for what cannot be read instead of a crash mid-conversation.
 */
import { z } from 'zod';
import { initialState, type DialogueState } from './types.ts';

// A figure known only between limits (不到200平方米) is an object; states written before it still read.
const bounds = z.object({
  gt: z.number().optional(),
  gte: z.number().optional(),
  lt: z.number().optional(),
  lte: z.number().optional(),
  said: z.string().max(100).optional(),
});
const answer = z.union([z.string(), z.number(), z.boolean(), bounds]);
const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

const stateSchema = z.object({
  stage: z
    .enum(['start', 'region', 'industry', 'confirm_industry', 'questions', 'guided', 'reuse', 'form', 'confirm', 'submitted'])
    .catch('start'),
  region: z.string().optional().catch(undefined),
  industry: z.string().optional().catch(undefined),
  proposedIndustry: z.string().optional().catch(undefined),
  channelRegion: z.string().optional().catch(undefined),
  implied: z.array(z.string()).optional().catch(undefined),
  deferred: z
    .array(
      z.object({
        text: z.string().max(2000),
        kinds: z.array(z.string()),
        permits: z.array(z.string()).catch(() => []),
        materials: z.array(z.string()).catch(() => []),
      }),
    )
    .max(5)
    .catch(() => []),
  answers: z.record(z.string(), answer).catch(() => ({})),
  answered: z.array(z.string()).catch(() => []),
  pendingQuestion: z.string().optional().catch(undefined),
  form: z
    .object({
      values: z.record(z.string(), fieldValue).catch(() => ({})),
      pendingField: z.string().optional().catch(undefined),
      skipped: z.array(z.string()).catch(() => []),
      history: z.array(z.string()).catch(() => []),
    })
    .catch(() => ({ values: {}, skipped: [], history: [] })),
  reusable: z.record(z.string(), fieldValue).optional().catch(undefined),
  applicationNumber: z.string().optional().catch(undefined),
  caseNumber: z.string().optional().catch(undefined),
  pendingLookup: z.string().max(20).optional().catch(undefined),
  ticketFiled: z.boolean().optional().catch(undefined),
  ticket: z
    .object({
      kind: z.enum(['complaint', 'help_request', 'suggestion']),
      step: z.enum(['region', 'text', 'about', 'contact']),
      text: z.string().max(2000).optional(),
      about: z.string().max(200).optional(),
      contact: z.string().max(30).optional(),
      noCall: z.boolean().optional(),
    })
    .optional()
    .catch(undefined),
});

export function parseState(raw: unknown): DialogueState {
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) return initialState();
  const s = parsed.data;
  const state: DialogueState = {
    stage: s.stage,
    answers: s.answers,
    answered: s.answered,
    deferred: s.deferred ?? [],
    form: {
      values: s.form.values,
      skipped: s.form.skipped,
      history: s.form.history,
      ...(s.form.pendingField ? { pendingField: s.form.pendingField } : {}),
    },
  };
  if (s.region) state.region = s.region;
  if (s.industry) state.industry = s.industry;
  if (s.proposedIndustry) state.proposedIndustry = s.proposedIndustry;
  if (s.channelRegion) state.channelRegion = s.channelRegion;
  if (s.implied?.length) state.implied = s.implied;
  if (s.pendingQuestion) state.pendingQuestion = s.pendingQuestion;
  if (s.reusable) state.reusable = s.reusable;
  if (s.applicationNumber) state.applicationNumber = s.applicationNumber;
  if (s.caseNumber) state.caseNumber = s.caseNumber;
  if (s.pendingLookup) state.pendingLookup = s.pendingLookup;
  if (s.ticketFiled) state.ticketFiled = true;
  if (s.ticket) {
    const { kind, step, text, about, contact, noCall } = s.ticket;
    state.ticket = { kind, step, ...(text ? { text } : {}), ...(about ? { about } : {}), ...(contact ? { contact } : {}), ...(noCall ? { noCall } : {}) };
  }
  return state;
}
