/**
 * The LLM reader: the offline reading first, then, for free text (not a button, a command or a form value),
 * the model's reading of the same message through the `reader` prompt, checked against the catalog and the
 * pending question and merged by the rule in src/nlu/merge.ts. Personal data is replaced by placeholders
 * before anything is sent. Any failure leaves the offline reading as it is.
 */
import { z } from 'zod';
import type { Catalog } from '../catalog/load.ts';
import type { Region } from '../catalog/schema.ts';
import { regionPermitIds } from '../catalog/lookup.ts';
import { checkModelReading, mergeReadings, MODEL_REQUESTS } from '../nlu/merge.ts';
import { commandOf, type Reading } from '../nlu/reading.ts';
import type { MessageReader, OfflineReader, ReadContext } from '../nlu/reader.ts';
import { placeholders } from '../privacy/placeholders.ts';
import type { Llm } from './client.ts';
import type { Prompts } from './prompts.ts';
import { historyText } from './history.ts';

const scalar = z.union([z.boolean(), z.number(), z.string()]);

/** What the model is asked for; nullable rather than optional, as strict tool schemas want. */
export const readingSchema = z.object({
  industry: z.string().nullable().describe('要开的行业 id（行业目录中的），没有则为 null'),
  changesTrade: z.boolean().describe('是否在更正或改换要开的行业'),
  answers: z.array(z.object({ question: z.string().describe('情形问题 id'), value: scalar })).describe('消息明确说出的情形'),
  pendingAnswer: scalar.nullable().describe('对“刚才的问题”的回答，没有回答则为 null'),
  asks: z.array(z.string()).describe('所问或所要的诉求 id'),
  permits: z.array(z.string()).describe('点名的许可事项 id'),
  isQuestion: z.boolean(),
  businessArea: z.number().nullable().describe('经营面积（平方米）'),
  employeeCount: z.number().nullable().describe('从业人员数'),
});

/** Labels of the request kinds, as the prompt lists them. */
const REQUEST_LABELS: Record<string, string> = {
  permits: '要办哪些证（许可事项）',
  materials: '要准备哪些材料',
  time: '办理时限、多久能办好',
  fees: '收费、要不要钱',
  where: '到哪里办、哪个窗口或部门',
  online: '能否网上办理',
  post: '证照能否邮寄',
  agency: '帮办代办',
  validity: '有效期、延续',
  inspection: '现场核查、检查',
  reform: '“一业一证”改革本身是什么',
  holder_change: '已领证后变更（名称、地址、法人等）',
  materials_later: '材料能否后补、容缺',
  pending_items: '部分事项未办结能否先发证',
  electronic: '电子证照',
  hotline: '咨询电话',
  handoff: '要找人工客服',
  status: '查询申请进度',
  licence: '要领取或发送许可证',
  help: '不知道怎么用，要帮助',
  complaint: '要投诉或举报（对窗口、部门、热线、收费、拖延等不满，即使没说“投诉”二字）',
  help_request: '要求助（催办、系统用不了、证件寄丢等，需要工作人员帮忙处理）',
  suggestion: '要提建议、意见或表扬',
};

export interface LlmReaderDeps {
  offline: OfflineReader;
  llm: Llm;
  catalog: Catalog;
  prompts: Prompts;
}

/** Longer messages are read offline only (the offline reader already answers them as too long). */
const MAX_SENT_CHARS = 1000;

/** What the assistant's own buttons send besides commands: yes, no, unsure, the notice. */
const BUTTON_WORDS = ['是', '否', '不确定', '告知单'];

export function createLlmReader(deps: LlmReaderDeps): MessageReader {
  const { catalog } = deps;
  // A button's value (a region, a trade, an option) is exact: the offline reader reads it as meant.
  const buttons = new Set([
    ...BUTTON_WORDS,
    ...catalog.regions.flatMap((r) => [r.name, ...r.industries.map((i) => i.name), ...r.questions.flatMap((q) => (q.options ?? []).map((o) => o.label))]),
  ]);
  return {
    wantsConversation: true,
    async read(text: string, ctx: ReadContext = {}): Promise<Reading> {
      const offline = deps.offline.read(text, ctx);
      const conversation = ctx.conversation;
      // Buttons and commands are exact; a form value is the applicant's own data and stays here.
      if (!text.trim() || text.length > MAX_SENT_CHARS || buttons.has(text.trim()) || commandOf(offline) || conversation?.pendingField) return offline;
      try {
        return await withModel(offline, text, ctx);
      } catch {
        // Nothing the model path does may reach the user: the offline reading stands.
        return offline;
      }
    },
  };

  async function withModel(offline: Reading, text: string, ctx: ReadContext): Promise<Reading> {
    const conversation = ctx.conversation;
    const regionId = offline.region ?? ctx.regionId;
    const region = regionId ? catalog.regions.find((r) => r.id === regionId) : undefined;
    const masker = placeholders(conversation?.personal ?? []);
    const pending = conversation?.pendingQuestion ? region?.questions.find((q) => q.id === conversation.pendingQuestion) : undefined;
    const result = await deps.llm.structured('reader', deps.prompts.reader, {
      region: region?.name ?? '未知（行业目录为各地区合并）',
      industries: industriesText(catalog, region),
      questions: questionsText(catalog, region),
      permits: permitsText(catalog, region),
      requests: MODEL_REQUESTS.map((k) => `${k}：${REQUEST_LABELS[k] ?? k}`).join('\n'),
      pending: pending ? `${pending.id}：${pending.text}` : '无',
      history: historyText(conversation?.history ?? [], masker),
      message: masker.mask(text),
    }, readingSchema);
    if (!result) return offline;
    const checked = checkModelReading(result.value, { catalog, ...(region ? { region } : {}), ...(pending ? { pendingQuestion: pending.id } : {}) });
    result.report('ok', checked.dropped.length);
    return mergeReadings(offline, checked, { catalog, ...(region ? { region } : {}), ...(conversation?.industryId ? { industry: conversation.industryId } : {}) });
  }
}

function regionsOf(catalog: Catalog, region: Region | undefined): readonly Region[] {
  return region ? [region] : catalog.regions;
}

function industriesText(catalog: Catalog, region: Region | undefined): string {
  const seen = new Map<string, string>();
  for (const r of regionsOf(catalog, region)) for (const i of r.industries) if (!seen.has(i.id)) seen.set(i.id, i.name);
  return [...seen].map(([id, name]) => `${id}：${name}`).join('\n');
}

function questionsText(catalog: Catalog, region: Region | undefined): string {
  const seen = new Map<string, string>();
  for (const r of regionsOf(catalog, region)) {
    for (const q of r.questions) {
      if (seen.has(q.id)) continue;
      const type = q.type === 'boolean' ? '是非题：true/false' : q.type === 'number' ? `数字题${q.unit ? `，单位${q.unit}` : ''}` : `选择题：${(q.options ?? []).map((o) => `${o.id}=${o.label}`).join('，')}`;
      seen.set(q.id, `${q.id}（${type}）：${q.text}`);
    }
  }
  return [...seen.values()].join('\n');
}

function permitsText(catalog: Catalog, region: Region | undefined): string {
  const ids = new Set(regionsOf(catalog, region).flatMap((r) => [...regionPermitIds(r)]));
  return [...ids].map((id) => `${id}：${catalog.permits.get(id)?.name ?? id}`).join('\n');
}
