// Errors the store raises, in the domain's words. Callers never see Prisma's error classes.

import { PrismaClientKnownRequestError } from '@prisma/client/runtime/client';

export class StoreError extends Error {
  override readonly name: string = 'StoreError';
}

/** The record asked for does not exist (or no longer does). */
export class NotFoundError extends StoreError {
  override readonly name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`${entity} ${key} not found`, options);
  }
}

/** A write would break a uniqueness rule, e.g. an application number used twice. */
export class ConflictError extends StoreError {
  override readonly name = 'ConflictError';
  constructor(
    readonly entity: string,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`${entity} ${key} already exists`, options);
  }
}

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
