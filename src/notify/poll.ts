/**
 * A background job that runs one tick at a time: `tick()` joins a tick already running instead of
 * starting a second, and the loop waits `pollMs` after each tick ends (0: no loop, call `tick` yourself).
 */
export interface Poller<T> {
  tick(): Promise<T>;
  /** Stops the loop and waits for a running tick to end. */
  stop(): Promise<void>;
}

export function startPolling<T>(run: () => Promise<T>, pollMs: number, report: (error: unknown) => void): Poller<T> {
  let running: Promise<T> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = (): Promise<T> => {
    running ??= run().finally(() => {
      running = undefined;
    });
    return running;
  };
  const loop = () => {
    if (stopped) return;
    tick()
      .catch(report)
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, pollMs);
      });
  };
  if (pollMs > 0) timer = setTimeout(loop, 0);
  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
