/**
 * Numbers people read out and type: application 申请号, case 办件号, licence 证号. A date part and a
 * random part (unguessable enough that the five-tries lock is the real guard); uniqueness is enforced by
 * the database and a clash is simply retried.
 */
import { randomInt } from 'node:crypto';
import { shanghaiDate } from './clock.ts';
import { ConflictError } from './errors.ts';

function digits(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(randomInt(10));
  return out;
}

const day = (at: Date) => shanghaiDate(at).replaceAll('-', '');

/** SQ + yyyymmdd + 6 digits, e.g. SQ20261122048213. */
export const applicationNumber = (at: Date) => `SQ${day(at)}${digits(6)}`;
/** BJ + yyyymmdd + 6 digits, e.g. BJ20261122730155. */
export const caseNumber = (at: Date) => `BJ${day(at)}${digits(6)}`;
/** ZH + region code + year + 6 digits, e.g. ZH-NAIMAN-2026-004211. */
export const licenceNumber = (at: Date, regionId: string) => `ZH-${regionId.toUpperCase()}-${day(at).slice(0, 4)}-${digits(6)}`;

/**
 * Runs `attempt` again (up to 5 times) when a generated number clashes with an existing one: the store
 * reports the clash as a ConflictError.
 */
export async function withFreshNumber<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConflictError) || i >= 4) throw error;
    }
  }
}
