import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError, ERROR_STATUS, type ErrorCode } from '../../errors';
import type { ActivityRecord, AttachmentContent, Evidence, EvidenceCounts } from '../ports';
import type { EvidenceDeletion } from '../ports/competency';
import type { SealStep } from './seal';
import type { BatchResult, StatementRow } from './statement-insert';
import { DEFAULT_WAL_CAP_BYTES } from './wal-cap';

/** What the service asks of the writer thread. */
export type WriterRequest =
  | { readonly t: 'insert'; readonly n: number; readonly batch: readonly StatementRow[]; readonly attachments: readonly AttachmentContent[] }
  | { readonly t: 'erase'; readonly n: number; readonly ref: string }
  | { readonly t: 'unlink'; readonly n: number; readonly sha2s: readonly string[] }
  | { readonly t: 'activities'; readonly n: number; readonly records: readonly ActivityRecord[] }
  | { readonly t: 'checkpoint'; readonly n: number }
  | { readonly t: 'seal'; readonly n: number }
  | { readonly t: 'cursor'; readonly n: number; readonly name: string; readonly seq: number; readonly at: string }
  | { readonly t: 'lease'; readonly n: number; readonly name: string; readonly holder: string; readonly ttlMs: number }
  | { readonly t: 'evidence'; readonly n: number; readonly rows: readonly Evidence[] }
  | { readonly t: 'evidence-delete'; readonly n: number; readonly what: EvidenceDeletion }
  | { readonly t: 'stop' };

/** The thread's answer to request `n`. */
export type WriterAnswer =
  | { readonly n: number; readonly ok: true; readonly value: unknown }
  | { readonly n: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string; readonly code?: string } };

/** What the thread posts: the answers gathered in one turn of its event loop, or its goodbye. */
export type WriterReply = { readonly t: 'answers'; readonly answers: readonly WriterAnswer[] } | { readonly t: 'stopped' };

/** The statement writes of one database file, done by a thread of their own. */
export interface StatementWriter {
  insert(batch: readonly StatementRow[], attachments: readonly AttachmentContent[]): Promise<BatchResult>;
  /** Deletes every statement carrying `ref` (statement-erase.ts); resolves with how many. */
  erase(ref: string): Promise<number>;
  /** Deletes the attachments no stored statement declares any more; resolves with how many. */
  deleteUnreferencedAttachments(sha2s: readonly string[]): Promise<number>;
  /** Writes canonical activity definitions (activities.ts). */
  upsertActivities(records: readonly ActivityRecord[]): Promise<void>;
  /**
   * CompetencyStore.insertEvidence on the thread's connection (evidence rows and their summaries):
   * the evidence projection's writes then queue behind the statement writes instead of taking the
   * event loop and waiting for (or holding) their lock. Resolves as CompetencyStore.recordEvidence.
   */
  recordEvidence(rows: readonly Evidence[]): Promise<{ readonly created: string[]; readonly before: EvidenceCounts[] }>;
  /** CompetencyStore.deleteEvidence on the thread's connection (after every earlier request). */
  deleteEvidence(what: EvidenceDeletion): Promise<number>;
  /**
   * PipelineStore.updateCursor (a forward move) on the thread's connection: the pipeline's cursor
   * writes go here while the thread is busy, instead of waiting for its lock on the event loop
   * (measured at batch 100: 12% of the event loop's time).
   */
  advanceCursor(name: string, seq: number, at: string): Promise<void>;
  /** PipelineStore.claimLease on the thread's connection (for the same reason). */
  claimLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /**
   * Runs the WAL cap's checkpoint in the thread (wal-cap.ts) when the WAL is past its soft size;
   * resolves with whether the WAL was emptied. While it is pending the thread is busy(), so the
   * service's statement writes go to the thread and never wait for the checkpoint's lock.
   */
  checkpoint(): Promise<boolean>;
  /**
   * One step of sealing the oldest complete span of statement_refs, in the thread (seal.ts), where
   * its transaction does not stall the event loop; resolves with what the step did.
   */
  seal(): Promise<SealStep>;
  /**
   * True while the thread owes answers: it may hold the write lock, so the service's own
   * connection should not write statements now (it would wait for the lock, event loop blocked).
   */
  busy(): boolean;
  /** Commits what is waiting, closes the thread's connection and ends the thread. */
  stop(): Promise<void>;
}

// The thread runs statement-writer-thread.js from dist/; from the TypeScript sources (Jest, or
// node -r scripts/register-ts.js) it needs the same on-the-fly compilation as its parent.
const BOOT = `
const { workerData } = require('node:worker_threads');
if (workerData.tsHook) require(workerData.tsHook);
require(workerData.entry);
`;

