import { badRequest } from '../../errors';

/**
 * Checks a file-store path and returns its segments. Refusing instead of normalizing keeps one
 * spelling per file, so no request can reach a file by another name or climb out of the store.
 */
export function storePathSegments(path: string, what = 'file path'): string[] {
  if (typeof path !== 'string' || path.length === 0) throw badRequest(`${what} must not be empty`);
  if (path.length > 4096) throw badRequest(`${what} is longer than 4096 characters`);
  if (/[\\\0]/.test(path)) throw badRequest(`${what} ${JSON.stringify(path)} must not contain a backslash or NUL`);
  if (path.startsWith('/')) throw badRequest(`${what} ${JSON.stringify(path)} must be relative`);
  const segments = path.split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..') {
      throw badRequest(`${what} ${JSON.stringify(path)} must not have empty, "." or ".." segments`);
    }
  }
  return segments;
}

/**
 * File sets that hold files other than packages (self-report attachments, issue 18). No course
 * version names them, so the orphan sweep must leave them alone; the content origin never serves
 * them (it serves only file sets a committed version names).
 */
export const NON_PACKAGE_FILE_SETS: readonly string[] = ['self-reports'];
