/**
 * The conversation policy: given what the user said and what is remembered, what to say and what to
 * remember. A `Turn` lives for one message; everything it decides is in `state` afterwards.
 */
import type { Catalog } from '../catalog/load.ts';
import { UnknownNameError } from '../catalog/errors.ts';
import { findRegion } from '../catalog/lookup.ts';
import type { Industry, Question, Region } from '../catalog/schema.ts';
import { assess, type Assessment } from '../guidance/assess.ts';
import { evaluate, questionsOf, UNSURE, type AnswerValue } from '../guidance/conditions.ts';
import { buildForm, formFields, type FormField } from '../guidance/form.ts';
import { buildNotice } from '../guidance/notice.ts';
import { renderNotice, renderPermits } from '../guidance/render.ts';
import { validateField, type FieldValue } from '../guidance/validators.ts';
import type { CatalogUnderstander } from '../nlu/forCatalog.ts';
import type { Understanding } from '../nlu/types.ts';
import type { ChannelUserKey, Conversation, ConversationRepository } from '../store/conversations.ts';
import { normaliseMessage, type DetectedIntent, type IntentDetector } from './intents.ts';
import { interpretAnswer } from './interpret.ts';
import { describeAnswer } from '../guidance/answers.ts';
import { findCorrection, normaliseValue, readFieldValue } from './formValues.ts';
import { answerFromNotice, answerQuestion, asksAboutNamedItem, looksLikeQuestion } from './knowledge.ts';
import * as T from './texts.ts';
import { initialState, type ConversationState, type DialogueState, type Reply } from './types.ts';
import type { ApplicationsPort } from './ports.ts';

export interface PolicyDeps {
  catalog: Catalog;
  understander: CatalogUnderstander;
  intents: IntentDetector;
  conversations: ConversationRepository;
  applications: ApplicationsPort;
}

const CONFIRM = /^(确认|确认提交|提交|确定|是|是的|对|对的|没问题|好|好的|可以|ok|yes|y)$/;
const DECLINE = /^(不|否|不是|不对|不用|不要|取消|修改|改|算了|no|n)/;
const CASE_NUMBER = /BJ\d{14}/i;
const CHANGE_CUE = /不对|不是|换成|改成|改开|其实|我是开|我要开|我想开|想开|开的是|我开|打算开|准备开/;
const YES_WORD = /^(是|是的|对|有|嗯|会|卖|经营)$/;
const STAGE_LABEL: Record<DialogueState['stage'], string> = {
  start: '刚开始',
  region: '选择地区',
  industry: '确定行业',
  confirm_industry: '确认行业',
  questions: '回答情形问题',
  guided: '已了解所需许可',
  reuse: '确认沿用信息',
  form: '填写申请表',
  confirm: '核对申请表',
  submitted: '已提交申请',
};

export class Turn {
  state: DialogueState;
  conversationId: string;
  handoff: boolean;
  private readonly key: ChannelUserKey;

  constructor(
    private readonly deps: PolicyDeps,
    conversation: Conversation,
    state: DialogueState,
    private readonly defaultRegion: string | undefined,
  ) {
    this.state = state;
    this.conversationId = conversation.id;
    this.handoff = conversation.handoff;
    this.key = { channel: conversation.channel, userId: conversation.userId };
    if (!this.state.region && defaultRegion) this.state.region = defaultRegion;
  }

  // ---- what the channel sees ------------------------------------------------------------------

  publicState(): ConversationState {
    const region = this.region();
    const industry = this.industry();
    const assessment = this.assessment();
    const question = this.state.pendingQuestion && region ? region.questions.find((q) => q.id === this.state.pendingQuestion) : undefined;
    const field = this.state.form.pendingField ? this.deps.catalog.fields.get(this.state.form.pendingField) : undefined;
    return {
      region: region ? { id: region.id, name: region.name } : null,
      industry: industry ? { id: industry.id, name: industry.name } : null,
      permits: assessment?.items.map((i) => ({ name: i.name, department: i.department, status: i.status })) ?? [],
      pendingQuestion:
        this.state.stage === 'questions' && question
          ? {
              id: question.id,
              text: question.text,
              type: question.type,
              ...(question.options ? { options: question.options.map((o) => ({ id: o.id, label: o.label })) } : {}),
            }
          : null,
      pendingField: this.state.stage === 'form' && field ? { id: field.id, label: field.label, type: field.type, required: field.required } : null,
      stage: this.state.stage,
      answers: { ...this.state.answers },
      applicationNumber: this.state.applicationNumber ?? null,
      caseNumber: this.state.caseNumber ?? null,
      handoff: this.handoff,
    };
  }

  chooseRegion(id: string): void {
    if (this.state.region === id) return;
    this.state.region = id;
    const region = this.region();
    // An industry chosen before stays if the new region has it too; answers to its questions stay valid.
    if (this.state.industry && !region?.industries.some((i) => i.id === this.state.industry)) {
      this.state.proposedIndustry = this.state.industry;
      delete this.state.industry;
    }
    if (this.state.pendingQuestion && !region?.questions.some((q) => q.id === this.state.pendingQuestion)) delete this.state.pendingQuestion;
    if (this.state.stage === 'start' || this.state.stage === 'region') this.state.stage = 'industry';
  }

