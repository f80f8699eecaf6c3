/**
 * bench/query: builds (once, kept under bench/.data/, which git ignores) a SQLite database of
 * 1,000,000 realistic statements through the store adapter, starts the real server on it and
 * prints p50/p95 of GET /xapi/statements with each filter at limit 50, and of paging with `more`.
 * Run: npm run bench:query. Env: BENCH_STATEMENTS (default 1000000), BENCH_REQUESTS (per case,
 * default 200; 20 when cold), BENCH_DB (path of the database file), BENCH_COLD=1 (evict the
 * database file from the OS page cache before every request: the cold figures).
 *
 * Ten million statements (issue 12): BENCH_STATEMENTS=10000000 npm run bench:query builds
 * bench/.data/query-10000000.sqlite (about 16 GB; ~18 min on 2 cores, longer on a loaded machine),
 * prints the build time, and keeps the file, so the next run (and the next change) is measured
 * against the same database; the build time is remembered beside it (<db>.build.json) and printed
 * again on every reuse. A build interrupted half way is continued, not restarted. Spans the writer
 * has not sealed yet (a database built before sealed spans, ADR 0041) are sealed before the
 * queries run, and the time that took is printed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../src/store';
import { configureConnection } from '../src/store/sqlite/connection';
import { createSealer, sealSpan } from '../src/store/sqlite/seal';
import type { NewStatement } from '../src/store/ports';
import { prepareStatement } from '../src/xapi/model/normalize';
import { statementRefs, statementTargetId, voidedTargetId } from '../src/xapi/model/refs';
import { startNodeServer } from './lib/server';
import { fmt, percentile } from './lib/stats';
import { activityId, actorMbox, DEFAULT_GEN, makeStatement, registrationId, rng, verbId } from './lib/statements';

const N = Number(process.env['BENCH_STATEMENTS'] ?? 1_000_000);
const COLD = process.env['BENCH_COLD'] === '1';
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? (COLD ? 20 : 200));
const KEY = 'bench';
const SECRET = 'bench-secret-123';
const AUTH = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
const ROOT = path.resolve(__dirname, '..', '..');
const DB = path.resolve(process.env['BENCH_DB'] ?? path.join(ROOT, 'bench', '.data', `query-${N}.sqlite`));
const BUILD_INFO = `${DB}.build.json`;

interface BuildInfo {
  statements: number;
  seconds: number;
  finished: string;
}

function readBuildInfo(): BuildInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(BUILD_INFO, 'utf8')) as BuildInfo;
  } catch {
    return undefined;
  }
}

/** Drops the database file (and its WAL) from the OS page cache (GNU dd: count=0 with nocache). */
function evict(): void {
  for (const f of [DB, `${DB}-wal`]) {
    if (fs.existsSync(f)) spawnSync('dd', [`if=${f}`, 'iflag=nocache', 'count=0'], { stdio: 'ignore' });
  }
}

/**
 * Seals the spans a database built before sealing existed (ADR 0041) has not sealed yet, as the
 * writer would (every step of a span at once), and prints what it cost.
 */
function sealCatchUp(): void {
  const db = new Database(DB);
  configureConnection(db, { memory: false });
  const seal = createSealer(db);
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  let spans = 0;
  while (sealSpan(seal)) spans++;
  db.close();
  if (spans === 0) return;
  const cpu = process.cpuUsage(cpu0);
  const s = (Date.now() - t0) / 1000;
  console.log(`sealed ${spans} spans left unsealed in ${fmt(s, 1)} s (${fmt(s / spans * 1000, 0)} ms a span, CPU ${fmt((cpu.user + cpu.system) / 1000 / spans, 0)} ms a span)`);
}

async function build(): Promise<void> {
  fs.mkdirSync(path.dirname(DB), { recursive: true });
  const store = await openStore({ kind: 'sqlite', path: DB });
  const have = await store.statements.countStatements();
  if (have >= N) {
    const info = readBuildInfo();
    console.log(`reusing ${DB} with ${have} statements${info ? ` (built in ${fmt(info.seconds, 1)} s, finished ${info.finished})` : ''}`);
    await store.close();
    sealCatchUp();
    return;
  }
  const earlier = readBuildInfo()?.seconds ?? 0;
  console.log(`building ${N - have} statements into ${DB} ...`);
  const r = rng(42 + have);
  const authority = { objectType: 'Agent', name: 'bench', account: { homePage: 'http://localhost', name: KEY } };
  const t0 = Date.now();
  const BATCH = 1000;
  // Spread `stored` over the last 200 days so since/until windows select realistic slices.
  const startMs = Date.now() - 200 * 86400000;
  for (let done = have; done < N; done += BATCH) {
    const batch: NewStatement[] = [];
    for (let i = 0; i < BATCH && done + i < N; i++) {
      const stored = new Date(startMs + Math.floor(((done + i) / N) * 200 * 86400000)).toISOString();
      const s = prepareStatement(makeStatement(r), { version: '2.0.0', stored, authority, now: new Date(stored) });
      const targetId = statementTargetId(s);
      const voidsId = voidedTargetId(s);
      batch.push({
        id: String(s['id']),
        stored,
        statement: s,
        refs: statementRefs(s, { credentialKey: KEY }),
        ...(targetId ? { targetId } : {}),
        ...(voidsId ? { voidsId } : {}),
      });
    }
    await store.statements.insertStatements(batch, []);
    if ((done / BATCH) % 100 === 0) process.stdout.write(`  ${done + batch.length} (${fmt((done + batch.length - have) / ((Date.now() - t0) / 1000), 0)}/s)\n`);
  }
  const seconds = (Date.now() - t0) / 1000;
  console.log(`built in ${fmt(seconds, 1)} s${have > 0 ? ` (continuing ${have} statements built earlier)` : ''}`);
  await store.close();
  fs.writeFileSync(BUILD_INFO, JSON.stringify({ statements: N, seconds: earlier + seconds, finished: new Date().toISOString() } satisfies BuildInfo));
  sealCatchUp();
}