function revive(error: { name: string; message: string; code?: string }): Error {
  if (error.name === 'AppError' && error.code !== undefined && error.code in ERROR_STATUS) {
    return new AppError(error.code as ErrorCode, error.message);
  }
  return Object.assign(new Error(error.message), error.code !== undefined ? { code: error.code } : {});
}

/**
 * Starts the statement writer thread of a database file (already migrated). Statement inserts are
 * the heaviest writes of the service (a row, its id and stored indexes and ~10 index keys each):
 * done here they run beside the request handling (HTTP, validation, normalisation) on the event
 * loop instead of taking turns with it, and the thread's group commit gathers whatever arrived
 * while it was busy. An insert resolves after its commit, as before. A thread that dies fails the
 * requests it held; the next request starts a new one.
 */
export function startStatementWriter(path: string, busyTimeoutMs?: number, walCapBytes: number = DEFAULT_WAL_CAP_BYTES): StatementWriter {
  const entry = join(__dirname, `statement-writer-thread${extname(__filename)}`);
  const tsHook = extname(__filename) === '.ts' ? join(__dirname, '../../../scripts/register-ts.js') : undefined;
  const pending = new Map<number, { readonly worker: Worker; resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  let next = 0;
  let worker: Worker | undefined;
  let stopping: Promise<void> | undefined;

  /** Fails what was asked of thread `w` (a thread that replaced it keeps its own requests). */
  const failAll = (w: Worker, err: unknown): void => {
    for (const [n, p] of pending) {
      if (p.worker !== w) continue;
      pending.delete(n);
      p.reject(err);
    }
  };

  function thread(): Worker {
    if (worker) return worker;
    const w = new Worker(BOOT, { eval: true, workerData: { entry, tsHook, path, busyTimeoutMs, walCapBytes } });
    w.unref();
    w.on('message', (m: WriterReply) => {
      if (m.t !== 'answers') return;
      for (const a of m.answers) {
        const p = pending.get(a.n);
        if (!p) continue;
        pending.delete(a.n);
        if (a.ok) p.resolve(a.value);
        else p.reject(revive(a.error));
      }
      if (pending.size === 0) w.unref();
    });
    const gone = (err: unknown): void => {
      if (worker === w) worker = undefined;
      failAll(w, new AppError('unavailable', `the statement writer stopped (${err instanceof Error ? err.message : String(err)}); try again`));
    };
    w.on('error', gone);
    w.on('exit', (code) => gone(new Error(`exit code ${code}`)));
    worker = w;
    return w;
  }

  function ask<T>(request: (n: number) => WriterRequest): Promise<T> {
    if (stopping) return Promise.reject(new AppError('unavailable', 'the store is closing'));
    const w = thread();
    const n = next++;
    return new Promise<T>((resolve, reject) => {
      pending.set(n, { worker: w, resolve: resolve as (v: unknown) => void, reject });
      // Referenced while it owes an answer, so a process waiting for one does not exit.
      w.ref();
      // Sent at once (measured: holding requests back while the thread is busy, to send them
      // together, made the two threads take turns instead of overlapping: -9% at batch 10).
      w.postMessage(request(n));
    });
  }

  return {
    insert: (batch, attachments) => ask((n) => ({ t: 'insert', n, batch, attachments })),
    erase: (ref) => ask((n) => ({ t: 'erase', n, ref })),
    deleteUnreferencedAttachments: (sha2s) => ask((n) => ({ t: 'unlink', n, sha2s })),
    upsertActivities: (records) => ask((n) => ({ t: 'activities', n, records })),
    recordEvidence: (rows) => ask((n) => ({ t: 'evidence', n, rows })),
    deleteEvidence: (what) => ask((n) => ({ t: 'evidence-delete', n, what })),
    checkpoint: () => ask((n) => ({ t: 'checkpoint', n })),
    seal: () => ask((n) => ({ t: 'seal', n })),
    advanceCursor: (name, seq, at) => ask((n) => ({ t: 'cursor', n, name, seq, at })),
    claimLease: (name, holder, ttlMs) => ask((n) => ({ t: 'lease', n, name, holder, ttlMs })),
    // The thread may hold the write lock while it owes any answer.
    busy: () => pending.size > 0,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        const w = worker;
        if (!w) return resolve();
        w.ref();
        const done = (): void => resolve();
        w.once('exit', done);
        w.on('message', (m: WriterReply) => {
          if (m.t === 'stopped') void w.terminate().then(done, done);
        });
        // The thread answers everything it was asked before it stops.
        w.postMessage({ t: 'stop' } satisfies WriterRequest);
        setTimeout(() => void w.terminate().then(done, done), 10_000).unref();
      });
      return stopping;
    },
  };
}
