/** Reply texts about the region and the trade: asking, confirming, changing, outside the catalog. */
import type { Region } from '../../catalog/schema.ts';
import type { OutOfCatalog } from '../../nlu/types.ts';
import type { Reply } from '../types.ts';
import { hotlineText } from '../../catalog/lookup.ts';
import { YES_NO } from './conversation.ts';

export function askRegion(regions: readonly Region[]): Reply {
  return {
    kind: 'question',
    text: `请问您在哪个地区开店？目前可以办理：${regions.map((r) => r.name).join('、')}。`,
    options: regions.map((r) => ({ label: r.name, value: r.name })),
  };
}

export function regionChosen(region: Region, switching: boolean): Reply {
  return { kind: 'answer', text: switching ? `好的，已为您切换到${region.name}。` : `好的，${region.name}。` };
}

export function askIndustry(region: Region): Reply {
  return {
    kind: 'question',
    text: `请问您想开什么店？${region.name}“一业一证”目录中的行业有：${region.industries.map((i) => i.name).join('、')}。`,
    options: region.industries.map((i) => ({ label: i.name, value: i.name })),
  };
}

export function askWhichIndustry(names: string[]): Reply {
  return { kind: 'question', text: '您说的是以下哪一种？', options: names.map((name) => ({ label: name, value: name })) };
}

export function confirmIndustry(name: string): Reply {
  return { kind: 'question', text: `您是想开「${name}」吗？`, options: YES_NO };
}

export function nearestIndustry(said: string, region: Region, nearest: string): Reply {
  return {
    kind: 'answer',
    text: `「${said}」不在${region.name}“一业一证”改革行业目录的行业名称中，目录中最接近的是「${nearest}」。如果不是，需要按单项许可分别申请，可拨打${hotlineText(region)}咨询。`,
  };
}

export const industryDeclined: Reply = { kind: 'answer', text: '好的。' };

export function tradeIntro(region: Region, industry: string, hasQuestions: boolean): Reply {
  return {
    kind: 'answer',
    text: `好的，在${region.name}开${industry}。${hasQuestions ? '为确定您需要办理哪些许可，请回答几个问题。' : ''}`,
  };
}

/** A change of trade: what carries over (so a wrong carry-over can be corrected) and what changed. */
export function tradeChanged(from: string, to: string, kept: string[], changes: string[]): Reply {
  const lines = [`好的，已从「${from}」改为「${to}」。`];
  if (kept.length) lines.push(`沿用您之前说的：${kept.join('；')}。如有不同请直接告诉我。`);
  if (changes.length) lines.push(`事项变化：${changes.join('；')}。`);
  return { kind: 'answer', text: lines.join('\n') };
}

export function outsideAllCatalogs(outside: OutOfCatalog, regions: readonly Region[]): Reply {
  return {
    kind: 'answer',
    text:
      `「${outside.name}」不在目前可办理地区（${regions.map((r) => r.name).join('、')}）的“一业一证”改革行业目录中，` +
      '暂不能办理行业综合许可证，需要按单项许可分别向各主管部门申请，可拨打12345咨询。如果您还想开别的店，请告诉我。',
  };
}

export function outsideCatalog(outside: OutOfCatalog, region: Region, keeping: string | undefined): Reply {
  const related = outside.related.flatMap((id) => region.industries.filter((i) => i.id === id).map((i) => i.name));
  return {
    kind: 'answer',
    text:
      `「${outside.name}」不在${region.name}“一业一证”改革行业目录中，暂不能办理行业综合许可证，需要按单项许可分别向各主管部门申请，` +
      `可以到${region.window.name}咨询，或拨打${hotlineText(region)}。` +
      (related.length ? `相近的目录行业有：${related.join('、')}。` : '') +
      (keeping ? `您之前咨询的「${keeping}」仍然保留。` : ''),
    ...(related.length && !keeping ? { options: related.map((name) => ({ label: name, value: name })) } : {}),
  };
}

/** A fact that concerns a permit this trade's catalog does not list here (卖烟 in 新乡经开区's 便利店). */
export function permitOutsideCatalog(names: string[], region: Region, industry: string): Reply {
  return {
    kind: 'answer',
    text: `您提到的情况可能还涉及${names.map((n) => `「${n}」`).join('、')}，它不在${region.name}“一业一证”目录的${industry}事项中，需按相关规定另行向主管部门申请，具体可拨打${hotlineText(region)}咨询。`,
  };
}