  // ---- one message ------------------------------------------------------------------------------

  async respond(text: string): Promise<Reply[]> {
    // An empty message is a visit (the page loading, or polling while a person has the conversation).
    if (!text) {
      if (this.handoff) return [];
      return this.state.stage === 'start' ? [T.greeting(this.region()), ...this.prompt()] : this.prompt();
    }
    // A case number in the message is a status look-up, whatever the words around it.
    const detected = CASE_NUMBER.test(text.normalize('NFKC')) ? { intent: 'status' as const, exact: true } : this.deps.intents.detect(text);
    if (this.handoff) {
      if (detected?.intent === 'resume_bot') {
        this.handoff = false;
        return [{ kind: 'answer', text: '好的，由我继续为您服务。' }, ...this.prompt()];
      }
      if (detected?.intent !== 'reset') {
        return [{ kind: 'handoff', text: `您的咨询已转给人工坐席，坐席会尽快在这里回复您；紧急事项请拨打${T.hotlineText(this.region())}。如需继续使用助手，请回复「返回助手」。` }];
      }
    }
    if (detected && this.honours(detected)) {
      const replies = await this.onIntent(detected.intent, text);
      if (replies) return replies;
    }
    // The form's own stages need no understanding of trades or facts: values are validated directly.
    switch (this.state.stage) {
      case 'form':
        return this.fillField(text);
      case 'confirm':
        return this.confirm(text);
      case 'reuse':
        return this.reuse(text);
      default:
        break;
    }
    const u = await this.deps.understander.understand(text, this.state.region);
    switch (this.state.stage) {
      case 'confirm_industry': {
        const replies = this.confirmIndustry(text, u);
        if (replies) return replies;
        break;
      }
      case 'questions': {
        const replies = this.answerPending(text, u);
        if (replies) return replies;
        break;
      }
      default:
        break;
    }
    return this.general(text, u);
  }

  /** While filling the form, a value may contain words that are also commands; only whole commands count there. */
  private honours(detected: DetectedIntent): boolean {
    if (this.state.stage !== 'form' && this.state.stage !== 'confirm') return true;
    return detected.exact || ['reset', 'handoff', 'status', 'licence'].includes(detected.intent);
  }

  private async onIntent(intent: DetectedIntent['intent'], text: string): Promise<Reply[] | null> {
    const region = this.region();
    switch (intent) {
      case 'reset': {
        // A conversation left with a person is closed for them too: it leaves the agents' queue.
        if (this.handoff) await this.deps.conversations.update(this.conversationId, { handoff: false });
        const fresh = await this.deps.conversations.start(this.key);
        this.conversationId = fresh.id;
        this.handoff = false;
        this.state = initialState();
        if (this.defaultRegion) this.state.region = this.defaultRegion;
        return [{ kind: 'greeting', text: '好的，已重新开始。之前的记录已保存，不会丢失。' }, ...this.prompt()];
      }
      case 'help':
        return [T.helpText(region), ...(this.state.stage === 'start' ? [] : this.prompt())];
      case 'handoff':
        return [this.handOff()];
      case 'resume_bot':
        return [{ kind: 'answer', text: '我一直在，请继续。' }, ...this.prompt()];
      case 'status':
        if (this.deps.applications.status) {
          return this.deps.applications.status({
            ...this.key,
            conversationId: this.conversationId,
            text,
            ...(this.state.applicationNumber ? { applicationNumber: this.state.applicationNumber } : {}),
          });
        }
        return [this.state.applicationNumber
          ? { kind: 'status', text: `您的申请（编号 ${this.state.applicationNumber}）已提交，正在等待窗口受理。` }
          : { kind: 'status', text: '这个对话里还没有提交过申请。如需查询其他申请，请提供申请编号和申请人手机号后四位。' }];
      case 'licence':
        if (this.deps.applications.licence) return this.deps.applications.licence({ ...this.key, conversationId: this.conversationId, text });
        return [{ kind: 'licence', text: '您的行业综合许可证还没有颁发。颁发后回复「许可证」即可获取。' }];
      case 'change_region':
        delete this.state.region;
        this.clearIndustry();
        this.state.stage = 'region';
        return [T.askRegion(this.deps.catalog.regions)];
      case 'change_industry':
        this.clearIndustry();
        this.state.stage = 'industry';
        return region ? [T.askIndustry(region)] : this.prompt();
      case 'back':
        return this.back();
      case 'skip':
        return this.skip();
      case 'form':
        return this.startForm();
      case 'notice':
        return this.noticeReplies();
      case 'permits': {
        const assessment = this.assessment();
        if (!assessment) return this.prompt();
        return [this.permitsReply(assessment), ...this.prompt({ quiet: true })];
      }
    }
  }

  // ---- region, industry, scenario questions ---------------------------------------------------------

