/**
 * The one-time notice (一次告知单): every material the required items ask for, once, each saying which
 * items need it; where to apply; time limits, statutory and as the region promises; fees.
 */
import type { Catalog } from '../catalog/load.ts';
import { getPermit, hotlineText } from '../catalog/lookup.ts';
import type { Permit, Region, Source } from '../catalog/schema.ts';
import type { AssessedItem, Assessment } from './assess.ts';
import { evaluate } from './conditions.ts';

export interface NoticeMaterial {
  id: string;
  name: string;
  description?: string;
  /** The items (region wording) that ask for it. */
  neededBy: string[];
  /** What particular items say about it. */
  notes: { item: string; note: string }[];
  /** Needed only in some situations not yet known (e.g. when an agent applies). */
  conditional: boolean;
}

export interface NoticeItem {
  permitId: string;
  name: string;
  department: string;
  departmentFullName: string;
  kind: Permit['kind'];
  /** Absent when no source states the authority's time limit. */
  statutoryWorkingDays?: number;
  extensionWorkingDays: number;
  /** A deadline the applicant must keep, e.g. 开展网上发行之日起15日内备案. */
  applicantDeadline?: string;
  /** The region's promised limit, where its rule sets one per item. */
  promisedWorkingDays?: number;
  onTheSpot: boolean;
  inspection: Permit['inspection']['required'];
  inspectionNote?: string;
  /** null: no source says whether it is charged (以窗口告知为准). */
  free: boolean | null;
  feeNote?: string;
  validity?: string;
  timeNote?: string;
  legalBasis: Source[];
}

export interface Notice {
  region: string;
  industry: string;
  window: string;
  hotline: string;
  items: NoticeItem[];
  /** Items still to be decided: the notice cannot be final while any remain. */
  undecided: string[];
  materials: NoticeMaterial[];
  overall: { workingDays: number | null; explanation: string; sources: Source[] };
  allFree: boolean;
  counts: { materialsBefore: number; materialsAfter: number };
}

export function buildNotice(catalog: Catalog, assessment: Assessment): Notice {
  const { region, industry, answers } = assessment;
  const required = assessment.items.filter((i) => i.status === 'required');
  const materials = new Map<string, NoticeMaterial>();
  let materialsBefore = 0;
  for (const item of required) {
    const permit = getPermit(catalog, item.permitId, region);
    for (const use of permit.materials) {
      const truth = use.when ? evaluate(use.when, answers) : true;
      if (truth === false) continue;
      materialsBefore += 1;
      const material = catalog.materials.get(use.id);
      if (!material) continue; // checked at load
      const entry = materials.get(use.id) ?? {
        id: material.id,
        name: material.name,
        ...(material.description ? { description: material.description } : {}),
        neededBy: [],
        notes: [],
        conditional: true,
      };
      entry.neededBy.push(item.name);
      const note = use.note ? publicNote(use.note) : '';
      if (note) entry.notes.push({ item: item.name, note });
      // A material is unconditional as soon as one item needs it without a condition.
      if (truth === true && use.required) entry.conditional = false;
      materials.set(use.id, entry);
    }
  }
  const items = required.map((item) => noticeItem(catalog, region, item));
  return {
    region: region.name,
    industry: industry.name,
    window: region.window.name,
    hotline: region.hotline ? hotlineText(region) : `文件未写明咨询电话，请向${region.window.name}咨询（以窗口告知为准），也可拨打${hotlineText(undefined)}`,
    items,
    undecided: assessment.items.filter((i) => i.status === 'undecided').map((i) => i.name),
    materials: [...materials.values()],
    overall: overallTime(region, items),
    allFree: items.every((i) => i.free === true),
    counts: { materialsBefore, materialsAfter: materials.size },
  };
}

/** What the notice says of one item: its time limits, inspection, fee and validity, for this region. */
export function noticeItem(catalog: Catalog, region: Region, item: Pick<AssessedItem, "permitId" | "name" | "department" | "departmentFullName">): NoticeItem {
  const permit = getPermit(catalog, item.permitId, region);
  const { timeLimit, inspection, fee, validity } = permit;
  const promised =
    region.timeRule?.kind === 'reduced' && timeLimit.workingDays !== undefined
      ? promisedDays(timeLimit.workingDays, region.timeRule.reductionPercent)
      : undefined;
  return {
    permitId: permit.id,
    name: item.name,
    department: item.department,
    departmentFullName: item.departmentFullName,
    kind: permit.kind,
    ...(timeLimit.workingDays !== undefined ? { statutoryWorkingDays: timeLimit.workingDays } : {}),
    extensionWorkingDays: timeLimit.extensionWorkingDays,
    ...(timeLimit.applicantDeadline ? { applicantDeadline: timeLimit.applicantDeadline } : {}),
    ...(promised !== undefined ? { promisedWorkingDays: promised } : {}),
    onTheSpot: timeLimit.onTheSpot,
    inspection: inspection.required,
    ...(inspection.note ? { inspectionNote: publicNote(inspection.note) } : {}),
    free: fee.free,
    ...(fee.note ? { feeNote: publicNote(fee.note) } : {}),
    ...(validity ? { validity: describeValidity(validity) } : {}),
    ...(timeLimit.note ? { timeNote: publicNote(timeLimit.note) } : {}),
    legalBasis: permit.legalBasis,
  };
}

