/**
 * The WAL cap (src/store/sqlite/wal-cap.ts, issue 11 item 17): a write burst that never pauses,
 * with readers on their own connection the whole time, keeps the WAL file under the cap, and
 * neither the writers nor the readers ever see SQLITE_BUSY. Sizes only, never timings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { statement } from './contract/builders';

const MB = 1024 * 1024;
const CAP = 4 * MB;

// A reader thread with its own connection: queries in a loop (some inside a transaction that
// holds its snapshot across two reads), samples the WAL size between them, reports on 'stop'.
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { readonly: true });
db.pragma('busy_timeout = 5000');
const recent = db.prepare('SELECT id, json FROM statements ORDER BY seq DESC LIMIT 20');
const count = db.prepare('SELECT count(*) AS n FROM statements');
const twice = db.transaction(() => { count.get(); recent.all(); count.get(); });
let reads = 0, errors = [], maxWal = 0, stop = false;
const walSize = () => { try { return fs.statSync(workerData.path + '-wal').size; } catch { return 0; } };
parentPort.on('message', () => { stop = true; });
function loop() {
  for (let i = 0; i < 20 && !stop; i++) {
    try { if (reads % 3 === 0) twice(); else recent.all(); reads++; }
    catch (e) { errors.push(String(e && e.code || e)); }
    maxWal = Math.max(maxWal, walSize());
  }
  if (stop) { db.close(); parentPort.postMessage({ reads, errors, maxWal }); return; }
  setImmediate(loop);
}
loop();
`;

// Learners, verbs and activities recur, as in real traffic (their interned keys are reused).
let n = 0;
const realistic = (): ReturnType<typeof statement> => {
  n++;
  return statement({
    actor: `learner${n % 300}@example.org`,
    verb: `https://example.org/verbs/v${n % 10}`,
    activity: `https://example.org/activities/a${n % 500}`,
    registration: `6f1e2d3c-4b5a-4978-8a6b-${String(n % 2000).padStart(12, '0')}`,
  });
};

interface ReaderReport {
  reads: number;
  errors: string[];
  maxWal: number;
}

it('keeps the WAL under its cap through a write burst that never pauses, with concurrent readers and no SQLITE_BUSY', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhq-walcap-'));
  const file = path.join(dir, 'lrs.sqlite');
  const wal = `${file}-wal`;
  const store = await openSqliteStore({ path: file, walCapBytes: CAP });
  const readers = [0, 1].map(() => new Worker(READER, { eval: true, workerData: { path: file, driver: require.resolve('better-sqlite3') } }));
  const reports = readers.map(
    (w) =>
      new Promise<ReaderReport>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      }),
  );
  let maxWal = 0;
  const sample = (): void => {
    maxWal = Math.max(maxWal, fs.existsSync(wal) ? fs.statSync(wal).size : 0);
  };
  const sampler = setInterval(sample, 5);
  // Eight writers back to back: batches of 1-3 (the service's own connection, or the thread while
  // it is busy) and of 40 (the writer thread), with reads on the service's connection between.
  const errors: unknown[] = [];
  let written = 0;
  const TOTAL = 40_000;
  const writer = async (w: number): Promise<void> => {
    for (let round = 0; written < TOTAL; round++) {
      const batch = Array.from({ length: (w + round) % 4 === 0 ? 40 : 1 + (round % 3) }, () => realistic());
      written += batch.length;
      try {
        await store.statements.insertStatements(batch, []);
        if (round % 10 === 0) await store.statements.findStatementsByIds([batch[0]!.id]);
      } catch (err) {
        errors.push(err);
      }
      sample();
    }
  };
  let stored = -1;
  let fileBytes = 0;
  let done: ReaderReport[];
  try {
    await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
    stored = await store.statements.countStatements();
    fileBytes = fs.statSync(file).size;
  } finally {
    clearInterval(sampler);
    for (const w of readers) w.postMessage('stop');
    done = await Promise.all(reports);
    await Promise.all(readers.map((w) => w.terminate()));
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  expect(errors).toEqual([]);
  expect(stored).toBe(written);
  for (const r of done) {
    expect(r.errors).toEqual([]);
    expect(r.reads).toBeGreaterThan(0);
  }
  // The burst wrote many times the cap into the database file: without the writer's checkpoint
  // the WAL would have passed the cap (the background checkpointer alone never lets it start over
  // under constant writes).
  expect(fileBytes).toBeGreaterThan(4 * CAP);
  const max = Math.max(maxWal, ...done.map((r) => r.maxWal));
  expect(max).toBeGreaterThan(0);
  expect(max).toBeLessThanOrEqual(CAP);
}, 300_000);