  private general(text: string, u: Understanding): Reply[] {
    const notes: Reply[] = [];
    // 「其实不是奈曼，是新乡经开区」: when several regions are named, the last one is meant.
    const lastNamed = this.lastRegionNamed(text);
    if (lastNamed && lastNamed !== u.region) u = { ...u, region: lastNamed };
    if (u.region && u.region !== this.state.region) {
      const switching = this.state.region !== undefined;
      this.chooseRegion(u.region);
      // A region named along with the trade needs no acknowledgement of its own.
      if (switching || !u.industry) {
        notes.push({ kind: 'answer', text: switching ? `好的，已为您切换到${this.region()?.name ?? ''}。` : `好的，${this.region()?.name ?? ''}。` });
      }
    }
    if (!this.state.region || this.regionNamed(text)) {
      const named = this.regionNamed(text);
      if (named && named !== this.state.region) {
        this.chooseRegion(named);
        notes.push({ kind: 'answer', text: `好的，${this.region()?.name ?? ''}。` });
      }
    }
    const region = this.region();
    // A region named alone, or a switch of region: carry on from where the conversation is.
    if (notes.length && !u.industry && !u.outOfCatalog) {
      if (this.state.proposedIndustry && region?.industries.some((i) => i.id === this.state.proposedIndustry)) {
        this.setIndustry(this.state.proposedIndustry);
      }
      return [...notes, ...(this.state.industry ? this.advance({ force: false }) : this.prompt())];
    }
    if (u.outOfCatalog && !u.industry && !region) {
      const names = this.deps.catalog.regions.map((r) => r.name).join('、');
      return [
        {
          kind: 'answer',
          text: `「${u.outOfCatalog.name}」不在目前可办理地区（${names}）的“一业一证”改革行业目录中，暂不能办理行业综合许可证，需按单项许可分别办理，可拨打12345咨询。如果您还想开别的店，请告诉我。`,
        },
      ];
    }
    if (u.industry) {
      if (!region) {
        // Remember the trade; it is set once the region is known.
        this.state.proposedIndustry = u.industry.id;
        this.absorb(u);
        this.state.stage = 'region';
        return [...notes, T.askRegion(this.deps.catalog.regions)];
      }
      const changed = u.industry.id !== this.state.industry;
      if (changed && (u.industry.via === 'typo' || u.industry.via === 'fallback' || u.industry.confidence < 0.8) && !this.state.industry) {
        this.state.proposedIndustry = u.industry.id;
        this.absorb(u);
        this.state.stage = 'confirm_industry';
        return [...notes, { kind: 'question', text: `您是想开「${u.industry.name}」吗？`, options: T.YES_NO }];
      }
      if (changed) this.setIndustry(u.industry.id);
      const learned = this.absorb(u);
      const outside = this.outsideCatalog(u);
      if (changed || this.state.stage !== 'guided') return [...notes, ...this.advance({ force: changed }), ...outside];
      if (learned.length) return [...notes, this.learnedReply(learned), ...this.advance({ force: false }), ...outside];
    }
    if (region && this.state.stage !== 'confirm_industry' && this.state.proposedIndustry && !this.state.industry && region.industries.some((i) => i.id === this.state.proposedIndustry)) {
      this.setIndustry(this.state.proposedIndustry);
      return [...notes, ...this.advance({ force: true })];
    }
    if (u.outOfCatalog && region) {
      const related = u.outOfCatalog.related.flatMap((id) => region.industries.filter((i) => i.id === id).map((i) => i.name));
      return [
        ...notes,
        {
          kind: 'answer',
          text:
            `「${u.outOfCatalog.name}」不在${region.name}“一业一证”改革行业目录中，暂不能办理行业综合许可证，需按单项许可分别办理。` +
            `${related.length ? `相近的目录行业有：${related.join('、')}。` : ''}具体可拨打${T.hotlineText(region)}咨询。`,
          ...(related.length ? { options: related.map((name) => ({ label: name, value: name })) } : {}),
        },
      ];
    }
    if (region && looksLikeQuestion(text)) {
      const answer = this.knowledge(text);
      if (answer) return [...notes, answer, ...this.prompt({ quiet: true })];
    }
    const learned = this.absorb(u);
    if (learned.length && this.state.industry) {
      return [...notes, this.learnedReply(learned), ...this.advance({ force: false }), ...this.outsideCatalog(u)];
    }
    const outside = this.outsideCatalog(u);
    if (outside.length) return [...notes, ...outside, ...this.prompt({ quiet: true })];
    if (notes.length) return [...notes, ...this.prompt()];
    if (!region) return [T.askRegion(this.deps.catalog.regions)];
    if (!this.state.industry) {
      const candidates = u.candidates.map((c) => c.name);
      return [
        candidates.length
          ? { kind: 'question', text: `您说的是以下哪一种？`, options: candidates.map((name) => ({ label: name, value: name })) }
          : T.notUnderstood('请告诉我您想开什么店。', region),
        ...(candidates.length ? [] : [T.askIndustry(region)]),
      ];
    }
    if (looksLikeQuestion(text)) return [this.unknownAnswer(), ...this.prompt({ quiet: true })];
    return [T.notUnderstood('', region), ...this.prompt({ quiet: true })];
  }

