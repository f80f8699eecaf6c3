/**
 * bench/seal: what sealing a span costs the writer (ADR 0041). Builds a SQLite database of
 * BENCH_STATEMENTS (default 100,000) realistic statements with sealing held back, then seals its
 * complete spans one by one and prints wall time and CPU per span and per statement.
 * Run: npm run build:bench && node dist/bench/seal.js (or node -r ./scripts/register-ts.js bench/seal.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../src/store';
import type { NewStatement } from '../src/store/ports';
import { configureConnection } from '../src/store/sqlite/connection';
import { createSealer } from '../src/store/sqlite/seal';
import { prepareStatement } from '../src/xapi/model/normalize';
import { statementRefs } from '../src/xapi/model/refs';
import { fmt } from './lib/stats';
import { makeStatement, rng } from './lib/statements';

const N = Number(process.env['BENCH_STATEMENTS'] ?? 100_000);

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
    const seal = createSealer(db);
    for (;;) {
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      if (!seal()) break;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      console.log(`sealed a span: ${fmt(ms, 0)} ms wall, ${fmt(cpuMs, 0)} ms CPU (${fmt((cpuMs * 1000) / perSpan, 1)} µs a statement)`);
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
