import type { Database } from 'better-sqlite3';
import { conflict } from '../../errors';
import type { Cmi5LaunchMode, Cmi5Session, Cmi5SessionState, Cmi5Store } from '../ports';

/** cmi5 session and once-only mark tables (see src/store/ports/progress.ts). */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS cmi5_sessions (
    id TEXT PRIMARY KEY, registration TEXT NOT NULL, course_id TEXT NOT NULL, version_id TEXT NOT NULL,
    user_id TEXT NOT NULL, org_id TEXT, actor TEXT NOT NULL, agent_key TEXT NOT NULL, au_id TEXT NOT NULL,
    au_activity_id TEXT NOT NULL, launch_mode TEXT NOT NULL, move_on TEXT NOT NULL, mastery_score REAL,
    fetch_key_hash TEXT NOT NULL, token_id TEXT, state TEXT NOT NULL, launched_at TEXT NOT NULL,
    last_statement_at TEXT, ended_at TEXT
  );
  CREATE INDEX IF NOT EXISTS cmi5_sessions_registration ON cmi5_sessions (registration, state);
  CREATE UNIQUE INDEX IF NOT EXISTS cmi5_sessions_token ON cmi5_sessions (token_id) WHERE token_id IS NOT NULL;
  CREATE TABLE IF NOT EXISTS cmi5_marks (
    registration TEXT NOT NULL, mark TEXT NOT NULL, statement_id TEXT NOT NULL, PRIMARY KEY (registration, mark)
  );
`;

/** Creates the cmi5 tables; idempotent. */
export function migrateSqliteCmi5(db: Database): void {
  db.exec(SCHEMA);
}

interface SessionRow {
  id: string; registration: string; course_id: string; version_id: string; user_id: string; org_id: string | null;
  actor: string; agent_key: string; au_id: string; au_activity_id: string; launch_mode: string; move_on: string;
  mastery_score: number | null; fetch_key_hash: string; token_id: string | null; state: string; launched_at: string;
  last_statement_at: string | null; ended_at: string | null;
}

function toSession(r: SessionRow): Cmi5Session {
  return {
    id: r.id, registration: r.registration, courseId: r.course_id, versionId: r.version_id, userId: r.user_id,
    ...(r.org_id !== null ? { orgId: r.org_id } : {}),
    actor: JSON.parse(r.actor) as Record<string, unknown>, agentKey: r.agent_key, auId: r.au_id, auActivityId: r.au_activity_id,
    launchMode: r.launch_mode as Cmi5LaunchMode, moveOn: r.move_on,
    ...(r.mastery_score !== null ? { masteryScore: r.mastery_score } : {}),
    fetchKeyHash: r.fetch_key_hash,
    ...(r.token_id !== null ? { tokenId: r.token_id } : {}),
    state: r.state as Cmi5SessionState, launchedAt: r.launched_at,
    ...(r.last_statement_at !== null ? { lastStatementAt: r.last_statement_at } : {}),
    ...(r.ended_at !== null ? { endedAt: r.ended_at } : {}),
  };
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err &&
    (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
}

export function createSqliteCmi5Store(db: Database): Cmi5Store {
  const byId = db.prepare('SELECT * FROM cmi5_sessions WHERE id = ?');
  const insertMark = db.prepare('INSERT INTO cmi5_marks (registration, mark, statement_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const findMark = db.prepare('SELECT statement_id FROM cmi5_marks WHERE registration = ? AND mark = ?');
  return {
    async insertCmi5Session(s) {
      try {
        db.prepare(`INSERT INTO cmi5_sessions VALUES (@id, @registration, @courseId, @versionId, @userId, @orgId, @actor,
          @agentKey, @auId, @auActivityId, @launchMode, @moveOn, @masteryScore, @fetchKeyHash, @tokenId, @state, @launchedAt,
          @lastStatementAt, @endedAt)`).run({
          ...s, orgId: s.orgId ?? null, actor: JSON.stringify(s.actor), masteryScore: s.masteryScore ?? null,
          tokenId: s.tokenId ?? null, lastStatementAt: s.lastStatementAt ?? null, endedAt: s.endedAt ?? null,
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(`cmi5 session ${s.id} exists`);
        throw err;
      }
    },
    async findCmi5Session(id) {
      const r = byId.get(id) as SessionRow | undefined;
      return r && toSession(r);
    },
    async findCmi5SessionByToken(tokenId) {
      const r = db.prepare('SELECT * FROM cmi5_sessions WHERE token_id = ?').get(tokenId) as SessionRow | undefined;
      return r && toSession(r);
    },
    async findOpenCmi5Sessions(registration) {
      return (db.prepare(`SELECT * FROM cmi5_sessions WHERE registration = ? AND state IN ('launched', 'initialized')
        ORDER BY launched_at, id`).all(registration) as SessionRow[]).map(toSession);
    },
    async updateCmi5Session(id, patch, fromStates) {
      const sets: string[] = [];
      const args: unknown[] = [];
      if (patch.state !== undefined) { sets.push('state = ?'); args.push(patch.state); }
      if (patch.tokenId !== undefined) { sets.push('token_id = ?'); args.push(patch.tokenId); }
      if (patch.lastStatementAt !== undefined) { sets.push('last_statement_at = ?'); args.push(patch.lastStatementAt); }
      if (patch.endedAt !== undefined) { sets.push('ended_at = ?'); args.push(patch.endedAt); }
      if (sets.length === 0) return this.findCmi5Session(id);
      let where = 'id = ?';
      args.push(id);
      if (fromStates !== undefined) {
        if (fromStates.length === 0) return undefined;
        where += ` AND state IN (${fromStates.map(() => '?').join(',')})`;
        args.push(...fromStates);
      }
      const info = db.prepare(`UPDATE cmi5_sessions SET ${sets.join(', ')} WHERE ${where}`).run(...args);
      if (info.changes === 0) return undefined;
      const r = byId.get(id) as SessionRow | undefined;
      return r && toSession(r);
    },
    async insertCmi5Mark(registration, mark, statementId) {
      if (insertMark.run(registration, mark, statementId).changes === 1) return undefined;
      return (findMark.get(registration, mark) as { statement_id: string } | undefined)?.statement_id ?? statementId;
    },
    async findCmi5Marks(registration) {
      return (db.prepare('SELECT mark FROM cmi5_marks WHERE registration = ? ORDER BY mark').all(registration) as { mark: string }[])
        .map((r) => r.mark);
    },
  };
}
