import type Database from 'better-sqlite3';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from './checkpointer';

/**
 * The settings of every connection to a LearnHQ database (the service's own and the statement
 * writer thread's): WAL with synchronous=NORMAL, a wait for another writer's lock, a modest page
 * cache.
 */
export function configureConnection(db: Database.Database, options: { memory: boolean; busyTimeoutMs?: number | undefined }): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${connectionBusyTimeout(options.busyTimeoutMs)}`);
  db.pragma('foreign_keys = ON');
  // 8 MB of page cache per connection. A larger cache costs every commit: SQLite walks its whole
  // page hash at the end of each write transaction (pcache1TruncateUnsafe), so with 64 MB a
  // 5-statement commit on a 200,000-statement database took 182 us per statement against 104 us
  // at 8 MB (50-statement commits: 50 against 40). Reads lose nothing measurable (bench/query at
  // 1,000,000 statements: the same p95s): the file stays in the OS page cache, and in WAL mode a
  // commit by another connection (the writer thread) clears this connection's cache anyway.
  db.pragma('cache_size = -8192');
  db.pragma('temp_store = MEMORY');
  // Each batch dirties many index pages; checkpointing every ~80 MB instead of every 4 MB
  // writes a hot page back once per many batches and fsyncs far less (measured: 2x ingest).
  // A file database is checkpointed by a background thread instead (checkpointer.ts); the
  // writer's own checkpoint then only steps in far later, as a safety net.
  db.pragma(`wal_autocheckpoint = ${options.memory ? 20000 : FALLBACK_AUTOCHECKPOINT_PAGES}`);
}

/** The busy timeout of every connection, ms (5 s unless the store was opened with another). */
export function connectionBusyTimeout(busyTimeoutMs: number | undefined): number {
  return Math.max(0, Math.trunc(busyTimeoutMs ?? 5000));
}
