/**
 * One instance's outbox dispatcher, run as its own process by the multi-instance test:
 * `node --import tsx test/notify/dispatcherProcess.ts <database url> <platform url> <name>`. Its
 * 'telegram' sender posts to the loopback fake platform. Prints `ready` once the database is open,
 * starts on a `go` line on stdin, and prints `done` when no row is left pending or sending.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { systemClock } from '../../src/kernel/clock.ts';
import { startOutbox } from '../../src/notify/dispatcher.ts';
import { openDatabase } from '../../src/store/db.ts';
import { drainOutbox, platformSender } from './fakePlatform.ts';

const [url, platform, name] = process.argv.slice(2);
if (!url || !platform || !name) throw new Error('usage: dispatcherProcess.ts <database url> <platform url> <name>');
const db = await openDatabase({ url, migrate: false });
const outbox = startOutbox({
  db,
  senders: new Map([['telegram', platformSender(platform, name)]]),
  clock: systemClock,
  quietHours: null,
  licence: { publicBaseUrl: 'http://127.0.0.1', signingSecret: 'test-secret-0123456789abcdef' },
  pollMs: 0,
  onError: (error, messageId) => process.stderr.write(`message ${messageId}: ${String(error)}\n`),
});
const input = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await once(input, 'line');
await drainOutbox(outbox, db);
await outbox.stop();
await db.close();
input.close();
process.stdout.write('done\n');
