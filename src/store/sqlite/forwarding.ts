import type { Database } from 'better-sqlite3';
import { conflict } from '../../errors';
import type { DeadLetter, ForwardTarget, ForwardingStore, WebhookEvent } from '../ports';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS forward_targets (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, org_id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
    url TEXT NOT NULL, filter TEXT NOT NULL, events TEXT NOT NULL, secret TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT
  );
  CREATE INDEX IF NOT EXISTS forward_targets_org ON forward_targets (org_id, n);
  CREATE TABLE IF NOT EXISTS forward_dead_letters (
    id TEXT PRIMARY KEY, target_id TEXT NOT NULL, org_id TEXT NOT NULL, seq INTEGER NOT NULL, statement_id TEXT NOT NULL,
    event TEXT, error TEXT NOT NULL, attempts INTEGER NOT NULL, at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS forward_dead_letters_target ON forward_dead_letters (target_id, seq);
  CREATE TABLE IF NOT EXISTS forward_failures (
    target_id TEXT PRIMARY KEY, first_seq INTEGER NOT NULL, attempts INTEGER NOT NULL
  );
`;

/** Creates the forwarding tables; idempotent. */
export function migrateSqliteForwarding(db: Database): void {
  db.exec(SCHEMA);
}

interface TargetRow { id: string; org_id: string; kind: string; name: string; url: string; filter: string; events: string; secret: string; created_at: string; created_by: string | null }
interface LetterRow { id: string; target_id: string; org_id: string; seq: number; statement_id: string; event: string | null; error: string; attempts: number; at: string }

function toTarget(r: TargetRow): ForwardTarget {
  return {
    id: r.id, orgId: r.org_id, kind: r.kind === 'webhook' ? 'webhook' : 'lrs', name: r.name, url: r.url,
    filter: JSON.parse(r.filter) as ForwardTarget['filter'], events: JSON.parse(r.events) as WebhookEvent[], secret: r.secret,
    createdAt: r.created_at, ...(r.created_by !== null ? { createdBy: r.created_by } : {}),
  };
}

function toLetter(r: LetterRow): DeadLetter {
  return {
    id: r.id, targetId: r.target_id, orgId: r.org_id, seq: r.seq, statementId: r.statement_id,
    ...(r.event !== null ? { event: r.event as WebhookEvent } : {}), error: r.error, attempts: r.attempts, at: r.at,
  };
}

/** The SQLite ForwardingStore. */
export function createSqliteForwardingStore(db: Database): ForwardingStore {
  migrateSqliteForwarding(db);
  const insert = db.prepare(`INSERT INTO forward_targets (id, org_id, kind, name, url, filter, events, secret, created_at, created_by)
    VALUES (@id, @orgId, @kind, @name, @url, @filter, @events, @secret, @createdAt, @createdBy)`);
  const all = db.prepare<[], TargetRow>('SELECT * FROM forward_targets ORDER BY n');
  const ofOrg = db.prepare<[string], TargetRow>('SELECT * FROM forward_targets WHERE org_id = ? ORDER BY n');
  const one = db.prepare<[string], TargetRow>('SELECT * FROM forward_targets WHERE id = ?');
  const del = db.prepare<[string]>('DELETE FROM forward_targets WHERE id = ?');
  const delLetters = db.prepare<[string]>('DELETE FROM forward_dead_letters WHERE target_id = ?');
  const insertLetter = db.prepare(`INSERT INTO forward_dead_letters (id, target_id, org_id, seq, statement_id, event, error, attempts, at)
    VALUES (@id, @targetId, @orgId, @seq, @statementId, @event, @error, @attempts, @at) ON CONFLICT (id) DO NOTHING`);
  const letters = db.prepare<[string, number], LetterRow>('SELECT * FROM forward_dead_letters WHERE target_id = ? ORDER BY seq, id LIMIT ?');
  const failure = db.prepare<[string, number], { attempts: number }>(`INSERT INTO forward_failures (target_id, first_seq, attempts) VALUES (?, ?, 1)
    ON CONFLICT (target_id) DO UPDATE SET attempts = CASE WHEN first_seq = excluded.first_seq THEN attempts + 1 ELSE 1 END, first_seq = excluded.first_seq
    RETURNING attempts`);
  const clearFailures = db.prepare<[string]>('DELETE FROM forward_failures WHERE target_id = ?');
  const delLetter = db.prepare<[string, string]>('DELETE FROM forward_dead_letters WHERE target_id = ? AND id = ?');
  const insertLetters = db.transaction((list: readonly DeadLetter[]) => {
    for (const l of list) insertLetter.run({ ...l, event: l.event ?? null });
  });
  const deleteTarget = db.transaction((id: string) => {
    delLetters.run(id);
    clearFailures.run(id);
    return del.run(id).changes === 1;
  });
  const deleteLetters = db.transaction((targetId: string, ids: readonly string[]) => ids.reduce((n, id) => n + delLetter.run(targetId, id).changes, 0));
  return {
    async insertForwardTarget(t) {
      try {
        insert.run({ ...t, filter: JSON.stringify(t.filter), events: JSON.stringify(t.events), createdBy: t.createdBy ?? null });
      } catch (err) {
        if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw conflict(`forwarding target ${t.id} already exists`);
        throw err;
      }
    },
    async findForwardTargets(orgId) {
      return (orgId === undefined ? all.all() : ofOrg.all(orgId)).map(toTarget);
    },
    async findForwardTarget(id) {
      const r = one.get(id);
      return r ? toTarget(r) : undefined;
    },
    async deleteForwardTarget(id) {
      return deleteTarget(id);
    },
    async insertDeadLetters(list) {
      if (list.length > 0) insertLetters(list);
    },
    async findDeadLetters(targetId, limit) {
      return letters.all(targetId, Math.max(0, Math.trunc(limit))).map(toLetter);
    },
    async deleteDeadLetters(targetId, ids) {
      return ids.length === 0 ? 0 : deleteLetters(targetId, ids);
    },
    async recordForwardFailure(targetId, firstSeq) {
      return failure.get(targetId, firstSeq)!.attempts;
    },
    async clearForwardFailures(targetId) {
      clearFailures.run(targetId);
    },
  };
}
