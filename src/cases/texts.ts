/** What applicants read in the messages about their case, pushed or waiting. Chinese, plain, with the case number in each. */
import { hotlineText } from '../catalog/lookup.ts';
import type { Region } from '../catalog/schema.ts';
import type { MissingMaterial } from '../store/repositories.ts';


export function defaultHowToSubmit(region: Region): string {
  // A region whose document names no hotline is asked about at its window.
  return `请携带上述材料到${region.window.name}补交；如有疑问${region.hotline ? `请拨打${hotlineText(region)}` : '请向窗口咨询'}。`;
}

export function materialsText(opts: {
  caseNumber: string;
  items: string[];
  materials: MissingMaterial[];
  howToSubmit: string;
  followUp: number;
}): string {
  const head = opts.followUp > 0 ? `【补正提醒（第${opts.followUp}次）】` : '【补正通知】';
  const lines = opts.materials.map((m, i) => `${i + 1}. ${m.name}${m.problem ? `：${m.problem}` : ''}`);
  return [
    `${head}您的办件 ${opts.caseNumber}（${opts.items.join('、')}）需要补正以下材料：`,
    ...lines,
    `提交方式：${opts.howToSubmit}`,
    '材料补齐后审批将继续进行。',
  ].join('\n');
}

export function rectificationText(caseNumber: string, opinions: string[], recheck: string | undefined): string {
  return [
    `【现场核查整改意见】您的办件 ${caseNumber} 现场核查需要整改以下事项（一次告知）：`,
    ...opinions.map((o, i) => `${i + 1}. ${o}`),
    recheck ? `整改完成后将进行一次复查，复查时间：${recheck}。` : '整改完成后请联系窗口安排一次复查。',
  ].join('\n');
}

export function inspectionScheduledText(caseNumber: string, items: string[], at: string): string {
  return `【现场核查预约】您的办件 ${caseNumber} 将于 ${at} 进行一次联合现场核查，涵盖：${items.join('、')}。请届时在经营场所等候。`;
}

export function inspectionMovedText(caseNumber: string, items: string[], at: string): string {
  return `【现场核查改期】您的办件 ${caseNumber} 的联合现场核查改在 ${at} 进行，涵盖：${items.join('、')}。请届时在经营场所等候。`;
}

export function itemDecidedText(caseNumber: string, item: string, approved: boolean, reason?: string): string {
  return approved
    ? `【审批结果】您的办件 ${caseNumber} 中「${item}」已准予许可。`
    : `【审批结果】您的办件 ${caseNumber} 中「${item}」不予许可${reason ? `，原因：${reason}` : ''}。如有异议可依法申请行政复议或提起行政诉讼。`;
}

export function itemWaivedText(caseNumber: string, item: string, reason?: string): string {
  return `【审批结果】您的办件 ${caseNumber} 中「${item}」经窗口确认，您的情况无需办理${reason ? `（${reason}）` : ''}。`;
}

export function licenceIssuedText(opts: { number: string; version: number; reason: string; pending: string[]; free: boolean | null }): string {
  const what = opts.version === 1 ? '已核发' : `已换发（第${opts.version}版${opts.free ? '，免费' : ''}）`;
  return [
    `【行业综合许可证】您的行业综合许可证 ${opts.number} ${what}。${opts.version === 1 ? '' : `原因：${opts.reason}。`}`,
    opts.pending.length ? `未许可事项：${opts.pending.join('、')}，符合条件后将换发新证。` : '',
    '扫描二维码可查看证照当前状态和所含许可。',
  ]
    .filter(Boolean)
    .join('\n');
}

export function licenceVoidText(number: string, reason: string): string {
  return `【行业综合许可证作废】您的行业综合许可证 ${number} 已作废：${reason}。请将证书交回政务服务部门。`;
}

export function expiryText(opts: { holder: string; item: string; permitNumber?: string; validUntil: string; daysLeft: number }): string {
  return `【到期提醒】${opts.holder}的「${opts.item}」${opts.permitNumber ? `（${opts.permitNumber}）` : ''}有效期至 ${opts.validUntil}，还有${opts.daysLeft}天到期，请按规定及时办理延续。`;
}

export function inspectionResultText(opts: { caseNumber: string; passed: boolean; recheck: boolean; items: string[]; hotline: string }): string {
  const what = opts.recheck ? '整改复查' : '联合现场核查';
  const covered = opts.items.length ? `（${opts.items.join('、')}）` : '';
  return opts.passed
    ? `【现场核查结果】您的办件 ${opts.caseNumber}${covered}${what}合格，相关部门将作出许可决定，结果会另行通知您。`
    : `【现场核查结果】您的办件 ${opts.caseNumber}${covered}${what}未通过，相关部门将依法作出决定并另行通知您。如有疑问请拨打${opts.hotline}。`;
}

export function materialsCancelledText(caseNumber: string, materials: string[]): string {
  return `【补正通知撤销】您的办件 ${caseNumber} 此前通知补正的材料${materials.length ? `（${materials.join('、')}）` : ''}已无需再提交，审批继续进行。`;
}
