import { MongoNetworkError, MongoServerError, MongoServerSelectionError, MongoBulkWriteError } from 'mongodb';
import { AppError, conflict, isAppError } from '../../errors';

/** MongoDB's duplicate key error code (E11000). */
const DUPLICATE_KEY = 11000;

/** True when a driver error (single or bulk write) is a unique index violation. */
export function isDuplicateKeyError(err: unknown): boolean {
  if (err instanceof MongoBulkWriteError) {
    if (err.code === DUPLICATE_KEY) return true;
    const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    return writeErrors.some((w) => w.code === DUPLICATE_KEY);
  }
  return err instanceof MongoServerError && err.code === DUPLICATE_KEY;
}

/** True when every write a driver error reports was refused by a unique index, and nothing else failed. */
export function isOnlyDuplicateKeyErrors(err: unknown): boolean {
  if (!(err instanceof MongoBulkWriteError)) return isDuplicateKeyError(err);
  const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
  return writeErrors.length > 0 && writeErrors.every((w) => w.code === DUPLICATE_KEY);
}

/**
 * Turns a driver error into an AppError so no driver type leaves the adapter. The client-facing
 * message names only the operation; the driver error stays attached as `cause` for the log.
 * `onDuplicate` gives the conflict message when a unique index refused the write.
 */
export function toAppError(err: unknown, operation: string, onDuplicate?: () => string): AppError {
  if (isAppError(err)) return err;
  let mapped: AppError;
  if (onDuplicate !== undefined && isDuplicateKeyError(err)) {
    mapped = conflict(onDuplicate());
  } else if (err instanceof MongoNetworkError || err instanceof MongoServerSelectionError) {
    mapped = new AppError('unavailable', `the database is unreachable (${operation})`);
  } else {
    mapped = new AppError('internal', `the database failed (${operation})`);
  }
  Object.defineProperty(mapped, 'cause', { value: err, enumerable: false });
  return mapped;
}

/** Runs a driver call and rethrows its failure as an AppError. */
export async function guard<T>(operation: string, run: () => Promise<T>, onDuplicate?: () => string): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toAppError(err, operation, onDuplicate);
  }
}
