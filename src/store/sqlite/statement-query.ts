import type { Database, Statement } from 'better-sqlite3';
import { badRequest } from '../../errors';
import type { StatementQuery, StoredStatement } from '../ports';
import { isSealedKind, readBuckets, sealedBelowReader, type Buckets } from './buckets';
import { toIsoMillis } from './iso-time';
import type { RefIds } from './ref-ids';

/** A statements row as the queries select it. */
export interface StatementRow {
  seq: number;
  id: string;
  stored: string;
  voided: number;
  json: string;
}

export function rowToStored(row: StatementRow): StoredStatement {
  return {
    id: row.id,
    seq: row.seq,
    stored: row.stored,
    voided: row.voided === 1,
    statement: JSON.parse(row.json) as Record<string, unknown>,
  };
}

/** Rows counted per key when choosing which key drives a multi-key scan. */
const PROBE_CAP = 1000;
/** Buckets (in scan order) those rows are counted in. */
const PROBE_BUCKETS = 64;
/** When probes tie, rarer kinds of key drive first (registrations are the most selective). */
const KIND_PRIORITY = ['r|', 'A|', 'O|', 'k|', 'a|', 'o|', 'v|'];

/** A key of a scan: its ref id, whether sealed spans hold its rows (seal.ts), whether it is a verb. */
interface ScanKey {
  readonly id: number;
  readonly sealed: boolean;
  readonly verb: boolean;
}

/** seq range: lo exclusive, hi inclusive. */
type Bounds = [lo: number, hi: number];

/**
 * Answers StatementQuery. Without keys: one range scan of statements by seq. With keys: the
 * rarest key's (bucket, ref, seq) rows are read bucket by bucket in the query's order, with
 * EXISTS probes for the other keys, stopping as soon as limit + 1 rows are found.
 * `since`/`until` become seq bounds because `stored` never decreases as seq grows (the writer
 * enforces it).
 */
