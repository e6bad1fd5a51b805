// Prisma's model API as every repository sees it (types only): both generated clients, and their
// transaction clients, fit StoreClient as they are.
import type { PrismaClient as SqliteClient } from '../generated/sqlite/client.ts';

export type ModelName =
  | 'channelUser'
  | 'conversation'
  | 'message'
  | 'application'
  | 'case'
  | 'caseItem'
  | 'caseEvent'
  | 'inspection'
  | 'materialRequest'
  | 'licence'
  | 'licenceVersion'
  | 'outboxMessage'
  | 'staffUser'
  | 'auditEntry'
  | 'inboundUpdate'
  | 'unansweredQuestion'
  | 'consoleSession'
  | 'agentNote'
  | 'ticket'
  | 'staffFaqEntry'
  | 'suggestionFeedback';
export type ModelOperation =
  | 'findUnique'
  | 'findUniqueOrThrow'
  | 'findFirst'
  | 'findFirstOrThrow'
  | 'findMany'
  | 'create'
  | 'createMany'
  | 'createManyAndReturn'
  | 'update'
  | 'updateMany'
  | 'updateManyAndReturn'
  | 'upsert'
  | 'delete'
  | 'deleteMany'
  | 'count';

/**
 * The model API both generated clients share, written in the SQLite client's types. The PostgreSQL
 * client and both transaction clients are assignable to it as they are, with no cast. Left out:
 * `aggregate` and `groupBy`, whose conditional result types TypeScript cannot match across the
 * two generated copies, and the symbol-keyed type metadata. Add a model's name here with the model.
 * `$queryRawUnsafe` is there for {@link Database.queryRaw}, which is what callers use.
 */
export type StoreClient = { [M in ModelName]: Pick<SqliteClient[M], ModelOperation> } & Pick<SqliteClient, '$queryRawUnsafe'>;
