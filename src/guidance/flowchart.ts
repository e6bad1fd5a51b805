/**
 * 一张办理流程图 (奈曼旗 二（二）: 「绘制直观、易懂的一张办理流程图」): this applicant's way from the one window to
 * the comprehensive licence, drawn from the data, never by hand per trade: where to apply, the items
 * approved in parallel with their departments and promised working days, the joint on-site inspection
 * where an item needs one, and the issue of the licence. SVG for the web page; PNG (resvg, with a CJK font
 * of the host) for Telegram and WeChat.
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import type { Catalog } from '../catalog/load.ts';
import type { Assessment } from './assess.ts';
import { buildNotice } from './notice.ts';

export interface FlowChart {
  title: string;
  steps: FlowStep[];
  /** The lines under the chart: the promise and where it comes from. */
  footer: string[];
}

export interface FlowStep {
  title: string;
  lines: string[];
  /** Boxes side by side inside the step: the items approved at the same time. */
  parallel?: { title: string; lines: string[] }[];
}

/** The applicant's flow, or null when no item needs applying for. */
export function buildFlowChart(catalog: Catalog, assessment: Assessment): FlowChart | null {
  // Items still to be decided are drawn too, marked: the chart shows the way as it may be.
  const undecided = new Set(assessment.items.filter((i) => i.status === 'undecided').map((i) => i.permitId));
  const notice = buildNotice(catalog, { ...assessment, items: assessment.items.map((i) => (undecided.has(i.permitId) ? { ...i, status: 'required' } : i)) });
  if (!notice.items.length) return null;
  const mark = (permitId: string) => (undecided.has(permitId) ? '（待确认）' : '');
  const region = assessment.region;
  const inspected = notice.items.filter((i) => i.inspection === 'always' || i.inspection === 'sometimes');
  const joint = region.reformFaq.some((f) => f.topic === 'joint_inspection');
  const steps: FlowStep[] = [
    { title: '① 一窗受理', lines: [`到${notice.window}提交申请`, '一次告知、一表申请，全部事项一次提交'] },
    {
      title: notice.items.length > 1 ? `② 并联审批（${notice.items.length}个事项同时办理）` : '② 审批',
      lines: [],
      parallel: notice.items.map((i) => ({
        title: `${i.name}${mark(i.permitId)}`,
        lines: [i.departmentFullName, i.onTheSpot ? '材料齐全可当场办理' : i.promisedWorkingDays !== undefined ? `承诺${i.promisedWorkingDays}个工作日` : i.statutoryWorkingDays !== undefined ? `法定${i.statutoryWorkingDays}个工作日` : '时限以窗口告知为准'],
      })),
    },
  ];
  if (inspected.length) {
    steps.push({
      title: `③ 现场核查${joint && inspected.length > 1 ? '（一同核查）' : ''}`,
      lines: [
        `${inspected.map((i) => `${i.name}${mark(i.permitId)}`).join('、')}${inspected.some((i) => i.inspection === 'sometimes') ? '（需要时）' : ''}`,
        ...(joint && inspected.length > 1 ? ['多个事项一次核查，整改意见一口告知，整改情况一趟复审'] : []),
      ],
    });
  }
  steps.push({
    title: `${inspected.length ? '④' : '③'} 颁发行业综合许可证`,
    lines: ['一证准营，扫证面二维码可查看各项许可', notice.allFree ? '以上事项均不收费' : '收费以窗口告知为准'],
  });
  return {
    title: `${notice.region} · ${notice.industry} 办理流程图`,
    steps,
    footer: [`总体时限：${notice.overall.explanation}`, `依据：《${region.document.title}》及各事项的法定依据`],
  };
}

// ---- drawing --------------------------------------------------------------------------------------------

