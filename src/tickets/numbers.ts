/** Numbers in tickets: the ticket's own (工单号: GD + yyyymmdd (Beijing) + 6 random digits), and the phone a person gives, however written. */
import { randomInt } from 'node:crypto';
import { shanghaiDate } from '../kernel/clock.ts';

export function ticketNumber(at: Date): string {
  let digits = '';
  for (let i = 0; i < 6; i++) digits += String(randomInt(10));
  return `GD${shanghaiDate(at).replaceAll('-', '')}${digits}`;
}

export const TICKET_NUMBER = /\b(GD\d{14})\b/i;

/** A ticket's kind as people read it. */
export const TICKET_KIND_LABEL: Readonly<Record<string, string>> = { complaint: '投诉', help_request: '求助', suggestion: '建议' };

const CHINESE_DIGITS: Record<string, string> = { 零: '0', 〇: '0', 一: '1', 幺: '1', 二: '2', 两: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9', 壹: '1', 贰: '2', 叁: '3', 肆: '4', 伍: '5', 陆: '6', 柒: '7', 捌: '8', 玖: '9' };

/** The digits of a message, spoken ones included (「一五八四七五一二三四五」), spaces and dashes gone. */
export function digitsOf(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/([零〇一幺二两三四五六七八九壹贰叁肆伍陆柒捌玖])[\s-]+(?=[零〇一幺二两三四五六七八九壹贰叁肆伍陆柒捌玖])/gu, '$1')
    .replace(/[零〇一幺二两三四五六七八九壹贰叁肆伍陆柒捌玖]{7,}/gu, (run) => [...run].map((c) => CHINESE_DIGITS[c] ?? c).join(''))
    .replace(/(\d)[\s-]+(?=\d)/g, '$1')
    .replace(/\+?86(?=1[3-9]\d{9}(?!\d))/g, '');
}

const PHONE = /(?<!\d)(1[3-9]\d{9}|0\d{2,3}\d{7,8})(?!\d)/;

/** The mobile or landline number a message gives, however written (spaces, dashes, +86, Chinese digits). */
export function phoneIn(text: string): string | undefined {
  return PHONE.exec(digitsOf(text))?.[1];
}
