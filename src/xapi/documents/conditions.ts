/**
 * HTTP preconditions of document writes (Communication 3.1, RFC 7232): If-Match and If-None-Match
 * with a list of entity tags or "*". Tags compare by their opaque value: quotes and a weak "W/"
 * prefix are ignored, as is the case of the SHA-1 hex digits.
 */
import { preconditionFailed } from '../../errors';
import type { StoredDocument } from '../../store/ports';

/** '*' or the normalised tags of one header; undefined when the header was not sent. */
export type TagList = '*' | readonly string[];

export interface Preconditions {
  readonly ifMatch?: TagList;
  readonly ifNoneMatch?: TagList;
}

/** The opaque value of an entity tag, e.g. `W/"AbC"` → `abc`. */
export function normaliseTag(tag: string): string {
  let t = tag.trim();
  if (t.startsWith('W/')) t = t.slice(2);
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) t = t.slice(1, -1);
  return t.toLowerCase();
}

function parseTagList(header: string | undefined): TagList | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (trimmed === '*') return '*';
  // Quoted tags never contain commas in our format (hex), so a plain split is enough.
  return trimmed
    .split(',')
    .map(normaliseTag)
    .filter((t) => t.length > 0);
}

/** Reads If-Match and If-None-Match from a header getter (req.get). */
export function readPreconditions(get: (name: string) => string | undefined): Preconditions {
  const ifMatch = parseTagList(get('If-Match'));
  const ifNoneMatch = parseTagList(get('If-None-Match'));
  return { ...(ifMatch !== undefined ? { ifMatch } : {}), ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}) };
}

export function hasPreconditions(p: Preconditions): boolean {
  return p.ifMatch !== undefined || p.ifNoneMatch !== undefined;
}

/** Throws 412 unless `current` (undefined = no document) satisfies the preconditions. */
export function checkPreconditions(p: Preconditions, current: StoredDocument | undefined): void {
  const tag = current ? normaliseTag(current.etag) : undefined;
  if (p.ifMatch !== undefined) {
    if (tag === undefined) throw preconditionFailed('If-Match: the document does not exist, so no ETag can match');
    if (p.ifMatch !== '*' && !p.ifMatch.includes(tag)) {
      throw preconditionFailed(`If-Match: the document's current ETag is ${current!.etag}; fetch it again and retry`);
    }
  }
  if (p.ifNoneMatch !== undefined && tag !== undefined) {
    if (p.ifNoneMatch === '*') throw preconditionFailed('If-None-Match: "*" given but the document already exists');
    if (p.ifNoneMatch.includes(tag)) throw preconditionFailed(`If-None-Match: the document's current ETag ${current!.etag} matches`);
  }
}
