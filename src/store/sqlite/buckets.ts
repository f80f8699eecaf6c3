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

/**
 * Buckets per sealed span in a new database (store_settings `span_buckets`, seal.ts): once every
 * bucket of a span is complete, the rows of its sparse keys are copied into sealed_refs in (ref,
 * seq) order, so a learner's, an activity's or a registration's rows of 32,768 statements are one
 * range instead of one seek per bucket of 2,048.
 */
export const SPAN_BUCKETS = 16;

/**
 * Kinds of key copied into sealed spans: the sparse ones a filter names directly (the actor or
 * object learner, the object activity, the registration: a few rows per bucket each, so a scan of
 * the buckets is mostly seeks). Verbs, credentials and organizations fill every bucket: a bucket
 * seek finds many of their rows. The related kinds (`a|`, `o|`: every agent or activity anywhere
 * in a statement) are left out too: they include dense keys (the authority of every statement, a
 * course named as every statement's parent) and would more than double the rows a seal copies,
 * while their filters (related_agents, related_activities) already meet the target from the
 * buckets (ADR 0041).
 */
export const SEALED_KINDS = ['A|', 'O|', 'r|'] as const;

export function isSealedKind(ref: string): boolean {
  return (SEALED_KINDS as readonly string[]).includes(ref.slice(0, 2));
}

/** SQL condition on a ref_ids row (alias `k`): its key is of a sealed kind. */
export const SEALED_KIND_SQL = `substr(k.ref, 1, 2) IN (${SEALED_KINDS.map((x) => `'${x}'`).join(', ')})`;

/**
 * SQL condition on a ref_ids row (alias `k`): its key is NOT of a sealed kind, as ranges of the
 * unique index on ref (the kinds left out are few keys: verbs, credentials, organizations), so
 * that the sealer reads those few ids instead of testing every key of a large site.
 */
export const UNSEALED_KIND_SQL = (() => {
  const kinds = [...SEALED_KINDS].sort();
  const ranges: string[] = [];
  let from: string | undefined;
  for (const kind of kinds) {
    const start = `'${kind}'`;
    ranges.push(from === undefined ? `k.ref < ${start}` : `(k.ref >= ${from} AND k.ref < ${start})`);
    from = `'${kind[0]}}'`;
  }
  ranges.push(`k.ref >= ${from}`);
  return `(${ranges.join(' OR ')})`;
})();

/** SQL condition on a ref_ids row (alias `k`): a verb key. */
export const VERB_KIND_SQL = "(k.ref >= 'v|' AND k.ref < 'v}')";

/** How seqs map to buckets in one database (the size is fixed when its first key is written). */
export interface Buckets {
  readonly size: number;
  /** Buckets per sealed span. */
  readonly spanBuckets: number;
  /** The statement_refs bucket of a seq. */
  of(seq: number): number;
  /** The sealed span of a bucket. */
  spanOf(bucket: number): number;
}

export function bucketsOfSize(size: number, spanBuckets = SPAN_BUCKETS): Buckets {
  return {
    size,
    spanBuckets,
    of: (seq) => Math.floor(seq / size),
    spanOf: (bucket) => Math.floor(bucket / spanBuckets),
  };
}

/** The bucket size and span recorded in this (migrated) database. */
export function readBuckets(db: Database): Buckets {
  return bucketsOfSize(readSetting(db, 'bucket_size'), readSetting(db, 'span_buckets'));
}

function readSetting(db: Database, key: string): number {
  const value = db.prepare<[string], string>('SELECT value FROM store_settings WHERE key = ?').pluck().get(key);
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`store_settings.${key} is not a positive integer: ${String(value)}`);
  return n;
}

/**
 * Reads the first bucket not sealed yet (store_settings `sealed_below`, a multiple of the span):
 * the sealed-kind rows of every bucket below it are also in sealed_refs. Read it in the same
 * transaction as the rows it describes: the sealer moves it.
 */
export function sealedBelowReader(db: Database): () => number {
  return bucketSettingReader(db, 'sealed_below');
}

/**
 * Reads the first bucket whose rows are not copied into sealed_refs yet (store_settings
 * `copied_below`): the sealer copies a span a few buckets per transaction (seal.ts), so this runs
 * ahead of `sealed_below` while a span is being sealed (sealed_below <= copied_below < sealed_below
 * + span). Writes that change the rows of a bucket below it (a late-inherited key, an erasure)
 * change their copies too; scans still read sealed_refs only below `sealed_below`.
 */
export function copiedBelowReader(db: Database): () => number {
  return bucketSettingReader(db, 'copied_below');
}

/** A reader of a bucket number kept in store_settings (0 when absent), its statement prepared once. */
function bucketSettingReader(db: Database, key: 'sealed_below' | 'copied_below'): () => number {
  const read = db.prepare<[string], string>('SELECT value FROM store_settings WHERE key = ?').pluck();
  return () => Number(read.get(key) ?? 0);
}
