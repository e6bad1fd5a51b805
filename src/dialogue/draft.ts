/**
 * One turn being decided: a copy of the state the steps change, the replies they say and the effects
 * they ask for, with the look-ups they share. Nothing here does IO; `decide` returns what it holds.
 */
import type { Catalog } from '../catalog/load.ts';
import type { Industry, Question, Region } from '../catalog/schema.ts';
import { assess, type Assessment } from '../guidance/assess.ts';
import { buildForm, formFields, type FormField } from '../guidance/form.ts';
import type { FieldValue } from '../guidance/validators.ts';
import type { GroundingRequest, SubmitInput, TicketInput } from './ports.ts';
import { moveTo } from './stages.ts';
import type { DialogueState, Reply, Stage } from './types.ts';

/** What the turn needs besides the state and the message, loaded by the caller before deciding. */
export interface DecideContext {
  catalog: Catalog;
  /** A deployment's fixed region (id); the user may still change it. */
  defaultRegion?: string;
  /**
   * The common fields of the user's latest earlier application, when the turn may open the form
   * (undefined: not loaded; null: none).
   */
  previousFields?: Record<string, FieldValue> | null;
  /** The channel the message came by (web, telegram, wechat, terminal): whether a later reply can reach the person there. */
  channel?: string;
  /** The person's message before this one, when this one asks to complain, ask for help or suggest (the story may be there). */
  previousText?: string;
}

/**
 * Work for the caller after deciding. `at` is where in the replies the effect's own replies go.
 * - submit: in the turn's transaction; its result gives the submitted reply and the new state.
 * - status, licence: replies from the case workflow.
 * - ticket: a complaint, request for help or suggestion to take down with the turn; its number goes at `at`.
 * - ticket_note: words to add to the person's latest open ticket (「补充一下…」); the reply goes at `at`.
 * - restart: this turn's state belongs to a new conversation (「重新开始」).
 * - unanswered: a question the knowledge could not answer, stored with the turn for the gaps report.
 * - ground: the reply at `at` answers a question from the knowledge (or says it cannot): an LLM, when one
 *   is configured, may write it from the retrieved passages instead (docs/llm.md).
 */
export type Effect =
  | { kind: 'submit'; input: Omit<SubmitInput, 'conversationId' | 'channel' | 'userId'>; at: number }
  | { kind: 'status'; text: string; at: number }
  | { kind: 'licence'; text: string; at: number }
  | { kind: 'ticket'; input: TicketInput; at: number }
  | { kind: 'ticket_note'; text: string; at: number }
  | { kind: 'restart' }
  | { kind: 'unanswered'; text: string; region: string; industry?: string }
  | ({ kind: 'ground'; at: number } & Omit<GroundingRequest, 'offline'>);

type WithoutAt<E> = E extends { at: number } ? Omit<E, 'at'> : E;
export type EffectRequest = WithoutAt<Effect>;

export interface Decision {
  state: DialogueState;
  handoff: boolean;
  replies: Reply[];
  effects: Effect[];
}

export class Draft {
  readonly replies: Reply[] = [];
  readonly effects: Effect[] = [];
  /** What this turn has already said, so no step says it twice. */
  readonly said = new Set<string>();
  private cached?: { key: string; assessment: Assessment; fields?: FormField[] };

  constructor(
    readonly ctx: DecideContext,
    public state: DialogueState,
    public handoff: boolean,
  ) {}

  get catalog(): Catalog {
    return this.ctx.catalog;
  }

  say(...replies: Reply[]): void {
    this.replies.push(...replies);
  }

  /** Says `reply` unless a reply of this `tag` was already said this turn. */
  sayOnce(tag: string, ...replies: Reply[]): void {
    if (this.said.has(tag)) return;
    this.said.add(tag);
    this.replies.push(...replies);
  }

  /** Asks for an effect; its replies will stand where the turn's replies are now. */
  effect(effect: EffectRequest): void {
    if (effect.kind === 'restart' || effect.kind === 'unanswered') this.effects.push(effect);
    else this.effects.push({ ...effect, at: this.replies.length });
  }

  moveTo(stage: Stage): void {
    moveTo(this.state, stage);
  }

  region(): Region | undefined {
    return this.state.region ? this.catalog.regions.find((r) => r.id === this.state.region) : undefined;
  }

  industry(): Industry | undefined {
    return this.state.industry ? this.region()?.industries.find((i) => i.id === this.state.industry) : undefined;
  }

  question(id: string | undefined): Question | undefined {
    return id ? this.region()?.questions.find((q) => q.id === id) : undefined;
  }

  pendingQuestion(): Question | undefined {
    return this.question(this.state.pendingQuestion);
  }

  /** The items for what is known now; computed once per change of region, industry or answers. */
  assessment(): Assessment | undefined {
    const region = this.region();
    const industry = this.industry();
    if (!region || !industry) return undefined;
    const key = `${region.id}|${industry.id}|${JSON.stringify(this.state.answers)}`;
    if (this.cached?.key !== key) this.cached = { key, assessment: assess(this.catalog, region, industry, this.state.answers) };
    return this.cached.assessment;
  }

  /** The merged form's fields in asking order, those whose condition holds on the values so far. */
  fields(): FormField[] {
    const assessment = this.assessment();
    if (!assessment || !this.cached) return [];
    this.cached.fields ??= formFields(buildForm(this.catalog, assessment));
    const values = this.state.form.values;
    return this.cached.fields.filter((f) => !f.when || values[f.when.field] === f.when.eq);
  }
}
