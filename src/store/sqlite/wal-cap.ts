import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';

/** Default cap on the WAL file of a SQLite database, bytes (LEARNHQ_SQLITE_WAL_CAP_MB). */
export const DEFAULT_WAL_CAP_BYTES = 128 * 1024 * 1024;

/** The WAL file's size now, bytes (0 when there is none). */
export function walBytes(walPath: string): number {
  try {
    return statSync(walPath).size;
  } catch {
    return 0;
  }
}

/**
 * walBytes at most once every `everyMs`, undefined in between. Checked after every group commit,
 * the file's stat cost ~30 us a statement at batch 1 (small groups, hundreds a second); the WAL
 * grows at most ~0.4 MB in 10 ms at full ingest, far below the room the policy leaves.
 */
export function walSizeProbe(walPath: string, everyMs = 10): () => number | undefined {
  let at = -Infinity;
  return () => {
    const now = Date.now();
    if (now - at < everyMs) return undefined;
    at = now;
    return walBytes(walPath);
  };
}

/** When the writer folds the WAL back, as fractions of the cap. */
export interface WalCapPolicy {
  /** Past this size the writer tries a TRUNCATE checkpoint after each group, without waiting. */
  readonly softBytes: number;
  /** Past this size it waits for readers (and the background checkpointer) to let it through. */
  readonly hardBytes: number;
}

/**
 * Soft at a quarter of the cap, hard at half: the other half is room for the groups committed
 * while the attempts fail (measured: up to ~3 MB between two checks on a starved machine).
 */
export function walCapPolicy(capBytes: number): WalCapPolicy {
  return { softBytes: Math.floor(capBytes / 4), hardBytes: Math.floor(capBytes / 2) };
}

/** How long one soft attempt waits for readers to leave the WAL, ms. */
const SOFT_WAIT_MS = 50;
/** How long the hard path waits in all, ms: below every writer's busy timeout (5 s by default). */
const HARD_WAIT_MS = 2000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * The writer's own WAL checkpoint, run between two group commits (never inside one). Under writes
 * that never pause the background checkpointer's PASSIVE passes never catch up with the last
 * frame, so no writer ever starts the WAL over and the file grows without end (~40 MB/s at full
 * ingest). A TRUNCATE checkpoint run by the writer itself copies the few frames the background
 * thread has not copied yet, waits for readers still on the WAL, and empties the file; no other
 * statement writer waits for it (this connection holds no lock between groups, and while the
 * thread owes answers the service's connection sends its statement writes here). A checkpoint
 * that finds a reader on the WAL or the background checkpointer at work reports busy (a row, not
 * an error): the next group tries again; past the hard size it waits up to 2 s (at most half the
 * busy timeout of the other writers), so nobody gets SQLITE_BUSY. Readers are never blocked.
 * Returns whether the WAL was emptied.
 */
export function createWalCheckpoint(db: Database, walPath: string, capBytes: number, busyTimeoutMs: number): () => boolean {
  const policy = walCapPolicy(capBytes);
  const truncate = (waitMs: number): boolean => {
    db.pragma(`busy_timeout = ${waitMs}`);
    try {
      const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      return row?.busy === 0;
    } finally {
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    }
  };
  const probe = walSizeProbe(walPath);
  return () => {
    const size = probe();
    if (size === undefined || size <= policy.softBytes) return false;
    if (truncate(Math.min(SOFT_WAIT_MS, busyTimeoutMs))) return true;
    if (size <= policy.hardBytes) return false;
    // Another checkpoint holds the checkpoint lock (SQLite does not wait for that lock) or a reader
    // holds an old snapshot: retry with short waits.
    const until = Date.now() + Math.min(HARD_WAIT_MS, busyTimeoutMs / 2);
    while (Date.now() < until) {
      Atomics.wait(pause, 0, 0, 5);
      if (truncate(Math.max(1, Math.min(250, until - Date.now())))) return true;
    }
    return false;
  };
}
