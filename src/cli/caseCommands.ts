/**
 * `yiye case …`: the staff operations from a terminal, through the same use cases, validation and
 * audit as the HTTP API (cases/staffOperations.ts). Authenticated by a staff token (--token or the
 * YIYE_STAFF_TOKEN environment variable). Exit codes: 0 done, 1 bad input, 2 not authenticated or not
 * allowed, 3 not found, 4 refused by the case's state.
 */
import { parseArgs } from 'node:util';
import { authenticate, createStaff, ensureBootstrapAdmin, knownDepartments, listStaff, type StaffActor } from '../auth/staff.ts';
import { audit } from '../auth/audit.ts';
import type { DomainDeps } from '../cases/deps.ts';
import { DomainError } from '../cases/errors.ts';
import { showCase, type CaseDetail, type CaseListEntry } from '../cases/listCases.ts';
import { runStaffOperation } from '../app/staffOperations.ts';
import { ITEM_STATUS_LABEL, type ItemStatus } from '../cases/model.ts';
import { formatLocal } from '../calendar/workingDays.ts';

export interface CaseIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface CaseCommandDeps {
  /** The domain (an open database); called once per command. */
  domain: () => Promise<DomainDeps>;
  /** Called when the command is done (closes what `domain` opened). */
  release?: () => Promise<void>;
  /** ADMIN_TOKEN from the config: its holder is the bootstrap admin. */
  adminToken?: string;
}

export const CASE_USAGE = `用法（staff commands; 令牌：--token T 或环境变量 YIYE_STAFF_TOKEN）:
  yiye case list [--status open|closed|办理中|已办结] [--overdue] [--region 地区（编号、名称或别称）] [--item-status 状态] [--find 办件号|手机号|信用代码|主体名称] [--limit N] [--json]
  yiye case show 办件号 [--reveal] [--json]
  yiye case accept 办件号 [--reason 说明]
  yiye case item 办件号 事项 approve [--permit-number 证号] [--valid-from 日期] [--valid-until 日期]
  yiye case item 办件号 事项 reject --reason 理由
  yiye case item 办件号 事项 waive [--reason 说明]   （申请人不确定的事项，窗口确认无需办理）
  yiye case inspect 办件号 schedule --at 2026-12-01T09:30 [--items a,b] [--note 说明]
  yiye case inspect 办件号 rectify --opinion 意见 [--opinion 意见]... [--recheck-at 时间]
  yiye case inspect 办件号 pass|fail [--note 说明]
  yiye case request-materials 办件号 --material "材料名称：问题" [--material ...] [--items a,b] [--how 提交方式]
  yiye case materials-received 办件号 [--request 编号]      yiye case materials-cancel 办件号 [--request 编号]
  yiye case issue 办件号                                    核发（或换发）行业综合许可证
  yiye case change 办件号 [--field 字段=值]... [--item 事项 --permit-number 证号 --valid-until 日期] --reason 原因
  yiye case revoke 办件号 事项 [--kind revoked|cancelled|expired] --reason 原因
  yiye case staff add --name 姓名 --role staff|hotline|admin [--department 部门]     yiye case staff list
  事项可以写许可编号（如 food_business_licence）或目录中的名称。`;

const EXIT: Record<DomainError['code'], number> = {
  invalid_input: 1,
  unauthenticated: 2,
  forbidden: 2,
  not_found: 3,
  invalid_state: 4,
  conflict: 4,
  locked: 4,
};

