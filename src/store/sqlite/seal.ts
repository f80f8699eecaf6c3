/**
 * Sealed spans (ADR 0041). statement_refs is ordered by (bucket, ref, seq) with small buckets of
 * seq, so that a batch dirties few pages; but a sparse key (a learner, an activity, a
 * registration) then costs one seek per bucket it is read from: at ten million statements a
 * learner's ~2,000 rows are spread over ~4,900 buckets. Once every bucket of a span is complete
 * (the newest bucket is past it), the sealer copies the span's rows of the sparse kinds
 * (buckets.ts SEALED_KINDS) into sealed_refs, ordered (span, ref, seq): each key's rows of the span
 * are then one range. statement_refs keeps every row, so writes, restriction checks, the log and
 * the EXISTS probes of multi-key scans read it as before; only the scan that a sparse key drives
 * reads the sealed spans (statement-query.ts).
 */
import type { Database } from 'better-sqlite3';
import { readBuckets, SEALED_KIND_SQL, sealedBelowReader, type Buckets } from './buckets';

/** Seals the oldest complete span, if there is one; true when it sealed. */
export type Sealer = () => boolean;

function spanReady(bucketing: Buckets, top: number, sealedBelow: number): boolean {
  return sealedBelow + bucketing.spanBuckets <= bucketing.of(top);
}

/**
 * The sealer of one connection: one span per call, in one immediate transaction. Callers run it
 * between two group commits of the statement writer, never on the service's event loop while a
 * writer thread exists.
 */
export function createSealer(db: Database): Sealer {
  const bucketing = readBuckets(db);
  const sealedBelow = sealedBelowReader(db);
  const maxSeq = db.prepare<[], number | null>('SELECT max(seq) FROM statements').pluck();
  // Sorted by (ref, seq), the rows append at the end of sealed_refs (spans are sealed in order).
  const copy = db.prepare<[number, number, number]>(
    `INSERT OR IGNORE INTO sealed_refs (span, ref, seq)
     SELECT ?, r.ref, r.seq FROM statement_refs r
     WHERE r.bucket >= ? AND r.bucket < ? AND r.ref IN (SELECT k.id FROM ref_ids k WHERE ${SEALED_KIND_SQL})
     ORDER BY r.ref, r.seq`,
  );
  const move = db.prepare<[string]>("UPDATE store_settings SET value = ? WHERE key = 'sealed_below'");
  const seal = db.transaction((): boolean => {
    const below = sealedBelow();
    if (!spanReady(bucketing, maxSeq.get() ?? 0, below)) return false;
    const end = below + bucketing.spanBuckets;
    copy.run(bucketing.spanOf(below), below, end);
    move.run(String(end));
    return true;
  });
  return () => seal.immediate();
}

/**
 * Decides from the newest seq of each group commit whether a span may be ready to seal: no read
 * at all until the newest bucket reaches the end of the first unsealed span (as last read), then
 * two indexed reads. At most one span is sealed per group commit, so a database that already
 * holds many complete spans (one written before sealing existed) is sealed a span per commit.
 */
export function sealTrigger(db: Database): (top: number | undefined) => boolean {
  const bucketing = readBuckets(db);
  const sealedBelow = sealedBelowReader(db);
  let readyAt = sealedBelow() + bucketing.spanBuckets;
  return (top) => {
    if (top === undefined || bucketing.of(top) < readyAt) return false;
    readyAt = sealedBelow() + bucketing.spanBuckets;
    return bucketing.of(top) >= readyAt;
  };
}