  private confirmIndustry(text: string, u: Understanding): Reply[] | null {
    const t = normaliseMessage(text);
    const proposed = this.state.proposedIndustry;
    if (!u.industry && looksLikeQuestion(text)) {
      return [this.knowledge(text) ?? this.unknownAnswer(), ...this.prompt()];
    }
    if (proposed && CONFIRM.test(t)) {
      this.setIndustry(proposed);
      return this.advance({ force: true });
    }
    if (u.industry) return null; // names another trade: handled as a new statement
    if (DECLINE.test(t)) {
      delete this.state.proposedIndustry;
      this.state.stage = 'industry';
      const region = this.region();
      return region ? [{ kind: 'answer', text: '好的。' }, T.askIndustry(region)] : this.prompt();
    }
    return null;
  }

  private answerPending(text: string, u: Understanding): Reply[] | null {
    const question = this.pendingQuestion();
    if (!question) return null;
    // 「不对，我是开药店」 changes the trade, and a named region changes the region, before anything is
    // read as an answer; 「有餐厅」 while a hotel's questions are asked does not change the trade.
    if (u.industry && u.industry.id !== this.state.industry && CHANGE_CUE.test(text)) return null;
    if (u.region && u.region !== this.state.region) return null;
    const named = this.lastRegionNamed(text);
    if (named && named !== this.state.region) return null;
    const region = this.region();
    const otherFacts = Object.keys(u.answers).filter((id) => id !== question.id && region?.questions.some((q) => q.id === id));
    const value = interpretAnswer(question, text, u.answers[question.id], otherFacts.length > 0);
    if (value === undefined) {
      if (question.type === 'choice' && YES_WORD.test(normaliseMessage(text))) {
        return [{ kind: 'question', text: '请从下面选一项，方便我判断要办哪个许可：' }, this.questionReply(question)];
      }
      const learned = this.absorb(u);
      if (learned.length) return [this.learnedReply(learned), ...this.advance({ force: false })];
      if (looksLikeQuestion(text)) {
        const answer = this.knowledge(text) ?? this.unknownAnswer();
        return [answer, this.questionReply(question, '回到刚才的问题：')];
      }
      return [T.notUnderstood('', this.region()), this.questionReply(question)];
    }
    this.setAnswer(question.id, value);
    const learned = this.absorb(u, question.id);
    const replies = this.advance({ force: false });
    return [
      ...(value === UNSURE ? [{ kind: 'answer' as const, text: '好的，这一项先标记为“待确认”，办理时可向窗口或热线确认。' }] : []),
      ...(learned.length ? [this.learnedReply(learned)] : []),
      ...replies,
    ];
  }

  /**
   * Facts stated along the way (也卖烟, 三百平, 「其实不卖烟了」) fill or correct the answers and fill form
   * fields. Returns the questions whose answers changed.
   */
  private absorb(u: Understanding, except?: string): Question[] {
    const changed: Question[] = [];
    const region = this.region();
    for (const [id, value] of Object.entries(u.answers)) {
      const question = region?.questions.find((q) => q.id === id);
      if (id === except || this.state.answers[id] === value) continue;
      if (region && !question) continue;
      this.setAnswer(id, value);
      if (question) changed.push(question);
    }
    for (const [id, value] of Object.entries(u.fields)) {
      const field = this.deps.catalog.fields.get(id);
      if (!field || this.state.form.values[id] !== undefined) continue;
      const checked = validateField(field, String(value));
      if (checked.ok) this.state.form.values[id] = checked.value;
    }
    return changed;
  }

  /**
   * A fact that matters for a permit this trade's catalog does not list here (卖烟 in 新乡经开区's
   * 便利店): said plainly, so no one concludes the permit is not needed. Which permits a fact concerns is
   * read from every region's conditions.
   */
  private outsideCatalog(u: Understanding): Reply[] {
    const region = this.region();
    const industry = this.industry();
    if (!region || !industry) return [];
    const listed = new Set(industry.items.map((i) => i.permit));
    const names = new Set<string>();
    for (const [id, value] of Object.entries(u.answers)) {
      if (value === false || value === 'none' || value === UNSURE) continue;
      if (industry.items.some((i) => i.when && questionsOf(i.when).includes(id))) continue;
      for (const r of this.deps.catalog.regions) {
        for (const ind of r.industries) {
          for (const item of ind.items) {
            // Only where the fact alone decides the item elsewhere (卖烟 → 烟草), not a modifier (个体户).
            if (item.when && 'q' in item.when && item.when.q === id && evaluate(item.when, { [id]: value }) === true && !listed.has(item.permit)) {
              names.add(this.deps.catalog.permits.get(item.permit)?.name ?? item.name);
            }
          }
        }
      }
    }
    if (!names.size) return [];
    const list = [...names].map((n) => `「${n}」`).join('、');
    return [
      {
        kind: 'answer',
        text: `您提到的情况可能还涉及${list}，它不在${region.name}“一业一证”目录的${industry.name}事项中，需按相关规定另行向主管部门申请，具体可拨打${T.hotlineText(region)}咨询。`,
      },
    ];
  }

