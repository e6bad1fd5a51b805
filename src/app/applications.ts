/**
 * The dialogue's {@link ApplicationsPort} over the case workflow: submitting makes a case; the user's
 * earlier applications offer their common fields for reuse.
 */
import type { Catalog } from '../catalog/load.ts';
import { caseStatusForConversation, caseStatusForUser } from '../cases/caseStatus.ts';
import { lookupCase } from '../cases/lookupCase.ts';
import { submitApplication } from '../cases/submitApplication.ts';
import type { DomainDeps } from '../cases/deps.ts';
import type { ApplicationsPort } from '../dialogue/ports.ts';
import type { Reply } from '../dialogue/types.ts';
import { licenceForConversation } from '../licence/licenceForConversation.ts';
import { withImages } from '../notify/takePending.ts';
import * as T from '../dialogue/texts/index.ts';
import { TICKET_NUMBER } from '../tickets/numbers.ts';
import { addToLatestTicket, ticketStatusText } from '../tickets/tickets.ts';

const CASE_NUMBER = /\b(BJ\d{14})\b/i;
const LAST4 = /(?:尾号|后四位|后4位|手机)?\D*?(?<!\d)(\d{4})(?!\d)/;
import type { FieldValue } from '../guidance/validators.ts';

export function caseApplications(deps: DomainDeps): ApplicationsPort {
  return {
    async submit(input) {
      const result = await submitApplication(deps, input);
      const deadline = result.items
        .map((i) => i.promisedDeadline ?? i.statutoryDeadline)
        .filter((d): d is string => d !== undefined)
        .sort()
        .at(-1);
      const region = deps.catalog.regions.find((r) => r.id === input.regionId);
      return {
        applicationNumber: result.applicationNumber,
        caseNumber: result.caseNumber,
        nextSteps: [
          `共${result.items.length}个事项并联审批：${result.items.map((i) => `${i.name}（${i.department}）`).join('、')}。`,
          `${region ? `${region.window.name}` : '窗口'}工作人员受理后，需要现场核查的事项会统一约定一次联合核查；如需补正材料，我会在这里通知您。`,
          ...(deadline ? [`按目前的时限，预计最晚在${deadline}前办结${result.approximateDeadlines ? '（该年放假安排尚未公布，已按周末和固定日期的法定节假日推算，以窗口告知为准）' : region && !region.timeRule ? `（按各事项的法定时限推算；《${region.document.title}》没有写明办结时限，以窗口告知为准）` : ''}。`] : []),
          ...(input.form['licence_delivery'] === 'post' ? ['行业综合许可证颁发后将免费邮寄到您填写的地址。'] : []),
          ...(input.form['licence_delivery'] === 'window' ? ['行业综合许可证颁发后我会在这里通知您，请到窗口领取。'] : []),
          '随时回复「进度」查看每个事项办到哪一步。',
        ],
      };
    },
    async status({ conversationId, text, channel, userId, address }) {
      // 「工单 GD…」「我的投诉有结果了吗」: the person's tickets, not their cases.
      const aboutTickets = TICKET_NUMBER.test(text.normalize('NFKC')) || /工单|投诉|求助|建议|意见|反映的/u.test(text);
      const tickets = await ticketStatusText(deps, { channel, userId }, text);
      if (aboutTickets) {
        if (tickets) return [{ kind: 'status', text: tickets }];
        if (!CASE_NUMBER.test(text.normalize('NFKC'))) return [{ kind: 'status', text: '您还没有在这里登记过投诉、求助或建议（工单只能在登记它的对话里查询）。需要登记，请直接说「我要投诉」「我要求助」或「提个建议」；也可拨打12345。' }];
      }
      // This conversation's case, else any the same user submitted before (after 「重新开始」).
      const here = await caseStatusForConversation(deps, conversationId);
      const own = here.length ? here : await caseStatusForUser(deps, channel, userId);
      const asked = CASE_NUMBER.exec(text.normalize('NFKC'))?.[1]?.toUpperCase();
      if (asked) {
        const mine = own.find((c) => c.caseNumber === asked);
        if (mine) return [{ kind: 'status', text: mine.text }];
        const rest = text.normalize('NFKC').replace(CASE_NUMBER, ' ');
        const last4 = LAST4.exec(rest)?.[1];
        if (!last4) {
          return [{ kind: 'status', text: `查询办件 ${asked}，请同时提供申请时所留手机号的后四位，例如「查询 ${asked} 5678」。` }];
        }
        const result = await lookupCase(deps, { caseNumber: asked, phoneLast4: last4, requester: { channel, userId, ...(address ? { address } : {}) } });
        return [{ kind: 'status', text: result.ok ? result.case.text : result.message }];
      }
      if (own.length) return own.map((c): Reply => ({ kind: 'status', text: c.text }));
      // No application, but a ticket: 「有进展了吗」 asks after that.
      if (tickets) return [{ kind: 'status', text: tickets }];
      return [
        {
          kind: 'status',
          text: '这个对话里还没有提交过申请。查询其他申请，请发送办件号和申请人手机号后四位，例如「查询 BJ20261122123456 5678」。',
        },
      ];
    },
    async licence({ conversationId }) {
      const licence = await licenceForConversation(deps, conversationId);
      if (!licence) {
        return [{ kind: 'licence', text: '您的行业综合许可证还没有颁发。审批通过后会通知您，届时回复「许可证」即可获取电子证和二维码。' }];
      }
      return [
        {
          kind: 'licence',
          text: licence.text,
          image: { png: await licence.qrPng(), alt: `行业综合许可证 ${licence.number} 二维码`, caption: `行业综合许可证 ${licence.number}` },
        },
      ];
    },
    async addToTicket(key, text) {
      const number = await addToLatestTicket(deps, key, text);
      return [number ? T.ticketNoteAdded(number) : T.noTicketToAddTo];
    },
    async present(waiting) {
      const pending = await withImages(deps, waiting);
      return pending.map(
        (m): Reply => ({
          kind: 'notice_message',
          text: m.text,
          ...(m.recorded ? { recorded: true } : {}),
          ...(m.image ? { image: { png: m.image.png, alt: m.image.caption, caption: m.image.caption } } : {}),
        }),
      );
    },
    async previousCommonFields({ channel, userId }) {
      const last = await deps.store.applications.latestData(channel, userId);
      return last ? commonFields(deps.catalog, last) : null;
    },
  };
}

function commonFields(catalog: Catalog, data: unknown): Record<string, FieldValue> | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const out: Record<string, FieldValue> = {};
  for (const [id, value] of Object.entries(data)) {
    if (!catalog.fields.get(id)?.common) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[id] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[id] = value;
  }
  return Object.keys(out).length ? out : null;
}
