import { Binary, type Collection, type Db, MongoServerError } from 'mongodb';
import type { DocumentKey, DocumentScope, DocumentStore, StoredDocument, WriteCondition } from '../ports';

/**
 * One revision of a document; never leaves this module.
 *
 * Why revisions: FerretDB v1 runs updateOne/replaceOne as find-then-write, so a filter on the
 * ETag is not an atomic compare-and-set there (lost updates were measured). The one atomic check
 * both MongoDB and FerretDB give is the unique _id on insert. So every write inserts revision
 * `rev + 1` of the revision it was computed from, with _id = key + rev: two writers that read the
 * same revision collide on the insert and exactly one wins. Older revisions are deleted after a
 * write (see `insertRevision`); the newest one is always kept (a deletion is a tombstone revision),
 * so revision numbers never go backwards for a key.
 */
interface RevisionRecord {
  _id: string;
  kind: string;
  activityId: string;
  agentKey: string;
  registration: string;
  docId: string;
  rev: number;
  /** Adapter clock (ms) at insert, for pruning. */
  writtenAt: number;
  /** True once a newer revision exists and this one's content was dropped. */
  stripped: boolean;
  deleted: boolean;
  contentType: string;
  content: Binary;
  etag: string;
  updated: string;
}

const COLLECTION = 'documents';

// How long superseded revision records are kept (emptied) before they are deleted.
const PRUNE_GRACE_MS = 10 * 60 * 1000;

type RevisionBody = Pick<RevisionRecord, 'deleted' | 'contentType' | 'content' | 'etag' | 'updated'>;

// Unconditional writes retry on collisions; far more than real contention ever needs.
const MAX_ATTEMPTS = 500;

function keyFilter(k: DocumentKey): Record<string, string> {
  return { kind: k.kind, activityId: k.activityId, agentKey: k.agentKey, registration: k.registration, docId: k.docId };
}

function scopeFilter(scope: DocumentScope): Record<string, string> {
  const f: Record<string, string> = { kind: scope.kind, activityId: scope.activityId, agentKey: scope.agentKey };
  if (scope.registration !== undefined) f['registration'] = scope.registration;
  return f;
}

function revisionId(k: DocumentKey, rev: number): string {
  return JSON.stringify([k.kind, k.activityId, k.agentKey, k.registration, k.docId, rev]);
}

function toDocument(r: RevisionRecord): StoredDocument {
  return {
    key: { kind: r.kind as DocumentKey['kind'], activityId: r.activityId, agentKey: r.agentKey, registration: r.registration, docId: r.docId },
    contentType: r.contentType,
    // Binary.buffer may be larger than the value; read exactly `length()` bytes.
    content: Buffer.from(r.content.read(0, r.content.length())),
    etag: r.etag,
    updated: r.updated,
  };
}

function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === 11000;
}

/** Key + rev serves the newest-revision look-up, scope listing and bulk deletes. Idempotent. */
export async function ensureMongoDocumentIndexes(db: Db): Promise<void> {
  await db.collection(COLLECTION).createIndex(
    { kind: 1, activityId: 1, agentKey: 1, registration: 1, docId: 1, rev: -1 },
    { name: 'documents_key_rev' },
  );
}