  /** Says what was taken from the user's words, so a wrong reading can be corrected at once. */
  private learnedReply(questions: Question[]): Reply {
    const said = questions.map((q) => `${q.text.replace(/[？?].*$/s, '')}——${describeAnswer(q, this.state.answers[q.id] ?? UNSURE)}`);
    return { kind: 'answer', text: `已记下：${said.join('；')}。` };
  }

  private setAnswer(id: string, value: AnswerValue): void {
    this.state.answers[id] = value;
    this.state.answered = [...this.state.answered.filter((q) => q !== id), id];
  }

  private setIndustry(id: string): void {
    if (this.state.industry !== undefined && this.state.industry !== id) {
      // Another trade: its questions are asked afresh (an answer given for a bar does not silently
      // decide a bathhouse), and its form starts again with only the shared fields kept.
      this.state.answers = {};
      this.state.answered = [];
      this.state.form = { values: pickCommon(this.deps.catalog, this.state.form.values), skipped: [], history: [] };
    }
    this.state.industry = id;
    delete this.state.proposedIndustry;
  }

  private clearIndustry(): void {
    delete this.state.industry;
    delete this.state.proposedIndustry;
    delete this.state.pendingQuestion;
  }

  /** After something was learned: the next question, or the permits when nothing is left to ask. */
  private advance({ force }: { force: boolean }): Reply[] {
    const assessment = this.assessment();
    if (!assessment) return this.prompt();
    const next = assessment.nextQuestion;
    if (next) {
      this.state.stage = 'questions';
      this.state.pendingQuestion = next.id;
      const intro = force
        ? [{ kind: 'answer' as const, text: `好的，在${assessment.region.name}开${assessment.industry.name}。为确定您需要办理哪些许可，请回答几个问题。` }]
        : [];
      return [...intro, this.questionReply(next)];
    }
    delete this.state.pendingQuestion;
    const wasGuided = this.state.stage === 'guided' && !force;
    if (!['form', 'confirm', 'submitted', 'reuse'].includes(this.state.stage)) this.state.stage = 'guided';
    return wasGuided ? [this.permitsReply(assessment)] : [this.permitsReply(assessment), this.offerNext()];
  }

  /** What to ask now, without new information (after help, an answer to a side question, …). */
  private prompt({ quiet = false }: { quiet?: boolean } = {}): Reply[] {
    const region = this.region();
    if (!region) return [T.askRegion(this.deps.catalog.regions)];
    const industry = this.industry();
    if (!industry) return quiet ? [] : [T.askIndustry(region)];
    switch (this.state.stage) {
      case 'questions': {
        const q = this.pendingQuestion();
        return q ? [this.questionReply(q, '回到刚才的问题：')] : this.advance({ force: false });
      }
      case 'confirm_industry':
        return [{ kind: 'question', text: `您是想开「${this.proposedName() ?? ''}」吗？`, options: T.YES_NO }];
      case 'form':
        return this.nextField();
      case 'confirm':
        return [this.summaryReply()];
      case 'reuse':
        return [this.reuseReply()];
      case 'submitted':
        return quiet
          ? []
          : [
              {
                kind: 'answer',
                text: `您的申请（编号 ${this.state.applicationNumber ?? ''}）已提交。回复「进度」查看办理进度，「许可证」获取行业综合许可证；为另一家店申请请回复「重新开始」。`,
                options: [
                  { label: '进度', value: '进度' },
                  { label: '许可证', value: '许可证' },
                ],
              },
            ];
      default:
        return quiet ? [] : [this.offerNext()];
    }
  }

  private questionReply(question: Question, prefix = ''): Reply {
    const lines = [`${prefix}${question.text}`];
    if (question.help) lines.push(`（${question.help}）`);
    const options =
      question.type === 'boolean'
        ? [...T.YES_NO, { label: '不确定', value: '不确定' }]
        : question.type === 'choice'
          ? [...(question.options ?? []).map((o) => ({ label: o.label, value: o.label })), { label: '不确定', value: '不确定' }]
          : undefined;
    if (question.type === 'choice') (question.options ?? []).forEach((o, n) => lines.push(`${n + 1}. ${o.label}`));
    return { kind: 'question', text: lines.join('\n'), ...(options ? { options } : {}) };
  }

  private permitsReply(assessment: Assessment): Reply {
    return { kind: 'permits', text: renderPermits(assessment) };
  }

  private offerNext(): Reply {
    const assessment = this.assessment();
    const undecided = assessment?.items.some((i) => i.status === 'undecided');
    return {
      kind: 'answer',
      text:
        `${undecided ? '标记“待确认”的事项可向窗口或热线确认。' : ''}` +
        '您可以回复「告知单」查看一次告知单（材料、时限、收费），回复「填表」在线填写申请表，也可以直接提问。',
      options: [
        { label: '告知单', value: '告知单' },
        { label: '填表', value: '填表' },
        { label: '转人工', value: '转人工' },
      ],
    };
  }

  private noticeReplies(): Reply[] {
    const assessment = this.assessment();
    if (!assessment) return this.prompt();
    const notice = buildNotice(this.deps.catalog, assessment);
    if (notice.items.length === 0 && notice.undecided.length) {
      return [{ kind: 'answer', text: '还需要先确认几个问题，才能列出要准备的材料。' }, ...this.prompt()];
    }
    return [{ kind: 'notice', text: renderNotice(notice) }, ...(this.state.stage === 'questions' ? this.prompt() : [])];
  }

