/**
 * bench/scale-out: one LearnHQ instance against two on the same MongoDB-protocol server, in the
 * same run. Each case starts on a fresh database preloaded with BENCH_PRELOAD statements, then
 * POSTs realistic statements for BENCH_SECONDS with BENCH_CONCURRENCY requests in flight in
 * total (split evenly over the instances), and prints statements/s and p50/p99 per instance and
 * together, the ratio two/one, and the time of an unfiltered 500-statement page read. A second
 * part does the same through the store port alone (two store instances in this process, each
 * with its own client and lease): the seq claims without the HTTP, validation and CPU cost of the
 * service, which on a 2-core machine the two server processes share with the database.
 * Uses MONGODB_URI, or starts a local FerretDB (scripts/ferretdb.sh) for the run.
 * Run: npm run bench:scale-out
 * Env: BENCH_SECONDS (per case, default 8), BENCH_CONCURRENCY (default 8), BENCH_BATCHES
 * (default "1,10"), BENCH_REPEAT (default 2), BENCH_PRELOAD (default 8000),
 * BENCH_SERVER (the compiled main.js to start, default this build's), BENCH_PARTS (default
 * "http,store").
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { openStore } from '../src/store';
import type { Store } from '../src/store/ports';
import { runLoad, type LoadResult } from './lib/http-load';
import { startNodeServer, type RunningServer } from './lib/server';
import { fmt, percentile } from './lib/stats';
import { makeStatement, rng } from './lib/statements';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 8);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
const BATCHES = (process.env['BENCH_BATCHES'] ?? '1,10').split(',').map(Number);
const REPEAT = Number(process.env['BENCH_REPEAT'] ?? 2);
const PRELOAD = Number(process.env['BENCH_PRELOAD'] ?? 8000);
const PARTS = (process.env['BENCH_PARTS'] ?? 'http,store').split(',');
const KEY = 'bench';
const SECRET = 'bench-secret-123';
const AUTH = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = process.env['BENCH_SERVER'] ?? path.resolve(__dirname, '..', 'src/main.js');
const HEADERS = { 'Content-Type': 'application/json', 'X-Experience-API-Version': '2.0.0', Authorization: AUTH };

function bodies(batch: number, n: number, seed: number): Buffer[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const items = Array.from({ length: batch }, () => makeStatement(r));
    return Buffer.from(JSON.stringify(batch === 1 ? items[0] : items));
  });
}

async function startInstances(base: string, count: number): Promise<{ servers: RunningServer[]; dirs: string[] }> {
  const u = new URL(base);
  u.pathname = `/bench_scale_${Date.now()}_${count}`;
  const dirs = Array.from({ length: count }, () => fs.mkdtempSync(path.join(os.tmpdir(), 'lhq-scale-')));
  const env = (dir: string, i: number): Record<string, string> => ({
    LEARNHQ_DB: u.toString(),
    LEARNHQ_DATA_DIR: dir,
    LEARNHQ_LRS_KEY: KEY,
    LEARNHQ_LRS_SECRET: SECRET,
    LEARNHQ_DEMO: 'false',
    LEARNHQ_SESSION_SECRET: 'bench-session-secret-bench-session-secret',
    LEARNHQ_CURSOR_SECRET: 'bench-cursor-secret',
    LEARNHQ_PUBLIC_URL: `http://instance-${i}.bench.test`,
  });
  // The first one creates the database's indexes and credential; the others join it.
  const first = await startNodeServer(SERVER, env(dirs[0]!, 0), '/health');
  const rest = await Promise.all(dirs.slice(1).map((d, i) => startNodeServer(SERVER, env(d, i + 1), '/health')));
  return { servers: [first, ...rest], dirs };
}

/** Warm-up (JIT, caches) of every instance before the measured load. */
async function warm(servers: readonly RunningServer[], batch: number): Promise<void> {
  const pool = bodies(batch, 100, 77);
  await Promise.all(servers.map((s) => runLoad({ port: s.port, concurrency: 2, count: 100, maxSeconds: 5, next: (i) => ({ method: 'POST', path: '/xapi/statements', headers: HEADERS, body: pool[i % pool.length]! }) })));
}

/** PRELOAD statements in batches of 100, shared out over the instances (it also warms them alike). */
async function preload(servers: readonly RunningServer[]): Promise<void> {
  const each = Math.ceil(PRELOAD / 100 / servers.length);
  await Promise.all(
    servers.map((server, n) => {
      const pool = bodies(100, each, 4242 + n);
      return runLoad({ port: server.port, concurrency: 1, count: pool.length, maxSeconds: 600, next: (i) => ({ method: 'POST', path: '/xapi/statements', headers: HEADERS, body: pool[i]! }) });
    }),
  );
}

/** Median time of a few unfiltered 500-statement pages (what a client listing the LRS reads). */
async function pageRead(server: RunningServer): Promise<number> {
  const r = await runLoad({
    port: server.port,
    concurrency: 1,
    count: 5,
    maxSeconds: 120,
    next: () => ({ method: 'GET', path: '/xapi/statements?limit=500', headers: HEADERS }),
  });
  return percentile(r.latencies, 50);
}

