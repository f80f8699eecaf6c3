import type { Database } from 'better-sqlite3';
import type { ActivityRecord, ActivityStore } from '../ports';
import type { StatementWriter } from './statement-writer';

interface ActivityRow {
  id: string;
  definition: string;
  updated: string;
}

/** Creates the activities table when missing. Idempotent. */
export function migrateSqliteActivities(db: Database): void {
  db.exec(`
    -- Canonical activity definitions (JSON text), one row per activity IRI.
    CREATE TABLE IF NOT EXISTS activities (
      id         TEXT PRIMARY KEY,
      definition TEXT NOT NULL,
      updated    TEXT NOT NULL
    );
  `);
}

function toRecord(r: ActivityRow): ActivityRecord {
  return { id: r.id, definition: JSON.parse(r.definition) as Record<string, unknown>, updated: r.updated };
}

// Ids per lookup: keeps each JSON array argument (and its result set) modest.
const CHUNK = 500;

/** Writes definitions (one transaction); also run by the statement writer thread. */
export function createActivityUpsert(db: Database): (records: readonly ActivityRecord[]) => void {
  const upsert = db.prepare<[string, string, string]>(
    `INSERT INTO activities (id, definition, updated) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, updated = excluded.updated`,
  );
  return db.transaction((records: readonly ActivityRecord[]) => {
    for (const r of records) upsert.run(r.id, JSON.stringify(r.definition), r.updated);
  });
}

/**
 * Canonical activity definitions on SQLite. While the statement writer thread is busy,
 * definitions are written there too: they arrive with statements, and a write here would wait
 * for the thread's lock (blocking the event loop) while it commits them.
 */
export function createSqliteActivityStore(db: Database, writer?: Pick<StatementWriter, 'upsertActivities' | 'busy'>): ActivityStore {
  const findOne = db.prepare<[string], ActivityRow>('SELECT id, definition, updated FROM activities WHERE id = ?');
  // json_each lets one prepared statement take any number of ids (no SQL compiled per call).
  const byIds = db.prepare<[string], ActivityRow>('SELECT id, definition, updated FROM activities WHERE id IN (SELECT value FROM json_each(?))');
  const upsertAll = createActivityUpsert(db);
  // Definitions handed in during one turn of the event loop are written in one transaction: each
  // write request with a new definition made a commit of its own after its statements' (group)
  // commit; now concurrent requests share one. Records keep their order (the last one wins, as
  // one after another would).
  let waiting: { readonly records: readonly ActivityRecord[]; resolve(): void; reject(err: unknown): void }[] = [];
  const flush = (): void => {
    const jobs = waiting;
    waiting = [];
    const records = jobs.flatMap((j) => j.records);
    // The thread may have become busy meanwhile: a write here would wait for its lock.
    const written: Promise<void> = writer?.busy()
      ? writer.upsertActivities(records)
      : new Promise<void>((resolve) => {
          upsertAll(records);
          resolve();
        });
    written.then(
      () => jobs.forEach((j) => j.resolve()),
      (err: unknown) => jobs.forEach((j) => j.reject(err)),
    );
  };

  return {
    async findActivity(id) {
      const row = findOne.get(id);
      return row ? toRecord(row) : undefined;
    },
    async findActivities(ids) {
      const unique = [...new Set(ids)];
      const out: ActivityRecord[] = [];
      for (let i = 0; i < unique.length; i += CHUNK) {
        const rows = byIds.all(JSON.stringify(unique.slice(i, i + CHUNK)));
        out.push(...rows.map(toRecord));
      }
      return out;
    },
    async upsertActivities(records) {
      if (records.length === 0) return;
      if (writer?.busy()) return writer.upsertActivities(records);
      return new Promise<void>((resolve, reject) => {
        waiting.push({ records, resolve, reject });
        if (waiting.length === 1) setImmediate(flush);
      });
    },
  };
}
