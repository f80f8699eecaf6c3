/**
 * A keyed-record table: the small storage shape both engines provide for record kinds whose
 * rules are the same on every engine (the competency records, ADR 0021). A row is an id, a few
 * key fields that filters match by equality, and the record's JSON. The shared implementation
 * (competency.ts) holds the rules; an adapter only moves rows.
 */

/** A key field's value; null is stored as absent and matched by nothing but null. */
export type KeyValue = string | number | null;

/** Equality on key fields, all of which must match; an array matches any of its values (none when empty). */
export type RecordFilter = Readonly<Record<string, KeyValue | readonly KeyValue[]>>;

/** One row. */
export interface RecordRow {
  readonly id: string;
  readonly keys: Readonly<Record<string, KeyValue>>;
  readonly json: string;
}

/** What a table declares: its name and key fields (each gets an index). */
export interface RecordTableSpec {
  readonly name: string;
  readonly keys: readonly string[];
  /**
   * Plain fields stored beside the keys, without an index (ADR 0035): filters may name them (the
   * rows an indexed key narrowed to are then checked), and findColumns reads them without the
   * JSON. A field that was a key before loses its index when it moves here.
   */
  readonly columns?: readonly string[];
}

export interface RecordTable {
  /** Inserts or replaces rows by id; idempotent. */
  put(rows: readonly RecordRow[]): Promise<void>;
  /** Inserts the rows whose id is new, leaves the others; returns the ids inserted. */
  insertNew(rows: readonly RecordRow[]): Promise<string[]>;
  /** JSON of the rows with these ids, in no particular order. */
  get(ids: readonly string[]): Promise<string[]>;
  /** JSON of the matching rows, in no particular order (at most `limit` when given). */
  find(filter: RecordFilter, limit?: number): Promise<string[]>;
  /**
   * Only some top-level fields of the matching rows' JSON, one array of values per row in the
   * order of `fields` (absent fields: null), in no particular order: a read that needs a small
   * part of large records need not move and parse all of them.
   */
  findFields(filter: RecordFilter, fields: readonly string[]): Promise<unknown[][]>;
  /**
   * Key and column values of the matching rows (`id` names the row id), one array per row in the
   * order of `names` (absent: null), in no particular order; no JSON is read.
   */
  findColumns(filter: RecordFilter, names: readonly string[]): Promise<KeyValue[][]>;
  /** JSON of the rows whose id starts with any of these (non-empty) prefixes, in no particular order: a range of the id's own index. */
  findIdPrefixes(prefixes: readonly string[]): Promise<string[]>;
  /** Deletes the matching rows (every row when the filter is empty); returns how many. */
  delete(filter: RecordFilter): Promise<number>;
  /** Deletes rows by id; returns how many. */
  deleteIds(ids: readonly string[]): Promise<number>;
}

/** Opens a table of an engine (creating it and its indexes when needed). */
export type OpenRecordTable = (spec: RecordTableSpec) => RecordTable;

/** A JSON field name findFields accepts. */
export const FIELD = /^[A-Za-z][A-Za-z0-9_]*$/;

/** True when a filter can match nothing (an empty array). */
export function matchesNothing(filter: RecordFilter): boolean {
  return Object.values(filter).some((v) => Array.isArray(v) && v.length === 0);
}

/**
 * Runs `fn` (a few calls on an engine's record tables) as one unit of work where the engine has
 * one: one SQLite transaction, so a batch of evidence commits once (ADR 0035). The calls inside
 * must not wait for anything but those tables. An engine without it just runs `fn`.
 */
export type RecordUnitOfWork = <T>(fn: () => Promise<T>) => Promise<T>;

/** The unit of work of an engine without transactions across tables: none. */
export const noUnitOfWork: RecordUnitOfWork = (fn) => fn();

/** The first string after every string that starts with `prefix` (its last character incremented). */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
