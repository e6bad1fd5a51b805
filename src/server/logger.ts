/**
 * Structured logs (pino, through fastify) with personal data masked: request bodies are never logged
 * whole, request URLs are masked (phone and ID numbers in paths and query strings, the web chat's userId,
 * licence tokens), and any ID or mobile number that reaches a log line is masked.
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import { maskSecrets, maskUrl } from '../privacy/mask.ts';

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  if (level === 'silent') return false;
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.idNumber', '*.mobile', '*.legal_rep_id_number', '*.contact_mobile'],
      censor: '[masked]',
    },
    serializers: {
      // Fastify's own fields, with the URL masked.
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: maskUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
    hooks: {
      // Masks numbers inside free-text log arguments too (e.g. a user's message quoted in an error, or
      // fastify's 「Route GET:/… not found」 with the URL in it).
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? maskSecrets(a) : a)) as Parameters<typeof method>);
      },
    },
  };
}
