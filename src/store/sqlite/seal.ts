/**
 * Sealed spans (ADR 0041). statement_refs is ordered by (bucket, ref, seq) with small buckets of
 * seq, so that a batch dirties few pages; but a sparse key (a learner, an activity, a
 * registration) then costs one seek per bucket it is read from: at ten million statements a
 * learner's ~2,000 rows are spread over ~4,900 buckets. Once every bucket of a span is complete
 * (the newest bucket is past it), the sealer copies the span's rows of the sparse kinds
 * (buckets.ts SEALED_KINDS) into sealed_refs, ordered (span, ref, seq): each key's rows of the span
 * are then one range. Each row also carries its statement's verb key, so a learner + verb query
 * (the commonest pair) filters the verb in the row instead of probing statement_refs for each
 * candidate: one page read per probe on a cold cache. statement_refs keeps every row, so writes,
 * restriction checks, the log and the EXISTS probes of multi-key scans read it as before; only
 * the scan that a sparse key drives reads the sealed spans (statement-query.ts).
 */
import type { Database } from 'better-sqlite3';
import { readBuckets, sealedBelowReader, UNSEALED_KIND_SQL, VERB_KIND_SQL, type Buckets } from './buckets';

/** Seals the oldest complete span, if there is one; true when it sealed. */
export type Sealer = () => boolean;

/** Complete spans not sealed yet: those whose last bucket is below the newest one. */
function spansWaiting(bucketing: Buckets, top: number, sealedBelow: number): number {
  return Math.floor((bucketing.of(top) - sealedBelow) / bucketing.spanBuckets);
}

/**
 * The sealer of one connection: one span per call, in one immediate transaction. On a database
 * file it runs on the statement writer thread, between two group commits, never on the service's
 * event loop.
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
    if (spansWaiting(bucketing, maxSeq.get() ?? 0, below) < 1) return false;
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

/** How often the schedule looks for a span to seal, ms. */
export const SEAL_INTERVAL_MS = 250;
/** Complete spans left unsealed past which the schedule seals even while statements arrive. */
export const SEAL_BACKLOG_SPANS = 8;

/**
 * The sealing schedule of a store: every `intervalMs` it looks (two indexed reads) at how many
 * complete spans wait, and seals one when no statement arrived since its last look (idle), or
 * when `backlogSpans` wait. A span costs the writer ~0.3 s of CPU (~8-10 µs a statement, ADR 0041):
 * a burst of ingest does not pay it while it lasts, only the idle time after it, and a sustained
 * load pays it at most a span per look, so that the buckets a sparse key still seeks one by one
 * stay bounded (8 spans: 128 buckets). A database written before sealing existed is sealed a
 * span per look while idle. `seal` runs it on the writer thread (or on this connection in memory).
 */
export function startSealing(
  db: Database,
  seal: () => boolean | Promise<boolean>,
  { intervalMs = SEAL_INTERVAL_MS, backlogSpans = SEAL_BACKLOG_SPANS }: { intervalMs?: number; backlogSpans?: number } = {},
): { stop(): Promise<void> } {
  const bucketing = readBuckets(db);
  const sealedBelow = sealedBelowReader(db);
  const maxSeq = db.prepare<[], number | null>('SELECT max(seq) FROM statements').pluck();
  let lastTop = -1;
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running || !db.open) return;
    const top = maxSeq.get() ?? 0;
    const waiting = spansWaiting(bucketing, top, sealedBelow());
    const idle = top === lastTop;
    lastTop = top;
    if (waiting < 1 || (!idle && waiting < backlogSpans)) return;
    // A failed seal (the lock busy past its timeout) changes nothing: the next look tries again.
    running = Promise.resolve()
      .then(seal)
      .catch(() => undefined)
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
