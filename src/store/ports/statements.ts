/**
 * Statement storage port. A statement is stored once, as JSON (what the client sent after the
 * LRS filled id/stored/timestamp/version/authority and normalised it), with a monotonic sequence
 * number, plus a set of index keys ("refs") that every filter of GET /statements is answered from.
 *
 * Index keys are computed by `statementRefs()` in src/xapi/model/refs.ts; adapters treat them as
 * opaque strings. Filters are always a conjunction of keys (`allRefs`).
 */

/** A statement as the LRS stores it. `statement` is the full JSON with LRS-filled fields. */
export interface StoredStatement {
  readonly id: string;
  /** Monotonic sequence number assigned by the store; later inserts get larger numbers. */
  readonly seq: number;
  /** ISO 8601 UTC with milliseconds, the `stored` property of the statement. */
  readonly stored: string;
  /** True once a voiding statement targeting this one has been stored. */
  readonly voided: boolean;
  readonly statement: Record<string, unknown>;
}

/** One statement to insert, fully prepared by the service layer. */
export interface NewStatement {
  /** Lower-case UUID. */
  readonly id: string;
  /** ISO 8601 UTC; the store may raise it to keep `stored` non-decreasing with `seq`. */
  readonly stored: string;
  readonly statement: Record<string, unknown>;
  /** Index keys of this statement itself (src/xapi/model/refs.ts). */
  readonly refs: readonly string[];
  /** When the object is a StatementRef: the target id (its refs are inherited, recursively). */
  readonly targetId?: string;
  /** When the verb is http://adlnet.gov/expapi/verbs/voided: the statement it voids. */
  readonly voidsId?: string;
}

/** Attachment content, addressed by its SHA-2 (hex, lower case) as in `attachments[].sha2`. */
export interface AttachmentContent {
  readonly sha2: string;
  readonly contentType: string;
  readonly content: Buffer;
}

export interface StatementQuery {
  /** Every key must be among the statement's own or inherited refs. Empty = all statements. */
  readonly allRefs: readonly string[];
  /** Only statements stored strictly after this ISO time. */
  readonly since?: string;
  /** Only statements stored at or before this ISO time. */
  readonly until?: string;
  readonly ascending: boolean;
  /** Page size (>= 1). */
  readonly limit: number;
  /** Cursor: continue after this seq (exclusive) in the query's order. */
  readonly afterSeq?: number;
}

export interface StatementPage {
  readonly statements: readonly StoredStatement[];
  /** seq of the last statement returned when more match, undefined when this is the last page. */
  readonly nextAfterSeq?: number;
}

/** One statement as its stored JSON text (what JSON.stringify of StoredStatement.statement gives). */
export interface StatementText {
  readonly id: string;
  readonly seq: number;
  readonly stored: string;
  readonly json: string;
}

export interface StatementTextPage {
  readonly statements: readonly StatementText[];
  /** As StatementPage.nextAfterSeq. */
  readonly nextAfterSeq?: number;
}

export interface InsertResult {
  /** Ids that were inserted (not those already present with equivalent content). */
  readonly inserted: readonly string[];
  /** The highest seq given to the batch (absent when nothing was inserted): what the pipeline waits for. */
  readonly lastSeq?: number;
}

/**
 * Statement records. All methods are safe to call concurrently from several processes
 * (MongoDB) or several requests (SQLite).
 */
export interface StatementStore {
  /**
   * Stores a batch atomically: all or nothing. Ids already stored are left untouched and
   * reported by `findStatementsByIds` beforehand — the service checks equivalence (409 vs no-op)
   * and passes only new statements here. If an id of the batch is stored concurrently in the
   * meantime, throws AppError('conflict'). Applies voiding (`voidsId`) and ref inheritance
   * (`targetId`) in the same transaction. Attachments are stored once per sha2 (idempotent).
   */
  insertStatements(batch: readonly NewStatement[], attachments: readonly AttachmentContent[]): Promise<InsertResult>;

  /** The stored statements with these ids (voided or not), in no particular order; unknown ids are absent. */
  findStatementsByIds(ids: readonly string[]): Promise<StoredStatement[]>;

  /**
   * Statements matching the query, voided statements excluded, ordered by seq (descending
   * unless `ascending`), at most `limit`. Empty page when nothing matches.
   */
  findStatements(query: StatementQuery): Promise<StatementPage>;

  /**
   * The same page as findStatements (same statements, order and nextAfterSeq), each statement as
   * its stored JSON text, not parsed: for exports that write statements out as they are.
   */
  findStatementTexts(query: StatementQuery): Promise<StatementTextPage>;

  /** Attachment contents by sha2; unknown hashes are absent. */
  findAttachments(sha2s: readonly string[]): Promise<AttachmentContent[]>;

  /**
   * The `stored` time up to which every statement is visible to queries (all writes with an
   * earlier stored time have completed). Used for X-Experience-API-Consistent-Through.
   */
  findConsistentThrough(): Promise<string>;

  /**
   * The visibility horizon: the highest seq H such that every statement with seq <= H that will
   * ever be committed has been committed and is visible (no claim <= H is still in flight on any
   * instance); 0 on an empty store; never decreases. It may exceed the highest stored seq (seqs
   * below it that hold nothing are gaps and stay empty). The statement log is read only up to it,
   * and Consistent-Through comes from the same state.
   */
  findVisibleSeq(): Promise<number>;

  /** Number of statements stored (voided included). */
  countStatements(): Promise<number>;

  /**
   * Which of `ids` carry every key of `allRefs` (own or inherited, voided or not), in no
   * particular order; unknown ids and ids missing a key are absent. Lets a single-statement read
   * apply the same restriction (organization, launch token) as a query.
   */
  findStatementIdsWithRefs(ids: readonly string[], allRefs: readonly string[]): Promise<string[]>;

  /**
   * Erasure (issue 4): deletes every statement whose own or inherited refs include `ref`, voided
   * or not, with its index rows, and forgets the key itself once no statement has it. Returns how
   * many statements were deleted (0 when none matched); idempotent. Seq numbers are never handed
   * out again: when the newest statement is deleted, an empty voided placeholder keeps its seq.
   * Attachments are not touched (see deleteUnreferencedAttachments).
   */
  deleteStatementsWithRef(ref: string): Promise<number>;

  /**
   * Deletes the attachment contents among `sha2s` that no remaining statement declares (after
   * an erasure). Returns how many were deleted. May scan the statements: erasure is rare.
   */
  deleteUnreferencedAttachments(sha2s: readonly string[]): Promise<number>;
}
