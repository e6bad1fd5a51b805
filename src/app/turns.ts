/**
 * Turns committed to the database: a plain turn as one nested write (no interactive transaction to
 * hold open); a turn with a submission as one transaction holding the case and the conversation, so
 * a crash between them can neither lose the case nor make it twice.
 */
import type { DomainDeps } from '../cases/deps.ts';
import { sequentialTurns, type TurnStore } from '../dialogue/ports.ts';
import { prismaConversations } from '../store/conversations.ts';
import { joinTransaction } from '../store/db.ts';
import { caseApplications } from './applications.ts';

export function databaseTurns(domain: DomainDeps): TurnStore {
  const plain = sequentialTurns(prismaConversations(domain.db.prisma), caseApplications(domain));
  return {
    save: plain.save,
    // The same two steps as a plain submission, inside one transaction that both join.
    submitAndSave: (input, turnFor) =>
      domain.db.transaction((tx) => sequentialTurns(prismaConversations(tx), caseApplications({ ...domain, db: joinTransaction(domain.db, tx) })).submitAndSave(input, turnFor)),
  };
}
