/**
 * Plain Chinese text for what the guidance engine decides: numbered lists, no internal ids. The CLI
 * prints these and the dialogue sends them, so each is written once.
 */
import type { Assessment, AssessedItem } from './assess.ts';
import type { MergedForm, FormField } from './form.ts';
import type { Notice } from './notice.ts';
import type { Question } from '../catalog/schema.ts';

export function renderPermits(assessment: Assessment): string {
  const { region, industry, items } = assessment;
  const required = items.filter((i) => i.status === 'required');
  const lines = [`【${region.name} · ${industry.name}】`];
  if (required.length) {
    lines.push(`需要办理的事项（${required.length}项）：`);
    required.forEach((item, n) => lines.push(`${n + 1}. ${item.name}（${item.department}）${reasonSuffix(item)}`));
  } else {
    lines.push('根据目前的信息，暂无确定需要办理的事项。');
  }
  const undecided = items.filter((i) => i.status === 'undecided');
  if (undecided.length) {
    lines.push(`待确认的事项（${undecided.length}项）：`);
    undecided.forEach((item, n) => lines.push(`${n + 1}. ${item.name}（${item.department}）—${item.reason}`));
  }
  const notNeeded = items.filter((i) => i.status === 'not_needed');
  if (notNeeded.length) {
    lines.push(`无需办理的事项（${notNeeded.length}项）：`);
    notNeeded.forEach((item, n) => lines.push(`${n + 1}. ${item.name}—${item.reason}`));
  }
  return lines.join('\n');
}

/** Unconditional catalog items need no reason; a caveat on them is still shown. */
function reasonSuffix(item: AssessedItem): string {
  if (!item.reason.startsWith('本行业目录所列事项')) return `—${item.reason}`;
  const caveat = item.reason.split('；').slice(1).join('；');
  return caveat ? `—${caveat}` : '';
}

export function renderQuestion(question: Question): string {
  const lines = [question.text];
  if (question.type === 'choice' && question.options) {
    question.options.forEach((o, n) => lines.push(`${n + 1}. ${o.label}`));
  } else if (question.type === 'boolean') {
    lines.push('请回答「是」或「否」，不确定可以回答「不确定」。');
  } else if (question.unit) {
    lines.push(`请填写数字（单位：${question.unit}）。`);
  }
  return lines.join('\n');
}

const INSPECTION_LABEL: Record<Notice['items'][number]['inspection'], string> = {
  always: '需现场核查',
  sometimes: '必要时现场核查',
  never: '无需现场核查',
  after: '发证后核查',
  unknown: '是否现场核查以窗口告知为准',
};

export function renderNotice(notice: Notice): string {
  const lines = [`【一次告知单 · ${notice.region} · ${notice.industry}】`];
  if (notice.undecided.length) lines.push(`提示：${notice.undecided.join('、')}尚待确认，确认后材料清单可能增加。`);
  lines.push(`受理地点：${notice.window}${notice.window.includes('一窗受理') ? '' : '（一窗受理）'}`);
  lines.push('', `一、办理事项（${notice.items.length}项）：`);
  notice.items.forEach((item, n) => {
    const time = item.onTheSpot
      ? `材料齐全当场办理${item.statutoryWorkingDays !== undefined ? `（不适用当场办理的，法定${item.statutoryWorkingDays}个工作日${item.promisedWorkingDays !== undefined ? `，承诺${item.promisedWorkingDays}个工作日` : ''}）` : ''}`
      : item.statutoryWorkingDays === undefined
        ? '办理时限依据未写明，以窗口告知为准'
        : item.promisedWorkingDays !== undefined
          ? `法定${item.statutoryWorkingDays}个工作日，承诺${item.promisedWorkingDays}个工作日`
          : `法定${item.statutoryWorkingDays}个工作日`;
    const inspection = INSPECTION_LABEL[item.inspection];
    lines.push(`${n + 1}. ${item.name}（${item.department}）：${time}；${inspection}；${item.free === true ? '不收费' : item.free === null ? (item.feeNote ?? '是否收费以窗口告知为准') : (item.feeNote ?? '收费')}`);
    if (item.applicantDeadline) lines.push(`   申请人须在期限内办理：${item.applicantDeadline}`);
  });
  lines.push('', `二、申请材料（合并后${notice.counts.materialsAfter}项，合并前${notice.counts.materialsBefore}项）：`);
  notice.materials.forEach((m, n) => {
    const who = m.neededBy.length > 1 ? `（${m.neededBy.length}个事项共用）` : `（${m.neededBy[0] ?? ''}）`;
    const notes = [...new Set(m.notes.map((x) => x.note.replace(/[。；;\s]+$/u, '')))].join('；');
    lines.push(`${n + 1}. ${m.name}${m.conditional ? '（如适用）' : ''}${who}${notes ? `：${notes}` : ''}`);
  });
  lines.push('', `三、办理时限：${notice.overall.explanation}。`);
  lines.push(`四、收费：${notice.allFree ? '以上事项均不收费。' : notice.items.some((i) => i.free === false) ? '部分事项收费，详见各事项说明。' : '部分事项是否收费依据中未写明，以窗口告知为准。'}`);
  lines.push(`咨询电话：${notice.hotline}`);
  return lines.join('\n');
}

export function renderForm(form: MergedForm): string {
  const lines = [`【一表申请】合并后共${form.counts.fieldsAfter}项，合并前${form.counts.fieldsBefore}项`];
  lines.push('一、共用信息：');
  form.common.forEach((f, n) => lines.push(`${n + 1}. ${fieldLine(f)}`));
  form.sections.forEach((section, s) => {
    lines.push(`${'二三四五六七八九十'.charAt(s) || s + 2}、${section.item}：`);
    section.fields.forEach((f, n) => lines.push(`${n + 1}. ${fieldLine(f)}`));
  });
  return lines.join('\n');
}

function fieldLine(field: FormField): string {
  const unit = field.unit ? `（${field.unit}）` : '';
  return `${field.label}${unit}${field.required ? '' : '（选填）'}`;
}
