import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { CompetencyStore, Store } from '../ports';
import { createSqliteAccountStore, migrateSqliteAccounts } from './accounts';
import { createSqliteActivityStore } from './activities';
import { createSqliteCareerStore, migrateSqliteCareers } from './careers';
import { createSqliteCatalogStore, createSqliteLearningStore, migrateSqliteCatalog } from './catalog';
import { createSqliteCourseStore, migrateSqliteCourses } from './courses';
import { createSqliteLaunchStore, migrateSqliteLaunch } from './launch';
import { createSqliteCmi5Store, migrateSqliteCmi5 } from './cmi5';
import { createSqliteProgressStore, migrateSqliteProgress } from './progress';
import { createSqliteReportStore, migrateSqliteReports } from './reports';
import { createSqliteCredentialStore } from './credentials';
import { createSqliteDocumentStore, migrateSqliteDocuments } from './documents';
import { createSqliteLimitStore } from './limits';
import { createSqliteOutboxStore, migrateSqliteOutbox } from './outbox';
import { createSqlitePipelineStore, migrateSqlitePipeline } from './pipeline';
import { createSqliteForwardingStore, migrateSqliteForwarding } from './forwarding';
import { startCheckpointer } from './checkpointer';
import { createCompetencyStore } from '../records/competency';
import { sqliteRecordTables, sqliteUnitOfWork } from '../records/sqlite-table';
import { configureConnection } from './connection';
import { migrate } from './migrations';
import { createSealer, startSealing } from './seal';
import { startStatementWriter } from './statement-writer';
import { DEFAULT_WAL_CAP_BYTES, walCapPolicy } from './wal-cap';
import { createSqliteStatementStore } from './statements';
import { createLogFeed } from './log-feed';

/** Where the SQLite database lives. */
export interface SqliteStoreOptions {
  /** File path (its folder is created) or ':memory:' for a private in-memory database (tests). */
  readonly path: string;
  /** How long a write waits for another process's lock before failing, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
  /**
   * Statements per insert from which a file database hands the insert to its writer thread
   * (default 10; the tests use 1 to send every insert there).
   */
  readonly threadBatchMin?: number;
  /**
   * Cap on the WAL file, bytes (default 128 MB, LEARNHQ_SQLITE_WAL_CAP_MB): the statement writer
   * checkpoints it between groups past half of it (wal-cap.ts).
   */
  readonly walCapBytes?: number;
  /** How often the sealing schedule looks for a complete span, ms (seal.ts; tests make it short). */
  readonly sealIntervalMs?: number;
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
    configureConnection(db, { memory, busyTimeoutMs: options.busyTimeoutMs });
    migrate(db);
    migrateSqliteDocuments(db);
    migrateSqliteAccounts(db);
    migrateSqliteCourses(db);
    migrateSqliteLaunch(db);
    migrateSqliteProgress(db);
    migrateSqliteReports(db);
    migrateSqliteCmi5(db);
    migrateSqliteOutbox(db);
    migrateSqlitePipeline(db);
    migrateSqliteForwarding(db);
    migrateSqliteCareers(db);
    migrateSqliteCatalog(db);
  } catch (err) {
    db.close();
    throw err;
  }

  // Statement (and activity definition) writes run in a thread of their own on a file database.
  const walCapBytes = options.walCapBytes ?? DEFAULT_WAL_CAP_BYTES;
  const writer = memory ? undefined : startStatementWriter(options.path, options.busyTimeoutMs, walCapBytes);
  // Committed statements go to the pipeline's log window in memory (log-feed.ts).
  const feed = createLogFeed();
  const statements = createSqliteStatementStore(db, writer, options.threadBatchMin, { path: `${options.path}-wal`, capBytes: walCapBytes }, feed);
  const checkpointer = memory ? undefined : startCheckpointer(options.path, walCapPolicy(walCapBytes).softBytes);
  // Sealed spans (seal.ts): sealed on the writer thread; in memory, on this connection.
  const sealHere = writer ? undefined : createSealer(db);
  const sealing = startSealing(db, () => (writer ? writer.seal() : sealHere!()), options.sealIntervalMs !== undefined ? { intervalMs: options.sealIntervalMs } : {});
  const credentials = createSqliteCredentialStore(db);
  const documents = createSqliteDocumentStore(db);
  const activities = createSqliteActivityStore(db, writer);
  const accounts = createSqliteAccountStore(db);
  const courses = createSqliteCourseStore(db);
  const launch = createSqliteLaunchStore(db);
  // On a file, evidence writes go to the writer thread (ADR 0027); reads stay on this connection.
  const local = createCompetencyStore(sqliteRecordTables(db), sqliteUnitOfWork(db));
  const competency: CompetencyStore = writer
    ? {
        ...local,
        recordEvidence: (rows) => (rows.length === 0 ? Promise.resolve({ created: [], before: [] }) : writer.recordEvidence(rows)),
        insertEvidence: async (rows) => (rows.length === 0 ? [] : (await writer.recordEvidence(rows)).created),
        deleteEvidence: (what) => writer.deleteEvidence(what),
      }
    : local;
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
    reports: createSqliteReportStore(db),
    outbox: createSqliteOutboxStore(db),
    pipeline: createSqlitePipelineStore(db, writer, feed),
    forwarding: createSqliteForwardingStore(db),
    limits: createSqliteLimitStore(),
    careers: createSqliteCareerStore(db),
    competency,
    catalog: createSqliteCatalogStore(db),
    learning: createSqliteLearningStore(db),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (!db.open) return;
      await sealing.stop();
      await writer?.stop();
      statements.drain();
      await checkpointer?.stop();
      if (!db.open) return;
      statements.drain();
      // The last connection to close checkpoints everything and removes the WAL.
      db.close();
    },
  };
}
