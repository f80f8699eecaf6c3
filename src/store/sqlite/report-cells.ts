import type { Database } from 'better-sqlite3';
import type { LearningGroup, LearningTotals, ReportScope } from '../ports';
import { cellId, cellsOfRow, periodDays, planCellRead, type CellKey, type CellLevel, type CellRow, type Grain } from '../report-cube';

/**
 * The learning cells on SQLite (ADR 0034, src/store/report-cube.ts): `report_cells` keeps each
 * cell's sums, its count of learning-day rows and its learners as a blob of sorted 32-bit learner
 * numbers (`report_user_nos` numbers the learners). Kept in the transaction that changes
 * `report_days`, so the cells always sum exactly the rows.
 */
export const CELLS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS report_user_nos (no INTEGER PRIMARY KEY, user_id TEXT NOT NULL UNIQUE);
  CREATE TABLE IF NOT EXISTS report_cells (
    level INTEGER NOT NULL, grain TEXT NOT NULL, period TEXT NOT NULL, org_id TEXT NOT NULL,
    provider_org_id TEXT NOT NULL, course_id TEXT NOT NULL, rows INTEGER NOT NULL DEFAULT 0,
    launches INTEGER NOT NULL DEFAULT 0, completions INTEGER NOT NULL DEFAULT 0, passes INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0, time_ms INTEGER NOT NULL DEFAULT 0, statements INTEGER NOT NULL DEFAULT 0,
    users BLOB NOT NULL DEFAULT x'',
    PRIMARY KEY (level, grain, period, org_id, provider_org_id, course_id)
  ) WITHOUT ROWID;
