import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../ports';
import { createSqliteAccountStore, migrateSqliteAccounts } from './accounts';
import { createSqliteActivityStore } from './activities';
import { createSqliteCourseStore, migrateSqliteCourses } from './courses';
import { createSqliteLaunchStore, migrateSqliteLaunch } from './launch';
import { createSqliteCmi5Store, migrateSqliteCmi5 } from './cmi5';
import { createSqliteProgressStore, migrateSqliteProgress } from './progress';
import { createSqliteCredentialStore } from './credentials';
import { createSqliteDocumentStore, migrateSqliteDocuments } from './documents';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpointer';
import { migrate } from './migrations';
import { createSqliteStatementStore } from './statements';

/** Where the SQLite database lives. */
export interface SqliteStoreOptions {
  /** File path (its folder is created) or ':memory:' for a private in-memory database (tests). */
  readonly path: string;
  /** How long a write waits for another process's lock before failing, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating and migrating when needed) the embedded SQLite store. WAL with
 * synchronous=NORMAL: a committed write survives a killed process (not necessarily a power cut,
 * which is the accepted trade for ingest speed).
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const memory = options.path === ':memory:' || options.path === '';
  if (!memory) mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('foreign_keys = ON');
    // Index pages of statement_refs are the hot set of both ingest and queries.
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    // Each batch dirties many index pages; checkpointing every ~80 MB instead of every 4 MB
    // writes a hot page back once per many batches and fsyncs far less (measured: 2x ingest).
    // A file database is checkpointed by a background thread instead (checkpointer.ts); the
    // writer's own checkpoint then only steps in far later, as a safety net.
    db.pragma(`wal_autocheckpoint = ${memory ? 20000 : FALLBACK_AUTOCHECKPOINT_PAGES}`);
    migrate(db);
    migrateSqliteDocuments(db);
    migrateSqliteAccounts(db);
    migrateSqliteCourses(db);
    migrateSqliteLaunch(db);
    migrateSqliteProgress(db);
    migrateSqliteCmi5(db);
  } catch (err) {
    db.close();
    throw err;
  }

  const statements = createSqliteStatementStore(db);
  const checkpointer = memory ? undefined : startCheckpointer(options.path);
  const credentials = createSqliteCredentialStore(db);
  const documents = createSqliteDocumentStore(db);
  const activities = createSqliteActivityStore(db);
  const accounts = createSqliteAccountStore(db);
  const courses = createSqliteCourseStore(db);
  const launch = createSqliteLaunchStore(db);
  return {
    engine: 'sqlite',
    statements,
    documents,
    credentials,
    activities,
    accounts,
    courses,
    launch,
    progress: createSqliteProgressStore(db),
    cmi5: createSqliteCmi5Store(db),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (!db.open) return;
      statements.drain();
      await checkpointer?.stop();
      if (!db.open) return;
      statements.drain();
      // The last connection to close checkpoints everything and removes the WAL.
      db.close();
    },
  };
}
