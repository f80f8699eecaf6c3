import type { Binary, Collection, Db, IndexSpecification, CreateIndexesOptions } from 'mongodb';
import { isDuplicateKeyError } from './errors';
import type { SeqBlockDoc } from './seq-blocks';
import type { SeqStateDoc } from './seq-lease';

/**
 * One statement. The statement JSON is kept as a string (`json`), not as a sub-document:
 * statement JSON legitimately holds keys MongoDB forbids or treats specially (extension IRIs
 * contain '.', and nothing stops a client sending '$'-keys inside extensions; FerretDB refuses
 * both). A string also returns byte-for-byte what was stored (key order included) and
 * JSON.parse is faster than BSON decoding of a deep document. Nothing queries inside the JSON:
 * every filter is answered from `refs`.
 */
export interface StatementDoc {
  /** The statement id (lower-case UUID): the unique index comes for free. */
  _id: string;
  seq: number;
  /** ISO 8601 UTC with milliseconds; non-decreasing with seq, compares as a string. */
  stored: string;
  voided: boolean;
  /** True for a voiding statement (such a statement can never be voided itself). */
  voiding: boolean;
  /** The StatementRef target, for inheritance and late voiding. Absent otherwise. */
  targetId?: string;
  /** Own and inherited index keys (multikey). */
  refs: string[];
  json: string;
  /** A placeholder holding a seq abandoned by a fenced instance (seq-fence.ts): no statement. */
  gap?: true;
}

/**
 * One statement that points at another (StatementRef object or voiding): a narrow copy of its
 * link fields, so "who points at these ids" reads a collection as small as the number of such
 * statements. On MongoDB the targetId index would do; FerretDB 1.x (SQLite backend) does not use
 * secondary indexes and scanned every statement of the store on every write (measured: 300 ms per
 * batch of 100 at 800 statements, growing linearly).
 */
export interface StatementLinkDoc {
  /** The pointing statement's id. */
  _id: string;
  /** Its seq, so a rolled-back batch deletes exactly its own links. */
  seq: number;
  targetId: string;
  voiding: boolean;
}

export interface AttachmentDoc {
  /** SHA-2 hex of the content. */
  _id: string;
  contentType: string;
  content: Binary;
}

export interface CredentialDoc {
  /** The credential key. */
  _id: string;
  /** Insertion order within this process, tie-break of equal createdAt. */
  n: number;
  secretHash: string;
  name: string;
  scopes: string[];
  /** Authority Agent/Group JSON as a string, for the same reason as StatementDoc.json. */
  authority: string;
  orgId?: string;
  createdAt: string;
  revokedAt?: string;
}

/** Typed handles on the collections of the store. */
export interface Collections {
  readonly statements: Collection<StatementDoc>;
  readonly statementLinks: Collection<StatementLinkDoc>;
  readonly attachments: Collection<AttachmentDoc>;
  readonly credentials: Collection<CredentialDoc>;
  /** Claimed blocks of seq numbers (seq-blocks.ts). */
  readonly seqBlocks: Collection<SeqBlockDoc>;
  /** Instance leases, fences in progress and the block hint (sequence.ts). */
  readonly seqState: Collection<SeqStateDoc>;
}

export function collections(db: Db): Collections {
  return {
    statements: db.collection<StatementDoc>('statements'),
    statementLinks: db.collection<StatementLinkDoc>('statement_links'),
    attachments: db.collection<AttachmentDoc>('statement_attachments'),
    credentials: db.collection<CredentialDoc>('credentials'),
    seqBlocks: db.collection<SeqBlockDoc>('seq_blocks'),
    seqState: db.collection<SeqStateDoc>('seq_state'),
  };
}

type IndexDef = readonly [IndexSpecification, CreateIndexesOptions];

/**
 * Few, deliberate indexes (each costs ingest time):
 * - refs+seq answers every filtered query: one multikey range per key, already in seq order;
 * - seq (unique) answers unfiltered queries and paging, and refuses a fenced instance's late
 *   insert (seq-fence.ts);
 * - stored+seq finds the newest stored time of a fenced block;
 * - targetId (sparse: most statements have none) finds referring statements for late voiding
 *   and inheritance.
 */
const STATEMENT_INDEXES: readonly IndexDef[] = [
  [{ refs: 1, seq: -1 }, { name: 'refs_seq' }],
  [{ seq: -1 }, { name: 'seq_unique', unique: true }],
  [{ stored: 1, seq: 1 }, { name: 'stored_seq' }],
  [{ targetId: 1 }, { name: 'target', sparse: true }],
];

const CREDENTIAL_INDEXES: readonly IndexDef[] = [[{ orgId: 1, createdAt: 1, n: 1 }, { name: 'org_created' }]];

/**
 * Creates the indexes when missing; idempotent. One createIndex call per index: FerretDB 1.24
 * crashes on a createIndexes command listing several indexes that all exist already.
 */
export async function ensureIndexes(c: Collections): Promise<void> {
  for (const [key, options] of STATEMENT_INDEXES) await c.statements.createIndex(key, options);
  await c.statementLinks.createIndex({ targetId: 1 }, { name: 'target' });
  await backfillStatementLinks(c);
  for (const [key, options] of CREDENTIAL_INDEXES) await c.credentials.createIndex(key, options);
  // since/until become seq bounds through the blocks' stored ranges (statement-query.ts).
  await c.seqBlocks.createIndex({ hi: 1 }, { name: 'hi' });
  await c.seqBlocks.createIndex({ lo: 1 }, { name: 'lo' });
}

/**
 * Stores written before statement_links existed: copy the links of pointing statements once
 * (one scan), recorded by a marker document so later starts skip it.
 */
async function backfillStatementLinks(c: Collections): Promise<void> {
  const MARKER = '_backfilled';
  if (await c.statementLinks.findOne({ _id: MARKER }, { projection: { _id: 1 } })) return;
  const pointing = c.statements.find({ targetId: { $exists: true } }, { projection: { _id: 1, seq: 1, targetId: 1, voiding: 1 } });
  for await (const d of pointing) {
    if (d.targetId === undefined) continue;
    await c.statementLinks.replaceOne({ _id: d._id }, { seq: d.seq, targetId: d.targetId, voiding: d.voiding }, { upsert: true });
  }
  // The marker points at no statement id (statement ids are UUIDs), so no query ever meets it.
  try {
    await c.statementLinks.replaceOne({ _id: MARKER }, { seq: -1, targetId: MARKER, voiding: false }, { upsert: true });
  } catch (err) {
    // Two instances starting at once on a new database both upsert it: one insert loses, harmlessly.
    if (!isDuplicateKeyError(err)) throw err;
  }
}
