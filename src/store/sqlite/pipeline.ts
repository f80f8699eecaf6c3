import type { Database } from 'better-sqlite3';
import type { ErasureRecord, LogEntry, PipelineCursor, PipelineStore } from '../ports';
import { readBuckets } from './buckets';
import type { LogFeed } from './log-feed';
import type { StatementWriter } from './statement-writer';
import { rowToStored, type StatementRow } from './statement-query';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS pipeline_cursors (
    name TEXT PRIMARY KEY, seq INTEGER NOT NULL DEFAULT 0, updated_at TEXT, last_error TEXT, last_error_at TEXT,
    failures INTEGER NOT NULL DEFAULT 0, rebuild_requested_at TEXT, holder TEXT, lease_until INTEGER
  );
  CREATE TABLE IF NOT EXISTS pipeline_erasures (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS pipeline_erasures_done (
    id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (id, name)
  ) WITHOUT ROWID;
`;

/** Creates the pipeline tables; idempotent. */
export function migrateSqlitePipeline(db: Database): void {
  db.exec(SCHEMA);
}

interface CursorRow {
  name: string; seq: number; updated_at: string | null; last_error: string | null; last_error_at: string | null;
  failures: number; rebuild_requested_at: string | null; holder: string | null; lease_until: number | null;
}

function toCursor(r: CursorRow): PipelineCursor {
  return {
    name: r.name, seq: r.seq, failures: r.failures,
    ...(r.updated_at !== null ? { updatedAt: r.updated_at } : {}),
    ...(r.last_error !== null ? { lastError: r.last_error } : {}),
    ...(r.last_error_at !== null ? { lastErrorAt: r.last_error_at } : {}),
    ...(r.rebuild_requested_at !== null ? { rebuildRequestedAt: r.rebuild_requested_at } : {}),
    ...(r.holder !== null ? { holder: r.holder } : {}),
    ...(r.lease_until !== null ? { leaseUntil: r.lease_until } : {}),
  };
}

interface ErasureRow { id: string; user_id: string; seq: number; at: string }

/**
 * A cursor's forward move (name, seq, updated_at): one statement, one commit (an INSERT then an
 * UPDATE were two). Also run by the statement writer thread.
 */
export const ADVANCE_CURSOR_SQL = `INSERT INTO pipeline_cursors (name, seq, updated_at) VALUES (?, ?, ?)
  ON CONFLICT (name) DO UPDATE SET seq = MAX(seq, excluded.seq), updated_at = excluded.updated_at,
  last_error = NULL, last_error_at = NULL, failures = 0`;

/** PipelineStore.claimLease on a connection (one transaction); also run by the statement writer thread. */
export function createLeaseClaim(db: Database): (name: string, holder: string, ttlMs: number) => boolean {
  const ensure = db.prepare<[string]>('INSERT INTO pipeline_cursors (name) VALUES (?) ON CONFLICT (name) DO NOTHING');
  const claim = db.prepare<[string, number, string, string, number]>(
    'UPDATE pipeline_cursors SET holder = ?, lease_until = ? WHERE name = ? AND (holder IS NULL OR holder = ? OR lease_until < ?)',
  );
  return db.transaction((name: string, holder: string, ttlMs: number): boolean => {
    ensure.run(name);
    const now = Date.now();
    return claim.run(holder, now + ttlMs, name, holder, now).changes === 1;
  });
}

/**
 * The SQLite PipelineStore (cursor moves and lease claims go through the statement writer thread while it is busy;
 * with `feed`, watchAppends hears of the statement store's commits, log-feed.ts). The log is read straight from the statements table (placeholders of
 * erased statements, `erased:<seq>`, are left out); organizations come from the `g|` rows of
 * statement_refs in the same seq range.
 */
export function createSqlitePipelineStore(
  db: Database,
  writer?: Pick<StatementWriter, 'advanceCursor' | 'claimLease' | 'busy'>,
  feed?: Pick<LogFeed, 'watch'>,
): PipelineStore {
  migrateSqlitePipeline(db);
  const buckets = readBuckets(db);
  const log = db.prepare<[number, number, number], StatementRow>(
    "SELECT seq, id, stored, voided, json FROM statements WHERE seq > ? AND seq <= ? AND id NOT LIKE 'erased:%' ORDER BY seq LIMIT ?",
  );
  const orgRefs = db.prepare<[], { id: number; ref: string }>("SELECT id, ref FROM ref_ids WHERE ref >= 'g|' AND ref < 'g}'");
  // One bucket at a time: with an equality on the bucket the primary key (bucket, ref, seq) is
  // searched per organization key and seq range; a range of buckets made SQLite scan every key row
  // of those buckets (~1 ms per read at 2,048 statements a bucket, measured).
  const orgRows = db.prepare<[number, string, number, number], { ref: number; seq: number }>(
    `SELECT ref, seq FROM statement_refs WHERE bucket = ? AND ref IN (SELECT value FROM json_each(?))
     AND seq >= ? AND seq <= ?`,
  );
  const cursor = db.prepare<[string], CursorRow>('SELECT * FROM pipeline_cursors WHERE name = ?');
  const cursors = db.prepare<[], CursorRow>('SELECT * FROM pipeline_cursors ORDER BY name');
  const ensure = db.prepare<[string]>('INSERT INTO pipeline_cursors (name) VALUES (?) ON CONFLICT (name) DO NOTHING');
  const advance = db.prepare<[string, number, string]>(ADVANCE_CURSOR_SQL);
  const reset = db.prepare<[number, string, string]>(
    'UPDATE pipeline_cursors SET seq = ?, updated_at = ?, last_error = NULL, last_error_at = NULL, failures = 0, rebuild_requested_at = NULL WHERE name = ?',
  );
  const failed = db.prepare<[string, string, string]>(
    'UPDATE pipeline_cursors SET last_error = ?, last_error_at = ?, failures = failures + 1 WHERE name = ?',
  );
  const rebuild = db.prepare<[string, string]>('UPDATE pipeline_cursors SET rebuild_requested_at = ? WHERE name = ?');
  const claim = createLeaseClaim(db);
  const release = db.prepare<[string, string]>('UPDATE pipeline_cursors SET holder = NULL, lease_until = NULL WHERE name = ? AND holder = ?');
  const insertErasure = db.prepare<[string, string, number, string]>(
    'INSERT INTO pipeline_erasures (id, user_id, seq, at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const pending = db.prepare<[string, number], ErasureRow>(
    `SELECT id, user_id, seq, at FROM pipeline_erasures e
     WHERE NOT EXISTS (SELECT 1 FROM pipeline_erasures_done d WHERE d.id = e.id AND d.name = ?) ORDER BY n LIMIT ?`,
  );
  const done = db.prepare<[string, string]>('INSERT INTO pipeline_erasures_done (id, name) VALUES (?, ?) ON CONFLICT DO NOTHING');

  return {
    ...(feed ? { watchAppends: (listener: Parameters<LogFeed['watch']>[0]) => feed.watch(listener) } : {}),
    async findLog({ afterSeq, upToSeq, limit }) {
      if (upToSeq <= afterSeq || limit < 1) return [];
      const rows = log.all(afterSeq, upToSeq, limit);
      if (rows.length === 0) return [];
      const lo = rows[0]!.seq;
      const hi = rows[rows.length - 1]!.seq;
      const orgs = new Map(orgRefs.all().map((r) => [r.id, r.ref.slice(2)]));
      const bySeq = new Map<number, string[]>();
      if (orgs.size > 0) {
        const keys = JSON.stringify([...orgs.keys()]);
        for (let b = buckets.of(lo); b <= buckets.of(hi); b++) {
          for (const r of orgRows.all(b, keys, lo, hi)) {
            const list = bySeq.get(r.seq) ?? [];
            list.push(orgs.get(r.ref)!);
            bySeq.set(r.seq, list);
          }
        }
      }
      return rows.map((r): LogEntry => ({ statement: rowToStored(r), orgIds: (bySeq.get(r.seq) ?? []).sort() }));
    },
    async findCursor(name) {
      const r = cursor.get(name);
      return r ? toCursor(r) : undefined;
    },
    async findCursors() {
      return cursors.all().map(toCursor);
    },
    async updateCursor(name, u) {
      if (u.reset) {
        ensure.run(name);
        reset.run(u.seq, u.at, name);
      } else if (writer?.busy()) {
        // The thread may hold the write lock (a group commit of large batches takes 50-80 ms):
        // queued behind it there rather than waiting for it here with the event loop blocked.
        await writer.advanceCursor(name, u.seq, u.at);
      } else {
        advance.run(name, u.seq, u.at);
      }
    },
    async recordCursorError(name, e) {
      ensure.run(name);
      failed.run(e.message.slice(0, 2000), e.at, name);
    },
    async requestRebuild(name, at) {
      ensure.run(name);
      rebuild.run(at, name);
    },
    async claimLease(name, holder, ttlMs) {
      // As cursor moves: not waiting for the busy writer thread's lock on the event loop.
      if (writer?.busy()) return writer.claimLease(name, holder, ttlMs);
      return claim(name, holder, ttlMs);
    },
    async releaseLease(name, holder) {
      release.run(name, holder);
    },
    async insertErasure(e) {
      insertErasure.run(e.id, e.userId, e.seq, e.at);
    },
    async findPendingErasures(name, limit) {
      return pending.all(name, limit).map((r): ErasureRecord => ({ id: r.id, userId: r.user_id, seq: r.seq, at: r.at }));
    },
    async markErasureDone(id, name) {
      done.run(id, name);
    },
  };
}
