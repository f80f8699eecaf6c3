import { Worker } from 'node:worker_threads';

/** How often the background thread checkpoints the WAL, ms. */
const INTERVAL_MS = 200;
/**
 * The writer's own automatic checkpoint, as a safety net only: if the background thread is gone,
 * the WAL is still folded back past this many pages (~400 MB).
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 100_000;

// Plain CommonJS run with `eval`, so the same source works from dist/ and under Jest.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const walBytes = () => { try { return statSync(workerData.path + '-wal').size; } catch { return 0; } };
const checkpoint = () => {
  // Past the soft size the writer empties the WAL itself (wal-cap.ts); a pass here would hold the
  // checkpoint lock, which SQLite does not wait for, and make the writer's attempt fail.
  if (walBytes() > workerData.stepAsideBytes) return;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { /* busy or closing: next round */ }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage('stopped');
});
`;

/** The background checkpointer of one database file. */
export interface Checkpointer {
  /** Stops the thread (its connection closed) before the writer closes the database. */
  stop(): Promise<void>;
}

/**
 * Checkpoints the WAL of `path` from a worker thread with its own connection. A checkpoint copies
 * pages back into the database file and fsyncs it: done by the writer itself (SQLite's automatic
 * checkpoint) it blocks the event loop for tens to hundreds of ms every few seconds of ingest
 * (measured: turning it off gave 6–17% more statements/s and a much lower p99). PASSIVE
 * checkpoints never block the writer or readers; the writer restarts the WAL from its beginning
 * once everything in it was copied back. Under writes that never pause that moment never comes:
 * past `stepAsideBytes` of WAL this thread pauses and the statement writer empties the WAL itself
 * between two groups (wal-cap.ts).
 */
export function startCheckpointer(path: string, stepAsideBytes: number): Checkpointer {
  const worker = new Worker(SOURCE, { eval: true, workerData: { path, driver: require.resolve('better-sqlite3'), intervalMs: INTERVAL_MS, stepAsideBytes } });
  worker.unref();
  // A failing thread only means the writer's fallback checkpoint takes over.
  worker.on('error', () => undefined);
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        const done = (): void => resolve();
        worker.once('exit', done);
        worker.once('message', (m) => {
          if (m === 'stopped') void worker.terminate().then(done, done);
        });
        worker.postMessage('stop');
        // A thread that cannot answer must not hold up closing.
        setTimeout(() => void worker.terminate().then(done, done), 2000).unref();
      });
      return stopped;
    },
  };
}
