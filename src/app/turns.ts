/**
 * Turns read and committed on the database, each in one transaction, under the user's lock: the raw
 * driver's path (src/store/turnStore.ts) for the read and a plain turn's write, one statement each on
 * PostgreSQL; a submission and the turn that follows from it in one Prisma transaction with its case.
 * A crash at any point leaves all of it or none: never a case twice, never a notice lost.
 */
import type { DomainDeps } from '../cases/deps.ts';
import type { TurnRecord, TurnStore } from '../dialogue/ports.ts';
import { markDelivered } from '../notify/takePending.ts';
import { prismaConversations } from '../store/conversations.ts';
import { joinTransaction, type StoreClient } from '../store/db.ts';
import { translatePrismaError } from '../store/errors.ts';
import type { TurnDatabase } from '../store/turnStore.ts';
import { caseApplications } from './applications.ts';

/** `raw`: the raw-driver store the turns run on (default the database's own; a test passes one with a shorter lock wait). */
export function databaseTurns(domain: DomainDeps, raw: TurnDatabase = domain.db.turns): TurnStore {
  const { db, clock } = domain;

  async function commit(tx: StoreClient, turn: TurnRecord): Promise<void> {
    const at = clock.now();
    if (turn.updateKey) {
      try {
        await tx.inboundUpdate.create({ data: { key: turn.updateKey, status: 'done', owner: 'turn', leaseUntil: at, receivedAt: at } });
      } catch (error) {
        throw translatePrismaError(error, 'InboundUpdate', turn.updateKey);
      }
    }
    await markDelivered(tx, turn.delivered ?? [], at);
    await prismaConversations(tx).saveTurn(turn.conversationId, turn);
  }

  return {
    run: (user, fn) =>
      raw.run(user, (held) =>
        fn({
          open: (request) => held.open({ ...request, now: clock.now() }),
          save: (turn) => held.save(turn, clock.now()),
          // The case and the turn that follows from it, in one transaction that both join.
          submitAndSave: (input, turnFor) =>
            db.transaction(async (tx) => {
              let result;
              try {
                result = await caseApplications({ ...domain, db: joinTransaction(db, tx) }).submit(input);
              } catch (error) {
                // The conversation's application exists already (a 确认提交 that did not hold the user's lock): a conflict.
                throw translatePrismaError(error, 'Application', input.conversationId);
              }
              await commit(tx, turnFor(result));
              return result;
            }),
        }),
      ),
  };
}
