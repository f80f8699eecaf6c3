import type { Database } from 'better-sqlite3';
import type { AttachmentContent } from '../ports';
import type { BatchResult, BatchWriter, StatementRow } from './statement-insert';

/** Statements past which a group is committed even if more batches wait (bounds latency). */
const GROUP_STATEMENT_LIMIT = 5000;

interface Job {
  readonly batch: readonly StatementRow[];
  readonly attachments: readonly AttachmentContent[];
  readonly resolve: (result: BatchResult) => void;
  readonly reject: (err: unknown) => void;
}

/** The insert entry point, plus a synchronous drain for close(). */
export interface GroupCommit {
  insert(batch: readonly StatementRow[], attachments: readonly AttachmentContent[]): Promise<BatchResult>;
  /** Commits every waiting batch now. */
  drain(): void;
  /** True while batches wait for their commit. */
  waiting(): boolean;
}

type Outcome = { ok: true; result: BatchResult } | { ok: false; error: unknown };

/**
 * Group commit: batches handed in during one turn of the event loop are written in one
 * transaction, each inside its own savepoint, so a batch that fails (conflict) rolls back alone
 * while the others commit together. Every promise settles only after the commit, so a resolved
 * insert is durable. Under concurrent load this turns N commits into one; a lone caller waits
 * one setImmediate.
 */
export function createGroupCommit(
  db: Database,
  write: BatchWriter,
  onRollback: () => void,
  groupLimit = GROUP_STATEMENT_LIMIT,
  afterGroup?: () => void,
): GroupCommit {
  let queue: Job[] = [];
  let scheduled = false;

  // A transaction function called inside another runs as a savepoint (better-sqlite3).
  const one = db.transaction((job: Job) => write(job.batch, job.attachments));
  const group = db.transaction((jobs: readonly Job[]): Outcome[] =>
    jobs.map((job) => {
      try {
        return { ok: true, result: one(job) };
      } catch (error) {
        onRollback();
        return { ok: false, error };
      }
    }),
  );

  function take(): Job[] {
    let count = 0;
    let n = 0;
    while (n < queue.length && (n === 0 || count + (queue[n]?.batch.length ?? 0) <= groupLimit)) {
      count += queue[n]?.batch.length ?? 0;
      n++;
    }
    const jobs = queue.slice(0, n);
    queue = queue.slice(n);
    return jobs;
  }

  function flush(): void {
    scheduled = false;
    const jobs = take();
    if (jobs.length === 0) return;
    if (queue.length > 0) schedule();
    let outcomes: Outcome[];
    try {
      // Immediate: the write lock is taken before the last stored time is read, so stored stays
      // non-decreasing with seq even with several processes on one file.
      outcomes = group.immediate(jobs);
    } catch (error) {
      onRollback();
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) job.resolve(outcome.result);
      else job.reject(outcome ? outcome.error : new Error('group commit lost a batch'));
    });
    // Between two groups, outside any transaction (the WAL cap's checkpoint, wal-cap.ts). The
    // promises above settle as microtasks after this returns: the answers wait for it, so the
    // caller still counts this writer busy meanwhile.
    try {
      afterGroup?.();
    } catch {
      // A failed checkpoint leaves the WAL as it is; the next group tries again.
    }
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  }

  return {
    insert: (batch, attachments) =>
      new Promise<BatchResult>((resolve, reject) => {
        queue.push({ batch, attachments, resolve, reject });
        schedule();
      }),
    drain() {
      while (queue.length > 0) flush();
    },
    waiting: () => queue.length > 0,
  };
}
