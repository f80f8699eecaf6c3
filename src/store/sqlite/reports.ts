import type { Database, Statement } from 'better-sqlite3';
import type {
  LearningDayDelta, LearningGroup, LearningTotals, ReportAttempt, ReportInteraction, ReportPart, ReportScope, ReportStore, SavedReport,
} from '../ports';
import { monthOf, weekOf } from '../report-periods';
import { LearningFold, type DayTuple } from '../report-fold';
import { cellsAnswer } from '../report-cube';
import { CELLS_SCHEMA, createSqliteCells } from './report-cells';

/**
 * Report projection tables (see the port). `report_days` has one row per (day, course, org,
 * user) with `last_seq`, the highest pipeline seq applied to it; attempts and interactions are
 * keyed by statement id. The narrow indexes serve the two ways reports read: by learner
 * organization and period, and by course (provider) and period.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS report_days (
    day TEXT NOT NULL, course_id TEXT NOT NULL, org_id TEXT NOT NULL, user_id TEXT NOT NULL,
    provider_org_id TEXT NOT NULL, week TEXT NOT NULL, month TEXT NOT NULL, last_seq INTEGER NOT NULL,
    launches INTEGER NOT NULL DEFAULT 0, completions INTEGER NOT NULL DEFAULT 0, passes INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0, time_ms INTEGER NOT NULL DEFAULT 0, statements INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, course_id, org_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS report_days_org ON report_days (org_id, day);
  CREATE INDEX IF NOT EXISTS report_days_course ON report_days (course_id, day);
  CREATE INDEX IF NOT EXISTS report_days_provider ON report_days (provider_org_id, day);
  CREATE INDEX IF NOT EXISTS report_days_user ON report_days (user_id);
  CREATE TABLE IF NOT EXISTS report_attempts (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, registration TEXT NOT NULL, course_id TEXT NOT NULL,
    provider_org_id TEXT NOT NULL, org_id TEXT NOT NULL, user_id TEXT NOT NULL, day TEXT NOT NULL, at TEXT NOT NULL,
    verb TEXT NOT NULL, score_scaled REAL, success INTEGER, completed INTEGER, duration_ms INTEGER
  );
  CREATE INDEX IF NOT EXISTS report_attempts_course ON report_attempts (course_id, day);
  CREATE INDEX IF NOT EXISTS report_attempts_user ON report_attempts (user_id);
  CREATE TABLE IF NOT EXISTS report_interactions (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, registration TEXT NOT NULL, course_id TEXT NOT NULL,
    provider_org_id TEXT NOT NULL, org_id TEXT NOT NULL, user_id TEXT NOT NULL, day TEXT NOT NULL, at TEXT NOT NULL,
    activity_id TEXT NOT NULL, name TEXT NOT NULL, interaction_type TEXT NOT NULL, response TEXT NOT NULL,
    correct INTEGER, duration_ms INTEGER
  );
  CREATE INDEX IF NOT EXISTS report_interactions_course ON report_interactions (course_id, day);
  CREATE INDEX IF NOT EXISTS report_interactions_user ON report_interactions (user_id);
  CREATE TABLE IF NOT EXISTS report_versions (part TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS saved_reports (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, name TEXT NOT NULL, report TEXT NOT NULL, params TEXT NOT NULL,
    created_by TEXT NOT NULL, created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS saved_reports_org ON saved_reports (org_id, name);
`;

/** Creates the report tables; idempotent. A database of before the learning cells gets them built from its rows (ADR 0034). */
export function migrateSqliteReports(db: Database): void {
  db.exec(SCHEMA);
  const cellsExisted = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'report_cells'").get() !== undefined;
  db.exec(CELLS_SCHEMA);
  createSqliteCells(db).backfillIfNew(cellsExisted);
}

const GROUP_COLUMN: Record<LearningGroup, string> = {
  none: "''", day: 'day', week: 'week', month: 'month', course: 'course_id', org: 'org_id', provider: 'provider_org_id', user: 'user_id',
};

