/**
 * The store over an open database: every repository on Prisma's model API, and transactions whose
 * callback gets the same repositories bound to the transaction.
 */
import { prismaApplications, prismaCases } from './caseRepository.ts';
import { prismaConversations } from './conversations.ts';
import type { StoreClient } from './client.ts';
import type { Database } from './db.ts';
import { translatePrismaError } from './errors.ts';
import { prismaHandoffs } from './handoffRepository.ts';
import { prismaLicences } from './licenceRepository.ts';
import { prismaOutbox } from './outboxRepository.ts';
import type { Repositories, Store } from './repositories.ts';
import { prismaStaffFaq } from './staffFaqRepository.ts';
import { prismaAudit, prismaStaff } from './staffRepository.ts';
import { prismaSuggestionFeedback } from './suggestionFeedback.ts';
import { prismaTickets } from './ticketRepository.ts';
import { prismaUnanswered } from './unanswered.ts';

export function prismaStore(db: Database): Store {
  return { ...repositories(db, db.prisma), locks: db.locks, transaction: (fn) => db.transaction((tx) => fn(storeInTransaction(db, tx))) };
}

/**
 * The store inside one of the database's transactions (`tx`): its writes are the transaction's, and a
 * transaction opened on it joins this one. Lets one turn commit a submission and the conversation together.
 */
export function storeInTransaction(db: Database, tx: StoreClient): Store {
  const store: Store = { ...repositories(db, tx), locks: db.locks, transaction: (fn) => fn(store) };
  return store;
}

function repositories(db: Database, client: StoreClient): Repositories {
  return {
    cases: prismaCases(client),
    applications: prismaApplications(client),
    licences: prismaLicences(client),
    outbox: prismaOutbox(db, client),
    conversations: prismaConversations(client),
    unanswered: prismaUnanswered(client),
    suggestionFeedback: prismaSuggestionFeedback(client),
    staff: prismaStaff(client),
    audit: prismaAudit(client),
    tickets: prismaTickets(client),
    handoffs: prismaHandoffs(client),
    staffFaq: prismaStaffFaq(client),
    inboundUpdates: {
      async answered(key, at) {
        try {
          await client.inboundUpdate.create({ data: { key, status: 'done', owner: 'turn', leaseUntil: at, receivedAt: at } });
        } catch (error) {
          throw translatePrismaError(error, 'InboundUpdate', key);
        }
      },
      async pruneBefore(before) {
        return (await client.inboundUpdate.deleteMany({ where: { receivedAt: { lt: before } } })).count;
      },
    },
  };
}
