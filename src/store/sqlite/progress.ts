import type { Database } from 'better-sqlite3';
import type { ProgressBrief, ProgressDelta, ProgressRecord, ProgressStatus, ProgressStore, ProgressTrack, UnitProgress } from '../ports';
import { deltaKeys, doneAtOf, toStatus } from '../progress-merge';

/**
 * Progress tables: one course row per registration, one unit row per (registration, activity).
 * Status columns are kept in forms that merge with MAX(): completion as a rank (0 not attempted,
 * 1 incomplete, 2 completed), success and score as `<ISO timestamp>|<value>` so the latest
 * statement wins whatever order deltas arrive in.
 */
const STATUS_COLUMNS = `
  completion_rank INTEGER NOT NULL DEFAULT 0, success_key TEXT, score_key TEXT,
  satisfied INTEGER NOT NULL DEFAULT 0, waived INTEGER NOT NULL DEFAULT 0, time_ms INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0, statements INTEGER NOT NULL DEFAULT 0, last_activity_at TEXT, updated_at TEXT`;
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS progress (
    registration TEXT PRIMARY KEY, course_id TEXT NOT NULL, version_id TEXT NOT NULL, user_id TEXT NOT NULL,
    agent_key TEXT NOT NULL, org_id TEXT, course_activity_ids TEXT NOT NULL, unit_activity_ids TEXT NOT NULL,
    created_at TEXT NOT NULL, ${STATUS_COLUMNS}
  );
  CREATE INDEX IF NOT EXISTS progress_course_user ON progress (course_id, user_id);
  CREATE INDEX IF NOT EXISTS progress_user ON progress (user_id);
  CREATE TABLE IF NOT EXISTS progress_units (
    registration TEXT NOT NULL, activity_id TEXT NOT NULL, ${STATUS_COLUMNS},
    PRIMARY KEY (registration, activity_id)
  );