export function createStatementFinder(db: Database, refIds: RefIds): <T>(query: StatementQuery, map: (row: StatementRow) => T) => { statements: T[]; nextAfterSeq?: number } {
  const bucketing = readBuckets(db);
  const sealedBelow = sealedBelowReader(db);
  const firstSeqAfter = db
    .prepare<[string], number>('SELECT seq FROM statements WHERE stored > ? ORDER BY stored ASC, seq ASC LIMIT 1')
    .pluck();
  const lastSeqAtOrBefore = db
    .prepare<[string], number>('SELECT seq FROM statements WHERE stored <= ? ORDER BY stored DESC, seq DESC LIMIT 1')
    .pluck();
  const maxSeq = db.prepare<[], number | null>('SELECT max(seq) FROM statements').pluck();
  const probe = db
    .prepare<[string, number, number, number, number], number>(
      `SELECT count(*) FROM (SELECT 1 FROM statement_refs
       WHERE bucket IN (SELECT value FROM json_each(?)) AND ref = ? AND seq > ? AND seq <= ? LIMIT ?)`,
    )
    .pluck();
  const probeBucket = db
    .prepare<[number, number, number, number], number>(
      'SELECT count(*) FROM statement_refs WHERE bucket = ? AND ref = ? AND seq > ? AND seq <= ?',
    )
    .pluck();
  const cache = new Map<string, Statement<unknown[], StatementRow>>();

  function prepared(sql: string): Statement<unknown[], StatementRow> {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare<unknown[], StatementRow>(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  }

  /** seq range allowed by since/until/afterSeq; undefined when it is empty. */
  function bounds(q: StatementQuery): Bounds | undefined {
    let lo = 0;
    let hi = maxSeq.get() ?? 0;
    if (q.since !== undefined) {
      const first = firstSeqAfter.get(toIsoMillis(q.since, 'since'));
      if (first === undefined) return undefined;
      lo = Math.max(lo, first - 1);
    }
    if (q.until !== undefined) {
      const last = lastSeqAtOrBefore.get(toIsoMillis(q.until, 'until'));
      if (last === undefined) return undefined;
      hi = Math.min(hi, last);
    }
    if (q.afterSeq !== undefined) {
      if (q.ascending) lo = Math.max(lo, q.afterSeq);
      else hi = Math.min(hi, q.afterSeq - 1);
    }
    return lo < hi ? [lo, hi] : undefined;
  }

  /**
   * Ref ids, rarest first (the first drives the scan); undefined when a key was never stored,
   * so nothing can match. Rarity: a capped count over the range; keys past the cap are compared
   * by their density in the bucket the scan starts with (at most a bucket's size of rows to count);
   * remaining ties go by kind of key.
   */
  function orderKeys(refs: readonly string[], range: Bounds, ascending: boolean): ScanKey[] | undefined {
    const [lo, hi] = range;
    const keys: (ScanKey & { kind: number; n: number; density: number })[] = [];
    for (const ref of new Set(refs)) {
      const id = refIds.lookup(ref);
      if (id === undefined) return undefined;
      keys.push({ id, sealed: isSealedKind(ref), verb: ref.startsWith('v|'), kind: rank(ref), n: 0, density: 0 });
    }
    if (keys.length > 1) {
      const start = bucketing.of(ascending ? lo + 1 : hi);
      // Counted over the buckets the scan reads first: a rare key's count would otherwise seek
      // every bucket of the range (~500 at a million statements) just to rank it.
      const first = bucketList(bucketing, range, { ascending, most: PROBE_BUCKETS });
      for (const k of keys) {
        k.n = probe.get(first, k.id, lo, hi, PROBE_CAP) ?? 0;
        if (k.n >= PROBE_CAP) k.density = probeBucket.get(start, k.id, lo, hi) ?? 0;
      }
    }
    keys.sort((a, b) => a.n - b.n || a.density - b.density || a.kind - b.kind);
    return keys;
  }

  /**
   * The inner queries read only the narrow key tables and the small voided_seqs table: SQLite
   * walks the IN list of buckets (or spans) in the ORDER BY direction and each one's (ref, seq)
   * range in seq order, so the ORDER BY costs no sort and the scan stops at the LIMIT. Only the
   * rows of the page are then read from the wide statements table. The other keys are probed in
   * statement_refs, which holds every row (`x.bucket = r.seq / size`, an integer division, is the
   * bucket of the seq).
   */
  function scan(table: 'statement_refs' | 'sealed_refs', keys: readonly ScanKey[], [lo, hi]: Bounds, ids: string, ascending: boolean, want: number): StatementRow[] {
    const [drive, ...others] = keys;
    if (!drive) return [];
    const dir = ascending ? 'ASC' : 'DESC';
    const group = table === 'statement_refs' ? 'bucket' : 'span';
    const probe = ` EXISTS (SELECT 1 FROM statement_refs x WHERE x.bucket = r.seq / ${bucketing.size} AND x.ref = ? AND x.seq = r.seq)`;
    // A sealed row names its statement's verb (or -1: probe it), seal.ts.
    const exists = others
      .map((k) => (table === 'sealed_refs' && k.verb ? ` AND (r.verb = ? OR (r.verb = -1 AND${probe}))` : ` AND${probe}`))
      .join('');
    const params = others.flatMap((k) => (table === 'sealed_refs' && k.verb ? [k.id, k.id] : [k.id]));
    return prepared(
      `SELECT s.seq, s.id, s.stored, s.voided, s.json
       FROM (SELECT r.seq AS seq FROM ${table} r
             WHERE r.${group} IN (SELECT value FROM json_each(?)) AND r.ref = ? AND r.seq > ? AND r.seq <= ?${exists}
               AND NOT EXISTS (SELECT 1 FROM voided_seqs v WHERE v.seq = r.seq)
             ORDER BY r.${group} ${dir}, r.seq ${dir} LIMIT ?) m
       CROSS JOIN statements s ON s.seq = m.seq
       ORDER BY s.seq ${dir}`,
    ).all(ids, drive.id, lo, hi, ...params, want);
  }

  /**
   * A keyed scan. When the rarest key is of a sealed kind (seal.ts), the part of the range in
   * sealed spans is read from sealed_refs (one range per span) and only the buckets above from
   * statement_refs; the two parts are disjoint in seq, so the page is the first part's rows then
   * the second's.
   */
  function scanByKeys(keys: readonly ScanKey[], range: Bounds, ascending: boolean, want: number): StatementRow[] {
    const below = keys[0]?.sealed ? sealedBelow() : 0;
    const [lo, hi] = range;
    const sealedTop = Math.min(hi, below * bucketing.size - 1);
    if (sealedTop <= lo) return scan('statement_refs', keys, range, bucketList(bucketing, range), ascending, want);
    const sealedPart: Bounds = [lo, sealedTop];
    const hotPart: Bounds = [sealedTop, hi];
    const spans = JSON.stringify(spanList(bucketing, sealedPart));
    const parts: [(n: number) => StatementRow[], Bounds][] = [
      [(n) => scan('sealed_refs', keys, sealedPart, spans, ascending, n), sealedPart],
      [(n) => scan('statement_refs', keys, hotPart, bucketList(bucketing, hotPart), ascending, n), hotPart],
    ];
    if (!ascending) parts.reverse();
    const rows: StatementRow[] = [];
    for (const [read, part] of parts) {
      if (rows.length >= want || part[1] <= part[0]) continue;
      rows.push(...read(want - rows.length));
    }
    return rows;
  }

  // One read transaction: sealed_below and the rows it describes are read in the same snapshot.
  const findRows = db.transaction((q: StatementQuery): StatementRow[] | undefined => {
    const range = bounds(q);
    if (!range) return undefined;
    if (q.allRefs.length === 0) {
      return prepared(
        `SELECT seq, id, stored, voided, json FROM statements
         WHERE seq > ? AND seq <= ? AND voided = 0 ORDER BY seq ${q.ascending ? 'ASC' : 'DESC'} LIMIT ?`,
      ).all(range[0], range[1], q.limit + 1);
    }
    const keys = orderKeys(q.allRefs, range, q.ascending);
    if (!keys) return undefined;
    return scanByKeys(keys, range, q.ascending, q.limit + 1);
  });

  return (q, map) => {
    if (!Number.isInteger(q.limit) || q.limit < 1) throw badRequest(`limit must be an integer >= 1, got ${q.limit}`);
    const rows = findRows(q);
    if (!rows) return { statements: [] };
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    const last = page[page.length - 1];
    return {
      statements: page.map(map),
      ...(more && last ? { nextAfterSeq: last.seq } : {}),
    };
  };
}

/** The sealed spans a seq range (lo exclusive, hi inclusive) spans. */
function spanList(bucketing: Buckets, [lo, hi]: Bounds): number[] {
  const list: number[] = [];
  for (let sp = bucketing.spanOf(bucketing.of(lo + 1)); sp <= bucketing.spanOf(bucketing.of(hi)); sp++) list.push(sp);
  return list;
}

/**
 * JSON array of the buckets a seq range spans (one json_each parameter); with `limit`, only the
 * `most` buckets a scan in that direction reads first.
 */
function bucketList(bucketing: Buckets, [lo, hi]: Bounds, limit?: { ascending: boolean; most: number }): string {
  let first = bucketing.of(lo + 1);
  let last = bucketing.of(hi);
  if (limit && last - first + 1 > limit.most) {
    if (limit.ascending) last = first + limit.most - 1;
    else first = last - limit.most + 1;
  }
  const list: number[] = [];
  for (let b = first; b <= last; b++) list.push(b);
  return JSON.stringify(list);
}

function rank(ref: string): number {
  const i = KIND_PRIORITY.indexOf(ref.slice(0, 2));
  return i < 0 ? KIND_PRIORITY.length : i;
}
