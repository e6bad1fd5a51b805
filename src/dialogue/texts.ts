/** Reply texts the public reads: short, concrete Chinese, no internal ids. */
import type { Region } from '../catalog/schema.ts';
import type { FormField } from '../guidance/form.ts';
import type { FieldValue } from '../guidance/validators.ts';
import { maskIdNumber, maskMobile } from '../privacy/mask.ts';
import type { Reply, ReplyOption } from './types.ts';

export const MAX_MESSAGE_CHARS = 1000;

export function greeting(region: Region | undefined): Reply {
  const where = region ? `${region.name}` : '';
  return {
    kind: 'greeting',
    text:
      `您好！我是${where}“一业一证”办事助手。告诉我您想开什么店，例如「我想开个便利店，也卖烟」，` +
      '我会告诉您需要办哪些许可、准备哪些材料，并可以帮您在线填写一张申请表。',
  };
}

export function helpText(region: Region | undefined): Reply {
  const hotline = region ? `${region.hotline.number}${region.hotline.seat ? `（${region.hotline.seat}）` : ''}` : '12345';
  return {
    kind: 'greeting',
    text: [
      '我可以帮您：',
      '1. 说出想开的店，我告诉您需要办哪些许可、由哪个部门办理；',
      '2. 回复「告知单」查看一次告知单（要准备的材料、时限、收费）；',
      '3. 回复「填表」在线填写一张合并申请表并提交；',
      '4. 回复「进度」查询申请办到哪一步，「许可证」获取行业综合许可证；',
      '5. 直接提问，例如「健康证要几个人的」「要收费吗」；',
      `6. 回复「重新开始」从头再来，「转人工」请热线${hotline}坐席联系您。`,
    ].join('\n'),
    options: [
      { label: '告知单', value: '告知单' },
      { label: '填表', value: '填表' },
      { label: '进度', value: '进度' },
      { label: '转人工', value: '转人工' },
    ],
  };
}

export function askRegion(regions: readonly Region[]): Reply {
  return {
    kind: 'question',
    text: `请问您在哪个地区开店？目前可以办理：${regions.map((r) => r.name).join('、')}。`,
    options: regions.map((r) => ({ label: r.name, value: r.name })),
  };
}

export function askIndustry(region: Region): Reply {
  return {
    kind: 'question',
    text: `请问您想开什么店？${region.name}“一业一证”目录中的行业有：${region.industries.map((i) => i.name).join('、')}。`,
    options: region.industries.map((i) => ({ label: i.name, value: i.name })),
  };
}

export const YES_NO: ReplyOption[] = [
  { label: '是', value: '是' },
  { label: '否', value: '否' },
];

export function hotlineText(region: Region | undefined): string {
  if (!region) return '12345政务服务便民热线';
  return `${region.hotline.number}${region.hotline.seat ? `（${region.hotline.seat}）` : ''}`;
}

export function notUnderstood(extra: string, region: Region | undefined): Reply {
  return {
    kind: 'error',
    text: `抱歉，我没有理解您的意思。${extra}也可以回复「帮助」查看我能做什么，或拨打${hotlineText(region)}咨询。`,
  };
}

export function fieldPrompt(field: FormField, position: { index: number; total: number }): Reply {
  const unit = field.unit ? `（单位：${field.unit}）` : '';
  const optional = field.required ? '' : '（选填，可回复「跳过」）';
  const lines = [`（${position.index}/${position.total}）请填写${field.label}${unit}${optional}`];
  if (field.help) lines.push(field.help);
  if (field.options) {
    lines.push(field.type === 'multi_choice' ? '可多选，用顿号分隔，例如「1、3」：' : '请选择：');
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
