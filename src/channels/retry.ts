/**
 * Keeps a channel connected: runs its connection, and when that fails or ends on its own (the platform
 * is unreachable, the token was refused, another instance took the long poll), waits and runs it
 * again, longer each time up to a ceiling, with jitter so that several instances do not retry in step.
 * The rest of the assistant never waits for it: the web chat, the staff API and the other channels
 * keep serving while one channel is down, and its outbox messages wait in the outbox.
 */
import type { ChannelLog } from './channel.ts';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** A run that lasted this long counts as healthy: the next failure starts again from `initialMs`. */
  healthyAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 5 * 60_000, factor: 2, healthyAfterMs: 60_000 };

export interface Supervisor {
  /** Stops retrying, calls `halt` so that the current run ends, and waits for it. */
  stop(): Promise<void>;
  /** Failed runs since the last healthy one. */
  readonly failures: number;
}

export interface SuperviseOptions {
  name: string;
  /** One connection: resolves when it ends, rejects when it fails. */
  run: () => Promise<void>;
  /** Ends the current run (stop polling, log out); called once, on stop. */
  halt: () => Promise<void> | void;
  backoff?: Partial<BackoffOptions>;
  log: ChannelLog;
  random?: () => number;
  /** How long stop() waits for the current run to end (default 10 s). */
  stopTimeoutMs?: number;
}

export function supervise(options: SuperviseOptions): Supervisor {
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const random = options.random ?? Math.random;
  let stopping = false;
  let failures = 0;
  let wake: (() => void) | undefined;

  async function loop(): Promise<void> {
    let delay = backoff.initialMs;
    while (!stopping) {
      const started = Date.now();
      let error: unknown;
      try {
        await options.run();
      } catch (caught) {
        error = caught ?? new Error('failed');
      }
      if (stopping) return;
      if (Date.now() - started >= backoff.healthyAfterMs) {
        delay = backoff.initialMs;
        failures = 0;
      }
      failures += 1;
      const wait = Math.round(delay * (0.8 + 0.4 * random()));
      options.log.warn(
        { channel: options.name, failures, retryInMs: wait, ...(error ? { err: error } : {}) },
        error ? `${options.name} channel is down; retrying` : `${options.name} channel stopped on its own; restarting`,
      );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      delay = Math.min(delay * backoff.factor, backoff.maxMs);
    }
  }

  const running = loop();
  return {
    get failures() {
      return failures;
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      wake?.();
      try {
        await options.halt();
      } catch (error) {
        options.log.warn({ channel: options.name, err: error }, `${options.name} channel did not stop cleanly`);
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          options.log.warn({ channel: options.name }, `${options.name} channel did not stop in time`);
          resolve();
        }, options.stopTimeoutMs ?? 10_000);
      });
      await Promise.race([running, timeout]);
      clearTimeout(timer);
    },
  };
}
