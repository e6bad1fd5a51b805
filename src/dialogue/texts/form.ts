/** Reply texts of the one form: fields, values, reuse, the summary and the submission. */
import type { Catalog } from '../../catalog/load.ts';
import type { Assessment } from '../../guidance/assess.ts';
import type { FormField } from '../../guidance/form.ts';
import type { FieldValue } from '../../guidance/validators.ts';
import { maskIdNumber, maskMobile } from '../../privacy/mask.ts';
import type { Reply } from '../types.ts';
import { YES_NO } from './conversation.ts';

export function formIntro(counts: { fieldsBefore: number; fieldsAfter: number }, optional: boolean): Reply {
  const merged = counts.fieldsBefore > counts.fieldsAfter ? `（合并前各事项共需填写${counts.fieldsBefore}项）` : '';
  return {
    kind: 'form',
    text: `好的，开始填写一表申请：共${counts.fieldsAfter}项${merged}。随时可以回复「上一步」返回${optional ? '、「跳过」跳过选填项' : ''}，或直接说「电话改成…」更正。`,
  };
}

export function fieldPrompt(field: FormField, position: { index: number; total: number }, again = false): Reply {
  const unit = field.unit ? `（单位：${field.unit}）` : '';
  const optional = field.required ? '' : '（选填，可回复「跳过」）';
  const lines = [`${again ? '回到表格：' : ''}（${position.index}/${position.total}）请填写${field.label}${unit}${optional}`];
  if (field.help && !again) lines.push(field.help);
  if (field.options && field.type === 'multi_choice') {
    lines.push('可多选，用顿号分隔，例如「1、3」，也可以直接写经营的内容：');
    field.options.forEach((o, n) => lines.push(`${n + 1}. ${o.label}`));
  }
  return {
    kind: 'field',
    text: lines.join('\n'),
    ...(field.options && field.type === 'choice' ? { options: field.options.map((o) => ({ label: o.label, value: o.label })) } : {}),
    ...(field.type === 'boolean' ? { options: YES_NO } : {}),
  };
}

/** A value as the applicant sees it in a summary: personal numbers masked. */
export function displayValue(field: FormField, value: FieldValue): string {
  if (field.type === 'id_number' && typeof value === 'string') return maskIdNumber(value);
  if ((field.type === 'mobile' || field.type === 'phone') && typeof value === 'string') return maskMobile(value);
  if (field.options) {
    const ids = Array.isArray(value) ? value : [String(value)];
    return ids.map((id) => field.options?.find((o) => o.id === id)?.label ?? id).join('、');
  }
  if (typeof value === 'boolean') return value ? '是' : '否';
  return `${String(value)}${field.unit ?? ''}`;
}

/** The field's own help where the registry has it, else what it is and who needs it. */
export function fieldExplained(field: FormField): Reply {
  if (field.help) return { kind: 'answer', text: `${field.label}：${field.help}` };
  return { kind: 'answer', text: `这一项请填写${field.label}${field.unit ? `（单位：${field.unit}）` : ''}${field.neededBy.length ? `，${field.neededBy.join('、')}需要` : ''}。拿不准的可以回复「转人工」问窗口工作人员。` };
}

export function nameNeeded(field: FormField): Reply {
  return { kind: 'error', text: `请直接写出${field.label}，例如「王建国」。` };
}

export function sameAsWhich(field: FormField): Reply {
  return { kind: 'error', text: `「同上」说的是哪一项？请直接填写${field.label}。` };
}

export function fieldRecorded(field: FormField, value: FieldValue, corrected: boolean): Reply {
  return { kind: 'answer', text: `${corrected ? '已更正' : '已记录'}${field.label}：${displayValue(field, value)}。` };
}

export function requiredField(field: FormField): Reply {
  return { kind: 'error', text: `「${field.label}」是必填项，不能跳过。如暂时没有，可以稍后回来继续，已填写的内容都会保存。` };
}

export function reuseOffer(catalog: Catalog, values: Record<string, FieldValue>): Reply {
  const lines = ['您之前申请时填写过以下共用信息：'];
  for (const [id, value] of Object.entries(values)) {
    const field = catalog.fields.get(id);
    if (field) lines.push(`· ${field.label}：${displayValue({ ...field, neededBy: [] }, value)}`);
  }
  lines.push('是否沿用这些信息？');
  return { kind: 'question', text: lines.join('\n'), options: YES_NO };
}

export const reuseAgain: Reply = { kind: 'question', text: '请回复「是」沿用之前的信息，或「否」重新填写。', options: YES_NO };

export function summary(assessment: Assessment, fields: FormField[], values: Record<string, FieldValue>): Reply {
  const lines = ['请核对您的申请信息：'];
  lines.push(`地区：${assessment.region.name}；行业：${assessment.industry.name}`);
  lines.push(`申请事项：${assessment.items.filter((i) => i.status === 'required').map((i) => i.name).join('、') || '无'}`);
  const undecided = assessment.items.filter((i) => i.status === 'undecided').map((i) => i.name);
  if (undecided.length) lines.push(`待确认事项（提交后由窗口确认是否需要办理）：${undecided.join('、')}`);
  for (const field of fields) {
    const value = values[field.id];
    lines.push(`· ${field.label}：${value === undefined ? '（未填）' : displayValue(field, value)}`);
  }
  lines.push('确认无误请回复「确认提交」；需要修改请直接说，例如「电话改成139xxxxxxxx」，或回复「上一步」。');
  return { kind: 'summary', text: lines.join('\n'), options: [{ label: '确认提交', value: '确认提交' }, { label: '上一步', value: '上一步' }] };
}

export const confirmAgain: Reply = {
  kind: 'question',
  text: '核对无误请回复「确认提交」，需要修改请直接说要改的内容。',
  options: [{ label: '确认提交', value: '确认提交' }, { label: '上一步', value: '上一步' }],
};
export const whatToChange: Reply = { kind: 'answer', text: '请告诉我要修改哪一项，例如「电话改成139xxxxxxxx」「地址改成…」，或回复「上一步」逐项返回。' };

export function missingRequired(labels: string[]): Reply {
  return { kind: 'error', text: `还有必填项未填写：${labels.join('、')}。` };
}

export function alreadySubmitted(applicationNumber: string | undefined): Reply {
  return { kind: 'answer', text: `您已提交过申请（编号 ${applicationNumber ?? ''}）。如需为另一家店申请，请回复「重新开始」。` };
}

export function submitted(applicationNumber: string, caseNumber: string | undefined, nextSteps: string[]): Reply {
  const numbers = `申请编号：${applicationNumber}${caseNumber && caseNumber !== applicationNumber ? `，案件编号：${caseNumber}` : ''}`;
  return { kind: 'submitted', text: [`申请已提交！${numbers}。`, ...nextSteps].join('\n'), options: [{ label: '进度', value: '进度' }] };
}

export const nothingToSubmit: Reply = { kind: 'answer', text: '根据您的情况，目前没有确定需要办理的事项，无需提交申请。如有疑问可回复「转人工」。' };
