/**
 * The store's errors in the domain's words: a record missing, or a uniqueness rule broken. Raised by the
 * repositories (src/store turns Prisma's errors into these) and caught anywhere without knowing Prisma.
 */

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
