/** Turns an outbox image reference into the PNG to send: the licence's current QR code. */
import type { DomainDeps } from '../cases/deps.ts';
import { qrPng, verifyUrl } from '../licence/qr.ts';
import type { OutboxImage } from '../store/repositories.ts';

export async function renderOutboxImage(
  deps: Pick<DomainDeps, 'store' | 'licence'>,
  image: OutboxImage,
): Promise<{ png: Buffer; caption: string; url: string } | undefined> {
  const licence = await deps.store.licences.find(image.licenceId);
  if (!licence) return undefined;
  const url = verifyUrl(deps.licence, licence.id, licence.version);
  return { png: await qrPng(url), caption: `行业综合许可证 ${licence.number} 二维码`, url };
}
