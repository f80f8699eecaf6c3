import type { Database } from 'better-sqlite3';

/**
 * Statements per statement_refs bucket in a new database. Small enough that a small commit dirties
 * few index pages (a statement's ~10 keys land in a bucket of ~30 leaf pages instead of ~110:
 * measured -24% insert CPU at 5-statement groups, -13% at 50), large enough that a query over a
 * million statements seeks only ~1,000 buckets (registration p95 13 ms instead of 7 ms).
 */
export const BUCKET_SIZE = 1024;
/** The size of databases created before the size was recorded in store_settings. */
export const LEGACY_BUCKET_SIZE = 4096;

/** How seqs map to buckets in one database (the size is fixed when its first key is written). */
export interface Buckets {
  readonly size: number;
  /** The statement_refs bucket of a seq. */
  of(seq: number): number;
}

export function bucketsOfSize(size: number): Buckets {
  return { size, of: (seq) => Math.floor(seq / size) };
}

/** The bucket size recorded in this (migrated) database. */
export function readBuckets(db: Database): Buckets {
  const value = db.prepare<[], string>("SELECT value FROM store_settings WHERE key = 'bucket_size'").pluck().get();
  const size = Number(value);
  if (!Number.isInteger(size) || size <= 0) throw new Error(`store_settings.bucket_size is not a positive integer: ${String(value)}`);
  return bucketsOfSize(size);
}
