/**
 * Pull channels (web chat, terminal) have no push: the dialogue calls takePending at the start of each
 * turn and shows what waited. Each row is claimed by a conditional update, so two turns at once never
 * show the same message twice.
 */
import type { DomainDeps } from '../cases/deps.ts';
import { outboxImage } from './outbox.ts';
import { renderOutboxImage } from './renderImage.ts';

export interface PendingMessage {
  id: number;
  text: string;
  createdAt: Date;
  image?: { png: Buffer; dataUrl: string; caption: string; url: string };
  /** The conversation already records it (written when it was sent, as an agent's reply is). */
  recorded?: boolean;
}

export async function takePending(
  deps: Pick<DomainDeps, 'db' | 'licence' | 'clock'>,
  to: { channel: string; userId: string },
): Promise<PendingMessage[]> {
  const now = deps.clock.now();
  const rows = await deps.db.prisma.outboxMessage.findMany({
    where: { channel: to.channel, userId: to.userId, status: 'pending', availableAt: { lte: now } },
    orderBy: { id: 'asc' },
    take: 20,
  });
  const out: PendingMessage[] = [];
  for (const row of rows) {
    const claimed = await deps.db.prisma.outboxMessage.updateMany({
      where: { id: row.id, status: 'pending' },
      data: { status: 'delivered', sentAt: now, attempts: { increment: 1 } },
    });
    if (claimed.count !== 1) continue;
    const ref = outboxImage(row.image);
    const image = ref ? await renderOutboxImage(deps, ref) : undefined;
    out.push({
      id: row.id,
      text: row.text,
      createdAt: row.createdAt,
      ...(row.recorded ? { recorded: true } : {}),
      ...(image ? { image: { png: image.png, dataUrl: `data:image/png;base64,${image.png.toString('base64')}`, caption: image.caption, url: image.url } } : {}),
    });
  }
  return out;
}
