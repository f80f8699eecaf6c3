import type Database from 'better-sqlite3';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from './checkpointer';

/**
 * The settings of every connection to a LearnHQ database (the service's own and the statement
 * writer thread's): WAL with synchronous=NORMAL, a wait for another writer's lock, a large page
 * cache for the statement_refs index pages.
 */
export function configureConnection(db: Database.Database, options: { memory: boolean; busyTimeoutMs?: number | undefined }): void {
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
  db.pragma(`wal_autocheckpoint = ${options.memory ? 20000 : FALLBACK_AUTOCHECKPOINT_PAGES}`);
}
