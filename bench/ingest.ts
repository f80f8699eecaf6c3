/**
 * bench/ingest: POSTs realistic statements (~700 bytes) to the real LearnHQ server in batches of
 * 1, 10 and 100 at concurrency 10 and prints statements/s and p50/p99 latency, beside a baseline
 * (bench/baseline-server: bare node:http + better-sqlite3, no validation, no auth) on the same
 * statements. MongoDB too when MONGODB_URI is set. Run: npm run bench:ingest
 * Env: BENCH_SECONDS (per case, default 10), BENCH_CONCURRENCY (default 10), BENCH_ROUNDS (default 1:
 * rounds alternate which server goes first), BENCH_BATCHES (default 1,10,100). Each case also prints
 * the server's CPU time (every thread, from /proc) per statement, which a loaded machine disturbs
 * far less than the rate.
 *
 * WAL run: BENCH_DURATION_S=600 instead loads LearnHQ on SQLite alone, without a pause, for that
 * many seconds (batch BENCH_BATCH, default 100) and prints the WAL file's size every
 * BENCH_WAL_EVERY_S (default 10) and its maximum (sampled every 100 ms) against the cap
 * (LEARNHQ_SQLITE_WAL_CAP_MB, passed on to the server; default 128).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runLoad, type LoadResult } from './lib/http-load';
import { cpuMicros } from './lib/proc-cpu';
import { startNodeServer, type RunningServer } from './lib/server';
import { fmt, percentile } from './lib/stats';
import { makeStatement, rng } from './lib/statements';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 10);
const KEY = 'bench';
const SECRET = 'bench-secret-123';
const AUTH = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
const DIST = path.resolve(__dirname, '..');

/** Pre-builds request bodies so the client spends its time sending, not generating. */
function bodies(batch: number, n: number): Buffer[] {
  const r = rng(batch * 7919);
  return Array.from({ length: n }, () => {
    const items = Array.from({ length: batch }, () => makeStatement(r));
    return Buffer.from(JSON.stringify(batch === 1 ? items[0] : items));
  });
}

function report(label: string, batch: number, r: LoadResult): number {
  const rate = ((r.requests - r.errors) * batch) / r.seconds;
  const line = `${label.padEnd(22)} batch ${String(batch).padStart(3)}  ${fmt(rate, 0).padStart(7)} statements/s  p50 ${fmt(percentile(r.latencies, 50), 2).padStart(7)} ms  p99 ${fmt(percentile(r.latencies, 99), 2).padStart(7)} ms  requests ${r.requests}${r.errors ? `  ERRORS ${r.errors}: ${r.firstError}` : ''}`;
  console.log(line);
  return rate;
}

const MB = 1024 * 1024;

