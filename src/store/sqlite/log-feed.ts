/**
 * The SQLite log feed (PipelineStore.watchAppends): after a batch of statements commits, its
 * statements go to the listeners (the pipeline's log window) as the log entries findLog would read
 * back, built from what the service handed to the store instead of read and parsed again (ADR
 * 0037: at batch 100, the pipeline's page read and JSON.parse were its largest item).
 *
 * Built from the batch:
 * - `statement`: the object the service stored, which is what the stored JSON parses to (the
 *   store writes JSON.stringify of it), with `stored` replaced when the writer changed it (as
 *   statement-insert.ts rewrites the JSON: the same key, in place, or added last). Shared from
 *   then on: the write service only reads it after the insert, and subscribers treat log entries
 *   as read-only.
 * - `voided`: what the batch itself voided (a statement that arrived after its voiding statement,
 *   or whose voiding statement came later in the same batch) — nothing else can void it before
 *   the commit.
 * - `orgIds`: the organizations of its `g|` keys, sorted (those keys belong to the statement
 *   alone: they are never inherited, src/store/ref-kinds.ts).
 */
import type { LogAppend, LogEntry, NewStatement } from '../ports';
import type { BatchLog } from './statement-insert';

export interface LogFeed {
  /** PipelineStore.watchAppends. */
  watch(listener: (append: LogAppend) => void): () => void;
  /** True while someone listens (entries are built only then). */
  listening(): boolean;
  /** Hands a committed batch to the listeners. */
  committed(batch: readonly NewStatement[], log: BatchLog): void;
}

const ORG = 'g|';

/** The organizations of a statement's keys, as findLog gives them (unique, sorted). */
function orgIdsOf(refs: readonly string[]): string[] {
  let out: string[] | undefined;
  for (const r of refs) {
    if (!r.startsWith(ORG)) continue;
    const org = r.slice(ORG.length);
    if (!out) out = [org];
    else if (!out.includes(org)) out.push(org);
  }
  return out ? out.sort() : [];
}

/** The log entries of a committed batch (see the file comment). */
export function logEntriesOf(batch: readonly NewStatement[], log: BatchLog): LogEntry[] {
  const voided = log.voided.length > 0 ? new Set(log.voided) : undefined;
  return batch.map((s, i): LogEntry => {
    const seq = log.seqs[i]!;
    const stored = log.stored[i]!;
    const statement = s.statement['stored'] === stored ? s.statement : { ...s.statement, stored };
    return {
      statement: { id: s.id, seq, stored, voided: voided?.has(seq) ?? false, statement },
      orgIds: orgIdsOf(s.refs),
    };
  });
}

export function createLogFeed(): LogFeed {
  const listeners = new Set<(append: LogAppend) => void>();
  return {
    watch(listener) {
      // Wrapped: the same listener may watch twice and stop each on its own.
      const own = (a: LogAppend): void => listener(a);
      listeners.add(own);
      return () => {
        listeners.delete(own);
      };
    },
    listening: () => listeners.size > 0,
    committed(batch, log) {
      if (listeners.size === 0 || batch.length === 0 || log.seqs.length !== batch.length) return;
      const before = log.before;
      const append: LogAppend = {
        afterSeq: before,
        upToSeq: log.seqs[log.seqs.length - 1]!,
        entries: logEntriesOf(batch, log),
        voidedSeqs: log.voided.filter((seq) => seq <= before),
      };
      for (const l of listeners) {
        // A listener's failure is its own: the statements are committed, and the others still hear.
        try {
          l(append);
        } catch {
          // The window then reads the entries from the store.
        }
      }
    },
  };
}
