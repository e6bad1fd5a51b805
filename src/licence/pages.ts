/** HTML of the public licence pages: the mobile verify page, the "not valid" page, the printable licence. */
import { shanghaiDate } from '../kernel/clock.ts';
import type { PrintableVersion, PublicLicence } from './publicView.ts';
import { formatLocal } from '../calendar/workingDays.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const STYLE = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;padding:16px;max-width:640px;margin:auto;color:#222;line-height:1.5}
h1{font-size:1.3em;margin:.2em 0}.status{padding:10px 12px;border-radius:8px;font-weight:bold;margin:12px 0}
.valid{background:#e7f6ea;color:#1b6e2e}.void{background:#fde8e8;color:#a11}.superseded{background:#fff4e0;color:#8a5a00}
table{border-collapse:collapse;width:100%;font-size:.95em}td,th{border-bottom:1px solid #ddd;padding:6px 4px;text-align:left;vertical-align:top}
.muted{color:#666;font-size:.85em}.pending{color:#8a5a00}.ended{color:#a11;text-decoration:line-through}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function itemsTable(items: PublicLicence['items']): string {
  const rows = items
    .map(
      (i) =>
        `<tr class="${i.state}"><td>${esc(i.name)}</td><td>${esc(i.department)}</td><td>${esc(i.permitNumber ?? '—')}</td><td>${esc(i.validFrom ?? '')}${i.validUntil ? ` 至 ${esc(i.validUntil)}` : i.validFrom ? ' 起' : ''}</td><td>${esc(i.stateLabel)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>许可事项</th><th>审批部门</th><th>证号</th><th>有效期</th><th>状态</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function verifyPage(l: PublicLicence): string {
  return page(
    `行业综合许可证 ${l.number}`,
    `<h1>行业综合许可证</h1><div class="muted">${esc(l.region)}</div>
<div class="status ${l.status}">${esc(l.statusLabel)}${l.voidReason ? `：${esc(l.voidReason)}` : ''}</div>
<p>证号：${esc(l.number)}（第${l.version}版）<br>持证主体：${esc(l.holder)}<br>行业：${esc(l.industry)}<br>经营场所：${esc(l.address)}</p>
${itemsTable(l.items)}
<h2 style="font-size:1em">证照版本</h2><ul>${l.history.map((h) => `<li>第${h.version}版 ${esc(shanghaiDate(new Date(h.issuedAt)))}：${esc(h.reason)}${h.free ? '（免费换发）' : ''}</li>`).join('')}</ul>
<p class="muted">${esc(l.ruleNote)}<br>查询时间：${esc(formatLocal(new Date(l.checkedAt)))}（北京时间）</p>`,
  );
}

export function invalidPage(): string {
  return page(
    '证照无效',
    `<h1>行业综合许可证查询</h1><div class="status void">此二维码无效：未能核验为本系统签发的行业综合许可证。</div><p>请确认二维码完整、未被涂改，或向发证的政务服务窗口核实。</p>`,
  );
}

/**
 * The printable licence: the print of the version the token names (its own snapshot, never the live
 * state), carrying the QR code of that same version. A version that has been replaced is printed marked
 * as such, so an old print cannot pass for the current licence.
 */
export function printPage(l: PublicLicence, print: PrintableVersion, qrSvg: string): string {
  const p = print.printed;
  const superseded = print.version < l.version;
  const rows = p.items
    .map(
      (i) =>
        `<tr><td>${esc(i.name)}</td><td>${esc(print.departments[i.department] ?? i.department)}</td><td>${esc(i.permitNumber ?? '—')}</td><td>${esc(i.validFrom ?? '')}${i.validUntil ? ` 至 ${esc(i.validUntil)}` : i.validFrom ? ' 起' : ''}</td></tr>`,
    )
    .join('');
  const pending = p.pendingItems.length
    ? `<p class="pending">未许可事项：${p.pendingItems.map((i) => `${esc(i.name)}（${esc(print.departments[i.department] ?? i.department)}）`).join('、')}</p>`
    : '';
  return page(
    `行业综合许可证 ${p.number || l.number}（打印）`,
    `${superseded ? `<div class="status superseded">此版本已换发，请以最新版本为准（本页为第${print.version}版，当前有效版本为第${l.version}版）</div>` : ''}
<div style="text-align:center"><h1 style="font-size:1.8em;letter-spacing:.3em">行业综合许可证</h1><div>${esc(p.region || l.region)}</div></div>
<p>证号：${esc(p.number || l.number)}　第${print.version}版<br>持证主体：${esc(p.holder)}${p.creditCode ? `<br>统一社会信用代码：${esc(p.creditCode)}` : ''}${p.legalRep ? `<br>法定代表人（负责人）：${esc(p.legalRep)}` : ''}<br>行业：${esc(p.industry)}<br>经营场所：${esc(p.address)}</p>
<table><thead><tr><th>许可事项</th><th>审批部门</th><th>证号</th><th>有效期</th></tr></thead><tbody>${rows}</tbody></table>
${pending}
<div style="display:flex;align-items:center;gap:16px;margin-top:16px"><div style="width:160px">${qrSvg}</div><div class="muted">扫码查看本证及所含各项许可的实时状态<br>${print.issuer ? `发证机关：${esc(print.issuer)}<br>` : ''}发证日期：${esc(shanghaiDate(new Date(print.issuedAt)))}</div></div>
<p class="no-print" style="margin-top:24px"><button type="button" id="print" style="font:inherit;padding:6px 16px">打印</button></p><style>@media print{.no-print{display:none}}</style>
<script src="/v/print.js"></script>`,
  );
}

/** Asked to print a void licence: the same 已作废 notice as the verify page, and nothing printable. */
export function voidPrintPage(l: PublicLicence): string {
  return page(
    `行业综合许可证 ${l.number}（已作废）`,
    `<h1>行业综合许可证</h1><div class="muted">${esc(l.region)}</div>
<div class="status void">${esc(l.statusLabel)}${l.voidReason ? `：${esc(l.voidReason)}` : ''}</div>
<p>证号：${esc(l.number)}<br>持证主体：${esc(l.holder)}</p>
<p>已作废的行业综合许可证不能打印。如有疑问，请向发证的政务服务窗口咨询。</p>
<p class="muted">${esc(l.ruleNote)}<br>查询时间：${esc(formatLocal(new Date(l.checkedAt)))}（北京时间）</p>`,
  );
}
