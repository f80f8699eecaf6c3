import { MongoClient } from 'mongodb';
import type { CompetencyStore, Store } from '../ports';
import { createMongoAccountStore, ensureMongoAccountIndexes } from './accounts';
import { createMongoActivityStore, ensureMongoActivityIndexes } from './activities';
import { createMongoCareerStore, ensureMongoCareerIndexes } from './careers';
import { collections, ensureIndexes } from './collections';
import { createMongoCatalogStore, createMongoLearningStore, ensureMongoCatalogIndexes } from './catalog';
import { createMongoCourseStore, ensureMongoCourseIndexes } from './courses';
import { createMongoLaunchStore, ensureMongoLaunchIndexes } from './launch';
import { createMongoCmi5Store, ensureMongoCmi5Indexes } from './cmi5';
import { createMongoProgressStore, ensureMongoProgressIndexes } from './progress';
import { createMongoReportStore, ensureMongoReportIndexes } from './reports';
import { createMongoCredentialStore } from './credentials';
import { createMongoDocumentStore, ensureMongoDocumentIndexes } from './documents';
import { toAppError } from './errors';
import { createCompetencyStore } from '../records/competency';
import { mongoRecordTables } from '../records/mongo-table';
import { createMongoLimitStore, ensureMongoLimitIndexes } from './limits';
import { createMongoOutboxStore, ensureMongoOutboxIndexes } from './outbox';
import { createMongoPipelineStore, ensureMongoPipelineIndexes } from './pipeline';
import { createMongoForwardingStore, ensureMongoForwardingIndexes } from './forwarding';
import { DEFAULT_SEQ_OPTIONS, SeqClaims, type SeqOptions } from './sequence';
import type { BeforeInsertHook } from './statement-insert';
import { createMongoStatementStore } from './statements';

/** Where the MongoDB store lives and how it reports consistency. */
export interface MongoStoreOptions {
  /** mongodb:// or mongodb+srv:// URL (replica set, sharded cluster, or FerretDB). */
  readonly url: string;
  readonly dbName: string;
  /**
   * Seq claims between instances (blocks, leases, fencing): defaults in DEFAULT_SEQ_OPTIONS.
   * `leaseMs` is how long a dead instance can hold back the visibility horizon.
   */
  readonly seq?: Partial<SeqOptions>;
  /** Test seam: runs after a batch's seqs are claimed and before it is inserted. */
  readonly beforeStatementInsert?: BeforeInsertHook;
  /** How long to wait for a server when connecting (ms, default 10000). */
  readonly serverSelectionTimeoutMs?: number;
}

/**
 * Connects to MongoDB (or a wire-compatible server such as FerretDB) and ensures the indexes.
 * Writes are acknowledged by a majority with the journal flushed, so an acknowledged statement
 * is durable; a URL that sets w= or journal= overrides that deliberately.
 */
export async function openMongoStore(options: MongoStoreOptions): Promise<Store> {
  const client = new MongoClient(options.url, {
    writeConcern: { w: 'majority', journal: true },
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10000,
    ignoreUndefined: true,
  });
  try {
    await client.connect();
  } catch (err) {
    throw toAppError(err, `connecting to MongoDB database ${options.dbName}`);
  }
  const db = client.db(options.dbName);
  const c = collections(db);
  const claims = new SeqClaims(c.statements, c.seqState, c.seqBlocks, { ...DEFAULT_SEQ_OPTIONS, ...options.seq });
  let competency: CompetencyStore;
  try {
    await ensureIndexes(c);
    await ensureMongoDocumentIndexes(db);
    await ensureMongoActivityIndexes(db);
    await ensureMongoAccountIndexes(db);
    await ensureMongoCourseIndexes(db);
    await ensureMongoLaunchIndexes(db);
    await ensureMongoProgressIndexes(db);
    await ensureMongoReportIndexes(db);
    await ensureMongoCmi5Indexes(db);
    await ensureMongoOutboxIndexes(db);
    await ensureMongoPipelineIndexes(db);
    await ensureMongoForwardingIndexes(db);
    await ensureMongoLimitIndexes(db);
    await ensureMongoCareerIndexes(db);
    const pending: Promise<unknown>[] = [];
    competency = createCompetencyStore(mongoRecordTables(db, pending));
    await Promise.all(pending);
    await ensureMongoCatalogIndexes(db);
    await claims.start();
  } catch (err) {
    await claims.close().catch(() => undefined);
    await client.close().catch(() => undefined);
    throw toAppError(err, 'creating MongoDB indexes');
  }

  let closed = false;
  return {
    engine: 'mongo',
    statements: createMongoStatementStore(c, claims, options.beforeStatementInsert),
    credentials: createMongoCredentialStore(c),
    documents: createMongoDocumentStore(db),
    activities: createMongoActivityStore(db),
    accounts: createMongoAccountStore(db),
    courses: createMongoCourseStore(db),
    launch: createMongoLaunchStore(db),
    progress: createMongoProgressStore(db),
    reports: createMongoReportStore(db),
    cmi5: createMongoCmi5Store(db),
    outbox: createMongoOutboxStore(db),
    pipeline: createMongoPipelineStore(db),
    forwarding: createMongoForwardingStore(db),
    limits: createMongoLimitStore(db),
    careers: createMongoCareerStore(db),
    competency,
    catalog: createMongoCatalogStore(db),
    learning: createMongoLearningStore(db),
    async ping() {
      if (closed) throw new Error('the MongoDB store is closed');
      try {
        await db.command({ ping: 1 });
      } catch (err) {
        throw toAppError(err, 'ping');
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await claims.close();
      await client.close();
    },
  };
}
