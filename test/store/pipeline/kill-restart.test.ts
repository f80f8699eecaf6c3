/**
 * Subscriber cursors survive a kill -9 (issue 13): a child process stores statements while the
 * progress subscriber follows them and is killed with SIGKILL mid-stream; after a restart the
 * projection catches up, and equals what a rebuild from seq 0 gives. On SQLite always, on MongoDB
 * when MONGODB_URI is set (FerretDB in `npm test`).
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { testConfig } from '../../../src/config';
import { progressSubscriber } from '../../../src/launch/progress/subscriber';
import { createLogger } from '../../../src/logger';
import { Pipeline } from '../../../src/pipeline/engine';
import type { DbConfig } from '../../../src/config';
import { openStore } from '../../../src/store';
import type { Store } from '../../../src/store/ports';

const ROOT = resolve(__dirname, '../../..');

/** Runs the child until its cursor passed `killAt`, then SIGKILLs it; resolves with the last cursor it printed. */
function runAndKill(storeSpec: unknown, args: string[], killAt: number): Promise<{ lastCursor: number; finished: boolean }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-r', './scripts/register-ts.js', 'test/store/pipeline/kill-child.ts', JSON.stringify(storeSpec), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let lastCursor = 0;
    let finished = false;
    let err = '';
    let killed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        const m = /^cursor (\d+)$/.exec(line);
        if (m) lastCursor = Number(m[1]);
        if (line === 'written') finished = true;
      }
      if (!killed && lastCursor >= killAt) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? done({ lastCursor, finished }) : fail(new Error(`child exited ${code}: ${err}`))));
  });
}

async function caughtUp(store: Store, pipeline: Pipeline): Promise<void> {
  const end = Date.now() + 150_000;
  for (;;) {
    const [c, h] = await Promise.all([store.pipeline.findCursor('progress'), store.statements.findVisibleSeq()]);
    if (c && c.seq >= h && c.rebuildRequestedAt === undefined) return;
    if (Date.now() > end) throw new Error(`progress did not catch up: cursor ${c?.seq}, horizon ${h}, last error ${c?.lastError ?? "none"}`);
    pipeline.notify();
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function snapshot(store: Store, registration: string): Promise<unknown> {
  const strip = <T extends object>(r: T): T => ({ ...r, updatedAt: undefined });
  const [row] = await store.progress.findProgress({ registration });
  return { row: row && strip(row), units: (await store.progress.findUnitProgress(registration)).map(strip) };
}

function killTest(name: string, batches: number, killAt: number, spec: () => { store: DbConfig; cleanup: () => Promise<void> }): void {
  it(`${name}: the projection after a SIGKILL and a restart equals a rebuild from zero`, async () => {
    const { store: storeSpec, cleanup } = spec();
    const registration = randomUUID();
    const actor = `mailto:kill-${randomUUID().slice(0, 8)}@example.com`;
    const course = `http://example.com/course/${randomUUID()}`;
    try {
      const run = await runAndKill(storeSpec, [registration, actor, course, String(batches)], killAt);
      expect(run.lastCursor).toBeGreaterThanOrEqual(killAt);

      const store = await openStore(storeSpec);
      const pipeline = new Pipeline({ store, logger: createLogger('silent'), pollMs: 50 });
      pipeline.register(progressSubscriber({ store, config: testConfig(), now: () => new Date() }));
      try {
        // The child's lease is still there until it expires (3 s): then this instance takes over.
        pipeline.start();
        await caughtUp(store, pipeline);
        const afterRestart = await snapshot(store, registration);
        // Exactly once as seen by the projection: every live statement of the registration counted once.
        const live = await store.statements.findStatements({ allRefs: [`r|${registration}`], ascending: true, limit: 5000 });
        expect((afterRestart as { row: { statements: number } }).row.statements).toBe(live.statements.length);

        await pipeline.rebuild('progress');
        await caughtUp(store, pipeline);
        expect(await snapshot(store, registration)).toEqual(afterRestart);
      } finally {
        await pipeline.stop();
        await store.close();
      }
    } finally {
      await cleanup();
    }
  }, 400_000);
}

describe('pipeline cursors across kill -9', () => {
  killTest('sqlite', 60, 150, () => {
    const dir = mkdtempSync(join(tmpdir(), 'learnhq-kill-'));
    return { store: { kind: 'sqlite', path: join(dir, 'learnhq.db') }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  });
  const uri = process.env['MONGODB_URI'];
  if (uri !== undefined && uri !== '') {
    // FerretDB answers every non-_id filter with a full scan: a smaller stream.
    killTest('mongo', 15, 60, () => {
      const dbName = `learnhq_kill_${randomBytes(6).toString('hex')}`;
      return {
        store: { kind: 'mongo', url: uri, dbName, leaseMs: 2000 },
        cleanup: async () => {
          const client = new MongoClient(uri);
          try {
            await client.connect();
            await client.db(dbName).dropDatabase();
          } finally {
            await client.close();
          }
        },
      };
    });
  }
});