`;

/** Sorted learner numbers from a blob. */
export function decodeUsers(b: Buffer | Uint8Array): Uint32Array {
  const n = b.byteLength >>> 2;
  if (b.byteOffset % 4 === 0) return new Uint32Array(b.buffer, b.byteOffset, n);
  return new Uint32Array(Uint8Array.from(b.subarray(0, n * 4)).buffer);
}

function encodeUsers(list: readonly number[] | Uint32Array): Buffer {
  const a = Uint32Array.from(list);
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

interface Sums { launches: number; completions: number; passes: number; failures: number; timeMs: number; statements: number }

/** Changes of one cell gathered over a batch. */
interface CellChange extends Sums {
  readonly key: CellKey;
  rows: number;
  /**
   * Learners whose membership may have changed, with the rows of theirs that changed: one of those
   * counting at the flush decides it; else report_days is asked about their other rows.
   */
  readonly touched: Map<string, Set<string>>;
  /** Learners to take out whatever report_days says (erasure). */
  readonly gone: Set<string>;
}

type RowAt = { day: string; orgId: string; providerOrgId: string; courseId: string; userId: string };

export interface CellBatch {
  /** A learning-day row changed by `sums` (statements before and after), `created` when the row is new. */
  row(r: { day: string; orgId: string; providerOrgId: string; courseId: string; userId: string }, sums: Sums, before: number, after: number, created: boolean): void;
  /** A learning-day row of an erased learner, about to be deleted. */
  erased(r: { day: string; orgId: string; providerOrgId: string; courseId: string; userId: string }, sums: Sums): void;
  /** A learner known to count in every cell of the rows given so far (the backfill: no check needed). */
  joined(userId: string): void;
  /** Writes the changes (inside the caller's transaction, after report_days changed). */
  flush(): void;
}

export function createSqliteCells(db: Database): {
  batch(): CellBatch;
  reset(): void;
  read(scope: ReportScope, groups: readonly LearningGroup[]): LearningTotals[][];
  backfillIfNew(existed: boolean): void;
} {
  const upsert = db.prepare<unknown[], { rows: number; users: Buffer }>(`
    INSERT INTO report_cells (level, grain, period, org_id, provider_org_id, course_id, rows, launches, completions, passes, failures, time_ms, statements)
    VALUES (@level, @grain, @period, @orgId, @providerOrgId, @courseId, @rows, @launches, @completions, @passes, @failures, @timeMs, @statements)
    ON CONFLICT (level, grain, period, org_id, provider_org_id, course_id) DO UPDATE SET
      rows = rows + excluded.rows, launches = launches + excluded.launches, completions = completions + excluded.completions,
      passes = passes + excluded.passes, failures = failures + excluded.failures, time_ms = time_ms + excluded.time_ms,
      statements = statements + excluded.statements
    RETURNING rows, users`);
  const pk = 'level = @level AND grain = @grain AND period = @period AND org_id = @orgId AND provider_org_id = @providerOrgId AND course_id = @courseId';
  const setUsers = db.prepare(`UPDATE report_cells SET users = @users WHERE ${pk}`);
  const deleteCell = db.prepare(`DELETE FROM report_cells WHERE ${pk}`);
  const userNo = db.prepare<[string], number>('SELECT no FROM report_user_nos WHERE user_id = ?').pluck();
  const maxUserNo = db.prepare<[], number | null>('SELECT max(no) FROM report_user_nos').pluck();
  const newUserNo = db.prepare('INSERT INTO report_user_nos (user_id) VALUES (?)');
  const active: Record<CellLevel, { get(...args: unknown[]): unknown }> = {
    0: db.prepare('SELECT 1 FROM report_days WHERE user_id = ? AND day BETWEEN ? AND ? AND provider_org_id = ? AND statements > 0 LIMIT 1'),
    1: db.prepare('SELECT 1 FROM report_days WHERE user_id = ? AND day BETWEEN ? AND ? AND org_id = ? AND provider_org_id = ? AND statements > 0 LIMIT 1'),
    2: db.prepare('SELECT 1 FROM report_days WHERE user_id = ? AND day BETWEEN ? AND ? AND provider_org_id = ? AND course_id = ? AND statements > 0 LIMIT 1'),
    3: db.prepare('SELECT 1 FROM report_days WHERE user_id = ? AND day BETWEEN ? AND ? AND org_id = ? AND provider_org_id = ? AND course_id = ? AND statements > 0 LIMIT 1'),
  };
  const isActive = (k: CellKey, userId: string): boolean => {
    const [a, b] = periodDays(k.grain, k.period);
    const args: string[] = k.level === 0 ? [k.providerOrgId] : k.level === 1 ? [k.orgId, k.providerOrgId] : k.level === 2 ? [k.providerOrgId, k.courseId] : [k.orgId, k.providerOrgId, k.courseId];
    return active[k.level].get(userId, a, b, ...args) !== undefined;
  };
  const numberOf = (userId: string, create: boolean): number | undefined => {
    const known = userNo.get(userId);
    if (known !== undefined || !create) return known;
    return Number(newUserNo.run(userId).lastInsertRowid);
  };

  function batch(): CellBatch {
    const changes = new Map<string, CellChange>();
    const sure = new Set<string>();
    /** The rows changed in this batch: their summed change, statements before the batch and now. */
    const rows = new Map<string, { r: RowAt; sums: Sums; before: number; after: number; created: boolean }>();
    const changeOf = (k: CellKey): CellChange => {
      const id = cellId(k);
      let c = changes.get(id);
      if (!c) {
        c = { key: k, rows: 0, launches: 0, completions: 0, passes: 0, failures: 0, timeMs: 0, statements: 0, touched: new Map(), gone: new Set() };
        changes.set(id, c);
      }
      return c;
    };
    const add = (c: Sums, s: Sums, sign: 1 | -1): void => {
      c.launches += sign * s.launches; c.completions += sign * s.completions; c.passes += sign * s.passes;
      c.failures += sign * s.failures; c.timeMs += sign * s.timeMs; c.statements += sign * s.statements;
    };
    return {
      row(r, sums, before, after, created) {
        // Summed per row first: a batch holds many statements of one learner, course and day.
        const rowId = `${r.day}\u0000${r.courseId}\u0000${r.orgId}\u0000${r.userId}`;
        const acc = rows.get(rowId);
        if (acc) {
          add(acc.sums, sums, 1);
          acc.after = after;
          acc.created ||= created;
        } else {
          rows.set(rowId, { r, sums: { ...sums }, before, after, created });
        }
      },
      erased(r, sums) {
        for (const k of cellsOfRow(r.day, r.orgId, r.providerOrgId, r.courseId)) {
          const c = changeOf(k);
          add(c, sums, -1);
          c.rows -= 1;
          c.gone.add(r.userId);
        }
      },
      joined(userId) {
        sure.add(userId);
      },
      flush() {
        for (const [rowId, { r, sums, before, after, created }] of rows) {
          const flips = (before > 0) !== (after > 0);
          for (const k of cellsOfRow(r.day, r.orgId, r.providerOrgId, r.courseId)) {
            const c = changeOf(k);
            add(c, sums, 1);
            if (created) c.rows += 1;
            if (flips) {
              const ids = c.touched.get(r.userId);
              if (ids) ids.add(rowId);
              else c.touched.set(r.userId, new Set([rowId]));
            }
          }
        }
        const numbers = new Map<string, number | undefined>();
        const numberNow = (u: string, create: boolean): number | undefined => {
          let no = numbers.get(u);
          if (no === undefined && (create || !numbers.has(u))) {
            no = numberOf(u, create);
            numbers.set(u, no);
          }
          return no;
        };
        for (const c of changes.values()) {
          const k = c.key;
          const at = { level: k.level, grain: k.grain, period: k.period, orgId: k.orgId, providerOrgId: k.providerOrgId, courseId: k.courseId };
          const cell = upsert.get({ ...at, rows: c.rows, launches: c.launches, completions: c.completions, passes: c.passes, failures: c.failures, timeMs: Math.round(c.timeMs), statements: c.statements });
          if (!cell) continue;
          if (cell.rows <= 0) {
            deleteCell.run(at);
            continue;
          }
          if (c.touched.size === 0 && c.gone.size === 0) continue;
          const users = new Set(decodeUsers(cell.users));
          const size = users.size;
          let changed = false;
          for (const u of c.gone) {
            const no = numberNow(u, false);
            if (no !== undefined) changed = users.delete(no) || changed;
          }
          for (const [u, ids] of c.touched) {
            if (c.gone.has(u)) continue;
            const counts = sure.has(u) || [...ids].some((id) => (rows.get(id)?.after ?? 0) > 0) || isActive(k, u);
            if (counts) {
              const no = numberNow(u, true) as number;
              if (!users.has(no)) { users.add(no); changed = true; }
            } else {
              const no = numberNow(u, false);
              if (no !== undefined) changed = users.delete(no) || changed;
            }
          }
          if (!changed && users.size === size) continue;
          setUsers.run({ ...at, users: encodeUsers([...users].sort((a, b) => a - b)) });
        }
        changes.clear();
        sure.clear();
        rows.clear();
      },
    };
  }

  const readers = new Map<string, { iterate(...args: unknown[]): IterableIterator<unknown> }>();
  function read(scope: ReportScope, groups: readonly LearningGroup[]): LearningTotals[][] {
    const plan = planCellRead(scope, groups, maxUserNo.get() ?? 0);
    for (const r of plan.reads) {
      const conds = ['level = ?', 'grain = ?', 'period IN (SELECT value FROM json_each(?))'];
      const params: unknown[] = [r.level, r.grain, JSON.stringify(r.periods)];
      if (scope.orgIds !== undefined && (r.level === 1 || r.level === 3)) { conds.push('org_id IN (SELECT value FROM json_each(?))'); params.push(JSON.stringify(scope.orgIds)); }
      if (scope.providerOrgIds !== undefined) { conds.push('provider_org_id IN (SELECT value FROM json_each(?))'); params.push(JSON.stringify(scope.providerOrgIds)); }
      const sql = `SELECT grain, period, org_id, provider_org_id, course_id, launches, completions, passes, failures, time_ms, statements, users
        FROM report_cells WHERE ${conds.join(' AND ')}`;
      let stmt = readers.get(sql);
      if (!stmt) { stmt = db.prepare(sql).raw(); readers.set(sql, stmt); }
      const it = stmt.iterate(...params) as IterableIterator<[Grain, string, string, string, string, number, number, number, number, number, number, Buffer]>;
      function* rows(): Generator<CellRow> {
        for (const x of it) {
          yield {
            grain: x[0], period: x[1], orgId: x[2], providerOrgId: x[3], courseId: x[4], launches: x[5], completions: x[6],
            passes: x[7], failures: x[8], timeMs: x[9], statements: x[10], users: decodeUsers(x[11]),
          };
        }
      }
      plan.fold(r.level, rows());
    }
    return plan.result();
  }

  function reset(): void {
    db.prepare('DELETE FROM report_cells').run();
    db.prepare('DELETE FROM report_user_nos').run();
  }

  /** Builds the cells from report_days when their table is new (a database of before ADR 0034). */
  function backfillIfNew(existed: boolean): void {
    if (existed) return;
    type Row = [string, string, string, string, string, number, number, number, number, number, number];
    // Pages in key order (a statement cannot run on this connection while another iterates).
    const first = db.prepare(`SELECT day, course_id, org_id, user_id, provider_org_id, launches, completions, passes, failures, time_ms, statements
      FROM report_days ORDER BY day, course_id, org_id, user_id LIMIT 20000`).raw();
    const next = db.prepare(`SELECT day, course_id, org_id, user_id, provider_org_id, launches, completions, passes, failures, time_ms, statements
      FROM report_days WHERE (day, course_id, org_id, user_id) > (?, ?, ?, ?) ORDER BY day, course_id, org_id, user_id LIMIT 20000`).raw();
    db.transaction(() => {
      let last: Row | undefined;
      for (;;) {
        const page = (last === undefined ? first.all() : next.all(last[0], last[1], last[2], last[3])) as Row[];
        if (page.length === 0) break;
        const b = batch();
        for (const r of page) {
          b.row({ day: r[0], courseId: r[1], orgId: r[2], userId: r[3], providerOrgId: r[4] },
            { launches: r[5], completions: r[6], passes: r[7], failures: r[8], timeMs: r[9], statements: r[10] }, 0, r[10], true);
          if (r[10] > 0) b.joined(r[3]);
        }
        b.flush();
        last = page[page.length - 1];
      }
    })();
  }

  return { batch, reset, read, backfillIfNew };
}
