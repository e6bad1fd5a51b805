/**
 * Public licence pages (no authentication; the signed token is the key):
 *   GET /v/:token        mobile page with the licence's current state and items
 *   GET /v/:token.json   the same as JSON
 *   GET /v/:token/print  printable licence: the print of the token's own version with that version's QR code
 *                        (SVG), marked when replaced; a void licence gets the 已作废 notice instead
 *   GET /v/:token/qr.png and /v/:token/qr.svg
 *   GET /v/print.js      the print page's button
 * A forged, altered or unknown token gets the same "not valid" answer (404).
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { DomainDeps } from '../cases/deps.ts';
import { invalidPage, printPage, verifyPage, voidPrintPage } from '../licence/pages.ts';
import { verifyLicence, verifyWithPrint } from '../licence/publicView.ts';
import { qrPng, qrSvg } from '../licence/qr.ts';

/** The print page's button script, a file of its own: the CSP (src/server/app.ts) allows no inline script. */
const PRINT_SCRIPT = readFileSync(new URL('./web/print.js', import.meta.url), 'utf8');

export function registerLicenceRoutes(app: FastifyInstance, deps: DomainDeps): void {
  const html = 'text/html; charset=utf-8';
  const noStore = 'no-store';

  // A static path: it wins over /v/:token, and no token is 「print.js」.
  app.get('/v/print.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(PRINT_SCRIPT));

  app.get<{ Params: { token: string } }>('/v/:token', async (request, reply) => {
    const json = request.params.token.endsWith('.json');
    const token = json ? request.params.token.slice(0, -'.json'.length) : request.params.token;
    const outcome = await verifyLicence(deps, token);
    reply.header('cache-control', noStore);
    if (json) {
      return outcome.ok
        ? reply.send({ valid: outcome.licence.status !== 'void', licence: outcome.licence })
        : reply.status(404).send({ valid: false, error: 'InvalidLicenceToken', message: '此二维码无效：未能核验为本系统签发的行业综合许可证。' });
    }
    return outcome.ok ? reply.type(html).send(verifyPage(outcome.licence)) : reply.status(404).type(html).send(invalidPage());
  });

  app.get<{ Params: { token: string } }>('/v/:token/print', async (request, reply) => {
    const outcome = await verifyWithPrint(deps, request.params.token);
    if (!outcome.ok) return reply.status(404).type(html).send(invalidPage());
    reply.header('cache-control', noStore);
    // A void licence has nothing to print: the same 已作废 notice as /v/:token.
    if (outcome.licence.status === 'void') return reply.type(html).send(voidPrintPage(outcome.licence));
    // The token names the version printed, so its own URL is that version's QR code.
    const svg = await qrSvg(`${deps.licence.publicBaseUrl}/v/${request.params.token}`);
    return reply.type(html).send(printPage(outcome.licence, outcome.print, svg));
  });

  app.get<{ Params: { token: string; format: string } }>('/v/:token/qr.:format', async (request, reply) => {
    const { token, format } = request.params;
    const outcome = await verifyLicence(deps, token);
    if (!outcome.ok || (format !== 'png' && format !== 'svg')) return reply.status(404).type(html).send(invalidPage());
    const url = `${deps.licence.publicBaseUrl}/v/${token}`;
    return format === 'png' ? reply.type('image/png').send(await qrPng(url)) : reply.type('image/svg+xml').send(await qrSvg(url));
  });
}
