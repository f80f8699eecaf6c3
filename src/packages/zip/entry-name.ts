import { badRequest, type AppError } from '../../errors';

/** A checked entry name: the safe relative path and whether the entry is a folder. */
export interface SafeEntryPath {
  readonly path: string;
  readonly isDirectory: boolean;
}

const show = (name: string): string => JSON.stringify(name);

function refuse(name: string, why: string): AppError {
  return badRequest(`package zip: entry ${show(name)} ${why}`);
}

/**
 * Turns a stored entry name into a safe relative path, or throws bad_request naming the entry.
 * Refused: empty names, NUL/control characters, backslashes (Windows tools write them as
 * separators, and a folder store on Windows would honour them), absolute paths, drive letters and
 * `..` segments (all of them could escape the package folder).
 */
export function safeEntryPath(name: string): SafeEntryPath {
  if (name.length === 0) throw refuse(name, 'has an empty name');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw refuse(name, 'has a control character in its name');
  if (name.includes('\\')) throw refuse(name, 'has a backslash in its path (only "/" separates folders)');
  if (name.startsWith('/')) throw refuse(name, 'has an absolute path');
  if (/^[a-zA-Z]:/.test(name)) throw refuse(name, 'has a drive letter in its path');
  const isDirectory = name.endsWith('/');
  const segments = name.normalize('NFC').split('/');
  if (segments.includes('..')) throw refuse(name, 'climbs out of the package with a ".." segment');
  const kept = segments.filter((s) => s !== '' && s !== '.');
  if (kept.length === 0) {
    if (isDirectory) return { path: '', isDirectory: true };
    throw refuse(name, 'has no file name');
  }
  return { path: kept.join('/'), isDirectory };
}

/**
 * Key under which two paths collide on a case-insensitive or normalizing file system (macOS,
 * Windows, most object stores behind a CDN): NFC, then Unicode lower case.
 */
export function collisionKey(safePath: string): string {
  return safePath.normalize('NFC').toLowerCase().normalize('NFC');
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/**
 * The unix file type kept in the high 16 bits of the external attributes, as a word for messages,
 * or undefined for a plain file or folder (or no unix mode at all).
 */
export function specialFileType(externalAttributes: number): string | undefined {
  const type = ((externalAttributes >>> 16) & S_IFMT) >>> 0;
  if (type === 0 || type === S_IFREG || type === S_IFDIR) return undefined;
  if (type === S_IFLNK) return 'symbolic link';
  return `special file (unix type 0o${type.toString(8)})`;
}
