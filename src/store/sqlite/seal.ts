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
import { copiedBelowReader, readBuckets, sealedBelowReader, UNSEALED_KIND_SQL, VERB_KIND_SQL, type Buckets } from './buckets';

/**
 * One step of sealing: 'step' when it copied part of a span and more remains, 'sealed' when it
 * completed a span (scans read it from sealed_refs from then on), false when no span waits.
 */
export type SealStep = 'step' | 'sealed' | false;

/** Seals the oldest complete span a step at a time. */
export type Sealer = () => SealStep;

/**
 * Buckets copied per step. A whole span in one transaction held the writer thread for 0.27-0.34 s,
 * and every statement write waited behind it (the p99 of sustained ingest); two buckets a step
 * take ~50-60 ms, for ~1.2x the CPU of the whole span at once (bench/seal: 10.6-12.3 against
 * 8.2-10.1 µs a statement; one bucket a step cost ~1.5x).
 */
export const SEAL_STEP_BUCKETS = 2;

/** Complete spans not sealed yet: those whose last bucket is below the newest one. */
function spansWaiting(bucketing: Buckets, top: number, sealedBelow: number): number {
  return Math.floor((bucketing.of(top) - sealedBelow) / bucketing.spanBuckets);
}

/**
 * The sealer of one connection. Each call is one immediate transaction that copies the next
 * `stepBuckets` buckets of the oldest complete span and moves `copied_below` past them; the step
 * that copies the span's last bucket also moves `sealed_below`, from which scans read the span
 * from sealed_refs. Between two steps, a write that changes the rows of a copied bucket (a
 * late-inherited key, an erasure) changes their copies too (statement-insert.ts,
 * statement-erase.ts read copied_below), and each step reads its buckets' verbs afresh, so the
 * copies are exact when the span is sealed. On a database file it runs on the statement writer
 * thread, a step per message, so statement writes queued meanwhile go in between two steps.
 */
export function createSealer(db: Database, stepBuckets = SEAL_STEP_BUCKETS): Sealer {
  const bucketing = readBuckets(db);
  const sealedBelow = sealedBelowReader(db);
  const copiedBelow = copiedBelowReader(db);
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
  // Sorted by (ref, seq): each step's rows go in in key order (INSERT OR IGNORE: a late-inherited
  // key may have been copied already).
  const copy = db.prepare<[number, number, number]>(
    `INSERT OR IGNORE INTO sealed_refs (span, ref, seq, verb)
     SELECT ?, r.ref, r.seq, coalesce((SELECT w.verb FROM temp.seal_verbs w WHERE w.seq = r.seq), -1)
     FROM statement_refs r
     WHERE r.bucket >= ? AND r.bucket < ? AND r.ref NOT IN (SELECT k.id FROM ref_ids k WHERE ${UNSEALED_KIND_SQL})
     ORDER BY r.ref, r.seq`,
  );
  const setting = db.prepare<[string, string]>('UPDATE store_settings SET value = ? WHERE key = ?');
  const step = db.transaction((): SealStep => {
    const below = sealedBelow();
    const from = Math.max(copiedBelow(), below);
    // A span under way is complete by construction; otherwise a new one starts only when complete.
    if (from === below && spansWaiting(bucketing, maxSeq.get() ?? 0, below) < 1) return false;
    const end = below + bucketing.spanBuckets;
    const to = Math.min(from + stepBuckets, end);
    // seal_verbs is empty here: each step empties it before it commits, and a failed step's
    // rows go with its rollback (a temp table is in the transaction too).
    verbs.run(from, to);
    copy.run(bucketing.spanOf(below), from, to);
    clearVerbs.run();
    setting.run(String(to), 'copied_below');
    if (to < end) return 'step';
    setting.run(String(end), 'sealed_below');
    return 'sealed';
  });
  return () => step.immediate();
}

/** Seals one whole span (every step at once): tools and benches, never the service's writer. */
export function sealSpan(seal: Sealer): boolean {
  for (;;) {
    const r = seal();
    if (r !== 'step') return r === 'sealed';
  }
}

/** How often the schedule looks for a span to seal, ms. */
export const SEAL_INTERVAL_MS = 250;
/** Complete spans left unsealed past which the schedule seals even while statements arrive. */
export const SEAL_BACKLOG_SPANS = 8;

/**
 * The sealing schedule of a store: every `intervalMs` it looks (two indexed reads) at how many
 * complete spans wait, and seals one when no statement arrived since its last look (idle), or
 * when `backlogSpans` wait. A span costs the writer ~0.35-0.4 s of CPU (~11-12 µs a statement, ADR 0041):
 * a burst of ingest does not pay it while it lasts, only the idle time after it, and a sustained
 * load pays it at most a span per look, so that the buckets a sparse key still seeks one by one
 * stay bounded (8 spans: 128 buckets). The span is sealed in steps (createSealer), one turn of
 * the event loop apart, so writes asked for meanwhile go in between. A database written before
 * sealing existed is sealed a span per look while idle. `seal` runs a step on the writer thread
 * (or on this connection in memory).
 */
export function startSealing(
  db: Database,
  seal: () => SealStep | Promise<SealStep>,
  { intervalMs = SEAL_INTERVAL_MS, backlogSpans = SEAL_BACKLOG_SPANS }: { intervalMs?: number; backlogSpans?: number } = {},
): { stop(): Promise<void> } {
  const bucketing = readBuckets(db);
  const sealedBelow = sealedBelowReader(db);
  const maxSeq = db.prepare<[], number | null>('SELECT max(seq) FROM statements').pluck();
  let lastTop = -1;
  let stopped = false;
  let running: Promise<unknown> | undefined;
  const sealOneSpan = async (): Promise<void> => {
    while (!stopped && (await seal()) === 'step') await new Promise<void>((resolve) => setImmediate(resolve));
  };
  const timer = setInterval(() => {
    if (running || !db.open) return;
    const top = maxSeq.get() ?? 0;
    const waiting = spansWaiting(bucketing, top, sealedBelow());
    const idle = top === lastTop;
    lastTop = top;
    if (waiting < 1 || (!idle && waiting < backlogSpans)) return;
    // A failed step (the lock busy past its timeout) changes nothing: the next look goes on from
    // where the last step ended (copied_below).
    running = sealOneSpan()
      .catch(() => undefined)
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