export async function caseCommand(args: string[], deps: CaseCommandDeps, io: CaseIo): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === 'help' || sub === '--help') {
    io.stdout(CASE_USAGE);
    return sub ? 0 : 1;
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(rest);
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n${CASE_USAGE}`);
    return 1;
  }
  const { values, positionals } = parsed;
  const json = values.json === true;
  let domain: DomainDeps | undefined;
  try {
    domain = await deps.domain();
    await ensureBootstrapAdmin(domain.store, domain.clock, deps.adminToken);
    const token = values.token ?? io.env?.['YIYE_STAFF_TOKEN'];
    let actor: StaffActor;
    try {
      actor = await authenticate(domain.store, token, domain.clock);
    } catch (error) {
      await audit(domain.store, domain.clock, { actor: null, via: 'cli', action: `case ${sub}`, outcome: 'unauthenticated' });
      throw error;
    }
    // Case operations audit themselves (runStaffOperation); anything else (staff add/list, a refused or
    // unknown command) is audited here, whatever its outcome.
    const ops = { audited: false };
    let result: unknown;
    try {
      result = await dispatch(sub, positionals, values, domain, actor, ops);
    } catch (error) {
      if (!ops.audited) {
        const outcome = error instanceof DomainError ? error.code : error instanceof UsageError ? 'invalid_input' : 'error';
        await audit(domain.store, domain.clock, { actor, via: 'cli', action: cliAction(sub, positionals), outcome });
      }
      throw error;
    }
    if (!ops.audited) await audit(domain.store, domain.clock, { actor, via: 'cli', action: cliAction(sub, positionals), outcome: 'ok' });
    if (json) io.stdout(JSON.stringify(result, null, 2));
    else if (DONE[sub] && positionals[0]) {
      // A change says what was done, then the case as it now stands (as `show` prints it).
      const detail = await showCase(domain, { actor, caseNumber: positionals[0] });
      io.stdout(`${doneLine(sub, result)}\n${render('show', detail)}`);
    } else io.stdout(render(sub, result));
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      if (json) io.stdout(JSON.stringify({ error: error.code, message: error.userMessage }, null, 2));
      io.stderr(error.userMessage);
      return EXIT[error.code];
    }
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n${CASE_USAGE}`);
      return 1;
    }
    throw error;
  } finally {
    await deps.release?.();
  }
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      token: { type: 'string' },
      json: { type: 'boolean' },
      status: { type: 'string' },
      overdue: { type: 'boolean' },
      region: { type: 'string' },
      'item-status': { type: 'string' },
      limit: { type: 'string' },
      reveal: { type: 'boolean' },
      reason: { type: 'string' },
      department: { type: 'string' },
      find: { type: 'string' },
      'permit-number': { type: 'string' },
      'valid-from': { type: 'string' },
      'valid-until': { type: 'string' },
      at: { type: 'string' },
      items: { type: 'string' },
      note: { type: 'string' },
      opinion: { type: 'string', multiple: true },
      'recheck-at': { type: 'string' },
      material: { type: 'string', multiple: true },
      how: { type: 'string' },
      request: { type: 'string' },
      field: { type: 'string', multiple: true },
      item: { type: 'string' },
      kind: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
    },
  });
}

type Values = ReturnType<typeof parse>['values'];

/** How a command that is not a case operation shows in the audit trail, e.g. `staff_list`. */
function cliAction(sub: string, pos: string[]): string {
  if (sub === 'staff') return pos[0] === 'add' ? 'staff_create' : pos[0] === 'list' ? 'staff_list' : `staff ${(pos[0] ?? '').slice(0, 30)}`;
  return `case ${sub.slice(0, 30)}`;
}

