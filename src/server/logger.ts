/**
 * Structured logs (pino, through fastify) with personal data masked: request bodies are never logged
 * whole, and any ID or mobile number that reaches a log line is masked.
 */
import type { FastifyServerOptions } from 'fastify';
import { maskText } from '../privacy/mask.ts';

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  if (level === 'silent') return false;
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.idNumber', '*.mobile', '*.legal_rep_id_number', '*.contact_mobile'],
      censor: '[masked]',
    },
    hooks: {
      // Masks numbers inside free-text log arguments too (e.g. a user's message quoted in an error).
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? maskText(a) : a)) as Parameters<typeof method>);
      },
    },
  };
}
