// An outbox row's image column (JSON) read back in the domain's words.
import type { OutboxImage } from './repositories.ts';

/** The image reference of an outbox row's JSON column, or none. */
export function outboxImage(value: unknown): OutboxImage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if ('kind' in value && value.kind === 'licence_qr' && 'licenceId' in value && typeof value.licenceId === 'string') {
    return { kind: 'licence_qr', licenceId: value.licenceId };
  }
  return undefined;
}
