import type { Database, Statement } from 'better-sqlite3';
import { conflict } from '../../errors';
import type {
  Attempt, AttemptPatch, CommitOutcome, CompletionState, LaunchMode, LaunchSession, LaunchStore, Registration, ScoRuntime, SuccessState,
} from '../ports';

/**
 * Launch tables. They grow with launches and commits, not with statements; JSON columns hold the
 * cmi data and format-specific state as text.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS registrations (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, course_id TEXT NOT NULL, version_id TEXT NOT NULL,
    org_id TEXT, created_at TEXT NOT NULL,
    UNIQUE (user_id, version_id)
  );
  CREATE INDEX IF NOT EXISTS registrations_user_course ON registrations (user_id, course_id, created_at);
  CREATE TABLE IF NOT EXISTS attempts (
    id TEXT PRIMARY KEY, registration_id TEXT NOT NULL, number INTEGER NOT NULL, completion TEXT NOT NULL,
    success TEXT NOT NULL, score_scaled REAL, total_seconds REAL NOT NULL, suspended INTEGER NOT NULL,
    last_sco_id TEXT, state TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, completed_at TEXT,
    UNIQUE (registration_id, number)
  );
  CREATE TABLE IF NOT EXISTS sco_runtime (
    attempt_id TEXT NOT NULL, sco_id TEXT NOT NULL, seq INTEGER NOT NULL, cmi TEXT NOT NULL, updated_at TEXT NOT NULL,
    sco_attempts INTEGER,
    PRIMARY KEY (attempt_id, sco_id)
  );
  CREATE TABLE IF NOT EXISTS launch_sessions (
    id TEXT PRIMARY KEY, registration_id TEXT NOT NULL, attempt_id TEXT NOT NULL, user_id TEXT NOT NULL,
    course_id TEXT NOT NULL, version_id TEXT NOT NULL, mode TEXT NOT NULL, sco_id TEXT, data TEXT,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS launch_once (key TEXT PRIMARY KEY, at TEXT NOT NULL);
`;

/** Creates the launch tables; idempotent. */
export function migrateSqliteLaunch(db: Database): void {
  db.exec(SCHEMA);
  // Databases made before SCO attempts were counted: adding a nullable column rewrites nothing.
  const cols = db.prepare<[], { name: string }>('PRAGMA table_info(sco_runtime)').all();
  if (!cols.some((c) => c.name === 'sco_attempts')) db.exec('ALTER TABLE sco_runtime ADD COLUMN sco_attempts INTEGER');
  // Databases made before the player measured time: the same cheap step.
  const sessionCols = db.prepare<[], { name: string }>('PRAGMA table_info(launch_sessions)').all();
  if (!sessionCols.some((c) => c.name === 'player_seconds')) db.exec('ALTER TABLE launch_sessions ADD COLUMN player_seconds REAL');
  db.exec('CREATE INDEX IF NOT EXISTS launch_sessions_attempt ON launch_sessions (attempt_id, created_at)');
}

