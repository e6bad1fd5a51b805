/**
 * Turns committed to the database: a plain turn as one nested write (no interactive transaction to
 * hold open); a turn with a submission as one transaction holding the case and the conversation, so
 * a crash between them can neither lose the case nor make it twice.
 */
import type { DomainDeps } from '../cases/deps.ts';
import type { TurnStore } from '../dialogue/ports.ts';
import { prismaConversations } from '../store/conversations.ts';
import { joinTransaction } from '../store/db.ts';
import { caseApplications } from './applications.ts';

export function databaseTurns(domain: DomainDeps): TurnStore {
  const conversations = prismaConversations(domain.db.prisma);
  return {
    save: (turn) => conversations.saveTurn(turn.conversationId, turn),
    submitAndSave: (input, turnFor) =>
      domain.db.transaction(async (tx) => {
        const result = await caseApplications({ ...domain, db: joinTransaction(domain.db, tx) }).submit(input);
        const turn = turnFor(result);
        await prismaConversations(tx).saveTurn(turn.conversationId, turn);
        return result;
      }),
  };
}
