/**
 * Errors of the case, licence and staff modules. `code` is mapped to an HTTP status or a CLI exit code at
 * the edge; `userMessage` is safe to show anyone (Chinese, no internals); `message` is for logs.
 */
import { maskText } from '../privacy/mask.ts';

export type DomainErrorCode =
  | 'invalid_input' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'invalid_state' // 409
  | 'conflict' // 409
  | 'locked'; // 429

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const HTTP_STATUS: Record<DomainErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_state: 409,
  conflict: 409,
  locked: 429,
};

/** What was looked for is said back with its personal numbers masked (a phone number typed as a case number). */
export const notFound = (what: string, key: string, label: string) =>
  new DomainError('not_found', `${what} ${maskText(key)} not found`, `未找到${label}「${maskText(key)}」。`);

export const invalidState = (message: string, userMessage: string) => new DomainError('invalid_state', message, userMessage);

export const invalidInput = (message: string, userMessage = message) => new DomainError('invalid_input', message, userMessage);