interface RegistrationRow { id: string; user_id: string; course_id: string; version_id: string; org_id: string | null; created_at: string }
interface AttemptRow {
  id: string; registration_id: string; number: number; completion: string; success: string; score_scaled: number | null;
  total_seconds: number; suspended: number; last_sco_id: string | null; state: string | null; created_at: string;
  updated_at: string; completed_at: string | null;
}
interface RuntimeRow { attempt_id: string; sco_id: string; seq: number; cmi: string; updated_at: string; sco_attempts: number | null }
interface SessionRow {
  id: string; registration_id: string; attempt_id: string; user_id: string; course_id: string; version_id: string;
  mode: string; sco_id: string | null; data: string | null; player_seconds: number | null; created_at: string; expires_at: string;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err &&
    (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
}

function toRegistration(r: RegistrationRow): Registration {
  return {
    id: r.id, userId: r.user_id, courseId: r.course_id, versionId: r.version_id,
    ...(r.org_id !== null ? { orgId: r.org_id } : {}), createdAt: r.created_at,
  };
}

function toAttempt(r: AttemptRow): Attempt {
  return {
    id: r.id,
    registrationId: r.registration_id,
    number: r.number,
    completion: r.completion as CompletionState,
    success: r.success as SuccessState,
    ...(r.score_scaled !== null ? { scoreScaled: r.score_scaled } : {}),
    totalSeconds: r.total_seconds,
    suspended: r.suspended === 1,
    ...(r.last_sco_id !== null ? { lastScoId: r.last_sco_id } : {}),
    ...(r.state !== null ? { state: JSON.parse(r.state) as Record<string, unknown> } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.completed_at !== null ? { completedAt: r.completed_at } : {}),
  };
}

function toRuntime(r: RuntimeRow): ScoRuntime {
  return {
    attemptId: r.attempt_id, scoId: r.sco_id, seq: r.seq, cmi: JSON.parse(r.cmi) as Record<string, unknown>,
    ...(r.sco_attempts !== null ? { scoAttempts: r.sco_attempts } : {}), updatedAt: r.updated_at,
  };
}

function toSession(r: SessionRow): LaunchSession {
  return {
    id: r.id, registrationId: r.registration_id, attemptId: r.attempt_id, userId: r.user_id, courseId: r.course_id,
    versionId: r.version_id, mode: r.mode as LaunchMode,
    ...(r.sco_id !== null ? { scoId: r.sco_id } : {}),
    ...(r.data !== null ? { data: JSON.parse(r.data) as Record<string, unknown> } : {}),
    ...(r.player_seconds !== null ? { playerSeconds: r.player_seconds } : {}),
    createdAt: r.created_at, expiresAt: r.expires_at,
  };
}

/** The SQLite launch store. */
export function createSqliteLaunchStore(db: Database): LaunchStore {
  const insReg = db.prepare('INSERT INTO registrations (id, user_id, course_id, version_id, org_id, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const getReg = db.prepare<[string], RegistrationRow>('SELECT * FROM registrations WHERE id = ?');
  const regsByIds = db.prepare<[string], RegistrationRow>('SELECT r.* FROM json_each(?) j JOIN registrations r ON r.id = j.value');
  const listRegs = db.prepare<[string, string], RegistrationRow>(
    'SELECT * FROM registrations WHERE user_id = ? AND course_id = ? ORDER BY created_at DESC, id DESC',
  );
  const insAttempt = db.prepare(`INSERT INTO attempts (id, registration_id, number, completion, success, score_scaled, total_seconds,
    suspended, last_sco_id, state, created_at, updated_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const getAttempt = db.prepare<[string], AttemptRow>('SELECT * FROM attempts WHERE id = ?');
  const listAttempts = db.prepare<[string], AttemptRow>('SELECT * FROM attempts WHERE registration_id = ? ORDER BY number');
  const upsertRuntime = db.prepare(`INSERT INTO sco_runtime (attempt_id, sco_id, seq, cmi, updated_at, sco_attempts) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (attempt_id, sco_id) DO UPDATE SET seq = excluded.seq, cmi = excluded.cmi, updated_at = excluded.updated_at,
      sco_attempts = excluded.sco_attempts
    WHERE excluded.seq > sco_runtime.seq`);
  const getSeq = db.prepare<[string, string], { seq: number }>('SELECT seq FROM sco_runtime WHERE attempt_id = ? AND sco_id = ?');
  const listRuntime = db.prepare<[string], RuntimeRow>('SELECT * FROM sco_runtime WHERE attempt_id = ? ORDER BY sco_id');
  const oneRuntime = db.prepare<[string, string], RuntimeRow>('SELECT * FROM sco_runtime WHERE attempt_id = ? AND sco_id = ?');
  const insSession = db.prepare(`INSERT INTO launch_sessions (id, registration_id, attempt_id, user_id, course_id, version_id, mode,
    sco_id, data, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const getSession = db.prepare<[string], SessionRow>('SELECT * FROM launch_sessions WHERE id = ?');
  const setSessionData = db.prepare('UPDATE launch_sessions SET data = ? WHERE id = ?');
  const raisePlayerTime = db.prepare('UPDATE launch_sessions SET player_seconds = max(coalesce(player_seconds, 0), ?) WHERE id = ?');
  // IN lists are bound in chunks well under SQLite's variable limit.
  const IN_CHUNK = 500;
  const inChunks = <T>(ids: readonly string[], query: (placeholders: string, chunk: readonly string[]) => T[]): T[] => {
    const out: T[] = [];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const chunk = ids.slice(i, i + IN_CHUNK);
      out.push(...query(chunk.map(() => '?').join(','), chunk));
    }
    return out;
  };
  const insOnce = db.prepare('INSERT OR IGNORE INTO launch_once (key, at) VALUES (?, ?)');
  // A patch sets one of a few column sets (commits send the same shape each time): compiling its
  // UPDATE once per set, not once per call, saves the SQL parse on every commit. At most 2^8
  // entries, since the column names come from the fixed list in updateAttempt, never from input.
  const attemptUpdates = new Map<string, Statement>();
  const updateAttemptStatement = (sortedColumns: readonly string[]): Statement => {
    const key = sortedColumns.join(',');
    let st = attemptUpdates.get(key);
    if (!st) {
      st = db.prepare(`UPDATE attempts SET ${sortedColumns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`);
      attemptUpdates.set(key, st);
    }
    return st;
  };

  const commit = db.transaction((r: ScoRuntime): CommitOutcome => {
    const res = upsertRuntime.run(r.attemptId, r.scoId, r.seq, JSON.stringify(r.cmi), r.updatedAt, r.scoAttempts ?? null);
    const stored = getSeq.get(r.attemptId, r.scoId);
    return { applied: res.changes > 0, seq: stored?.seq ?? r.seq };
  });

  const regsOfUser = db.prepare<[string], string>('SELECT id FROM registrations WHERE user_id = ?').pluck();
  const eraseUser = db.transaction((userId: string): { registrations: string[]; deleted: number } => {
    const registrations = regsOfUser.all(userId);
    let deleted = 0;
    for (const reg of registrations) {
      deleted += db.prepare('DELETE FROM sco_runtime WHERE attempt_id IN (SELECT id FROM attempts WHERE registration_id = ?)').run(reg).changes;
      deleted += db.prepare('DELETE FROM attempts WHERE registration_id = ?').run(reg).changes;
    }
    deleted += db.prepare('DELETE FROM launch_sessions WHERE user_id = ?').run(userId).changes;
    deleted += db.prepare('DELETE FROM registrations WHERE user_id = ?').run(userId).changes;
    return { registrations, deleted };
  });

  return {
    async deleteUserLaunchData(userId) {
      return eraseUser(userId);
    },
    async insertRegistration(r) {
      try {
        insReg.run(r.id, r.userId, r.courseId, r.versionId, r.orgId ?? null, r.createdAt);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(`registration ${r.id} or one of user ${r.userId} for version ${r.versionId} exists`);
        throw err;
      }
    },
    async findRegistration(id) {
      const r = getReg.get(id);
      return r ? toRegistration(r) : undefined;
    },
    async findRegistrationsByIds(ids) {
      if (ids.length === 0) return [];
      // The same id twice gives one row.
      return regsByIds.all(JSON.stringify([...new Set(ids)])).map(toRegistration);
    },
    async findRegistrations(q) {
      return listRegs.all(q.userId, q.courseId).map(toRegistration);
    },
    async insertAttempt(a) {
      try {
        insAttempt.run(a.id, a.registrationId, a.number, a.completion, a.success, a.scoreScaled ?? null, a.totalSeconds,
          a.suspended ? 1 : 0, a.lastScoId ?? null, a.state !== undefined ? JSON.stringify(a.state) : null, a.createdAt, a.updatedAt,
          a.completedAt ?? null);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(`attempt ${a.id} or attempt number ${a.number} of registration ${a.registrationId} exists`);
        throw err;
      }
    },
    async findAttempt(id) {
      const r = getAttempt.get(id);
      return r ? toAttempt(r) : undefined;
    },
    async findAttempts(registrationId) {
      return listAttempts.all(registrationId).map(toAttempt);
    },
    async findAttemptsOf(registrationIds) {
      const rows = inChunks([...new Set(registrationIds)], (ph, chunk) =>
        db.prepare<string[], AttemptRow>(`SELECT * FROM attempts WHERE registration_id IN (${ph})`).all(...chunk));
      return rows.map(toAttempt).sort((a, b) => (a.registrationId < b.registrationId ? -1 : a.registrationId > b.registrationId ? 1 : a.number - b.number));
    },
    async updateAttempt(id, patch: AttemptPatch) {
      const cols: [string, unknown][] = [['updated_at', patch.updatedAt]];
      if (patch.completion !== undefined) cols.push(['completion', patch.completion]);
      if (patch.success !== undefined) cols.push(['success', patch.success]);
      if (patch.scoreScaled !== undefined) cols.push(['score_scaled', patch.scoreScaled]);
      if (patch.totalSeconds !== undefined) cols.push(['total_seconds', patch.totalSeconds]);
      if (patch.suspended !== undefined) cols.push(['suspended', patch.suspended ? 1 : 0]);
      if (patch.lastScoId !== undefined) cols.push(['last_sco_id', patch.lastScoId]);
      if (patch.state !== undefined) cols.push(['state', patch.state === null ? null : JSON.stringify(patch.state)]);
      if (patch.completedAt !== undefined) cols.push(['completed_at', patch.completedAt]);
      cols.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const res = updateAttemptStatement(cols.map(([c]) => c)).run(...cols.map(([, v]) => v), id);
      if (res.changes === 0) return undefined;
      const r = getAttempt.get(id);
      return r ? toAttempt(r) : undefined;
    },
    async commitRuntime(r) {
      return commit(r);
    },
    async findRuntime(attemptId, scoId) {
      if (scoId !== undefined) {
        const r = oneRuntime.get(attemptId, scoId);
        return r ? [toRuntime(r)] : [];
      }
      return listRuntime.all(attemptId).map(toRuntime);
    },
    async insertLaunchSession(s) {
      try {
        insSession.run(s.id, s.registrationId, s.attemptId, s.userId, s.courseId, s.versionId, s.mode, s.scoId ?? null,
          s.data !== undefined ? JSON.stringify(s.data) : null, s.createdAt, s.expiresAt);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(`launch session ${s.id} exists`);
        throw err;
      }
    },
    async findLaunchSession(id) {
      const r = getSession.get(id);
      return r ? toSession(r) : undefined;
    },
    async updateLaunchSessionData(id, data) {
      const res = setSessionData.run(JSON.stringify(data), id);
      if (res.changes === 0) return undefined;
      const r = getSession.get(id);
      return r ? toSession(r) : undefined;
    },
    async recordPlayerTime(id, seconds) {
      return raisePlayerTime.run(seconds, id).changes > 0;
    },
    async findLaunchSessions(q) {
      const rows = inChunks([...new Set(q.attemptIds)], (ph, chunk) =>
        db.prepare<string[], SessionRow>(`SELECT * FROM launch_sessions WHERE attempt_id IN (${ph})`).all(...chunk));
      return rows.map(toSession).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
    },
    async claimOnce(key, at) {
      return insOnce.run(key, at).changes > 0;
    },
  };
}
