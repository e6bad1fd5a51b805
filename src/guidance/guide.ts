/**
 * One call for everything the guidance engine knows about a case: items, next question, notice, form,
 * and the JSON shape the CLI and the API share (documented in docs/cli.md).
 */
import type { Catalog } from '../catalog/load.ts';
import type { Industry, Question, Region } from '../catalog/schema.ts';
import { assess, type Assessment } from './assess.ts';
import type { Answers } from './conditions.ts';
import { buildForm, type MergedForm } from './form.ts';
import { buildNotice, type Notice } from './notice.ts';

export interface Guidance {
  assessment: Assessment;
  notice: Notice;
  form: MergedForm;
}

export function guide(catalog: Catalog, region: Region, industry: Industry, answers: Answers): Guidance {
  const assessment = assess(catalog, region, industry, answers);
  return { assessment, notice: buildNotice(catalog, assessment), form: buildForm(catalog, assessment) };
}

export function questionJson(q: Question) {
  return {
    id: q.id,
    text: q.text,
    type: q.type,
    ...(q.unit ? { unit: q.unit } : {}),
    ...(q.options ? { options: q.options.map((o) => ({ id: o.id, label: o.label })) } : {}),
    ...(q.help ? { help: q.help } : {}),
  };
}

export function guidanceJson(g: Guidance) {
  const { assessment, notice, form } = g;
  return {
    region: { id: assessment.region.id, name: assessment.region.name },
    industry: { id: assessment.industry.id, name: assessment.industry.name },
    answers: assessment.answers,
    complete: assessment.complete,
    permits: assessment.items.map((i) => ({
      permit: i.permitId,
      name: i.name,
      department: i.department,
      departmentFullName: i.departmentFullName,
      ...(i.note ? { note: i.note } : {}),
      status: i.status,
      reason: i.reason,
    })),
    nextQuestion: assessment.nextQuestion ? questionJson(assessment.nextQuestion) : null,
    unsureQuestions: assessment.unsureQuestions.map((q) => q.id),
    notice: {
      window: notice.window,
      hotline: notice.hotline,
      undecided: notice.undecided,
      items: notice.items.map(({ legalBasis, ...rest }) => ({ ...rest, legalBasis: legalBasis.map((s) => s.title + (s.article ? ` ${s.article}` : '')) })),
      materials: notice.materials,
      overall: { workingDays: notice.overall.workingDays, explanation: notice.overall.explanation },
      allFree: notice.allFree,
    },
    form: {
      common: form.common.map(fieldJson),
      sections: form.sections.map((s) => ({ item: s.item, fields: s.fields.map(fieldJson) })),
    },
    counts: { ...notice.counts, ...form.counts },
  };
}

function fieldJson(f: MergedForm['common'][number]) {
  return {
    id: f.id,
    label: f.label,
    type: f.type,
    required: f.required,
    ...(f.unit ? { unit: f.unit } : {}),
    ...(f.options ? { options: f.options.map((o) => ({ id: o.id, label: o.label })) } : {}),
    ...(f.min !== undefined ? { min: f.min } : {}),
    ...(f.max !== undefined ? { max: f.max } : {}),
    ...(f.when ? { when: f.when } : {}),
    neededBy: f.neededBy,
  };
}