/** BENCH_DURATION_S: one long SQLite run that watches the WAL file (issue 11 item 17). */
async function walRun(seconds: number): Promise<void> {
  const batch = Number(process.env['BENCH_BATCH'] ?? 100);
  const every = Number(process.env['BENCH_WAL_EVERY_S'] ?? 10);
  const capMb = Number(process.env['LEARNHQ_SQLITE_WAL_CAP_MB'] ?? 128);
  console.log(`bench/ingest WAL run — ${os.cpus().length} cores, node ${process.version}, batch ${batch}, concurrency ${CONCURRENCY}, ${seconds} s, WAL cap ${capMb} MB`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhq-bench-wal-'));
  const db = path.join(dir, 'lrs.sqlite');
  const wal = `${db}-wal`;
  const server = await startNodeServer(
    path.join(DIST, 'src/main.js'),
    { LEARNHQ_DB: db, LEARNHQ_DATA_DIR: dir, LEARNHQ_LRS_KEY: KEY, LEARNHQ_LRS_SECRET: SECRET, LEARNHQ_DEMO: 'false', LEARNHQ_SQLITE_WAL_CAP_MB: String(capMb) },
    '/health',
  );
  const walSize = (): number => (fs.existsSync(wal) ? fs.statSync(wal).size : 0);
  let max = 0;
  let maxInPeriod = 0;
  let issued = 0;
  const t0 = Date.now();
  const sampler = setInterval(() => {
    const size = walSize();
    max = Math.max(max, size);
    maxInPeriod = Math.max(maxInPeriod, size);
  }, 100);
  const printer = setInterval(() => {
    const s = (Date.now() - t0) / 1000;
    const dbMb = fs.existsSync(db) ? fs.statSync(db).size / MB : 0;
    console.log(
      `  ${fmt(s, 0).padStart(5)} s  ~${issued * batch} statements sent  WAL now ${fmt(walSize() / MB, 1).padStart(6)} MB  max this period ${fmt(maxInPeriod / MB, 1).padStart(6)} MB  max so far ${fmt(max / MB, 1).padStart(6)} MB  database ${fmt(dbMb, 0)} MB`,
    );
    maxInPeriod = 0;
  }, every * 1000);
  const pool = bodies(batch, 2000);
  const headers = { 'Content-Type': 'application/json', 'X-Experience-API-Version': '2.0.0', Authorization: AUTH };
  try {
    const r = await runLoad({
      port: server.port,
      concurrency: CONCURRENCY,
      count: Number.MAX_SAFE_INTEGER,
      maxSeconds: seconds,
      next: (i) => {
        issued = i + 1;
        return { method: 'POST', path: '/xapi/statements', headers, body: pool[i % pool.length]! };
      },
    });
    report('LearnHQ SQLite', batch, r);
  } finally {
    clearInterval(sampler);
    clearInterval(printer);
    max = Math.max(max, walSize());
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`WAL max ${fmt(max / MB, 1)} MB over ${seconds} s (cap ${capMb} MB): ${max <= capMb * MB ? 'under the cap' : 'OVER THE CAP'}`);
}

interface Measured {
  readonly rate: number;
  /** Server CPU (every thread) per statement stored during the measured window, µs. */
  readonly cpuPerStatement: number;
}

/** One measured case on a running server: its rate and its CPU per statement. */
async function measured(label: string, server: RunningServer, batch: number, withAuth: boolean): Promise<Measured> {
  const pool = bodies(batch, 2000);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Experience-API-Version': '2.0.0' };
  if (withAuth) headers['Authorization'] = AUTH;
  const next = (i: number) => ({ method: 'POST', path: withAuth ? '/xapi/statements' : '/', headers, body: pool[i % pool.length]! });
  // Warm-up: JIT, SQLite page cache, credential cache.
  await runLoad({ port: server.port, concurrency: CONCURRENCY, count: 200, maxSeconds: 3, next });
  const cpu0 = cpuMicros(server.child.pid);
  const r = await runLoad({ port: server.port, concurrency: CONCURRENCY, count: Math.ceil(2_000_000 / batch), maxSeconds: SECONDS, next });
  const cpu = cpuMicros(server.child.pid) - cpu0;
  const rate = report(label, batch, r);
  const cpuPerStatement = cpu / ((r.requests - r.errors) * batch);
  console.log(`${''.padEnd(22)} server CPU ${fmt(cpuPerStatement, 1)} µs/statement`);
  return { rate, cpuPerStatement };
}

async function main(): Promise<void> {
  if (process.env['BENCH_DURATION_S']) return walRun(Number(process.env['BENCH_DURATION_S']));
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? 1);
  const batches = (process.env['BENCH_BATCHES'] ?? '1,10,100').split(',').map(Number);
  console.log(`bench/ingest — ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}, node ${process.version}, concurrency ${CONCURRENCY}, ${SECONDS} s per case, ${rounds} round(s) alternating baseline and LearnHQ`);
  const targets: Record<number, number> = { 1: 0.9, 10: 0.9, 100: 0.95 };
  const engines: { name: string; env: (dir: string) => Record<string, string> }[] = [
    { name: 'LearnHQ SQLite', env: (dir) => ({ LEARNHQ_DB: path.join(dir, 'lrs.sqlite') }) },
  ];
  if (process.env['MONGODB_URI']) {
    const base = process.env['MONGODB_URI'];
    engines.push({
      name: 'LearnHQ MongoDB',
      env: () => {
        const u = new URL(base);
        u.pathname = `/bench_ingest_${Date.now()}`;
        return { LEARNHQ_DB: u.toString(), LEARNHQ_SESSION_SECRET: 'bench-session-secret-bench-session-secret' };
      },
    });
  } else {
    console.log('(MongoDB skipped: set MONGODB_URI to include it)');
  }
  const summary: string[] = [];
  for (const batch of batches) {
    const results = new Map<string, Measured[]>();
    const add = (name: string, m: Measured): void => void results.set(name, [...(results.get(name) ?? []), m]);
    for (let round = 0; round < rounds; round++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhq-bench-'));
      // Alternating order: a load that changes during the run weighs on both sides alike.
      const order = round % 2 === 0 ? ['baseline', ...engines.map((e) => e.name)] : [...engines.map((e) => e.name), 'baseline'];
      for (const which of order) {
        if (which === 'baseline') {
          const baseline = await startNodeServer(path.join(DIST, 'bench/baseline-server.js'), { LEARNHQ_DATA_DIR: path.join(dir, 'baseline') }, '/');
          add(which, await measured('baseline http+sqlite', baseline, batch, false));
          await baseline.stop();
          continue;
        }
        const engine = engines.find((e) => e.name === which)!;
        const edir = fs.mkdtempSync(path.join(dir, 'e-'));
        const server = await startNodeServer(
          path.join(DIST, 'src/main.js'),
          { ...engine.env(edir), LEARNHQ_DATA_DIR: edir, LEARNHQ_LRS_KEY: KEY, LEARNHQ_LRS_SECRET: SECRET, LEARNHQ_DEMO: 'false' },
          '/health',
        );
        add(which, await measured(engine.name, server, batch, true));
        await server.stop();
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const avg = (l: readonly number[]): number => l.reduce((a, b) => a + b, 0) / l.length;
    const base = results.get('baseline') ?? [];
    for (const engine of engines) {
      const mine = results.get(engine.name) ?? [];
      const perRound = mine.map((m, i) => fmt(m.rate / (base[i]?.rate ?? NaN), 2)).join(' ');
      const line =
        `batch ${String(batch).padStart(3)} ${engine.name}: ${fmt(avg(mine.map((m) => m.rate)), 0)}/s vs baseline ${fmt(avg(base.map((m) => m.rate)), 0)}/s, ` +
        `ratio ${fmt(avg(mine.map((m) => m.rate)) / avg(base.map((m) => m.rate)), 2)} (rounds: ${perRound}; target >= ${targets[batch] ?? 'n/a'}); ` +
        `CPU ${fmt(avg(mine.map((m) => m.cpuPerStatement)), 1)} vs ${fmt(avg(base.map((m) => m.cpuPerStatement)), 1)} µs/statement (ratio ${fmt(avg(base.map((m) => m.cpuPerStatement)) / avg(mine.map((m) => m.cpuPerStatement)), 2)})`;
      summary.push(line);
    }
  }
  console.log('\nsummary');
  for (const line of summary) console.log(line);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