  // ---- questions about the knowledge -----------------------------------------------------------------

  private knowledge(text: string): Reply | null {
    const region = this.region();
    if (!region) return null;
    const industry = this.industry();
    const ruledOut = new Set(this.assessment()?.items.filter((i) => i.status === 'not_needed').map((i) => i.permitId) ?? []);
    const assessment = industry ? this.assessment() : undefined;
    // 「食品经营许可证有效期几年」: a question about one of the user's items is answered from its data.
    if (asksAboutNamedItem(this.deps.catalog, assessment, text)) {
      const topical = answerFromNotice(this.deps.catalog, region, assessment, text);
      if (topical) return { kind: 'answer', text: topical };
    }
    const faq = answerQuestion(this.deps.catalog, region, industry, text, ruledOut);
    // A close FAQ wins; otherwise time, place and fee questions are answered from the computed notice.
    if (faq && faq.score >= 0.75) return this.faqReply(faq.text, faq.basis);
    const topical = answerFromNotice(this.deps.catalog, region, industry ? this.assessment() : undefined, text);
    if (topical) return { kind: 'answer', text: topical };
    return faq ? this.faqReply(faq.text, faq.basis) : null;
  }

  private faqReply(answer: string, basis: string): Reply {
    return { kind: 'answer', text: `${answer}\n（依据：${basis}）` };
  }

  private unknownAnswer(): Reply {
    const region = this.region();
    return {
      kind: 'answer',
      text: `这个问题我的资料里没有确切答案，为避免误导您，建议拨打${T.hotlineText(region)}咨询${region ? `，或到${region.window.name}现场询问` : ''}。`,
      options: [{ label: '转人工', value: '转人工' }],
    };
  }

  // ---- the merged form ---------------------------------------------------------------------------------

  private async startForm(): Promise<Reply[]> {
    const assessment = this.assessment();
    if (!assessment) return this.prompt();
    if (this.state.stage === 'submitted') {
      return [{ kind: 'answer', text: `您已提交过申请（编号 ${this.state.applicationNumber ?? ''}）。如需为另一家店申请，请回复「重新开始」。` }];
    }
    if (assessment.nextQuestion) {
      return [{ kind: 'answer', text: '填表前还需要确认几个问题，以便确定要办理的事项。' }, ...this.advance({ force: false })];
    }
    if (this.state.stage === 'form' || this.state.stage === 'confirm') return this.prompt();
    if (this.state.reusable === undefined && Object.keys(this.state.form.values).length <= 2) {
      const previous = await this.deps.applications.previousCommonFields(this.key);
      if (previous && Object.keys(previous).length) {
        this.state.reusable = previous;
        this.state.stage = 'reuse';
        return [this.reuseReply()];
      }
    }
    this.state.stage = 'form';
    return [{ kind: 'form', text: this.formIntro() }, ...this.nextField()];
  }

  private formIntro(): string {
    const assessment = this.assessment();
    if (!assessment) return '';
    const form = buildForm(this.deps.catalog, assessment);
    const optional = formFields(form).some((f) => !f.required);
    const merged = form.counts.fieldsBefore > form.counts.fieldsAfter ? `（合并前各事项共需填写${form.counts.fieldsBefore}项）` : '';
    return `好的，开始填写一表申请：共${form.counts.fieldsAfter}项${merged}。随时可以回复「上一步」返回${optional ? '、「跳过」跳过选填项' : ''}，或直接说「电话改成…」更正。`;
  }

  private reuseReply(): Reply {
    const lines = ['您之前申请时填写过以下共用信息：'];
    for (const [id, value] of Object.entries(this.state.reusable ?? {})) {
      const field = this.deps.catalog.fields.get(id);
      if (field) lines.push(`· ${field.label}：${T.displayValue({ ...field, neededBy: [] }, value)}`);
    }
    lines.push('是否沿用这些信息？');
    return { kind: 'question', text: lines.join('\n'), options: T.YES_NO };
  }

  private reuse(text: string): Reply[] {
    const t = normaliseMessage(text);
    if (CONFIRM.test(t) || /^(沿用|用|要)/.test(t)) {
      for (const [id, value] of Object.entries(this.state.reusable ?? {})) {
        if (this.state.form.values[id] === undefined) this.state.form.values[id] = value;
      }
    } else if (!DECLINE.test(t)) {
      return [{ kind: 'question', text: '请回复「是」沿用之前的信息，或「否」重新填写。', options: T.YES_NO }];
    }
    this.state.reusable = {};
    this.state.stage = 'form';
    return [{ kind: 'form', text: this.formIntro() }, ...this.nextField()];
  }

  private fields(): FormField[] {
    const assessment = this.assessment();
    if (!assessment || !this.cached) return [];
    this.cached.form ??= formFields(buildForm(this.deps.catalog, assessment));
    return this.cached.form;
  }