function get(port: number, p: string): Promise<{ ms: number; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    http
      .get({ host: '127.0.0.1', port, path: p, headers: { Authorization: AUTH, 'X-Experience-API-Version': '2.0.0' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      })
      .on('error', reject);
  });
}

async function main(): Promise<void> {
  console.log(`bench/query — ${os.cpus().length} cores, node ${process.version}, ${N} statements, ${REQUESTS} requests per case, limit 50, ${COLD ? 'COLD (page cache dropped before every request)' : 'warm'}`);
  await build();
  const server = await startNodeServer(
    path.join(ROOT, 'dist/src/main.js'),
    { LEARNHQ_DB: DB, LEARNHQ_DATA_DIR: path.dirname(DB), LEARNHQ_LRS_KEY: KEY, LEARNHQ_LRS_SECRET: SECRET, LEARNHQ_DEMO: 'false' },
    '/health',
  );
  const r = rng(7);
  const pick = (n: number): number => Math.floor(r() * n);
  const q = (params: Record<string, string>): string => `/xapi/statements?${new URLSearchParams({ limit: '50', ...params }).toString()}`;
  const day = 86400000;
  const cases: [string, () => string][] = [
    ['no filter', () => q({})],
    ['agent', () => q({ agent: JSON.stringify({ mbox: actorMbox(pick(DEFAULT_GEN.actors)) }) })],
    ['verb', () => q({ verb: verbId(pick(10)) })],
    ['activity', () => q({ activity: activityId(pick(DEFAULT_GEN.activities)) })],
    ['registration', () => q({ registration: registrationId(pick(DEFAULT_GEN.registrations)) })],
    ['since/until (1 day)', () => {
      const s = Date.now() - pick(190) * day - 5 * day;
      return q({ since: new Date(s).toISOString(), until: new Date(s + day).toISOString() });
    }],
    ['related_activities', () => q({ activity: `https://learnhq.example.org/courses/c${pick(200)}`, related_activities: 'true' })],
    ['related_agents', () => q({ agent: JSON.stringify({ mbox: actorMbox(pick(DEFAULT_GEN.actors)) }), related_agents: 'true' })],
    ['agent + verb', () => q({ agent: JSON.stringify({ mbox: actorMbox(pick(DEFAULT_GEN.actors)) }), verb: verbId(pick(10)) })],
    ['verb ascending', () => q({ verb: verbId(pick(10)), ascending: 'true' })],
  ];
  for (const [name, make] of cases) {
    await get(server.port, make());
    const times: number[] = [];
    let bad = '';
    let rows = 0;
    for (let i = 0; i < REQUESTS; i++) {
      if (COLD) evict();
      const res = await get(server.port, make());
      if (res.status !== 200) bad ||= `${res.status} ${res.body.slice(0, 200)}`;
      else rows += (JSON.parse(res.body) as { statements: unknown[] }).statements.length;
      times.push(res.ms);
    }
    console.log(`${name.padEnd(22)} p50 ${fmt(percentile(times, 50), 2).padStart(7)} ms  p95 ${fmt(percentile(times, 95), 2).padStart(7)} ms  avg rows ${fmt(rows / REQUESTS, 1)}${bad ? `  ERROR ${bad}` : ''}`);
  }
  // Paging: follow `more` 10 pages deep from a verb query.
  const pageTimes: number[] = [];
  for (let i = 0; i < Math.max(1, REQUESTS / 10); i++) {
    let next: string | undefined = q({ verb: verbId(pick(10)) });
    for (let page = 0; page < 10 && next; page++) {
      if (COLD) evict();
      const res = await get(server.port, next);
      if (page > 0) pageTimes.push(res.ms);
      const more: string = (JSON.parse(res.body) as { more?: string }).more ?? '';
      next = more ? more.replace(/^https?:\/\/[^/]+/, '') : undefined;
    }
  }
  console.log(`${'paging with more'.padEnd(22)} p50 ${fmt(percentile(pageTimes, 50), 2).padStart(7)} ms  p95 ${fmt(percentile(pageTimes, 95), 2).padStart(7)} ms  (${pageTimes.length} pages)`);
  console.log('targets: every p95 under 20 ms warm at 10,000,000 statements, under 100 ms cold (issue 12)');
  await server.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
