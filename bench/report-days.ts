/**
 * bench/report-days (ADR 0034): the write cost of the learning-day projection. Applies deltas as
 * bench/reports makes them (10 statements per registration, batches of 500 as the pipeline
 * delivers them) to a SQLite file and prints deltas per second of wall time and of CPU time.
 *
 * Run: node -r ./scripts/register-ts.js bench/report-days.ts   (BENCH_REGS registrations, 8,000)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LearningDayDelta } from '../src/store/ports';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';
import { fmt } from './lib/stats';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'learnhq-bench-days-'));
  const store = await openSqliteStore({ path: join(dir, 'r.db') });
  const regs = Number(process.env['BENCH_REGS'] ?? 8000);
  let seq = 1;
  let batch: LearningDayDelta[] = [];
  let wallMs = 0;
  let cpuMs = 0;
  const flush = async (): Promise<void> => {
    const t = performance.now();
    const c = process.cpuUsage();
    await store.reports.applyLearningDays(batch);
    const d = process.cpuUsage(c);
    cpuMs += (d.user + d.system) / 1000;
    wallMs += performance.now() - t;
    batch = [];
  };
  for (let r = 0; r < regs; r++) {
    const p = r % 10000;
    const c = ((r % 10000) * 13 + Math.floor(r / 10000) * 31) % 300;
    const day = new Date(Date.UTC(2030, 0, 1) + ((r * 104729) % 180) * 86400000).toISOString().slice(0, 10);
    for (let i = 0; i < 10; i++) {
      batch.push({
        day, courseId: `course-${c}`, providerOrgId: `org-${c % 4}`, orgId: `org-${4 + (p % 16)}`, userId: `p-${p}`, seq: seq++,
        launches: i === 0 ? 1 : 0, completions: i === 8 ? 1 : 0, passes: i === 7 ? 1 : 0, failures: 0, timeMs: i === 9 ? 600_000 : 0, statements: 1,
      });
      if (batch.length >= 500) await flush();
    }
  }
  await flush();
  const n = seq - 1;
  console.log(`${n} learning-day deltas: ${fmt(wallMs / 1000)} s wall (${fmt(n / (wallMs / 1000), 0)}/s), ${fmt(cpuMs / 1000)} s CPU (${fmt(n / (cpuMs / 1000), 0)} per CPU second)`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
