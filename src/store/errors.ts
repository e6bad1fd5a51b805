// Turns Prisma's errors into the kernel's domain errors. Callers never see Prisma's error classes.

import { PrismaClientKnownRequestError } from '@prisma/client/runtime/client';
import { ConflictError, NotFoundError } from '../kernel/errors.ts';

/**
 * Turns Prisma's known request errors into domain errors: P2025 (a record to update or delete is
 * missing) and P2003 (a foreign key points nowhere) become NotFoundError for `entity`, P2002 (unique
 * constraint) a ConflictError. Anything else is returned unchanged.
 */
export function translatePrismaError(error: unknown, entity: string, key: string): unknown {
  if (!(error instanceof PrismaClientKnownRequestError)) return error;
  if (error.code === 'P2025' || error.code === 'P2003') return new NotFoundError(entity, key, { cause: error });
  if (error.code === 'P2002') return new ConflictError(entity, key, { cause: error });
  return error;
}
