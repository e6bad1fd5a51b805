/**
 * Which of an industry's items an applicant needs, given the answers so far, and the next question
 * that matters. Every decision comes from the catalog's data: the code knows no industry.
 */
import type { Catalog } from '../catalog/load.ts';
import { departmentFullName, findQuestion, getPermit, hotlineText } from '../catalog/lookup.ts';
import type { Industry, Question, Region } from '../catalog/schema.ts';
import { evaluate, openQuestions, questionsOf, UNSURE, type Answers } from './conditions.ts';

export type ItemStatus = 'required' | 'undecided' | 'not_needed';

export interface AssessedItem {
  permitId: string;
  /** The item in the region's own wording. */
  name: string;
  department: string;
  departmentFullName: string;
  note?: string;
  group?: string;
  status: ItemStatus;
  /** Why, in plain Chinese. */
  reason: string;
  /** Unanswered questions that decide this item, in asking order. */
  openQuestions: string[];
}

export interface Assessment {
  region: Region;
  industry: Industry;
  answers: Answers;
  items: AssessedItem[];
  /** The next question worth asking, or null when nothing more can be decided by asking. */
  nextQuestion: Question | null;
  /** Questions answered 不确定 that leave an item undecided: the window or the hotline must settle them. */
  unsureQuestions: Question[];
  /** True when no item is undecided. */
  complete: boolean;
}

export function assess(catalog: Catalog, region: Region, industry: Industry, answers: Answers): Assessment {
  const items = industry.items.map((item): AssessedItem => {
    const permit = getPermit(catalog, item.permit, region);
    const truth = item.when ? evaluate(item.when, answers) : true;
    const open = item.when && truth === undefined ? openQuestions(item.when, answers) : [];
    const status: ItemStatus = truth === true ? 'required' : truth === false ? 'not_needed' : 'undecided';
    return {
      permitId: permit.id,
      name: item.name,
      department: item.department,
      departmentFullName: departmentFullName(region, item.department),
      ...(item.note ? { note: item.note } : {}),
      ...(item.group ? { group: item.group } : {}),
      status,
      reason: [reasonFor(status, item, open, region), ...item.caveats.filter((c) => evaluate(c.when, answers) === true).map((c) => c.text)].join('；'),
      openQuestions: open,
    };
  });
  const nextId = items.flatMap((i) => i.openQuestions)[0];
  const unsure = unique(
    items
      .filter((i) => i.status === 'undecided' && i.openQuestions.length === 0)
      .flatMap((i) => unsureQuestionsOf(industry, i.permitId, answers)),
  );
  return {
    region,
    industry,
    answers,
    items,
    nextQuestion: nextId ? findQuestion(region, nextId) : null,
    unsureQuestions: unsure.map((id) => findQuestion(region, id)),
    complete: items.every((i) => i.status !== 'undecided'),
  };
}

const GENERIC_NOTES = new Set(['按需办理', '按要求办理']);

function reasonFor(status: ItemStatus, item: Industry['items'][number], open: string[], region: Region): string {
  if (status === 'required') {
    if (!item.when) return item.note ? `目录所列事项（${item.note}）` : '本行业目录所列事项，开业前需办理';
    return item.whyNeeded ?? '根据您的回答，需要办理';
  }
  if (status === 'not_needed') return item.whyNotNeeded ?? '根据您的回答，无需办理';
  const first = open[0];
  // The catalog's own note says the rule (工程投资额超过30万元或者建筑面积超过300平方米的须办理); a bare 按需办理 does not.
  const rule = item.note && !GENERIC_NOTES.has(item.note) ? `目录备注：${item.note.replace(/[。；]+$/u, '')}；` : '';
  if (first) return `${rule}取决于：${findQuestion(region, first).text}`;
  return `您对相关情况不确定，请向${region.window.name}或拨打${hotlineText(region)}确认`;
}

function unsureQuestionsOf(industry: Industry, permitId: string, answers: Answers): string[] {
  const item = industry.items.find((i) => i.permit === permitId);
  if (!item?.when) return [];
  return questionsOf(item.when).filter((q) => answers[q] === UNSURE);
}

function unique<T>(list: T[]): T[] {
  return [...new Set(list)];
}