`;

/** Creates the progress tables; idempotent. */
export function migrateSqliteProgress(db: Database): void {
  db.exec(SCHEMA);
  // Issue 13: the seq of the last statement applied to a row makes a repeated delivery a no-op.
  for (const table of ['progress', 'progress_units']) {
    const cols = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    if (!cols.some((c) => c.name === 'applied_seq')) db.exec(`ALTER TABLE ${table} ADD COLUMN applied_seq INTEGER NOT NULL DEFAULT 0`);
    // ADR 0036: when the row became done (a nullable column: adding it rewrites nothing).
    if (!cols.some((c) => c.name === 'done_at')) db.exec(`ALTER TABLE ${table} ADD COLUMN done_at TEXT`);
  }
}

interface StatusRow {
  completion_rank: number; success_key: string | null; score_key: string | null; satisfied: number; waived: number;
  time_ms: number; attempts: number; statements: number; last_activity_at: string | null; updated_at: string | null;
  done_at: string | null;
}
interface TrackRow extends StatusRow {
  registration: string; course_id: string; version_id: string; user_id: string; agent_key: string; org_id: string | null;
  course_activity_ids: string; unit_activity_ids: string; created_at: string;
}
interface BriefRow extends StatusRow { registration: string; course_id: string; user_id: string; created_at: string }
interface UnitRow extends StatusRow { registration: string; activity_id: string }

function statusOf(r: StatusRow): ProgressStatus {
  return toStatus({
    completionRank: r.completion_rank, successKey: r.success_key, scoreKey: r.score_key, satisfied: r.satisfied === 1,
    waived: r.waived === 1, timeMs: r.time_ms, attempts: r.attempts, statements: r.statements,
    lastActivityAt: r.last_activity_at, updatedAt: r.updated_at, doneAt: r.done_at,
  });
}

function toRecord(r: TrackRow): ProgressRecord {
  return {
    registration: r.registration, courseId: r.course_id, versionId: r.version_id, userId: r.user_id, agentKey: r.agent_key,
    ...(r.org_id !== null ? { orgId: r.org_id } : {}),
    courseActivityIds: JSON.parse(r.course_activity_ids) as string[],
    unitActivityIds: JSON.parse(r.unit_activity_ids) as string[],
    createdAt: r.created_at,
    ...statusOf(r),
  };
}

// MAX() of SQLite returns NULL when any argument is NULL, hence the COALESCE/NULLIF pairs.
const MERGE = `
  completion_rank = MAX(completion_rank, @rank),
  success_key = NULLIF(MAX(COALESCE(success_key, ''), COALESCE(@successKey, '')), ''),
  score_key = NULLIF(MAX(COALESCE(score_key, ''), COALESCE(@scoreKey, '')), ''),
  satisfied = MAX(satisfied, @satisfied), waived = MAX(waived, @waived),
  time_ms = time_ms + @timeMs, attempts = attempts + @attempts, statements = statements + @statements,
  last_activity_at = NULLIF(MAX(COALESCE(last_activity_at, ''), COALESCE(@lastActivityAt, '')), ''),
  done_at = CASE WHEN @doneAt IS NOT NULL AND (done_at IS NULL OR @doneAt < done_at) THEN @doneAt ELSE done_at END,
  updated_at = @updatedAt, applied_seq = MAX(applied_seq, COALESCE(@seq, 0))`;
const NOT_APPLIED = '(@seq IS NULL OR applied_seq < @seq)';
const RESET = `completion_rank = 0, success_key = NULL, score_key = NULL, satisfied = 0, waived = 0, time_ms = 0,
  attempts = 0, statements = 0, last_activity_at = NULL, updated_at = NULL, done_at = NULL, applied_seq = 0`;

export function createSqliteProgressStore(db: Database): ProgressStore {
  const insertTrack = db.prepare(`
    INSERT INTO progress (registration, course_id, version_id, user_id, agent_key, org_id, course_activity_ids,
      unit_activity_ids, created_at)
    VALUES (@registration, @courseId, @versionId, @userId, @agentKey, @orgId, @courseIds, @unitIds, @createdAt)
    ON CONFLICT (registration) DO NOTHING`);
  // json_each lets one prepared statement take any number of registrations (no SQL per call).
  // A join from the list (each id once), not IN (SELECT ...): measured 2x faster for 10 ids.
  const tracksByRegistration = db.prepare<[string]>('SELECT p.* FROM json_each(?) j JOIN progress p ON p.registration = j.value');
  const updateCourse = db.prepare(`UPDATE progress SET ${MERGE} WHERE registration = @registration AND ${NOT_APPLIED}`);
  const upsertUnit = db.prepare(`
    INSERT INTO progress_units (registration, activity_id) VALUES (@registration, @activityId)
    ON CONFLICT (registration, activity_id) DO NOTHING`);
  const updateUnit = db.prepare(`UPDATE progress_units SET ${MERGE} WHERE registration = @registration AND activity_id = @activityId AND ${NOT_APPLIED}`);
  const units = db.prepare('SELECT * FROM progress_units WHERE registration = ? ORDER BY activity_id');
  // Only the columns a brief needs: reading the activity lists cost most of a row (bench/people-report).
  const BRIEF = `registration, course_id, user_id, created_at, completion_rank, success_key, score_key, satisfied, waived,
    time_ms, attempts, statements, last_activity_at, updated_at, done_at`;
  const briefsOfOrg = db.prepare<[string]>(`SELECT ${BRIEF} FROM progress WHERE org_id = ?`);
  const briefsOfPeople = db.prepare<[string, string]>(`SELECT ${BRIEF} FROM progress WHERE user_id IN (SELECT value FROM json_each(?)) AND org_id = ?`);
  const apply = db.transaction((deltas: readonly ProgressDelta[]) => {
    for (const d of deltas) {
      const k = deltaKeys(d);
      const params = {
        registration: d.registration, activityId: d.activityId, rank: k.rank, successKey: k.successKey, scoreKey: k.scoreKey,
        satisfied: d.satisfied ? 1 : 0, waived: d.waived ? 1 : 0, timeMs: Math.round(d.timeMs), attempts: d.attempts,
        statements: d.statements, lastActivityAt: d.lastActivityAt ?? null, updatedAt: d.updatedAt, seq: d.seq ?? null, doneAt: doneAtOf(d) ?? null,
      };
      if (d.activityId === '') {
        updateCourse.run(params);
      } else {
        upsertUnit.run({ registration: d.registration, activityId: d.activityId });
        updateUnit.run(params);
      }
    }
  });
  const resetSome = db.transaction((regs: readonly string[]) => {
    for (const r of regs) {
      db.prepare(`UPDATE progress SET ${RESET} WHERE registration = ?`).run(r);
      db.prepare('DELETE FROM progress_units WHERE registration = ?').run(r);
    }
  });
  const resetAll = db.transaction(() => {
    db.exec(`UPDATE progress SET ${RESET}`);
    db.exec('DELETE FROM progress_units');
  });
  const deleteAll = db.transaction((regs: readonly string[]) => {
    let n = 0;
    for (const r of regs) {
      n += db.prepare('DELETE FROM progress WHERE registration = ?').run(r).changes;
      db.prepare('DELETE FROM progress_units WHERE registration = ?').run(r);
    }
    return n;
  });

  return {
    async insertProgressTrack(t: ProgressTrack) {
      const info = insertTrack.run({
        registration: t.registration, courseId: t.courseId, versionId: t.versionId, userId: t.userId, agentKey: t.agentKey,
        orgId: t.orgId ?? null, courseIds: JSON.stringify(t.courseActivityIds), unitIds: JSON.stringify(t.unitActivityIds),
        createdAt: t.createdAt,
      });
      return info.changes === 1;
    },
    async findProgressTracks(registrations) {
      if (registrations.length === 0) return [];
      const rows = tracksByRegistration.all(JSON.stringify([...new Set(registrations)])) as TrackRow[];
      return rows.map(toRecord);
    },
    async applyProgress(deltas) {
      if (deltas.length > 0) apply(deltas);
    },
    async findProgress(q) {
      if (q.orgIds !== undefined && q.orgIds.length === 0) return [];
      const where: string[] = [];
      const args: unknown[] = [];
      if (q.registration !== undefined) { where.push('registration = ?'); args.push(q.registration); }
      if (q.courseId !== undefined) { where.push('course_id = ?'); args.push(q.courseId); }
      if (q.userId !== undefined) { where.push('user_id = ?'); args.push(q.userId); }
      if (q.orgIds !== undefined) { where.push(`org_id IN (${q.orgIds.map(() => '?').join(',')})`); args.push(...q.orgIds); }
      const sql = `SELECT * FROM progress ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY last_activity_at IS NULL, last_activity_at DESC, registration LIMIT ?`;
      return (db.prepare(sql).all(...args, q.limit ?? 1000) as TrackRow[]).map(toRecord);
    },
    async findProgressBriefs(q) {
      if (q.userIds !== undefined && q.userIds.length === 0) return [];
      const rows = (q.userIds === undefined ? briefsOfOrg.all(q.orgId) : briefsOfPeople.all(JSON.stringify(q.userIds), q.orgId)) as BriefRow[];
      return rows.map((r): ProgressBrief => ({ registration: r.registration, courseId: r.course_id, userId: r.user_id, createdAt: r.created_at, ...statusOf(r) }));
    },
    async findUnitProgress(registration) {
      return (units.all(registration) as UnitRow[]).map((r) => ({ registration: r.registration, activityId: r.activity_id, ...statusOf(r) }) satisfies UnitProgress);
    },
    async resetProgressStatus(registrations) {
      if (registrations === undefined) resetAll();
      else if (registrations.length > 0) resetSome(registrations);
    },
    async deleteProgress(registrations) {
      return registrations.length === 0 ? 0 : deleteAll(registrations);
    },
  };
}
