/**
 * Turns read and committed on the database, each in one transaction, under the user's lock: the raw
 * driver's path (src/store/turnStore.ts) for the read and a plain turn's write, one statement each on
 * PostgreSQL; a submission and the turn that follows from it in one store transaction with its case.
 * A crash at any point leaves all of it or none: never a case twice, never a notice lost.
 */
import type { DomainDeps } from '../cases/deps.ts';
import type { TurnRecord, TurnStore } from '../dialogue/ports.ts';
import { ConflictError } from '../kernel/errors.ts';
import type { Store } from '../store/repositories.ts';
import type { TurnDatabase } from '../store/turnStore.ts';
import { caseApplications } from './applications.ts';

/** `raw`: the raw-driver store the turns run on (the database's own; a test passes one with a shorter lock wait). */
export function databaseTurns(raw: TurnDatabase, domain: DomainDeps): TurnStore {
  const { clock } = domain;

  /** The turn's writes inside the submission's transaction. */
  async function commit(tx: Store, turn: TurnRecord): Promise<void> {
    const at = clock.now();
    if (turn.updateKey) await tx.inboundUpdates.answered(turn.updateKey, at);
    const delivered = turn.delivered ?? [];
    if (!(await tx.outbox.takeWaiting(delivered, at))) throw new ConflictError('OutboxMessage', delivered.join(','));
    await tx.conversations.saveTurn(turn.conversationId, turn);
  }

  return {
    run: (user, fn) =>
      raw.run(user, (held) =>
        fn({
          open: (request) => held.open({ ...request, now: clock.now() }),
          save: (turn) => held.save(turn, clock.now()),
          // The case and the turn that follows from it, in one transaction that both join. An application
          // the conversation has already (a 确认提交 that did not hold the user's lock) is a conflict.
          submitAndSave: (input, turnFor) =>
            domain.store.transaction(async (tx) => {
              const result = await caseApplications({ ...domain, store: tx }).submit(input);
              await commit(tx, turnFor(result));
              return result;
            }),
        }),
      ),
  };
}