  private nextField(prefix: Reply[] = []): Reply[] {
    const fields = this.fields();
    const { values, skipped } = this.state.form;
    const index = fields.findIndex((f) => values[f.id] === undefined && !skipped.includes(f.id));
    const next = fields[index];
    if (!next) {
      delete this.state.form.pendingField;
      this.state.stage = 'confirm';
      return [...prefix, this.summaryReply()];
    }
    this.state.stage = 'form';
    this.state.form.pendingField = next.id;
    return [...prefix, T.fieldPrompt(next, { index: index + 1, total: fields.length })];
  }

  private fillField(text: string): Reply[] {
    const fields = this.fields();
    const field = fields.find((f) => f.id === this.state.form.pendingField);
    if (!field) return this.nextField();
    const correction = this.correction(text, fields);
    if (correction) return correction;
    const checked = readFieldValue(field, text);
    if (!checked.ok) return [{ kind: 'error', text: checked.message }, T.fieldPrompt(field, this.position(fields, field))];
    this.state.form.values[field.id] = checked.value;
    this.state.form.history.push(field.id);
    return this.nextField();
  }

  /** 「电话填错了，应该是139…」: a field named in the text, with a new value after it. */
  private correction(text: string, fields: FormField[]): Reply[] | null {
    const named = findCorrection(text, fields);
    if (!named) return null;
    const checked = validateField(named.f, normaliseValue(named.f, named.value));
    if (!checked.ok) return [{ kind: 'error', text: checked.message }, ...this.prompt()];
    const had = this.state.form.values[named.f.id] !== undefined;
    this.state.form.values[named.f.id] = checked.value;
    this.state.form.skipped = this.state.form.skipped.filter((id) => id !== named.f.id);
    if (!this.state.form.history.includes(named.f.id)) this.state.form.history.push(named.f.id);
    const ack: Reply = { kind: 'answer', text: `${had ? '已更正' : '已记录'}${named.f.label}：${T.displayValue(named.f, checked.value)}。` };
    if (this.state.stage === 'confirm') return [ack, this.summaryReply()];
    return this.nextField([ack]);
  }

  private position(fields: FormField[], field: FormField) {
    return { index: fields.findIndex((f) => f.id === field.id) + 1, total: fields.length };
  }

  private back(): Reply[] {
    if (this.state.stage === 'form' || this.state.stage === 'confirm') {
      const last = this.state.form.history.pop();
      if (!last) return [{ kind: 'answer', text: '已经是第一项了。' }, ...this.prompt()];
      delete this.state.form.values[last];
      const fields = this.fields();
      const field = fields.find((f) => f.id === last);
      this.state.stage = 'form';
      this.state.form.pendingField = last;
      return field ? [{ kind: 'answer', text: '好的，返回上一项。' }, T.fieldPrompt(field, this.position(fields, field))] : this.nextField();
    }
    if (this.state.stage === 'questions' || this.state.stage === 'guided') {
      const last = this.state.answered.pop();
      if (!last) return [{ kind: 'answer', text: '已经是第一个问题了。' }, ...this.prompt()];
      delete this.state.answers[last];
      return [{ kind: 'answer', text: '好的，返回上一个问题。' }, ...this.advance({ force: false })];
    }
    return this.prompt();
  }

  private skip(): Reply[] {
    if (this.state.stage !== 'form') return [{ kind: 'answer', text: '这里没有可以跳过的项目。' }, ...this.prompt()];
    const fields = this.fields();
    const field = fields.find((f) => f.id === this.state.form.pendingField);
    if (!field) return this.nextField();
    if (field.required) {
      return [{ kind: 'error', text: `「${field.label}」是必填项，不能跳过。如暂时没有，可以稍后回来继续，已填写的内容都会保存。` }, T.fieldPrompt(field, this.position(fields, field))];
    }
    this.state.form.skipped.push(field.id);
    this.state.form.history.push(field.id);
    return this.nextField();
  }

  private summaryReply(): Reply {
    const assessment = this.assessment();
    const lines = ['请核对您的申请信息：'];
    if (assessment) {
      lines.push(`地区：${assessment.region.name}；行业：${assessment.industry.name}`);
      lines.push(`申请事项：${assessment.items.filter((i) => i.status === 'required').map((i) => i.name).join('、') || '无'}`);
      const undecided = assessment.items.filter((i) => i.status === 'undecided').map((i) => i.name);
      if (undecided.length) lines.push(`待确认事项（提交后由窗口确认）：${undecided.join('、')}`);
    }
    for (const field of this.fields()) {
      const value = this.state.form.values[field.id];
      lines.push(`· ${field.label}：${value === undefined ? '（未填）' : T.displayValue(field, value)}`);
    }
    lines.push('确认无误请回复「确认提交」；需要修改请直接说，例如「电话改成139xxxxxxxx」，或回复「上一步」。');
    return { kind: 'summary', text: lines.join('\n'), options: [{ label: '确认提交', value: '确认提交' }, { label: '上一步', value: '上一步' }] };
  }

  private async confirm(text: string): Promise<Reply[]> {
    const t = normaliseMessage(text);
    if (CONFIRM.test(t)) return this.submit();
    const correction = this.correction(text, this.fields());
    if (correction) return correction;
    if (DECLINE.test(t)) {
      return [{ kind: 'answer', text: '请告诉我要修改哪一项，例如「电话改成139xxxxxxxx」「地址改成…」，或回复「上一步」逐项返回。' }];
    }
    return [{ kind: 'answer', text: '请回复「确认提交」提交申请，或说明要修改的内容。' }, this.summaryReply()];
  }

