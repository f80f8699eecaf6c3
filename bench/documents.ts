/**
 * bench/documents: builds (once, cached under bench/.data/) a SQLite database of 100,000 State
 * documents through the store adapter, starts the real server on it and prints p50/p95 of
 * GET and PUT on /xapi/activities/state at concurrency 10 over HTTP, beside a baseline of
 * GET /xapi/about on the same server (the cost of the HTTP stack alone).
 *
 * Run: npm run bench:documents (compiled), or from source:
 *   node -r ./scripts/register-ts.js bench/documents.ts
 * Env: BENCH_DOCUMENTS (default 100000), BENCH_REQUESTS (per case, default 5000), BENCH_DB.
 * Target: p95 under 20 ms for both GET and PUT.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src/store';
import { agentKey } from '../src/xapi/model/agent-key';
import { runLoad } from './lib/http-load';
import { freePort } from './lib/server';
import { fmt, percentile } from './lib/stats';

const N = Number(process.env['BENCH_DOCUMENTS'] ?? 100_000);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 5000);
const CONCURRENCY = 10;
const KEY = 'bench';
const SECRET = 'bench-secret-123';
const AUTH = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
// Compiled this file sits in dist/bench, from source in bench.
const ROOT = [path.resolve(__dirname, '..'), path.resolve(__dirname, '..', '..')].find((d) => fs.existsSync(path.join(d, 'package.json')))!;
const DB = path.resolve(process.env['BENCH_DB'] ?? path.join(ROOT, 'bench', '.data', `documents-${N}.sqlite`));

// 100,000 documents = 2,000 learners x 50 activities, one state document each.
const LEARNERS = 2000;
const learner = (i: number): { mbox: string } => ({ mbox: `mailto:learner${i}@bench.example.org` });
const activity = (i: number): string => `https://bench.example.org/activities/a${i}`;
const coords = (i: number): { l: number; a: number } => ({ l: i % LEARNERS, a: Math.floor(i / LEARNERS) });

function stateBody(i: number, rev: number): Buffer {
  return Buffer.from(JSON.stringify({ bookmark: `page-${i % 97}`, suspend_data: 'x'.repeat(200), rev }), 'utf8');
}

async function build(): Promise<void> {
  fs.mkdirSync(path.dirname(DB), { recursive: true });
  const store = await openStore({ kind: 'sqlite', path: DB });
  const probe = coords(N - 1);
  const last = await store.documents.findDocument({ kind: 'state', activityId: activity(probe.a), agentKey: agentKey(learner(probe.l))!, registration: '', docId: 'resume' });
  if (last) {
    console.log(`reusing ${DB} (${N} documents)`);
    await store.close();
    return;
  }
  console.log(`building ${N} state documents into ${DB} ...`);
  const t0 = Date.now();
  for (let i = 0; i < N; i++) {
    const { l, a } = coords(i);
    const content = stateBody(i, 0);
    await store.documents.upsertDocument(
      {
        key: { kind: 'state', activityId: activity(a), agentKey: agentKey(learner(l))!, registration: '', docId: 'resume' },
        contentType: 'application/json',
        content,
        etag: `"${createHash('sha1').update(content).digest('hex')}"`,
        updated: new Date().toISOString(),
      },
      undefined,
    );
  }
  console.log(`built in ${fmt((Date.now() - t0) / 1000)} s`);
  await store.close();
}

async function startServer(): Promise<{ port: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const compiled = path.join(ROOT, 'dist', 'src', 'main.js');
  const script = fs.existsSync(compiled) && __filename.endsWith('.js') ? compiled : path.join(ROOT, 'src', 'main.ts');
  // From source, the child needs the same TypeScript loader (-r) as this process.
  const child = spawn(process.execPath, [...process.execArgv, script], {
    cwd: ROOT,
    env: { ...process.env, LEARNHQ_DB: DB, LEARNHQ_DATA_DIR: path.dirname(DB), LEARNHQ_LRS_KEY: KEY, LEARNHQ_LRS_SECRET: SECRET, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const until = Date.now() + 30000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/health' }, (res) => { res.resume(); resolve(res.statusCode === 200); }).on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > until) throw new Error('the server did not start within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    stop: () => new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); }),
  };
}

function statePath(i: number): string {
  const { l, a } = coords(i);
  const q = new URLSearchParams({ activityId: activity(a), agent: JSON.stringify(learner(l)), stateId: 'resume' });
  return `/xapi/activities/state?${q.toString()}`;
}

async function main(): Promise<void> {
  console.log(`bench/documents — ${os.cpus().length} cores, node ${process.version}, ${N} documents, ${REQUESTS} requests per case, concurrency ${CONCURRENCY}`);
  await build();
  const server = await startServer();
  const headers = { Authorization: AUTH, 'X-Experience-API-Version': '2.0.0' };
  let seed = 12345;
  const pick = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % N;
  };
  const cases: [string, (i: number) => { method: string; path: string; headers: Record<string, string>; body?: Buffer }][] = [
    ['baseline GET /about', () => ({ method: 'GET', path: '/xapi/about', headers })],
    ['state GET', () => ({ method: 'GET', path: statePath(pick()), headers })],
    ['state PUT', (i) => ({ method: 'PUT', path: statePath(pick()), headers: { ...headers, 'Content-Type': 'application/json' }, body: stateBody(i, i + 1) })],
    ['state POST (merge)', (i) => ({ method: 'POST', path: statePath(pick()), headers: { ...headers, 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify({ rev: i })) })],
  ];
  try {
    for (const [name, next] of cases) {
      await runLoad({ port: server.port, concurrency: CONCURRENCY, count: 200, maxSeconds: 30, next }); // warm-up
      const r = await runLoad({ port: server.port, concurrency: CONCURRENCY, count: REQUESTS, maxSeconds: 120, next });
      const rps = r.requests / r.seconds;
      console.log(
        `${name.padEnd(20)} p50 ${fmt(percentile(r.latencies, 50), 2).padStart(6)} ms  p95 ${fmt(percentile(r.latencies, 95), 2).padStart(6)} ms  ` +
          `p99 ${fmt(percentile(r.latencies, 99), 2).padStart(6)} ms  ${fmt(rps, 0).padStart(6)} req/s  errors ${r.errors}${r.firstError ? ` (${r.firstError})` : ''}`,
      );
    }
    console.log('target: state GET and PUT p95 under 20 ms at 100,000 documents, concurrency 10');
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
