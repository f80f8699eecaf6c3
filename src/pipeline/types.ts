/**
 * The statement pipeline's public shape (issue 13), fixed first so that the features built on it
 * (competency evidence, report rollups, forwarding, webhooks, progress, cmi5 moveOn) can be written
 * against it in parallel. The engine (registry, cursors, leases, rebuild) lives beside this file.
 *
 * The log is the statement store ordered by `seq`. A subscriber registers by name, keeps its own
 * cursor (the last seq it finished) in the store, and receives events in seq order, in batches. It
 * must be idempotent: after a crash the batch after its cursor is delivered again.
 */
import type { StoredStatement } from '../store/ports';

/** A statement was stored. `orgIds` are the organizations it belongs to (its `g|` ownership keys). */
export interface StoredEvent {
  readonly kind: 'stored';
  readonly seq: number;
  readonly statement: StoredStatement;
  readonly orgIds: readonly string[];
}

/**
 * A stored statement was voided (delivered at the voiding statement's seq, after the voiding
 * statement's own `stored` event). Projections drop everything they derived from `voidedId`.
 */
export interface VoidedEvent {
  readonly kind: 'voided';
  readonly seq: number;
  readonly voidedId: string;
  readonly voidingId: string;
}

/** A person was erased: projections drop everything about `userId`. */
export interface ErasedEvent {
  readonly kind: 'erased';
  /** The seq horizon at the time of the erasure; events are delivered in order with statements. */
  readonly seq: number;
  readonly userId: string;
}

export type PipelineEvent = StoredEvent | VoidedEvent | ErasedEvent;

/** A projection or an outbound feed that follows the log. */
export interface Subscriber {
  /** Stable, unique name: the key of its cursor ("progress", "competency-evidence", ...). */
  readonly name: string;
  /** Most events handed to one `handle` call (default chosen by the engine). */
  readonly batchSize?: number;
  /**
   * Processes events in order. Must be idempotent (the same batch may come again after a crash).
   * The events and their statements are shared with the other subscribers: read-only.
   * Throwing leaves the cursor where it was; the engine retries with back-off and records the error.
   */
  handle(events: readonly PipelineEvent[]): Promise<void>;
  /** Rebuild: forget everything derived so far; the engine then replays from seq 0. */
  reset?(): Promise<void>;
  /**
   * A statement write answers only once this subscriber has handled it (up to a bound; see
   * src/pipeline/engine.ts): for projections that pages read right after a write (progress,
   * cmi5 moveOn). A function limits the wait to writes holding a statement it returns true for.
   * Default false: the write does not wait.
   */
  readonly readYourWrites?: boolean | ((statement: Readonly<Record<string, unknown>>) => boolean);
}
