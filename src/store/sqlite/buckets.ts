import type { Database } from 'better-sqlite3';

/**
 * Statements per statement_refs bucket in a new database. Smaller than the first size (4,096) so
 * that a small commit dirties fewer index pages (insert CPU at 5-statement commits, measured:
 * 4,096 115 us, 2,048 84 us, 1,024 65 us per statement), large enough that a selective query at a
 * million statements seeks few enough buckets on a cold page cache (registration p95: 14, 22 and
 * 49 ms respectively; all under 10 ms warm).
 */
export const BUCKET_SIZE = 2048;
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