async function dispatch(sub: string, pos: string[], v: Values, deps: DomainDeps, actor: StaffActor, ops: { audited: boolean }): Promise<unknown> {
  const run = (name: Parameters<typeof runStaffOperation>[3], input: Record<string, unknown>) => {
    ops.audited = true; // runStaffOperation audits every outcome
    return runStaffOperation(deps, actor, 'cli', name, strip(input));
  };
  const caseNumber = () => {
    const n = pos[0];
    if (!n) throw new UsageError('请给出办件号。');
    return n;
  };
  const list = (s: string | undefined) => (s ? s.split(/[,，、]/).map((x) => x.trim()).filter(Boolean) : undefined);
  switch (sub) {
    case 'list':
      return run('list', { status: CASE_STATUS_WORD[v.status ?? ''] ?? v.status, overdue: v.overdue, region: v.region, itemStatus: v['item-status'], q: v.find, limit: v.limit === undefined ? undefined : Number(v.limit) });
    case 'show':
      return run('show', { caseNumber: caseNumber(), reveal: v.reveal });
    case 'accept':
      return run('accept', { caseNumber: caseNumber(), reason: v.reason });
    case 'item': {
      const [, permit, decision] = pos;
      if (!permit || (decision !== 'approve' && decision !== 'reject' && decision !== 'waive')) throw new UsageError('用法：yiye case item 办件号 事项 approve|reject|waive');
      return run('decide', { caseNumber: caseNumber(), permit, decision, permitNumber: v['permit-number'], validFrom: v['valid-from'], validUntil: v['valid-until'], reason: v.reason });
    }
    case 'inspect': {
      const action = pos[1];
      if (action === 'schedule') return run('scheduleInspection', { caseNumber: caseNumber(), at: v.at, permits: list(v.items), note: v.note });
      const result = action === 'pass' ? 'passed' : action === 'fail' ? 'failed' : action === 'rectify' ? 'rectify' : undefined;
      if (!result) throw new UsageError('用法：yiye case inspect 办件号 schedule|rectify|pass|fail');
      return run('recordInspection', { caseNumber: caseNumber(), result, opinions: v.opinion, recheckAt: v['recheck-at'], note: v.note });
    }
    case 'request-materials': {
      const materials = (v.material ?? []).map((m) => {
        const at = m.search(/[:：]/);
        return at < 0 ? { name: m.trim(), problem: '' } : { name: m.slice(0, at).trim(), problem: m.slice(at + 1).trim() };
      });
      return run('requestMaterials', { caseNumber: caseNumber(), materials, permits: list(v.items), howToSubmit: v.how });
    }
    case 'materials-received':
    case 'materials-cancel':
      return run('closeMaterials', { caseNumber: caseNumber(), requestId: v.request, outcome: sub === 'materials-received' ? 'resolved' : 'cancelled', reason: v.reason });
    case 'issue':
      return run('issue', { caseNumber: caseNumber() });
    case 'change': {
      const fields: Record<string, string> = {};
      for (const pair of v.field ?? []) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new UsageError(`--field 的格式为 字段=值（收到「${pair}」）`);
        fields[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
      }
      const item = v.item ? strip({ permit: v.item, permitNumber: v['permit-number'], validUntil: v['valid-until'] }) : undefined;
      return run('change', { caseNumber: caseNumber(), fields: Object.keys(fields).length ? fields : undefined, item, reason: v.reason });
    }
    case 'revoke': {
      const permit = pos[1];
      if (!permit) throw new UsageError('用法：yiye case revoke 办件号 事项 --reason 原因');
      return run('end', { caseNumber: caseNumber(), permit, kind: v.kind ?? 'revoked', reason: v.reason });
    }
    case 'staff': {
      if (pos[0] === 'list') return listStaff(deps.store, actor);
      if (pos[0] !== 'add' || !v.name || !v.role) throw new UsageError('用法：yiye case staff add --name 姓名 --role staff|hotline|admin [--department 部门]');
      const created = await createStaff(deps.store, deps.clock, { actor, name: v.name, role: v.role, ...(v.department ? { department: v.department } : {}), departments: knownDepartments(deps.catalog) });
      await audit(deps.store, deps.clock, { actor, via: 'cli', action: 'staff_create', target: created.id, outcome: 'ok', detail: { name: created.name, role: created.role, ...(created.department ? { department: created.department } : {}) } });
      ops.audited = true;
      return created;
    }
    default:
      throw new UsageError(`未知子命令「${sub}」。`);
  }
}