/** WHERE clause and parameters of a scope; lists go in as JSON through json_each (one prepared shape per scope shape). */
function where(scope: ReportScope): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (scope.from !== undefined) { parts.push('day >= ?'); params.push(scope.from); }
  if (scope.to !== undefined) { parts.push('day <= ?'); params.push(scope.to); }
  const list = (col: string, v: readonly string[] | undefined): void => {
    if (v === undefined) return;
    parts.push(`${col} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(v));
  };
  list('org_id', scope.orgIds);
  list('provider_org_id', scope.providerOrgIds);
  list('course_id', scope.courseIds);
  list('user_id', scope.userIds);
  return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

interface FactRow {
  id: string; seq: number; registration: string; course_id: string; provider_org_id: string; org_id: string;
  user_id: string; day: string; at: string;
}
interface AttemptRow extends FactRow { verb: string; score_scaled: number | null; success: number | null; completed: number | null; duration_ms: number | null }
interface InteractionRow extends FactRow {
  activity_id: string; name: string; interaction_type: string; response: string; correct: number | null; duration_ms: number | null;
}

// Objects built field by field (no spreads): a course report turns thousands of rows into them.
function attemptOf(r: AttemptRow): ReportAttempt {
  const a: { -readonly [K in keyof ReportAttempt]: ReportAttempt[K] } = {
    id: r.id, seq: r.seq, registration: r.registration, courseId: r.course_id, providerOrgId: r.provider_org_id,
    orgId: r.org_id, userId: r.user_id, day: r.day, at: r.at, verb: r.verb,
  };
  if (r.score_scaled !== null) a.scoreScaled = r.score_scaled;
  if (r.success !== null) a.success = r.success === 1;
  if (r.completed !== null) a.completed = r.completed === 1;
  if (r.duration_ms !== null) a.durationMs = r.duration_ms;
  return a;
}
function interactionOf(r: InteractionRow): ReportInteraction {
  const a: { -readonly [K in keyof ReportInteraction]: ReportInteraction[K] } = {
    id: r.id, seq: r.seq, registration: r.registration, courseId: r.course_id, providerOrgId: r.provider_org_id,
    orgId: r.org_id, userId: r.user_id, day: r.day, at: r.at,
    activityId: r.activity_id, name: r.name, interactionType: r.interaction_type, response: r.response,
  };
  if (r.correct !== null) a.correct = r.correct === 1;
  if (r.duration_ms !== null) a.durationMs = r.duration_ms;
  return a;
}
const flag = (v: boolean | undefined): number | null => (v === undefined ? null : v ? 1 : 0);

export function createSqliteReportStore(db: Database): ReportStore {
  const upsertDay = db.prepare(`
    INSERT INTO report_days (day, course_id, org_id, user_id, provider_org_id, week, month, last_seq,
      launches, completions, passes, failures, time_ms, statements)
    VALUES (@day, @courseId, @orgId, @userId, @providerOrgId, @week, @month, @seq,
      @launches, @completions, @passes, @failures, @timeMs, @statements)
    ON CONFLICT (day, course_id, org_id, user_id) DO UPDATE SET
      launches = launches + excluded.launches, completions = completions + excluded.completions,
      passes = passes + excluded.passes, failures = failures + excluded.failures,
      time_ms = time_ms + excluded.time_ms, statements = statements + excluded.statements, last_seq = excluded.last_seq
    WHERE report_days.last_seq < excluded.last_seq`);
  // Bumped in the transaction of every change of report_days (findLearningDaysVersion).
  const bumpDays = db.prepare("INSERT INTO report_versions (part, version) VALUES ('days', 1) ON CONFLICT (part) DO UPDATE SET version = version + 1");
  const daysVersion = db.prepare<[], number>("SELECT version FROM report_versions WHERE part = 'days'").pluck();
  const cells = createSqliteCells(db);
  // Reads whose SQL depends on the scope's shape: prepared once per shape.
  const prepared = new Map<string, Statement<unknown[], unknown>>();
  const prep = (sql: string): Statement<unknown[], unknown> => {
    let st = prepared.get(sql);
    if (!st) {
      st = db.prepare<unknown[], unknown>(sql);
      prepared.set(sql, st);
    }
    return st;
  };
  const dayRow = db.prepare<[string, string, string, string], { statements: number; last_seq: number; provider_org_id: string }>(
    'SELECT statements, last_seq, provider_org_id FROM report_days WHERE day = ? AND course_id = ? AND org_id = ? AND user_id = ?');
  const applyDays = db.transaction((deltas: readonly LearningDayDelta[]) => {
    bumpDays.run();
    // The deltas of one row (in seq order) become one write: those above its last seq, summed.
    const byRow = new Map<string, LearningDayDelta[]>();
    for (const d of deltas) {
      const id = `${d.day}\u0000${d.courseId}\u0000${d.orgId}\u0000${d.userId}`;
      const list = byRow.get(id);
      if (list) list.push(d);
      else byRow.set(id, [d]);
    }
    const batch = cells.batch();
    for (const list of byRow.values()) {
      const d = list[0]!;
      const old = dayRow.get(d.day, d.courseId, d.orgId, d.userId);
      const fresh = old === undefined ? list : list.filter((x) => x.seq > old.last_seq);
      const last = fresh[fresh.length - 1];
      if (last === undefined) continue;
      const sums = { launches: 0, completions: 0, passes: 0, failures: 0, timeMs: 0, statements: 0 };
      for (const x of fresh) {
        sums.launches += x.launches; sums.completions += x.completions; sums.passes += x.passes; sums.failures += x.failures;
        sums.timeMs += Math.round(x.timeMs); sums.statements += x.statements;
      }
      upsertDay.run({
        day: d.day, courseId: d.courseId, orgId: d.orgId, userId: d.userId, providerOrgId: d.providerOrgId,
        week: weekOf(d.day), month: monthOf(d.day), seq: last.seq, ...sums,
      });
      // A row keeps the provider of its first delta (a course never changes owner): its cells too.
      const before = old?.statements ?? 0;
      batch.row(old === undefined ? d : { ...d, providerOrgId: old.provider_org_id }, sums, before, before + sums.statements, old === undefined);
    }
    batch.flush();
  });
  const insertAttempt = db.prepare(`
    INSERT INTO report_attempts (id, seq, registration, course_id, provider_org_id, org_id, user_id, day, at, verb,
      score_scaled, success, completed, duration_ms)
    VALUES (@id, @seq, @registration, @courseId, @providerOrgId, @orgId, @userId, @day, @at, @verb,
      @scoreScaled, @success, @completed, @durationMs)
    ON CONFLICT (id) DO NOTHING`);
  const insertInteraction = db.prepare(`
    INSERT INTO report_interactions (id, seq, registration, course_id, provider_org_id, org_id, user_id, day, at,
      activity_id, name, interaction_type, response, correct, duration_ms)
    VALUES (@id, @seq, @registration, @courseId, @providerOrgId, @orgId, @userId, @day, @at,
      @activityId, @name, @interactionType, @response, @correct, @durationMs)
    ON CONFLICT (id) DO NOTHING`);
  const base = (r: ReportAttempt | ReportInteraction): Record<string, unknown> => ({
    id: r.id, seq: r.seq, registration: r.registration, courseId: r.courseId, providerOrgId: r.providerOrgId,
    orgId: r.orgId, userId: r.userId, day: r.day, at: r.at,
  });
  const attempts = db.transaction((rows: readonly ReportAttempt[]) => {
    for (const r of rows) {
      insertAttempt.run({
        ...base(r), verb: r.verb, scoreScaled: r.scoreScaled ?? null, success: flag(r.success), completed: flag(r.completed),
        durationMs: r.durationMs === undefined ? null : Math.round(r.durationMs),
      });
    }
  });
  const interactions = db.transaction((rows: readonly ReportInteraction[]) => {
    for (const r of rows) {
      insertInteraction.run({
        ...base(r), activityId: r.activityId, name: r.name, interactionType: r.interactionType, response: r.response,
        correct: flag(r.correct), durationMs: r.durationMs === undefined ? null : Math.round(r.durationMs),
      });
    }
  });
  const TABLE: Record<ReportPart, string> = { days: 'report_days', attempts: 'report_attempts', interactions: 'report_interactions' };
  const userDays = db.prepare<[string], { day: string; course_id: string; org_id: string; provider_org_id: string; launches: number; completions: number; passes: number; failures: number; time_ms: number; statements: number }>(
    'SELECT day, course_id, org_id, provider_org_id, launches, completions, passes, failures, time_ms, statements FROM report_days WHERE user_id = ?');
  const deleteUser = db.transaction((userId: string, parts: readonly ReportPart[]) => {
    if (parts.includes('days')) {
      bumpDays.run();
      const batch = cells.batch();
      for (const r of userDays.all(userId)) {
        batch.erased({ day: r.day, courseId: r.course_id, orgId: r.org_id, providerOrgId: r.provider_org_id, userId },
          { launches: r.launches, completions: r.completions, passes: r.passes, failures: r.failures, timeMs: r.time_ms, statements: r.statements });
      }
      batch.flush();
      db.prepare('DELETE FROM report_user_nos WHERE user_id = ?').run(userId);
    }
    return parts.reduce((n, p) => n + db.prepare(`DELETE FROM ${TABLE[p]} WHERE user_id = ?`).run(userId).changes, 0);
  });
  const reset = db.transaction((parts: readonly ReportPart[]) => {
    if (parts.includes('days')) {
      bumpDays.run();
      cells.reset();
    }
    for (const p of parts) db.prepare(`DELETE FROM ${TABLE[p]}`).run();
  });

  return {
    async applyLearningDays(deltas) {
      if (deltas.length > 0) applyDays(deltas);
    },
    async findLearningTotals(scope, groupBy) {
      const w = where(scope);
      const col = GROUP_COLUMN[groupBy];
      const rows = db.prepare(`
        SELECT ${col} AS key, COUNT(DISTINCT CASE WHEN statements > 0 THEN user_id END) AS learners,
          SUM(launches) AS launches, SUM(completions) AS completions, SUM(passes) AS passes, SUM(failures) AS failures,
          SUM(time_ms) AS timeMs, SUM(statements) AS statements
        FROM report_days ${w.sql} GROUP BY ${col} ORDER BY ${col}`).all(...w.params) as LearningTotals[];
      return rows.filter((r) => r.statements !== null).map((r) => ({ ...r, key: String(r.key) }));
    },
    async findLearningTotalsByGroups(scope, groups) {
      // A bounded range without course or learner filter reads the learning cells (ADR 0034).
      if (cellsAnswer(scope, groups)) return cells.read(scope, groups);
      const w = where(scope);
      const fold = new LearningFold(groups);
      const rows = db.prepare(`
        SELECT day, course_id, org_id, provider_org_id, user_id, launches, completions, passes, failures, time_ms, statements
        FROM report_days ${w.sql}`).raw().iterate(...w.params) as IterableIterator<DayTuple>;
      for (const r of rows) fold.add(r);
      return fold.result();
    },
    async findLearningDaysVersion() {
      return String(daysVersion.get() ?? 0);
    },
    async insertAttempts(rows) {
      if (rows.length > 0) attempts(rows);
    },
    async findAttempts(scope, limit = 100_000) {
      const w = where(scope);
      return (prep(`SELECT * FROM report_attempts ${w.sql} ORDER BY seq LIMIT ?`).all(...w.params, limit) as AttemptRow[]).map(attemptOf);
    },
    async insertInteractions(rows) {
      if (rows.length > 0) interactions(rows);
    },
    async findInteractions(scope, limit = 100_000) {
      const w = where(scope);
      return (prep(`SELECT * FROM report_interactions ${w.sql} ORDER BY seq LIMIT ?`).all(...w.params, limit) as InteractionRow[]).map(interactionOf);
    },
    async findItemStats(scope) {
      const w = where(scope);
      const from = `FROM report_interactions ${w.sql}`;
      // Four aggregates over the rows in scope (read through the course index); no row reaches JavaScript.
      const sums = prep(`SELECT activity_id, count(*), count(DISTINCT user_id), count(correct), coalesce(sum(correct), 0),
        count(duration_ms), coalesce(sum(duration_ms), 0) ${from} GROUP BY activity_id ORDER BY activity_id`).raw().all(...w.params) as [string, number, number, number, number, number, number][];
      if (sums.length === 0) return [];
      const heads = new Map((prep(`SELECT activity_id, name, interaction_type FROM (SELECT activity_id, name, interaction_type,
        row_number() OVER (PARTITION BY activity_id ORDER BY name = '', seq) AS n ${from}) WHERE n = 1`).raw().all(...w.params) as [string, string, string][])
        .map((r) => [r[0], r]));
      const orgs = new Map<string, string[]>();
      for (const [a, o] of prep(`SELECT DISTINCT activity_id, org_id ${from} ORDER BY activity_id, org_id`).raw().all(...w.params) as [string, string][]) {
        const list = orgs.get(a);
        if (list) list.push(o);
        else orgs.set(a, [o]);
      }
      const wrong = new Map<string, { response: string; count: number }[]>();
      const wrongSql = `SELECT activity_id, response, count(*) ${from}${w.sql ? ' AND' : ' WHERE'} correct = 0 GROUP BY activity_id, response ORDER BY activity_id, response`;
      for (const [a, response, count] of prep(wrongSql).raw().all(...w.params) as [string, string, number][]) {
        const list = wrong.get(a);
        if (list) list.push({ response, count });
        else wrong.set(a, [{ response, count }]);
      }
      return sums.map(([activityId, answers, learners, judged, correct, timed, timeMs]) => ({
        activityId, name: heads.get(activityId)?.[1] ?? '', interactionType: heads.get(activityId)?.[2] ?? '', answers, learners,
        orgIds: orgs.get(activityId) ?? [], judged, correct, timed, timeMs, wrong: wrong.get(activityId) ?? [],
      }));
    },
    async deleteReportFacts(part, ids) {
      if (ids.length === 0) return 0;
      return db.prepare(`DELETE FROM ${TABLE[part]} WHERE id IN (SELECT value FROM json_each(?))`).run(JSON.stringify(ids)).changes;
    },
    async deleteReportUser(userId, parts) {
      return deleteUser(userId, parts);
    },
    async resetReports(parts) {
      reset(parts);
    },
    async putSavedReport(r) {
      db.prepare('INSERT OR REPLACE INTO saved_reports (id, org_id, name, report, params, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(r.id, r.orgId, r.name, r.report, JSON.stringify(r.params), r.createdBy, r.createdAt);
    },
    async listSavedReports(orgId) {
      return db.prepare<[string], SavedRow>('SELECT * FROM saved_reports WHERE org_id = ? ORDER BY name, id').all(orgId).map(savedFromRow);
    },
    async getSavedReport(orgId, id) {
      const row = db.prepare<[string, string], SavedRow>('SELECT * FROM saved_reports WHERE id = ? AND org_id = ?').get(id, orgId);
      return row ? savedFromRow(row) : undefined;
    },
    async deleteSavedReport(orgId, id) {
      return db.prepare('DELETE FROM saved_reports WHERE id = ? AND org_id = ?').run(id, orgId).changes > 0;
    },
  };
}

interface SavedRow { id: string; org_id: string; name: string; report: string; params: string; created_by: string; created_at: string }

function savedFromRow(r: SavedRow): SavedReport {
  return { id: r.id, orgId: r.org_id, name: r.name, report: r.report, params: JSON.parse(r.params) as Record<string, string>, createdBy: r.created_by, createdAt: r.created_at };
}
