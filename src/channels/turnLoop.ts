/**
 * The one turn loop every messaging channel runs (Telegram, WeChat): an update becomes one
 * `handleMessage({ channel, userId, text, updateKey })`, and its replies are handed to the channel's
 * `deliver` once the turn has committed. The channels only say who wrote what and how replies are sent.
 *
 * - Duplicates: the update's claim is the turn's own: the assistant records `updateKey` in the turn's
 *   transaction (InboundUpdate, unique) and answers a second delivery, on any instance, with
 *   `duplicate` and no replies. Nothing is delivered for it.
 * - Side effects after commit: `deliver` is called only after handleMessage returned, i.e. after the
 *   turn's transaction committed; it is not awaited by `run`, so one chat's send pace never holds up the
 *   next update. A crash between the commit and the send loses the reply; the turn is not repeated (its
 *   update is recorded), and the user's next message shows where things stand.
 * - A turn that fails committed nothing, so the update may be handled again safely. Where the platform
 *   redelivers what was not acknowledged (a Telegram webhook answered 500), `run` says `failed` and
 *   delivers nothing, so that the redelivery answers; after `MAX_REDELIVERIES` failures of the same
 *   update here, or where nothing would come again, it sends the polite UNAVAILABLE text instead.
 * - Stopping: `drain()` refuses new turns and waits for the running ones and their deliveries.
 */
import type { Assistant } from '../dialogue/assistant.ts';
import type { Reply } from '../dialogue/types.ts';
import { silentLog, type ChannelLog } from './channel.ts';
import { UNAVAILABLE } from './render.ts';

/** How often a failing update is handed back to a redelivering platform before the user is told. */
export const MAX_REDELIVERIES = 2;
/** Failing updates remembered for that count; the oldest are forgotten first. */
const REMEMBERED_FAILURES = 1000;

export interface ChannelTurn {
  /** The channel's own id for the person (the Telegram user id, the WeChat contact id). */
  userId: string;
  text: string;
  /** The platform's id of the update: telegram:<bot id>:<update_id>, wechat:<message id>. */
  updateKey: string;
  /** Sends the replies (paced by the channel); called after the turn committed. */
  deliver: (replies: Reply[]) => Promise<void>;
  /** The platform hands the update over again when `run` reports `failed` (a webhook answered 500). */
  redelivered?: boolean;
}

/**
 * answered: committed, replies handed to `deliver` (the UNAVAILABLE text when the turn failed and the
 * update will not come again); duplicate: answered before, nothing sent; failed: nothing committed and
 * nothing sent: the platform should deliver the update again (only with `redelivered`).
 */
export type TurnOutcome = 'answered' | 'duplicate' | 'failed';

export interface TurnLoop {
  /** One update's turn; resolves once it has committed (the replies queued, not sent). Never rejects. */
  run(turn: ChannelTurn): Promise<TurnOutcome>;
  /** Resolves when the turns in progress are done and their replies delivered (or failed). */
  idle(): Promise<void>;
  /** Refuses further turns (they fail, so a redelivering platform sends them elsewhere), then `idle()`. */
  drain(): Promise<void>;
}

export interface TurnLoopOptions {
  channel: string;
  assistant: Pick<Assistant, 'handleMessage'>;
  log?: ChannelLog;
}

export function createTurnLoop(options: TurnLoopOptions): TurnLoop {
  const log = options.log ?? silentLog;
  const running = new Set<Promise<unknown>>();
  const failures = new Map<string, number>();
  let draining = false;

  async function turn(update: ChannelTurn): Promise<TurnOutcome> {
    const { userId, text, updateKey } = update;
    if (draining) return refuse(update, 'stopping');
    let replies: Reply[];
    try {
      const result = await options.assistant.handleMessage({ channel: options.channel, userId, text, updateKey });
      if (result.duplicate) {
        log.info({ updateKey }, `${options.channel} update already answered; skipped`);
        return 'duplicate';
      }
      replies = result.replies;
      failures.delete(updateKey);
    } catch (error) {
      log.error({ err: error, updateKey }, `${options.channel} turn failed`);
      return refuse(update, 'failed');
    }
    track(update.deliver(replies));
    return 'answered';
  }

  /** Nothing was committed: ask for the update again where the platform will send it, else apologise. */
  function refuse(update: ChannelTurn, why: 'failed' | 'stopping'): TurnOutcome {
    if (update.redelivered) {
      const count = (failures.get(update.updateKey) ?? 0) + 1;
      failures.delete(update.updateKey);
      failures.set(update.updateKey, count);
      if (failures.size > REMEMBERED_FAILURES) failures.delete(failures.keys().next().value ?? '');
      // Stopping: another instance (or this one, restarted) takes the redelivery; a turn that keeps failing
      // is answered with the apology so that the user is not left without a word.
      if (why === 'stopping' || count <= MAX_REDELIVERIES) return 'failed';
      failures.delete(update.updateKey);
    }
    track(update.deliver([{ text: UNAVAILABLE }]));
    return 'answered';
  }

  function track(work: Promise<unknown>): void {
    const settled = work.catch((error: unknown) => log.warn({ err: error }, `${options.channel} reply not delivered`));
    running.add(settled);
    void settled.finally(() => running.delete(settled));
  }

  async function idle(): Promise<void> {
    while (running.size) await Promise.allSettled([...running]);
  }

  return {
    run(update) {
      const outcome = turn(update);
      track(outcome);
      return outcome;
    },
    idle,
    async drain() {
      draining = true;
      await idle();
    },
  };
}
