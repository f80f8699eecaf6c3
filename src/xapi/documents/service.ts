/**
 * The document rules shared by the State, Activity Profile and Agent Profile resources
 * (Communication 2.2, 3.1): byte-exact storage, SHA-1 ETags, preconditions, the JSON merge of POST.
 * Every write is a compare-and-set against the document it was computed from, retried when another
 * writer got there first, so concurrent writers never lose an update.
 */
import { createHash } from 'node:crypto';
import { AppError, badRequest, conflict } from '../../errors';
import type { DocumentKey, DocumentStore, StoredDocument, WriteCondition } from '../../store/ports';
import { assertJsonDepth, exceedsJsonDepth, MAX_JSON_DEPTH } from '../../http/json-depth';
import { mediaType } from '../http/body';
import { checkPreconditions, hasPreconditions, type Preconditions } from './conditions';

/** Quoted SHA-1 hex of the content (Communication 3.1: clients may compute it themselves). */
export function etagOf(content: Buffer): string {
  return `"${createHash('sha1').update(content).digest('hex')}"`;
}

/** A PUT or POST of one document. */
export interface DocumentWrite {
  readonly key: DocumentKey;
  readonly content: Buffer;
  /** The request's Content-Type header, as sent ('' when absent). */
  readonly contentType: string;
  readonly preconditions: Preconditions;
  /**
   * Activity and Agent Profile PUTs must carry If-Match or If-None-Match when the document exists
   * (409 otherwise); the State resource is exempt (docs/adr/0002-state-without-etags.md).
   */
  readonly requirePreconditionOnExisting: boolean;
  /**
   * xAPI 1.0.3 only (issue 11): a profile PUT without If-Match / If-None-Match is 400 even when the
   * document does not exist yet. Communication 3.1 makes sending one a client MUST, and ADL's
   * position is that the LRS enforces it; an existing document still answers 409 (the suite's
   * expectation), so the check applies to absent ones. 2.0.0 keeps accepting the first PUT.
   */
  readonly requirePreconditionOnNew?: boolean;
  readonly now: () => Date;
}

// Far more than any real contention; a bound keeps a pathological loop from spinning forever.
const MAX_ATTEMPTS = 200;

const DEFAULT_TYPE = 'application/octet-stream';

function conditionFor(current: StoredDocument | undefined): WriteCondition {
  return current ? { etag: current.etag } : { absent: true };
}

function build(key: DocumentKey, content: Buffer, contentType: string, now: () => Date): StoredDocument {
  return { key, contentType: contentType || DEFAULT_TYPE, content, etag: etagOf(content), updated: now().toISOString() };
}

function isJson(contentType: string): boolean {
  return mediaType(contentType) === 'application/json';
}

/** Parses bytes as a JSON object, or undefined when they are not one. */
function jsonObject(content: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(content.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Communication 3.2: a body declared application/json must be JSON. It must also nest no deeper
 * than MAX_JSON_DEPTH (400 naming the path): a merge later serialises it recursively.
 */
function checkDeclaredJson(write: DocumentWrite): void {
  if (!isJson(write.contentType)) return;
  let json: unknown;
  try {
    json = JSON.parse(write.content.toString('utf8'));
  } catch {
    throw badRequest('content: the Content-Type is application/json but the document is not valid JSON');
  }
  assertJsonDepth(json, 'content');
}

async function casLoop(
  store: DocumentStore,
  write: DocumentWrite,
  next: (current: StoredDocument | undefined) => StoredDocument,
): Promise<StoredDocument> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.findDocument(write.key);
    checkPreconditions(write.preconditions, current);
    const doc = next(current);
    if (await store.upsertDocument(doc, conditionFor(current))) return doc;
  }
  throw new AppError('conflict', 'the document is changing too fast to update; retry');
}

/** PUT: stores the document as sent. Returns what was stored. */
export async function putDocument(store: DocumentStore, write: DocumentWrite): Promise<StoredDocument> {
  checkDeclaredJson(write);
  const doc = (): StoredDocument => build(write.key, write.content, write.contentType, write.now);
  if (!hasPreconditions(write.preconditions) && !write.requirePreconditionOnExisting && !write.requirePreconditionOnNew) {
    const d = doc();
    await store.upsertDocument(d, undefined);
    return d;
  }
  return casLoop(store, write, (current) => {
    if (current && !hasPreconditions(write.preconditions)) {
      throw conflict(
        'the document already exists: GET it, then PUT again with an If-Match header carrying its current ETag ' +
          '(or If-None-Match: * to create only when absent)',
      );
    }
    if (!current && write.requirePreconditionOnNew && !hasPreconditions(write.preconditions)) {
      throw badRequest('xAPI 1.0.3 requires If-Match or If-None-Match on a profile PUT (Communication 3.1): send If-None-Match: * to create the document');
    }
    return doc();
  });
}

/**
 * POST: creates the document when absent (as a PUT would); otherwise merges the posted JSON object
 * into the stored one, top-level properties only. Both must be application/json objects (400).
 */
export async function postDocument(store: DocumentStore, write: DocumentWrite): Promise<StoredDocument> {
  checkDeclaredJson(write);
  const posted = isJson(write.contentType) ? jsonObject(write.content) : undefined;
  return casLoop(store, write, (current) => {
    if (!current) return build(write.key, write.content, write.contentType, write.now);
    if (!posted) {
      throw badRequest('content: a POST to an existing document must be a JSON object sent as application/json, to be merged');
    }
    const stored = isJson(current.contentType) ? jsonObject(current.content) : undefined;
    if (!stored) {
      throw badRequest('content: the stored document is not a JSON object of type application/json, so it cannot be merged; use PUT');
    }
    // A document stored before depth was bounded could still be too deep to serialise merged.
    if (exceedsJsonDepth(stored)) {
      throw badRequest(`content: the stored document nests deeper than ${MAX_JSON_DEPTH} levels, so it cannot be merged; replace it with PUT`);
    }
    const merged = Buffer.from(JSON.stringify({ ...stored, ...posted }), 'utf8');
    return build(write.key, merged, 'application/json', write.now);
  });
}

/** DELETE of one document; deleting a missing document succeeds unless preconditions say otherwise. */
export async function deleteDocument(store: DocumentStore, key: DocumentKey, preconditions: Preconditions): Promise<void> {
  if (!hasPreconditions(preconditions)) {
    await store.deleteDocument(key, undefined);
    return;
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.findDocument(key);
    checkPreconditions(preconditions, current);
    if (await store.deleteDocument(key, conditionFor(current))) return;
  }
  throw new AppError('conflict', 'the document is changing too fast to delete; retry');
}
