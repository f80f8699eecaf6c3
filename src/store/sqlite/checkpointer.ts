import { Worker } from 'node:worker_threads';

/** How often the background thread checkpoints the WAL, ms. */
const INTERVAL_MS = 200;
/**
 * WAL frames (pages) past which the thread makes the next writer start the WAL over (~256 MB).
 * A RESTART checkpoint holds writers back while it finishes (measured at 64 MB under full ingest
 * load: -10% statements/s and twice the p99), so it is kept rare; without it the WAL grew by
 * ~40 MB/s under constant load and never shrank back.
 */
const RESTART_FRAMES = 65_536;
/**
 * The writer's own automatic checkpoint, as a safety net only: if the background thread is gone,
 * the WAL is still folded back past this many pages (~400 MB).
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 100_000;

// Plain CommonJS run with `eval`, so the same source works from dist/ and under Jest.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    // Under constant writes a passive checkpoint never catches up with the last frame, so the
    // writer never starts the WAL over and it grows without end. Past restartFrames, a RESTART
    // (it waits for the current write, copies the few frames added since the passive pass and
    // lets the next writer start at the beginning of the file) keeps the WAL bounded.
    if (r && r.log >= workerData.restartFrames) db.pragma('wal_checkpoint(RESTART)');
  } catch (err) { /* busy or closing: next round */ }
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
 * once everything in it was copied back.
 */
export function startCheckpointer(path: string, options: { intervalMs?: number; restartFrames?: number } = {}): Checkpointer {
  const workerData = {
    path,
    driver: require.resolve('better-sqlite3'),
    intervalMs: options.intervalMs ?? INTERVAL_MS,
    restartFrames: options.restartFrames ?? RESTART_FRAMES,
  };
  const worker = new Worker(SOURCE, { eval: true, workerData });
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