/** Document store on MongoDB (and FerretDB): compare-and-set by revision inserts, no transactions. */
export function createMongoDocumentStore(db: Db): DocumentStore {
  const col: Collection<RevisionRecord> = db.collection<RevisionRecord>(COLLECTION);

  async function newest(key: DocumentKey): Promise<RevisionRecord | undefined> {
    const [r] = await col.find(keyFilter(key)).sort({ rev: -1 }).limit(1).toArray();
    return r ?? undefined;
  }

  /**
   * Inserts revision `rev`; false when another writer inserted it first. Older revisions are
   * emptied at once but their records stay for PRUNE_GRACE_MS: a record blocks its revision number,
   * and a writer that read revision r must not find r + 1 free again after pruning. A writer would
   * have to stall longer than the grace between its read and its insert (milliseconds apart in
   * `compareAndSet`) for that to happen.
   */
  async function insertRevision(key: DocumentKey, rev: number, body: RevisionBody): Promise<boolean> {
    try {
      const record: RevisionRecord = {
        _id: revisionId(key, rev),
        kind: key.kind,
        activityId: key.activityId,
        agentKey: key.agentKey,
        registration: key.registration,
        docId: key.docId,
        rev,
        writtenAt: Date.now(),
        stripped: false,
        ...body,
      };
      await col.insertOne(record);
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    const older = { ...keyFilter(key), rev: { $lt: rev } };
    await col.deleteMany({ ...older, writtenAt: { $lt: Date.now() - PRUNE_GRACE_MS } });
    await col.updateMany({ ...older, stripped: false }, { $set: { stripped: true, content: new Binary(Buffer.alloc(0)) } });
    return true;
  }

  /** Applies `write` to the newest revision: once when conditional, until it lands otherwise. */
  async function compareAndSet(
    key: DocumentKey,
    condition: WriteCondition,
    body: RevisionBody,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const cur = await newest(key);
      const live = cur && !cur.deleted ? cur : undefined;
      if (condition !== undefined) {
        if ('absent' in condition ? live !== undefined : live?.etag !== condition.etag) return false;
      }
      if (await insertRevision(key, cur ? cur.rev + 1 : 0, body)) return true;
      if (condition !== undefined) return false;
    }
    throw new Error(`document ${JSON.stringify(key)}: too many concurrent writers`);
  }

  const tombstone = (updated: string): RevisionBody => ({
    deleted: true,
    contentType: '',
    content: new Binary(Buffer.alloc(0)),
    etag: '',
    updated,
  });

  async function findDocument(key: DocumentKey): Promise<StoredDocument | undefined> {
    const r = await newest(key);
    return r && !r.deleted ? toDocument(r) : undefined;
  }

  async function deleteDocument(key: DocumentKey, condition: WriteCondition): Promise<boolean> {
    if (condition !== undefined && 'absent' in condition) return (await findDocument(key)) === undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const cur = await newest(key);
      const live = cur && !cur.deleted ? cur : undefined;
      if (condition !== undefined && live?.etag !== condition.etag) return false;
      if (!live) return true;
      if (await insertRevision(key, live.rev + 1, tombstone(new Date().toISOString()))) return true;
      if (condition !== undefined) return false;
    }
    throw new Error(`document ${JSON.stringify(key)}: too many concurrent writers`);
  }

  /** The newest revision of each (registration, docId) in scope, not deleted, updated after `since`. */
  async function liveDocuments(scope: DocumentScope, since: string | undefined): Promise<Pick<RevisionRecord, 'docId' | 'rev' | 'deleted' | 'updated'>[]> {
    const rows = await col
      .find(scopeFilter(scope), { projection: { registration: 1, docId: 1, rev: 1, deleted: 1, updated: 1 } })
      .toArray();
    const newestOf = new Map<string, Pick<RevisionRecord, 'docId' | 'rev' | 'deleted' | 'updated'>>();
    for (const r of rows) {
      const k = JSON.stringify([r.registration, r.docId]);
      const seen = newestOf.get(k);
      if (!seen || r.rev > seen.rev) newestOf.set(k, r);
    }
    return [...newestOf.values()].filter((r) => !r.deleted && (since === undefined || r.updated > since));
  }

  return {
    findDocument,
    deleteDocument,

    async findDocumentIds(scope, since) {
      const ids = new Set<string>();
      for (const r of await liveDocuments(scope, since)) ids.add(r.docId);
      return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    },

    async findLastUpdated(scope, since) {
      let last: string | undefined;
      for (const r of await liveDocuments(scope, since)) if (last === undefined || r.updated > last) last = r.updated;
      return last;
    },

    async upsertDocument(doc, condition) {
      return compareAndSet(doc.key, condition, {
        deleted: false,
        contentType: doc.contentType,
        content: new Binary(doc.content),
        etag: doc.etag,
        updated: doc.updated,
      });
    },

    async deleteDocuments(scope) {
      const rows = await col.find(scopeFilter(scope), { projection: { registration: 1, docId: 1 } }).toArray();
      const keys = new Map<string, DocumentKey>();
      for (const r of rows) {
        const key: DocumentKey = { kind: scope.kind, activityId: scope.activityId, agentKey: scope.agentKey, registration: r.registration, docId: r.docId };
        keys.set(revisionId(key, 0), key);
      }
      let deleted = 0;
      for (const key of keys.values()) {
        if ((await findDocument(key)) === undefined) continue;
        await deleteDocument(key, undefined);
        deleted++;
      }
      return deleted;
    },

    // Erasure and the learner's export (issue 4). Erasure removes every revision record, tombstones
    // included, so no trace of the agent key stays behind.
    findDocumentsByAgent,

    async deleteDocumentsByAgent(agentKey) {
      const live = (await findDocumentsByAgent(agentKey)).length;
      await col.deleteMany({ kind: { $in: ['state', 'agentProfile'] }, agentKey });
      return live;
    },
  };

  async function findDocumentsByAgent(agentKey: string): Promise<StoredDocument[]> {
    const rows = await col.find({ kind: { $in: ['state', 'agentProfile'] }, agentKey }).toArray();
    const newestOf = new Map<string, RevisionRecord>();
    for (const r of rows) {
      const k = JSON.stringify([r.kind, r.activityId, r.registration, r.docId]);
      const seen = newestOf.get(k);
      if (!seen || r.rev > seen.rev) newestOf.set(k, r);
    }
    const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    return [...newestOf.values()]
      .filter((r) => !r.deleted)
      .sort((a, b) => cmp(a.kind, b.kind) || cmp(a.activityId, b.activityId) || cmp(a.registration, b.registration) || cmp(a.docId, b.docId))
      .map(toDocument);
  }
}