const WIDTH = 680;
const MARGIN = 24;
const FONT = 16;
const SMALL = 14;
const LINE = 22;
const FONT_FAMILY = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/** The chart as an SVG document, laid out top to bottom, readable on a phone at its own width. */
export function flowChartSvg(chart: FlowChart): string {
  const parts: string[] = [];
  let y = MARGIN;
  parts.push(text(WIDTH / 2, y + 20, chart.title, 20, 'middle', 'bold'));
  y += 44;
  chart.steps.forEach((step, n) => {
    if (n > 0) {
      parts.push(arrow(WIDTH / 2, y, y + 26));
      y += 30;
    }
    const inner = WIDTH - 2 * MARGIN;
    const lines = step.lines.flatMap((l) => wrap(l, inner - 24, SMALL));
    const columns = step.parallel?.length ?? 0;
    const perRow = columns > 2 ? 2 : Math.max(columns, 1);
    const boxWidth = columns ? (inner - 24 - (perRow - 1) * 12) / perRow : 0;
    const boxes = (step.parallel ?? []).map((p) => ({ title: wrap(p.title, boxWidth - 16, SMALL), lines: p.lines.flatMap((l) => wrap(l, boxWidth - 16, 12)) }));
    const boxHeight = boxes.length ? Math.max(...boxes.map((b) => (b.title.length + b.lines.length) * 18 + 16)) : 0;
    const rows = Math.ceil(boxes.length / perRow);
    const height = 36 + lines.length * LINE + (rows ? rows * (boxHeight + 10) + 4 : 0) + 8;
    parts.push(`<rect x="${MARGIN}" y="${y}" width="${inner}" height="${height}" rx="10" fill="#eef4ff" stroke="#1f6feb" stroke-width="1.5"/>`);
    parts.push(text(MARGIN + 12, y + 26, step.title, FONT, 'start', 'bold'));
    let ly = y + 26 + LINE;
    for (const line of lines) {
      parts.push(text(MARGIN + 12, ly, line, SMALL));
      ly += LINE;
    }
    boxes.forEach((b, i) => {
      const bx = MARGIN + 12 + (i % perRow) * (boxWidth + 12);
      const by = ly - 12 + Math.floor(i / perRow) * (boxHeight + 10);
      parts.push(`<rect x="${bx}" y="${by}" width="${boxWidth}" height="${boxHeight}" rx="6" fill="#ffffff" stroke="#8fb3f0"/>`);
      let ty = by + 20;
      for (const t of b.title) {
        parts.push(text(bx + 8, ty, t, SMALL, 'start', 'bold'));
        ty += 18;
      }
      for (const t of b.lines) {
        parts.push(text(bx + 8, ty, t, 12, 'start', 'normal', '#4a5565'));
        ty += 18;
      }
    });
    y += height;
  });
  y += 14;
  for (const line of chart.footer.flatMap((l) => wrap(l, WIDTH - 2 * MARGIN, 12))) {
    y += 18;
    parts.push(text(MARGIN, y, line, 12, 'start', 'normal', '#4a5565'));
  }
  const height = y + MARGIN;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(chart.title)}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<defs><marker id="arrow" markerWidth="10" markerHeight="10" refX="5" refY="5" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#1f6feb"/></marker></defs>` +
    `<g font-family="${FONT_FAMILY}">${parts.join('')}</g></svg>`
  );
}

/** What the chart says, for a screen reader or a channel that shows no image. */
export function flowChartAlt(chart: FlowChart): string {
  return [chart.title, ...chart.steps.map((s) => `${s.title}：${[...s.lines, ...(s.parallel ?? []).map((p) => `${p.title}（${p.lines.join('，')}）`)].join('，')}`)].join('；');
}

/**
 * The chart as a PNG, at twice its size for phone screens, or null when the host has no CJK font (it would
 * draw boxes for every character; the channels then say the steps in text).
 */
export function flowChartPng(chart: FlowChart): Buffer | null {
  const font = cjkFont();
  if (!font) return null;
  const resvg = new Resvg(flowChartSvg(chart), {
    fitTo: { mode: 'width', value: WIDTH * 2 },
    font: { fontFiles: [font], loadSystemFonts: false, defaultFontFamily: 'WenQuanYi Micro Hei' },
    background: '#ffffff',
  });
  return resvg.render().asPng();
}

/** Where Debian, Ubuntu and RHEL-like hosts keep a CJK font (fonts-wqy-microhei, fonts-noto-cjk…). */
const CJK_FONTS = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/wqy-microhei/wqy-microhei.ttc',
];
let foundFont: string | null | undefined;

export function cjkFont(): string | null {
  foundFont ??= CJK_FONTS.find((f) => existsSync(f)) ?? null;
  return foundFont;
}

function text(x: number, y: number, content: string, size: number, anchor: 'start' | 'middle' = 'start', weight: 'normal' | 'bold' = 'normal', fill = '#1d2530'): string {
  return `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" text-anchor="${anchor}" fill="${fill}">${escapeXml(content)}</text>`;
}

function arrow(x: number, from: number, to: number): string {
  return `<line x1="${x}" y1="${from}" x2="${x}" y2="${to - 4}" stroke="#1f6feb" stroke-width="2" marker-end="url(#arrow)"/>`;
}

/** Lines that fit `width` pixels: a CJK character is as wide as the font size, others about half. */
function wrap(content: string, width: number, size: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const ch of content) {
    const w = /[\u0000-\u00ff]/u.test(ch) ? size * 0.55 : size;
    if (used + w > width && line) {
      lines.push(line);
      line = '';
      used = 0;
    }
    line += ch;
    used += w;
  }
  if (line) lines.push(line);
  return lines;
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
