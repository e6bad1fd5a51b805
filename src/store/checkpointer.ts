/**
 * SQLite's WAL checkpoints, off the turn's thread. By default the connection that commits past 1,000
 * pages of WAL copies them back into the database file and syncs it, inside that commit: about half of
 * a turn's database time on average, and a stall of milliseconds (seconds, on a busy disk) now and then.
 * Here the process's connections never checkpoint (`wal_autocheckpoint = 0`); a worker thread on a
 * connection of its own runs a PASSIVE checkpoint every second, which copies what no reader still needs
 * while turns go on writing.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.busyMs });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or briefly locked: the next second tries again.
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(path: string, options: { busyMs: number; everyMs?: number }): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { path, driver, busyMs: options.busyMs, everyMs: options.everyMs ?? 1000 } });
  // A worker that fails leaves the WAL to grow until the next start; it never takes the process down.
  worker.on('error', () => {});
  worker.unref();
  return {
    async stop() {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      // Held while it closes its connection, so that the process waits for it.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
