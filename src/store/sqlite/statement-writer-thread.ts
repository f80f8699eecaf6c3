/**
 * The statement writer thread (started by statement-writer.ts): its own connection to the
 * database file, the same group commit and batch writer the service would otherwise run on its
 * event loop, and the erasure writes that must not interleave with them (they change ref_ids,
 * whose ids this thread caches).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { AttachmentContent, Evidence, EvidenceCounts } from '../ports';
import { createCompetencyStore } from '../records/competency';
import { sqliteRecordTables, sqliteUnitOfWork } from '../records/sqlite-table';
import { createActivityUpsert } from './activities';
import { ADVANCE_CURSOR_SQL, createLeaseClaim } from './pipeline';
import { configureConnection, connectionBusyTimeout } from './connection';
import { evidenceChunks } from './evidence-chunks';
import { createGroupCommit } from './group-commit';
import { createRefIds } from './ref-ids';
import { createSealer } from './seal';
import { createBatchWriter } from './statement-insert';
import { createSqliteStatementErase } from './statement-erase';
import type { WriterAnswer, WriterReply, WriterRequest } from './statement-writer';
import { createWalCheckpoint } from './wal-cap';

const port = parentPort;
if (!port) throw new Error('statement-writer-thread runs as a worker thread');
const data = workerData as { path: string; busyTimeoutMs?: number; walCapBytes: number };

const db = new Database(data.path);
configureConnection(db, { memory: false, busyTimeoutMs: data.busyTimeoutMs });
const refIds = createRefIds(db);
// Between two groups, the writer itself keeps the WAL under its cap (wal-cap.ts).
const walCheckpoint = createWalCheckpoint(db, `${data.path}-wal`, data.walCapBytes, connectionBusyTimeout(data.busyTimeoutMs));
// Smaller groups than on the service's connection: a write there that finds this thread's lock
// waits (event loop blocked) until the group commits; ~1,000 statements take 50-80 ms here.
const GROUP_LIMIT = 1000;
const commit = createGroupCommit(db, createBatchWriter(db, refIds), () => refIds.forget(), GROUP_LIMIT, walCheckpoint);
// Sealed spans (seal.ts), when the service's schedule asks.
const seal = createSealer(db);
const erase = createSqliteStatementErase(db, refIds, () => commit.drain());
const upsertActivities = createActivityUpsert(db);
// The evidence projection's writes (ADR 0027): the same shared store code as the service's, on
// this connection.
const competency = createCompetencyStore(sqliteRecordTables(db), sqliteUnitOfWork(db));

/**
 * Evidence requests are written one after another (each waits for the one before), in chunks of
 * whole people of about EVIDENCE_CHUNK pieces, one transaction each; statement batches that arrive
 * meanwhile are committed between two chunks (ADR 0039). A backfill or rebuild of thousands of
 * pieces otherwise held every statement write behind it for its whole transaction. A chunk holds
 * every piece of its people, so the `before` of each (person, competency) pair is the one a single
 * transaction would answer; a crash between chunks leaves whole people written, and the subscriber
 * (which moves its cursor only after the answer) writes the request again, idempotently.
 */
const EVIDENCE_CHUNK = 100;
let evidenceTail: Promise<unknown> = Promise.resolve();
const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
  const next = evidenceTail.then(work, work);
  evidenceTail = next.catch(() => undefined);
  return next;
};
/** Lets the messages that arrived in (statement batches among them) in, and commits their batches. */
const letStatementsIn = async (): Promise<void> => {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (commit.waiting()) commit.drain();
};
const recordEvidence = (rows: readonly Evidence[]): Promise<{ created: string[]; before: EvidenceCounts[] }> =>
  inTurn(async () => {
    const created: string[] = [];
    const before: EvidenceCounts[] = [];
    const chunks = evidenceChunks(rows, EVIDENCE_CHUNK);
    for (const [i, chunk] of chunks.entries()) {
      if (i > 0) await letStatementsIn();
      const done = await competency.recordEvidence(chunk);
      created.push(...done.created);
      before.push(...done.before);
    }
    return { created, before };
  });

// The pipeline's cursor writes while the service's connection would wait for this thread's lock
// (pipeline.ts). Prepared at the first one: the pipeline's tables are created after this thread starts.
let cursorUpsert: Database.Statement<[string, number, string]> | undefined;
let leaseClaim: ((name: string, holder: string, ttlMs: number) => boolean) | undefined;

// Answers settled together (a group commit settles all its batches at once) go in one message.
let outbox: WriterAnswer[] = [];
const post = (reply: WriterReply): void => port.postMessage(reply);
const answer = (a: WriterAnswer): void => {
  outbox.push(a);
  if (outbox.length === 1) {
    // A group commit resolves its batches' promises together; their answers are all pushed before
    // this microtask runs.
    queueMicrotask(() => {
      const answers = outbox;
      outbox = [];
      post({ t: 'answers', answers });
    });
  }
};
const fail = (n: number, err: unknown): void => {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  answer({ n, ok: false, error: { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) } });
};
const settle = (n: number, work: Promise<unknown>): void => {
  work.then(
    (value) => answer({ n, ok: true, value }),
    (err: unknown) => fail(n, err),
  );
};
const run = (n: number, work: () => unknown): void => {
  try {
    answer({ n, ok: true, value: work() });
  } catch (err) {
    fail(n, err);
  }
};
// Buffers arrive as plain Uint8Arrays; the driver binds Buffers as blobs.
const asBuffers = (list: readonly AttachmentContent[]): AttachmentContent[] =>
  list.map((a) => ({ ...a, content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength) }));

function handle(m: WriterRequest): void {
  switch (m.t) {
    case 'insert':
      commit.insert(m.batch, asBuffers(m.attachments)).then(
        (value) => answer({ n: m.n, ok: true, value }),
        (err: unknown) => fail(m.n, err),
      );
      break;
    case 'erase':
      run(m.n, () => erase.deleteStatementsWithRef(m.ref));
      break;
    case 'unlink':
      // Batches accepted before the clean-up are committed first: one of them may declare the attachment.
      commit.drain();
      run(m.n, () => erase.deleteUnreferencedAttachments(m.sha2s));
      break;
    case 'activities':
      run(m.n, () => upsertActivities(m.records));
      break;
    case 'evidence':
      settle(m.n, recordEvidence(m.rows));
      break;
    case 'evidence-delete':
      settle(m.n, inTurn(() => competency.deleteEvidence(m.what)));
      break;
    case 'cursor':
      run(m.n, () => {
        cursorUpsert ??= db.prepare<[string, number, string]>(ADVANCE_CURSOR_SQL);
        cursorUpsert.run(m.name, m.seq, m.at);
      });
      break;
    case 'lease':
      run(m.n, () => {
        leaseClaim ??= createLeaseClaim(db);
        return leaseClaim(m.name, m.holder, m.ttlMs);
      });
      break;
    case 'seal':
      // One step, between two groups (seal.ts startSealing decides when and sends the next).
      commit.drain();
      run(m.n, () => seal());
      break;
    case 'checkpoint':
      // Batches accepted before are committed first (their own group runs the same check).
      commit.drain();
      run(m.n, () => walCheckpoint());
      break;
    case 'stop':
      // After the evidence requests accepted before (their chunks let statement batches in).
      void evidenceTail.then(() => {
        commit.drain();
        db.close();
        // After the answers of the batches just committed (their promises settle as microtasks,
        // then their message goes out in the first immediate).
        setImmediate(() => setImmediate(() => post({ t: 'stopped' })));
      });
      break;
  }
}

port.on('message', handle);
