/**
 * Turns committed to the database, each in one transaction: the conversation and its messages, the
 * channel update it answers, the waiting messages it showed, and a submission with its case. A plain
 * turn with nothing beside the conversation is one nested write (no interactive transaction to hold
 * open). A crash at any point leaves all of it or none: never a case twice, never a notice lost.
 */
import type { DomainDeps } from '../cases/deps.ts';
import type { TurnRecord, TurnStore } from '../dialogue/ports.ts';
import { markDelivered } from '../notify/takePending.ts';
import { prismaConversations } from '../store/conversations.ts';
import type { Database, StoreClient } from '../store/db.ts';
import { storeInTransaction } from '../store/store.ts';
import { translatePrismaError } from '../store/errors.ts';
import { caseApplications } from './applications.ts';

export function databaseTurns(db: Database, domain: DomainDeps): TurnStore {
  const { clock } = domain;

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
    async save(turn) {
      if (!turn.updateKey && !turn.delivered?.length) return prismaConversations(db.prisma).saveTurn(turn.conversationId, turn);
      await db.transaction((tx) => commit(tx, turn));
    },
    async handled(updateKey) {
      const row = await db.prisma.inboundUpdate.findUnique({ where: { key: updateKey }, select: { status: true } });
      return row?.status === 'done';
    },
    // The case and the turn that follows from it, in one transaction that both join.
    submitAndSave: (input, turnFor) =>
      db.transaction(async (tx) => {
        let result;
        try {
          result = await caseApplications({ ...domain, store: storeInTransaction(db, tx) }).submit(input);
        } catch (error) {
          // The conversation's application exists already (a 确认提交 that did not hold the user's lock): a conflict.
          throw translatePrismaError(error, 'Application', input.conversationId);
        }
        await commit(tx, turnFor(result));
        return result;
      }),
  };
}
