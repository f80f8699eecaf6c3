/**
 * A SQLite database made before SCO attempts were counted gains the column on migration, keeps its
 * rows (read as having no count) and stores counts from then on.
 */
import Database from 'better-sqlite3';
import { createSqliteLaunchStore, migrateSqliteLaunch } from '../../src/store/sqlite/launch';

it('adds sco_attempts to an existing sco_runtime table, idempotently', async () => {
  const db = new Database(':memory:');
  try {
    db.exec(`CREATE TABLE sco_runtime (
      attempt_id TEXT NOT NULL, sco_id TEXT NOT NULL, seq INTEGER NOT NULL, cmi TEXT NOT NULL, updated_at TEXT NOT NULL,
      PRIMARY KEY (attempt_id, sco_id))`);
    db.prepare('INSERT INTO sco_runtime VALUES (?, ?, ?, ?, ?)').run('a1', 's1', 4, '{"cmi":{"location":"p4"}}', '2025-01-01T00:00:00.000Z');
    migrateSqliteLaunch(db);
    migrateSqliteLaunch(db);
    const launch = createSqliteLaunchStore(db);
    const [old] = await launch.findRuntime('a1', 's1');
    expect(old).toEqual({ attemptId: 'a1', scoId: 's1', seq: 4, cmi: { cmi: { location: 'p4' } }, updatedAt: '2025-01-01T00:00:00.000Z' });
    expect(await launch.commitRuntime({ attemptId: 'a1', scoId: 's1', seq: 5, cmi: { cmi: {} }, scoAttempts: 2, updatedAt: '2025-01-01T00:00:01.000Z' }))
      .toEqual({ applied: true, seq: 5 });
    expect((await launch.findRuntime('a1', 's1'))[0]?.scoAttempts).toBe(2);
  } finally {
    db.close();
  }
});
