/**
 * Statement pipeline records (issue 13, src/pipeline/): each subscriber's cursor, lease and last
 * error, the log of erasures every subscriber must see, and the statement log read in seq order.
 */
import type { StoredStatement } from './statements';

/** One statement of the log, voided or not, with the organizations that own it. */
export interface LogEntry {
  readonly statement: StoredStatement;
  /** The organizations of its `g|` ownership keys, sorted. */
  readonly orgIds: readonly string[];
}

/**
 * Statements this process has just committed, as findLog gives them right after the commit: the
 * log in (afterSeq, upToSeq] is exactly `entries` (the commit held the write lock, and afterSeq was
 * the highest seq when it took it).
 */
export interface LogAppend {
  readonly afterSeq: number;
  readonly upToSeq: number;
  readonly entries: readonly LogEntry[];
  /** Statements at or below afterSeq that this commit voided (read before it, they show voided: false). */
  readonly voidedSeqs: readonly number[];
}

/** Where one subscriber is. */
export interface PipelineCursor {
  readonly name: string;
  /** Every statement with seq <= this has been handled (0 = nothing yet). */
  readonly seq: number;
  readonly updatedAt?: string;
  /** The last failure of `handle` since the last success. */
  readonly lastError?: string;
  readonly lastErrorAt?: string;
  /** Failures in a row of the current batch (0 after a success). */
  readonly failures: number;
  /** Set by `requestRebuild`, cleared by the lease holder once it reset the subscriber. */
  readonly rebuildRequestedAt?: string;
  /** The instance holding the lease, and until when (ms since epoch, its clock). */
  readonly holder?: string;
  readonly leaseUntil?: number;
}

/** A person's erasure, which every subscriber is told about once. */
export interface ErasureRecord {
  readonly id: string;
  readonly userId: string;
  /** The visibility horizon when the erasure ran. */
  readonly seq: number;
  readonly at: string;
}

export interface PipelineStore {
  /**
   * Log entries with afterSeq < seq <= upToSeq, ascending, voided statements included, at most
   * `limit`; [] when none. Seq gaps (abandoned claims, erased statements) are simply absent.
   */
  findLog(query: { readonly afterSeq: number; readonly upToSeq: number; readonly limit: number }): Promise<LogEntry[]>;
  /**
   * Engines whose statement writes this process commits and sees at once (SQLite): calls
   * `listener` after each commit of statements made through this store, synchronously, in commit
   * order as far as this process can tell (a listener checks that an append extends what it has:
   * other processes' commits and ones made on two connections at once leave gaps). Never after an
   * erasure began while the commit was under way. Returns the call that stops it. Absent where
   * readers must use findLog (MongoDB: the visibility horizon is not known at commit).
   */
  watchAppends?(listener: (append: LogAppend) => void): () => void;

  /** The cursor of `name`; undefined before its first write. */
  findCursor(name: string): Promise<PipelineCursor | undefined>;
  /** Every cursor, by name. */
  findCursors(): Promise<PipelineCursor[]>;
  /**
   * Moves the cursor to `seq` (creating it), clears the last error and the failure count.
   * Never moves it back, except with `reset` (rebuild), which also clears `rebuildRequestedAt`.
   * Idempotent.
   */
  updateCursor(name: string, update: { readonly seq: number; readonly at: string; readonly reset?: boolean }): Promise<void>;
  /** Records a failure of the batch after the cursor (creating the cursor at 0 when new). */
  recordCursorError(name: string, error: { readonly message: string; readonly at: string }): Promise<void>;
  /** Asks the lease holder to rebuild `name` from seq 0 (creating the cursor when new). Idempotent. */
  requestRebuild(name: string, at: string): Promise<void>;

  /**
   * Takes or renews the lease of `name` for `holder` until now + ttlMs (its clock). True when
   * `holder` holds it afterwards: it was free, expired, or already its own. At most one holder
   * wins a race for a free or expired lease.
   */
  claimLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease back when `holder` holds it; no-op otherwise. */
  releaseLease(name: string, holder: string): Promise<void>;

  /** Records an erasure; idempotent per id. */
  insertErasure(erasure: ErasureRecord): Promise<void>;
  /** Erasures `name` has not yet marked done, oldest first, at most `limit`. */
  findPendingErasures(name: string, limit: number): Promise<ErasureRecord[]>;
  /** Marks an erasure done for `name`; idempotent. */
  markErasureDone(id: string, name: string): Promise<void>;
}
