/**
 * (e) Complaints, requests for help and suggestions: a person says their own `turns`; while a ticket is
 * being taken down (`state.ticket`) they answer what is asked from `replies` by step (an unscripted step gets
 * 「无」 for the business, 「不用」 for the phone, 「奈曼旗」/「新乡经开区」 for the region); then `after`. Right when the
 * tickets given (their kinds, in order) are `expect.tickets`, the trade is `expect.industry` when given, every
 * `says` appears in some reply and no `never` does.
 */
import { z } from 'zod';
import type { EvalAssistant } from './assistant.ts';

export const ticketItemSchema = z.strictObject({
  id: z.string(),
  region: z.string(),
  note: z.string().optional(),
  turns: z.array(z.string().min(1)).min(1),
  replies: z.strictObject({ region: z.string().optional(), text: z.string().optional(), about: z.string().optional(), contact: z.string().optional() }).default({}),
  after: z.array(z.string().min(1)).default([]),
  expect: z.strictObject({
    tickets: z.array(z.enum(['complaint', 'help_request', 'suggestion'])),
    industry: z.string().optional(),
    says: z.array(z.string()).default([]),
    never: z.array(z.string()).default([]),
  }),
});
export type TicketItem = z.infer<typeof ticketItemSchema>;

const DEFAULTS = { text: '（具体情况如上）', about: '无', contact: '不用' } as const;
const REGION_NAMES: Record<string, string> = { naiman: '奈曼旗', xinxiang: '新乡经开区' };
const KIND_OF: Record<string, 'complaint' | 'help_request' | 'suggestion'> = { 投诉: 'complaint', 求助: 'help_request', 建议: 'suggestion' };

export interface TicketScore {
  right: number;
  ticketsRight: number;
  extraTickets: number;
  missedTickets: number;
  turns: number;
  misses: string[];
}

export async function scoreTickets(items: readonly TicketItem[], assistant: EvalAssistant, file: string): Promise<TicketScore> {
  const score: TicketScore = { right: 0, ticketsRight: 0, extraTickets: 0, missedTickets: 0, turns: 0, misses: [] };
  for (const item of items) {
    const user = `${file}#${item.id}`;
    const said: string[] = [];
    const given: string[] = [];
    const say = async (text: string) => {
      const result = await assistant.say(user, text, item.region);
      score.turns++;
      for (const reply of result.replies) {
        said.push(reply.text);
        const kind = /已为您登记(投诉|求助|建议)，工单号 GD\d{14}/u.exec(reply.text)?.[1];
        if (kind) given.push(KIND_OF[kind] ?? kind);
      }
      return result;
    };
    let last = await say(item.turns[0] ?? '');
    for (const text of item.turns.slice(1)) last = await say(text);
    for (let n = 0; n < 6 && last.state.ticket; n++) {
      const step = last.state.ticket.step;
      last = await say(item.replies[step] ?? (step === 'region' ? (REGION_NAMES[item.region] ?? item.region) : DEFAULTS[step]));
    }
    for (const text of item.after) last = await say(text);

    const problems: string[] = [];
    const want = item.expect.tickets;
    if (JSON.stringify(given) === JSON.stringify(want)) score.ticketsRight++;
    else {
      problems.push(`tickets: want [${want.join(', ')}], got [${given.join(', ')}]`);
      if (given.length > want.length) score.extraTickets += given.length - want.length;
      if (given.length < want.length) score.missedTickets += want.length - given.length;
    }
    if (item.expect.industry && last.state.industry?.id !== item.expect.industry) problems.push(`trade: want ${item.expect.industry}, got ${last.state.industry?.id ?? 'none'}`);
    const all = said.join('\n');
    for (const s of item.expect.says) if (!all.includes(s)) problems.push(`never said 「${s}」`);
    for (const s of item.expect.never) if (all.includes(s)) problems.push(`said 「${s}」`);
    if (!problems.length) score.right++;
    else score.misses.push(`  ${item.id} [${item.region}] ${item.note ?? ''}\n      ${problems.join('\n      ')}`);
  }
  return score;
}
