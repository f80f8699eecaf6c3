/**
 * Sealed spans (ADR 0041). statement_refs is ordered by (bucket, ref, seq) with small buckets of
 * seq, so that a batch dirties few pages; but a sparse key (a learner, an activity, a
 * registration) then costs one seek per bucket it is read from: at ten million statements a
 * learner's ~2,000 rows are spread over ~4,900 buckets. Once every bucket of a span is complete
 * (the newest bucket is past it), the sealer copies the span's rows of the sparse kinds
 * (buckets.ts SEALED_KINDS) into sealed_refs, ordered (span, ref, seq): each key's rows of the span
 * are then one range. Each row also carries its statement's verb key, so a learner + verb query
 * (the commonest pair) filters the verb in the row instead of probing statement_refs for each
 * candidate: one page read per probe on a cold cache. statement_refs keeps every row, so writes, restriction checks, the log and
 * the EXISTS probes of multi-key scans read it as before; only the scan that a sparse key drives
 * reads the sealed spans (statement-query.ts).
 */
import type { Database } from 'better-sqlite3';
import { readBuckets, sealedBelowReader, UNSEALED_KIND_SQL, VERB_KIND_SQL, type Buckets } from './buckets';

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
  // Each statement's verb key (-1 when it has more than one), for the verb column.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS seal_verbs (seq INTEGER PRIMARY KEY, verb INTEGER NOT NULL)');
  const clearVerbs = db.prepare('DELETE FROM temp.seal_verbs');
  const verbs = db.prepare<[number, number]>(
    `INSERT INTO temp.seal_verbs (seq, verb)
     SELECT r.seq, CASE WHEN count(*) = 1 THEN max(r.ref) ELSE -1 END FROM statement_refs r
     WHERE r.bucket >= ? AND r.bucket < ? AND r.ref IN (SELECT k.id FROM ref_ids k WHERE ${VERB_KIND_SQL})
     GROUP BY r.seq`,
  );
  // Sorted by (ref, seq), the rows append at the end of sealed_refs (spans are sealed in order).
  const copy = db.prepare<[number, number, number]>(
    `INSERT OR IGNORE INTO sealed_refs (span, ref, seq, verb)
     SELECT ?, r.ref, r.seq, coalesce((SELECT w.verb FROM temp.seal_verbs w WHERE w.seq = r.seq), -1)
     FROM statement_refs r
     WHERE r.bucket >= ? AND r.bucket < ? AND r.ref NOT IN (SELECT k.id FROM ref_ids k WHERE ${UNSEALED_KIND_SQL})
     ORDER BY r.ref, r.seq`,
  );
  const move = db.prepare<[string]>("UPDATE store_settings SET value = ? WHERE key = 'sealed_below'");
  const seal = db.transaction((): boolean => {
    const below = sealedBelow();
    if (!spanReady(bucketing, maxSeq.get() ?? 0, below)) return false;
    const end = below + bucketing.spanBuckets;
    clearVerbs.run();
    verbs.run(below, end);
    copy.run(bucketing.spanOf(below), below, end);
    clearVerbs.run();
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