/**
 * A limit reduced by at least `percent`: the largest whole number of working days that keeps the
 * reduction at or above the promise, and never less than one day.
 */
export function promisedDays(statutory: number, percent: number): number {
  return Math.max(1, Math.floor((statutory * (100 - percent)) / 100 + 1e-9));
}

function overallTime(region: Region, items: NoticeItem[]): Notice['overall'] {
  const sources = region.timeRule?.sources ?? [];
  if (items.length === 0) return { workingDays: null, explanation: '无需办理的事项', sources };
  const unknown = items.filter((i) => i.statutoryWorkingDays === undefined && !i.onTheSpot).map((i) => i.name);
  const spot = items.filter((i) => i.onTheSpot).map((i) => i.name);
  const caveat =
    (unknown.length ? `；${unknown.join('、')}的办理时限依据中未写明，以窗口告知为准` : '') +
    (spot.length ? `；${spot.join('、')}材料齐全可当场办理（不适用的按法定时限）` : '');
  // Items decided on the spot do not set the overall time; their statutory limit applies only when the
  // on-the-spot route does not (e.g. no 告知承诺).
  const timed = items.filter((i): i is NoticeItem & { statutoryWorkingDays: number } => i.statutoryWorkingDays !== undefined && !i.onTheSpot);
  if (timed.length === 0) {
    return {
      workingDays: null,
      explanation: spot.length && !unknown.length ? `各事项材料齐全均可当场办理` : `各事项的办理时限依据中未写明，以窗口告知为准${caveat}`,
      sources,
    };
  }
  if (!region.timeRule) {
    const longest = Math.max(...timed.map((i) => i.statutoryWorkingDays));
    return {
      workingDays: null,
      explanation: `《${region.document.title}》没有写明总的办结时限，以窗口告知为准；各事项的法定时限见各事项，最长的为${longest}个工作日${caveat}`,
      sources,
    };
  }
  if (region.timeRule.kind === 'reduced') {
    const longest = Math.max(...timed.map((i) => i.promisedWorkingDays ?? i.statutoryWorkingDays));
    return {
      workingDays: longest,
      explanation: `${region.name}承诺办结时限在法定时限基础上压缩${region.timeRule.reductionPercent}%以上；各事项一窗受理，最长承诺时限为${longest}个工作日${caveat}`,
      sources,
    };
  }
  const inspected = timed.filter((i) => i.inspection === 'always' || i.inspection === 'sometimes');
  if (inspected.length === 0) {
    const longest = Math.max(...timed.map((i) => i.statutoryWorkingDays));
    return {
      workingDays: longest,
      explanation: `本次事项均无需现场核查，各事项按法定时限并联办理，最长${longest}个工作日${caveat}`,
      sources,
    };
  }
  const shortest = inspected.reduce((a, b) => (b.statutoryWorkingDays < a.statutoryWorkingDays ? b : a));
  return {
    workingDays: shortest.statutoryWorkingDays,
    explanation: `并联审批，审批用时按需现场核查事项中时限最短的「${shortest.name}」确定：${shortest.statutoryWorkingDays}个工作日（按《${region.document.title}》${region.timeRule.sources[0]?.article ?? ''}，具体以窗口告知为准）${caveat}`,
    sources,
  };
}

function describeValidity(validity: NonNullable<Permit['validity']>): string {
  const term = validity.indefinite
    ? '长期有效'
    : validity.years
      ? `有效期${validity.years}年`
      : validity.maxYears
        ? `有效期不超过${validity.maxYears}年`
        : '';
  return [term, validity.renewal, validity.note ? publicNote(validity.note) : '']
    .map((part) => (part ?? '').replace(/[。；;\s]+$/u, ''))
    .filter(Boolean)
    .join('；');
}

/** The catalog's own reminders to verify a source (需核对, 二手资料, 未读到原文…) are for its editors. */
const EDITORS_NOTE = /需核对|未读到|未在依据中读到|二手资料|未核实|未在依据中找到|尚未核实/u;

/**
 * A data note as the public reads it: the sentences that are the editors' reminders are left out; a note
 * that is nothing else becomes 「依据原文尚未核实，以窗口告知为准」.
 */
export function publicNote(note: string): string {
  if (!EDITORS_NOTE.test(note)) return note;
  const kept = note
    .split(/(?<=[。；;])/u)
    .filter((sentence) => !EDITORS_NOTE.test(sentence))
    .join('')
    .replace(/[，,；;\s]+$/u, '')
    .trim();
  return kept || '依据原文尚未核实，以窗口告知为准';
}