  private async submit(): Promise<Reply[]> {
    const region = this.region();
    const industry = this.industry();
    if (!region || !industry) return this.prompt();
    const missing = this.fields().filter((f) => f.required && this.state.form.values[f.id] === undefined);
    const first = missing[0];
    if (first) {
      this.state.stage = 'form';
      return [{ kind: 'error', text: `还有必填项未填写：${missing.map((f) => f.label).join('、')}。` }, ...this.nextField()];
    }
    const result = await this.deps.applications.submit({
      conversationId: this.conversationId,
      channel: this.key.channel,
      userId: this.key.userId,
      regionId: region.id,
      industryId: industry.id,
      answers: { ...this.state.answers },
      form: { ...this.state.form.values },
    });
    this.state.stage = 'submitted';
    this.state.applicationNumber = result.applicationNumber;
    if (result.caseNumber) this.state.caseNumber = result.caseNumber;
    delete this.state.form.pendingField;
    return [
      {
        kind: 'submitted',
        text: [`申请已提交！申请编号：${result.applicationNumber}${result.caseNumber && result.caseNumber !== result.applicationNumber ? `，案件编号：${result.caseNumber}` : ''}。`, ...result.nextSteps].join('\n'),
        options: [{ label: '进度', value: '进度' }],
      },
    ];
  }

  // ---- handoff -------------------------------------------------------------------------------------------

  private handOff(): Reply {
    this.handoff = true;
    const region = this.region();
    const industry = this.industry();
    const parts = [
      region ? `地区：${region.name}` : '地区：未选',
      industry ? `行业：${industry.name}` : '行业：未确定',
      `进展：${STAGE_LABEL[this.state.stage]}`,
    ];
    const assessment = this.assessment();
    if (assessment) {
      const required = assessment.items.filter((i) => i.status === 'required').map((i) => i.name);
      const undecided = assessment.items.filter((i) => i.status === 'undecided').map((i) => i.name);
      parts.push(`需办：${required.join('、') || '无'}`);
      if (undecided.length) parts.push(`待确认：${undecided.join('、')}`);
    }
    if (this.state.applicationNumber) parts.push(`申请编号：${this.state.applicationNumber}`);
    this.state.handoffSummary = parts.join('；');
    return {
      kind: 'handoff',
      text:
        `已为您转接人工坐席（${T.hotlineText(region)}）。坐席工作人员会在这个对话里回复您，请留意消息；紧急事项可直接拨打${region?.hotline.number ?? '12345'}。` +
        `\n我已把您的情况整理给坐席：${this.state.handoffSummary}。\n如需继续使用助手，请回复「返回助手」。`,
    };
  }

  // ---- look-ups --------------------------------------------------------------------------------------------

  private region(): Region | undefined {
    return this.state.region ? this.deps.catalog.regions.find((r) => r.id === this.state.region) : undefined;
  }

  private industry(): Industry | undefined {
    return this.state.industry ? this.region()?.industries.find((i) => i.id === this.state.industry) : undefined;
  }

  private proposedName(): string | undefined {
    return this.region()?.industries.find((i) => i.id === this.state.proposedIndustry)?.name;
  }

  private pendingQuestion(): Question | undefined {
    return this.region()?.questions.find((q) => q.id === this.state.pendingQuestion);
  }

  private cached?: { key: string; assessment: Assessment; form?: FormField[] };

  /** The items for what is known now; computed once per change of region, industry or answers. */
  private assessment(): Assessment | undefined {
    const region = this.region();
    const industry = this.industry();
    if (!region || !industry) return undefined;
    const key = `${region.id}|${industry.id}|${JSON.stringify(this.state.answers)}`;
    if (this.cached?.key !== key) this.cached = { key, assessment: assess(this.deps.catalog, region, industry, this.state.answers) };
    return this.cached.assessment;
  }

  /** The region whose name, alias or place occurs last in the text. */
  private lastRegionNamed(text: string): string | undefined {
    const t = text.normalize('NFKC').toLowerCase();
    let best: { id: string; at: number } | undefined;
    for (const r of this.deps.catalog.regions) {
      for (const name of [r.name, r.fullName, ...r.aliases, ...r.places]) {
        const at = t.lastIndexOf(name.normalize('NFKC').toLowerCase());
        if (at >= 0 && (!best || at > best.at)) best = { id: r.id, at };
      }
    }
    return best?.id;
  }

  private regionNamed(text: string): string | undefined {
    try {
      return findRegion(this.deps.catalog, text).id;
    } catch (error) {
      if (error instanceof UnknownNameError) return undefined;
      throw error;
    }
  }
}

/** Only the common fields carry over to another trade's form. */
function pickCommon(catalog: Catalog, values: Record<string, FieldValue>): Record<string, FieldValue> {
  return Object.fromEntries(Object.entries(values).filter(([id]) => catalog.fields.get(id)?.common));
}
