/** The ticket's number (工单号) people read out and type: GD + yyyymmdd (Beijing) + 6 random digits. */
import { randomInt } from 'node:crypto';
import { shanghaiDate } from '../calendar/workingDays.ts';

export function ticketNumber(at: Date): string {
  let digits = '';
  for (let i = 0; i < 6; i++) digits += String(randomInt(10));
  return `GD${shanghaiDate(at).replaceAll('-', '')}${digits}`;
}

export const TICKET_NUMBER = /\b(GD\d{14})\b/i;