async function runCase(base: string, count: number, batch: number, seed: number): Promise<{ rate: number; p99: number; line: string; page: number }> {
  const { servers, dirs } = await startInstances(base, count);
  try {
    if (PRELOAD > 0) await preload(servers);
    await warm(servers, batch);
    const per = Math.max(1, Math.floor(CONCURRENCY / count));
    const results: LoadResult[] = await Promise.all(
      servers.map((s, i) => {
        const pool = bodies(batch, 1500, seed + i);
        return runLoad({ port: s.port, concurrency: per, count: Math.ceil(2_000_000 / batch), maxSeconds: SECONDS, next: (j) => ({ method: 'POST', path: '/xapi/statements', headers: HEADERS, body: pool[j % pool.length]! }) });
      }),
    );
    const rates = results.map((r) => ((r.requests - r.errors) * batch) / r.seconds);
    const all = results.flatMap((r) => r.latencies);
    const rate = rates.reduce((a, b) => a + b, 0);
    const p99 = percentile(all, 99);
    const parts = results.map((r, i) => `#${i + 1} ${fmt(rates[i]!, 0)}/s p99 ${fmt(percentile(r.latencies, 99), 0)} ms${r.errors ? ` ERRORS ${r.errors}: ${r.firstError}` : ''}`);
    const page = await pageRead(servers[servers.length - 1]!);
    return { rate, p99, page, line: `${fmt(rate, 0).padStart(6)} statements/s  p50 ${fmt(percentile(all, 50), 1).padStart(6)} ms  p99 ${fmt(p99, 1).padStart(7)} ms  [${parts.join('; ')}]` };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** Statements/s and p99 of `stores` inserting batches through the port, `per` in flight each. */
async function storeLoad(stores: readonly Store[], per: number, batch: number): Promise<{ rate: number; p99: number }> {
  const r = rng(batch);
  const lat: number[] = [];
  let n = 0;
  const end = Date.now() + SECONDS * 1000;
  const start = Date.now();
  await Promise.all(
    stores.flatMap((s) =>
      Array.from({ length: per }, async () => {
        while (Date.now() < end) {
          const items = Array.from({ length: batch }, () => {
            const statement = { ...makeStatement(r), id: randomUUID(), stored: new Date().toISOString() };
            return { id: statement.id, stored: statement.stored, statement, refs: [] };
          });
          const t = performance.now();
          await s.statements.insertStatements(items, []);
          lat.push(performance.now() - t);
          n += batch;
        }
      }),
    ),
  );
  return { rate: n / ((Date.now() - start) / 1000), p99: percentile(lat, 99) };
}

async function storeCase(base: string, count: number, batch: number): Promise<{ rate: number; p99: number }> {
  const u = new URL(base);
  const dbName = `bench_scale_store_${Date.now()}_${count}`;
  const stores = await Promise.all(Array.from({ length: count }, () => openStore({ kind: 'mongo', url: u.toString(), dbName, leaseMs: 10000 })));
  try {
    return await storeLoad(stores, Math.max(1, Math.floor(CONCURRENCY / count)), batch);
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
}

async function main(): Promise<void> {
  let base = process.env['MONGODB_URI'];
  let started: string | undefined;
  if (!base) {
    const script = path.join(ROOT, 'scripts', 'ferretdb.sh');
    base = execFileSync('bash', [script, 'start'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop() ?? '';
    started = /:(\d+)\/?$/.exec(base)?.[1];
  }
  console.log(`bench/scale-out — ${os.cpus().length} cores (shared), node ${process.version}, ${base}`);
  console.log(`server ${SERVER}; ${SECONDS} s per case, ${CONCURRENCY} requests in flight in total, preload ${PRELOAD} statements, ${REPEAT} rounds`);
  try {
    for (const batch of PARTS.includes('http') ? BATCHES : []) {
      for (let round = 1; round <= REPEAT; round++) {
        const one = await runCase(base, 1, batch, 1000 * batch + round);
        console.log(`batch ${String(batch).padStart(3)} round ${round}  one instance   ${one.line}`);
        const two = await runCase(base, 2, batch, 2000 * batch + round);
        console.log(`batch ${String(batch).padStart(3)} round ${round}  two instances  ${two.line}`);
        console.log(`${''.padEnd(20)}two/one ${fmt(two.rate / one.rate, 2)}  page of 500 after the run: one ${fmt(one.page, 0)} ms, two ${fmt(two.page, 0)} ms`);
      }
    }
    for (const batch of PARTS.includes('store') ? BATCHES : []) {
      for (let round = 1; round <= REPEAT; round++) {
        const one = await storeCase(base, 1, batch);
        const two = await storeCase(base, 2, batch);
        console.log(
          `store port, batch ${String(batch).padStart(3)} round ${round}  one ${fmt(one.rate, 0)}/s p99 ${fmt(one.p99, 0)} ms  two ${fmt(two.rate, 0)}/s p99 ${fmt(two.p99, 0)} ms  two/one ${fmt(two.rate / one.rate, 2)}`,
        );
      }
    }
  } finally {
    if (started) execFileSync('bash', [path.join(ROOT, 'scripts', 'ferretdb.sh'), 'stop', started], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