function strip(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** What each event of a case says, in Chinese (an item moved to a status reads as that status). */
const EVENT_LABEL: Record<string, string> = {
  submitted: '提交申请',
  accepted: '受理',
  materials_requested: '一次性告知补正材料',
  materials_resolved: '补正材料已收齐',
  materials_cancelled: '补正要求已撤回',
  inspection_scheduled: '安排联合现场核查',
  inspection_passed: '现场核查通过',
  inspection_rectification: '现场核查要求整改',
  inspection_failed: '现场核查未通过',
  recheck_passed: '整改复查通过',
  recheck_failed: '整改复查未通过',
  recheck_rectify: '复查仍需整改',
  info_changed: '变更信息',
  licence_issued: '颁发行业综合许可证',
  licence_reissued: '换发行业综合许可证',
  licence_voided: '行业综合许可证作废',
  licence_qr_updated: '更新二维码信息',
};

const statusLabel = (status: string | undefined) => (status ? (ITEM_STATUS_LABEL[status as ItemStatus] ?? status) : '');
const eventLabel = (action: string) => EVENT_LABEL[action] ?? (action in ITEM_STATUS_LABEL ? statusLabel(action) : action);
const licenceLabel = (status: string) => (status === 'valid' ? '有效' : status === 'void' ? '已作废' : status);
/** A stored instant as people read it here: Beijing time. */
const local = (iso: string) => {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : formatLocal(at);
};

/** 「办理中」「已办结」 for --status, as the list prints them. */
const CASE_STATUS_WORD: Record<string, string> = { 办理中: 'open', 已办结: 'closed' };

/** What each change to a case says it did, before the case is shown. */
const DONE: Record<string, string> = {
  accept: '已受理。',
  item: '已记录审批决定。',
  inspect: '已记录联合现场核查。',
  'request-materials': '已发出补正通知（一次告知）。',
  'materials-received': '已记录补正材料收到。',
  'materials-cancel': '已撤回补正通知。',
  issue: '已核发行业综合许可证。',
  change: '已变更。',
  revoke: '已记录。',
};

function doneLine(sub: string, result: unknown): string {
  if (sub === 'issue' && typeof result === 'object' && result !== null && 'licenceNumber' in result) {
    const r = result as { licenceNumber: string; version: number; pendingItems: string[]; reissued: boolean };
    return `已${r.reissued ? '换发' : '核发'}行业综合许可证 ${r.licenceNumber}（第${r.version}版）${r.pendingItems.length ? `，未许可事项：${r.pendingItems.join('、')}` : ''}。`;
  }
  return DONE[sub] ?? '';
}

function render(sub: string, result: unknown): string {
  if (sub === 'list' && Array.isArray(result)) {
    const rows: CaseListEntry[] = result;
    if (rows.length === 0) return '没有符合条件的办件。';
    return rows
      .map((c) => `${c.number}  ${c.region}·${c.industry}  ${c.holder}  ${c.phone}  ${c.status === 'open' ? '办理中' : '已办结'}${c.overdue ? '  【超期】' : ''}\n${c.items.map((i) => `    - ${i.name}（${i.department}）${statusLabel(i.status)}${i.deadline ? ` 时限${i.deadline}` : ''}${i.overdue ? ' 超期' : ''}`).join('\n')}`)
      .join('\n');
  }
  if (sub === 'show' && isDetail(result)) {
    const c = result;
    const itemName = (permitId: string) => c.items.find((i) => i.permitId === permitId)?.name ?? permitId;
    return [
      `办件 ${c.number}（申请号 ${c.applicationNumber}）${c.regionName}·${c.industryName}  ${c.status === 'open' ? '办理中' : '已办结'}${c.overdue ? '【超期】' : ''}`,
      `主体：${c.holderName}  地址：${c.address}`,
      ...(c.delivery ? [`证照领取：${c.delivery.method === 'post' ? `免费邮寄至 ${c.delivery.address ?? '（未填地址）'}` : '到窗口领取'}`] : []),
      ...c.items.map((i) => `  - ${i.name}（${i.department}）${i.statusLabel}${i.promisedDeadline ?? i.statutoryDeadline ? ` 时限${i.promisedDeadline ?? i.statutoryDeadline}${i.approximate ? '（节假日安排未公布，按周末和法定固定假日推算）' : ''}` : ''}${i.permitNumber ? ` 证号${i.permitNumber}` : ''}${i.overdue ? ' 【超期】' : ''}`),
      ...(c.licence ? [`行业综合许可证：${c.licence.number}（${licenceLabel(c.licence.status)}，第${c.licence.version}版）`] : []),
      ...c.materialRequests.filter((r) => r.status === 'open').map((r) => `补正（${r.id}）：${r.materials.map((m) => m.name).join('、')}，已提醒${r.remindersSent}次`),
      '事件（北京时间）：',
      ...c.events.map((e) => `  ${local(e.at)} ${e.actor} ${eventLabel(e.action)}${e.permitId ? ` ${itemName(e.permitId)}` : ''}${e.from ? ` ${statusLabel(e.from)}→${statusLabel(e.to)}` : ''}${e.reason ? ` （${e.reason}）` : ''}`),
    ].join('\n');
  }
  return JSON.stringify(result, null, 2);
}

function isDetail(value: unknown): value is CaseDetail {
  return typeof value === 'object' && value !== null && 'events' in value && 'items' in value;
}
