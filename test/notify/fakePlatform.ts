/**
 * A messaging platform on loopback for the multi-instance tests: every instance's sender posts to it,
 * and it keeps the messages in the order it took them, which is the order their users would see.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { OutboxDispatcher } from '../../src/notify/dispatcher.ts';
import type { ChannelSender } from '../../src/notify/senders.ts';
import type { Database } from '../../src/store/db.ts';

export interface Received {
  userId: string;
  text: string;
  /** The instance that sent it. */
  instance: string;
}

export interface FakePlatform {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** Takes each message after a 0–2 ms round trip, so that two instances' sends interleave. */
export async function startFakePlatform(): Promise<FakePlatform> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += String(chunk)));
    req.on('end', () => {
      setTimeout(() => {
        const { userId, text } = JSON.parse(body);
        received.push({ userId, text, instance: String(req.headers['x-instance']) });
        res.end('{"ok":true}');
      }, Math.random() * 2);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/send`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export function platformSender(url: string, instance: string): ChannelSender {
  return {
    async send(to, message) {
      const res = await fetch(url, { method: 'POST', headers: { 'x-instance': instance }, body: JSON.stringify({ userId: to.userId, text: message.text }) });
      if (!res.ok) throw new Error(`platform answered ${res.status}`);
    },
  };
}

/** Ticks until no row is left pending or sending (rows still in flight may belong to another instance). */
export async function drainOutbox(outbox: OutboxDispatcher, db: Database): Promise<void> {
  for (;;) {
    if ((await outbox.tick()) > 0) continue;
    const left = await db.prisma.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } });
    if (left === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
