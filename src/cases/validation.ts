/**
 * Input checks shared by the staff edges: zod issues turned into Chinese that names the field (never
 * zod's English text), and the plausibility of a permit's validity dates.
 */
import type { z } from 'zod';
import { addDays } from '../calendar/workingDays.ts';
import { invalidInput, type DomainError } from './errors.ts';
import { UnknownNameError } from '../catalog/errors.ts';
import type { Catalog } from '../catalog/load.ts';
import { findRegion } from '../catalog/lookup.ts';
import type { Region } from '../catalog/schema.ts';

/** What staff call each input field (the id follows in brackets, as the API and CLI spell it). */
const FIELD_LABELS: Record<string, string> = {
  caseNumber: '办件号',
  permit: '事项',
  permits: '事项',
  decision: '决定',
  permitNumber: '证号',
  validFrom: '有效期起始日期',
  validUntil: '有效期截止日期',
  reason: '原因',
  kind: '类型',
  at: '核查时间',
  note: '说明',
  result: '核查结果',
  opinions: '整改意见',
  recheckAt: '复查时间',
  materials: '补正材料',
  name: '名称',
  problem: '问题',
  howToSubmit: '提交方式',
  requestId: '补正通知编号',
  outcome: '处理结果',
  fields: '变更字段',
  item: '事项',
  status: '状态',
  overdue: '是否超期',
  region: '地区',
  itemStatus: '事项状态',
  limit: '条数',
  reveal: '显示完整号码',
  text: '回复内容',
  role: '角色',
  id: '编号',
  number: '办件号',
};

const HAS_CHINESE = /[\u3400-\u9fff]/;

function fieldName(path: readonly PropertyKey[]): string {
  const keys = path.filter((p): p is string => typeof p === 'string');
  const last = keys.at(-1);
  const shown = path.map(String).join('.');
  if (!last) return '请求体';
  const label = FIELD_LABELS[last];
  return label ? `「${label}」（${shown}）` : `「${shown}」`;
}

/** The value at a zod issue's path in what was parsed (undefined when absent). */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = raw;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/** One zod issue in Chinese, naming the field; `raw` (what was parsed) tells a missing field from a wrong one. */
export function issueText(issue: z.core.$ZodIssue, raw?: unknown): string {
  const field = fieldName(issue.path);
  const missing =
    issue.path.length > 0 &&
    (issue.code === 'invalid_type' || issue.code === 'invalid_value') &&
    (raw !== undefined ? valueAt(raw, issue.path) === undefined : /received undefined/.test(issue.message));
  // Messages written in the schemas themselves are Chinese already: keep them, after the field.
  if (HAS_CHINESE.test(issue.message)) return issue.path.length ? `${field}：${issue.message}` : issue.message;
  if (missing) return `缺少${field}`;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'number' || issue.expected === 'int') return `${field}应为数字`;
      if (issue.expected === 'string') return `${field}应为文字`;
      if (issue.expected === 'boolean') return `${field}应为 true 或 false`;
      if (issue.expected === 'array') return `${field}应为列表`;
      if (issue.expected === 'object' || issue.expected === 'record') return issue.path.length ? `${field}应为对象` : '请求体应为 JSON 对象';
      return `${field}格式不正确`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? `${field}不能为空` : `${field}至少${String(issue.minimum)}个字`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${field}至少${String(issue.minimum)}项`;
      return `${field}不能小于${String(issue.minimum)}${issue.inclusive === false ? '（不含）' : ''}`;
    case 'too_big':
      if (issue.origin === 'string') return `${field}不能超过${String(issue.maximum)}个字`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${field}最多${String(issue.maximum)}项`;
      return `${field}不能大于${String(issue.maximum)}`;
    case 'invalid_value':
      return `${field}应为 ${issue.values.map(String).join('、')} 之一`;
    case 'invalid_format':
      return `${field}格式不正确`;
    case 'not_multiple_of':
      return `${field}应为整数`;
    case 'unrecognized_keys':
      return `不认识的字段：${issue.keys.join('、')}`;
    default:
      return `${field}不正确`;
  }
}

/** The first problem of a failed parse as a 400 with a Chinese message (the log keeps zod's own text). */
export function zodInputError(error: z.ZodError, raw?: unknown): DomainError {
  const issue = error.issues[0];
  const english = issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid input';
  return invalidInput(english, issue ? `输入不正确：${issueText(issue, raw)}。` : '输入不正确。');
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date in YYYY-MM-DD (2026-02-30 is not). */
export function checkDate(value: string, label: string): void {
  if (!DATE.test(value) || addDays(value, 0) !== value) {
    throw invalidInput(`bad date ${value}`, `${label}应为真实的日期，格式如 2026-01-31（收到「${value}」）。`);
  }
}

/**
 * A permit's validity as staff give it: a validity that has already ended, one that ends before it
 * starts, or one starting more than a year before or after today is a typing error, not a decision.
 * `today` is the Asia/Shanghai date.
 */
export function checkValidity(today: string, validFrom: string | undefined, validUntil: string | undefined): void {
  if (validFrom !== undefined) checkDate(validFrom, '有效期起始日期（validFrom）');
  if (validUntil !== undefined) checkDate(validUntil, '有效期截止日期（validUntil）');
  if (validUntil !== undefined && validUntil < today) {
    throw invalidInput(`validUntil ${validUntil} before today ${today}`, `有效期截止日期（validUntil）${validUntil} 早于今天（${today}），请核对。`);
  }
  if (validFrom !== undefined && validUntil !== undefined) checkValidityOrder(validFrom, validUntil);
  if (validFrom !== undefined) {
    // Same month and day a year before and after (compared as text, so 02-29 needs no special case).
    const year = Number(today.slice(0, 4));
    const earliest = `${year - 1}${today.slice(4)}`;
    const latest = `${year + 1}${today.slice(4)}`;
    if (validFrom < earliest || validFrom > latest) {
      throw invalidInput(
        `validFrom ${validFrom} more than a year from ${today}`,
        `有效期起始日期（validFrom）${validFrom} 与今天（${today}）相差超过一年，请核对。`,
      );
    }
  }
}

/** The validity must not end before it starts. */
export function checkValidityOrder(validFrom: string, validUntil: string): void {
  if (validFrom > validUntil) {
    throw invalidInput(`validFrom ${validFrom} after validUntil ${validUntil}`, `有效期起始日期（validFrom）${validFrom} 晚于截止日期（validUntil）${validUntil}，请核对。`);
  }
}

/** A region by id, Chinese name or alias; an unknown one is a 400 naming the choices. */
export function knownRegion(catalog: Catalog, name: string): Region {
  try {
    return findRegion(catalog, name);
  } catch (error) {
    if (error instanceof UnknownNameError) throw invalidInput(`unknown region ${name}`, `${error.message}。`);
    throw error;
  }
}
