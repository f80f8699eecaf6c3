/**
 * bench/seal: what sealing a span costs the writer (ADR 0041). Builds a SQLite database of
 * BENCH_STATEMENTS (default 100,000) realistic statements with sealing held back, then seals its
 * complete spans one by one, in the writer's steps, and prints wall time, the longest step (how long
 * a statement write can wait behind it) and CPU per span and per statement.
 * BENCH_SEAL_STEP_BUCKETS: buckets per step (default the writer's, SEAL_STEP_BUCKETS).
 * Run: npm run build:bench && node dist/bench/seal.js (or node -r ./scripts/register-ts.js bench/seal.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../src/store';
import type { NewStatement } from '../src/store/ports';
import { configureConnection } from '../src/store/sqlite/connection';
import { createSealer, SEAL_STEP_BUCKETS, type SealStep } from '../src/store/sqlite/seal';
import { prepareStatement } from '../src/xapi/model/normalize';
import { statementRefs } from '../src/xapi/model/refs';
import { fmt } from './lib/stats';
import { makeStatement, rng } from './lib/statements';

const N = Number(process.env['BENCH_STATEMENTS'] ?? 100_000);
/** Buckets per step (the writer's: SEAL_STEP_BUCKETS; a span's 16 seals it in one transaction). */
const STEP = Number(process.env['BENCH_SEAL_STEP_BUCKETS'] ?? SEAL_STEP_BUCKETS);

function setSpan(file: string, spanBuckets: number): void {
  const db = new Database(file);
  db.prepare("UPDATE store_settings SET value = ? WHERE key = 'span_buckets'").run(String(spanBuckets));
  db.close();
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'learnhq-bench-seal-'));
  const file = path.join(dir, 'lrs.sqlite');
  try {
    await (await openStore({ kind: 'sqlite', path: file })).close();
    // No span completes while the statements go in: the spans are sealed below, one by one.
    setSpan(file, 1_000_000_000);
    const store = await openStore({ kind: 'sqlite', path: file });
    const r = rng(1);
    const authority = { objectType: 'Agent', account: { homePage: 'http://localhost', name: 'bench' } };
    for (let done = 0; done < N; done += 1000) {
      const batch: NewStatement[] = [];
      for (let i = 0; i < 1000 && done + i < N; i++) {
        const stored = new Date().toISOString();
        const s = prepareStatement(makeStatement(r), { version: '2.0.0', stored, authority, now: new Date(stored) });
        batch.push({ id: String(s['id']), stored, statement: s, refs: statementRefs(s, { credentialKey: 'bench' }) });
      }
      await store.statements.insertStatements(batch, []);
    }
    await store.close();
    const db = new Database(file);
    configureConnection(db, { memory: false });
    db.prepare("UPDATE store_settings SET value = '16' WHERE key = 'span_buckets'").run();
    const rows = Number(db.prepare('SELECT count(*) FROM statement_refs').pluck().get());
    const perSpan = 16 * Number(db.prepare("SELECT value FROM store_settings WHERE key = 'bucket_size'").pluck().get());
    console.log(`bench/seal — ${os.cpus().length} cores, node ${process.version}, ${N} statements, ${fmt(rows / N, 1)} key rows a statement, ${perSpan} statements a span`);
    const seal = createSealer(db, STEP);
    for (;;) {
      const cpu0 = process.cpuUsage();
      let wall = 0;
      let longest = 0;
      let steps = 0;
      let r: SealStep;
      do {
        const t0 = process.hrtime.bigint();
        r = seal();
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        wall += ms;
        longest = Math.max(longest, ms);
        steps++;
      } while (r === 'step');
      if (r === false) break;
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      console.log(
        `sealed a span in ${steps} steps: ${fmt(wall, 0)} ms wall, longest step ${fmt(longest, 0)} ms, ${fmt(cpuMs, 0)} ms CPU (${fmt((cpuMs * 1000) / perSpan, 1)} µs a statement)`,
      );
    }
    console.log(`sealed_refs rows: ${String(db.prepare('SELECT count(*) FROM sealed_refs').pluck().get())}`);
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
