/**
 * bench/reports (issue 16): seeds BENCH_STATEMENTS statements (default 1,000,000) from
 * BENCH_PEOPLE people (10,000) in BENCH_ORGS organizations (20: 4 providers, 16 member libraries)
 * taking BENCH_COURSES courses (300), answers to questions included, into a SQLite file; runs the
 * progress and report subscribers over the log (prints their rate); then prints p95 of every
 * report page and JSON twin over HTTP (sign-in session, 30 requests each, one at a time), and the
 * statement export's rows/s with the RSS sampled through it.
 *
 * Run: node -r ./scripts/register-ts.js bench/reports.ts   (BENCH_DIR keeps the database elsewhere,
 * and a database seeded there before is reused; BENCH_COLD=1 makes every request follow a change
 * of the rows, so no cached totals serve it, and skips the exports)
 */
import { randomUUID } from 'node:crypto';
import { createServer, get } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashSecret } from '../src/accounts/secret-hash';
import { createApp } from '../src/app';
import { testConfig } from '../src/config';
import { progressSubscriber } from '../src/launch/progress/subscriber';
import { createLogger } from '../src/logger';
import type { PipelineEvent, Subscriber } from '../src/pipeline/types';
import { createReportSubscribers } from '../src/reports/subscribers';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';
import type { NewStatement } from '../src/store/ports';
import { statementRefs } from '../src/xapi/model/refs';
import { fmt, percentile } from './lib/stats';

const N = Number(process.env['BENCH_STATEMENTS'] ?? 1_000_000);
const PEOPLE = Number(process.env['BENCH_PEOPLE'] ?? 10_000);
const COURSES = Number(process.env['BENCH_COURSES'] ?? 300);
const ORGS = Number(process.env['BENCH_ORGS'] ?? 20);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 30);
const URL_ = 'http://learnhq.bench';
const PASSWORD = 'bench password 1';
const DAY0 = Date.parse('2030-01-01T00:00:00.000Z');
const V = (w: string): string => `http://adlnet.gov/expapi/verbs/${w}`;

async function main(): Promise<void> {
  const dir = process.env['BENCH_DIR'] ?? mkdtempSync(join(tmpdir(), 'learnhq-bench-reports-'));
  const store = await openSqliteStore({ path: join(dir, 'reports.db') });
  const config = testConfig({ publicUrl: URL_, sessionSecret: 'x'.repeat(40), demo: false });
  const at = '2030-01-01T00:00:00.000Z';
  const hash = await hashSecret(PASSWORD);
  const viewers = { admin: { roles: [] as [string, 'analyst'][], site: true }, member: { roles: [[`org-${Math.max(1, Math.round(ORGS / 5))}`, 'analyst']] as [string, 'analyst'][], site: false }, provider: { roles: [['org-0', 'analyst']] as [string, 'analyst'][], site: false } };
  // A database this bench seeded before (BENCH_DIR kept, the viewers exist) is reused as it is: the
  // seed and the subscribers' pass take most of an hour on a loaded machine.
  if (await store.accounts.findUser('viewer-admin')) console.log(`reusing the seeded database in ${dir}`);
  else await seed();
  async function seed(): Promise<void> {
  const providers = Math.max(1, Math.round(ORGS / 5));
  const orgs = Array.from({ length: ORGS }, (_, i) => ({ id: `org-${i}`, kind: i < providers ? 'provider' as const : 'member' as const }));
  for (const o of orgs) await store.accounts.insertOrganization({ id: o.id, slug: o.id, name: `Organization ${o.id}`, kind: o.kind, createdAt: at });
  const members = orgs.filter((o) => o.kind === 'member');
  const courses = Array.from({ length: COURSES }, (_, i) => ({ id: `course-${i}`, orgId: orgs[i % providers]!.id, activityId: `${URL_}/activities/course-${i}` }));
  for (const c of courses) {
    const versionId = `v-${c.id}`;
    await store.courses.insertCourse(
      { id: c.id, orgId: c.orgId, title: `Course ${c.id}`, description: '', language: 'en', provider: c.orgId, competencies: [], state: 'published', currentVersionId: versionId, currentVersionNumber: 1, createdAt: at, updatedAt: at },
      { id: versionId, courseId: c.id, number: 1, format: (['tincan', 'scorm12', 'cmi5'] as const)[Number(c.id.split('-')[1]) % 3]!, fileSetId: `fs-${c.id}`, sha256: 'ab'.repeat(32), bytes: 1, uploadedBy: 'bench', createdAt: at,
        model: { modelVersion: 1, format: 'tincan', manifestPath: 'tincan.xml', title: c.id, launchables: [{ id: c.activityId, title: c.id, kind: 'activity', launchUrl: 'i.html', external: false }], activities: [{ id: c.activityId, name: { en: c.id }, description: {}, launch: 'i.html' }], mainActivityId: c.activityId },
        report: { errors: [], warnings: [] } } as never,
    );
  }
  const people = Array.from({ length: PEOPLE }, (_, i) => ({ id: `p-${i}`, org: members[i % members.length]!.id }));
  for (const p of people) {
    await store.accounts.insertUser({ id: p.id, email: `${p.id}@bench.example`, name: `Person ${p.id}`, isSiteAdmin: false, shareEmail: false, createdAt: at, failedSignIns: 0 });
    await store.accounts.insertMembership({ userId: p.id, orgId: p.org, role: 'learner', learnerType: 'staff', createdAt: at });
  }
  // Every registration leaves 10 statements: initialized, 6 answers, passed or failed, completed, terminated.
  const PER = 10;
  const regs = Math.ceil(N / PER);
  console.log(`seeding ${N} statements: ${regs} registrations of ${PEOPLE} people in ${COURSES} courses, ${ORGS} organizations (${providers} providers)`);
  const t0 = performance.now();
  let batch: NewStatement[] = [];
  let stored = DAY0;
  const flush = async (): Promise<void> => { if (batch.length > 0) await store.statements.insertStatements(batch, []); batch = []; };
  for (let r = 0; r < regs; r++) {
    const p = people[r % PEOPLE]!;
    const c = courses[((r % PEOPLE) * 13 + Math.floor(r / PEOPLE) * 31) % COURSES]!;
    const registration = randomUUID();
    await store.launch.insertRegistration({ id: registration, userId: p.id, courseId: c.id, versionId: `v-${c.id}`, orgId: p.org, createdAt: at });
    await store.progress.insertProgressTrack({ registration, courseId: c.id, versionId: `v-${c.id}`, userId: p.id, agentKey: `account:${URL_}|${p.id}`, orgId: p.org, courseActivityIds: [c.activityId], unitActivityIds: [c.activityId], createdAt: at });
    const actor = { objectType: 'Agent', account: { homePage: URL_, name: p.id } };
    const day = DAY0 + ((r * 104729) % 180) * 86400000;
    const score = ((r * 31) % 100) / 100;
    const list: Record<string, unknown>[] = [{ verb: { id: V('initialized') }, object: { objectType: 'Activity', id: c.activityId } }];
    for (let q = 0; q < 6; q++) {
      const correct = (r + q) % 3 !== 0;
      list.push({ verb: { id: V('answered') }, object: { objectType: 'Activity', id: `${c.activityId}/q${q}`, definition: { type: 'http://adlnet.gov/expapi/activities/cmi.interaction', name: { en: `Question ${q}` }, interactionType: 'choice' } }, result: { response: correct ? 'a' : ['b', 'c', 'd'][(r + q) % 3], success: correct, duration: `PT${10 + (r % 50)}S` } });
    }
    list.push({ verb: { id: V(score >= 0.6 ? 'passed' : 'failed') }, object: { objectType: 'Activity', id: c.activityId }, result: { success: score >= 0.6, score: { scaled: score } } });
    list.push({ verb: { id: V('completed') }, object: { objectType: 'Activity', id: c.activityId }, result: { completion: true } });
    list.push({ verb: { id: V('terminated') }, object: { objectType: 'Activity', id: c.activityId }, result: { duration: `PT${5 + (r % 90)}M` } });
    list.forEach((s, i) => {
      const st = new Date(stored++).toISOString();
      const full = { id: randomUUID(), actor, ...s, context: { registration }, timestamp: new Date(day + i * 60_000).toISOString(), stored: st, version: '1.0.0', authority: { objectType: 'Agent', account: { homePage: URL_, name: 'lrs' } } };
      batch.push({ id: full.id, stored: st, statement: full, refs: [...statementRefs(full), `g|${p.org}`] });
    });
    if (batch.length >= 5000) await flush();
  }
  await flush();
  const seedS = (performance.now() - t0) / 1000;
  console.log(`seeded in ${fmt(seedS)} s (${fmt(N / seedS, 0)} statements/s)`);

  // The subscribers over the log, as the pipeline delivers it (batches of 500).
  const subs: Subscriber[] = [progressSubscriber({ store, config, now: () => new Date() }), ...createReportSubscribers({ store, config })];
  const t1 = performance.now();
  let after: number | undefined;
  let count = 0;
  for (;;) {
    const page = await store.statements.findStatements({ allRefs: [], ascending: true, limit: 500, ...(after !== undefined ? { afterSeq: after } : {}) });
    const events: PipelineEvent[] = page.statements.map((s) => ({ kind: 'stored', seq: s.seq, statement: s, orgIds: [] }));
    for (const s of subs) await s.handle(events);
    count += events.length;
    if (page.nextAfterSeq === undefined) break;
    after = page.nextAfterSeq;
  }
  const subS = (performance.now() - t1) / 1000;
  console.log(`progress + 3 report subscribers over ${count} statements: ${fmt(subS)} s (${fmt(count / subS, 0)} statements/s)`);

  // Viewers (last: their presence marks a complete seed).
  for (const [name, v] of Object.entries(viewers)) {
    await store.accounts.insertUser({ id: `viewer-${name}`, email: `${name}@bench.example`, name, passwordHash: hash, isSiteAdmin: v.site, shareEmail: false, createdAt: at, failedSignIns: 0 });
    for (const [o, role] of v.roles) await store.accounts.insertMembership({ userId: `viewer-${name}`, orgId: o, role, createdAt: at });
  }
  }
  const { listener, pipeline } = createApp({ config, store, logger: createLogger('silent'), now: () => new Date('2030-06-30T12:00:00.000Z'), compose: { start: false } });
  const server = createServer(listener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const fetchText = (path: string, cookie = ''): Promise<{ status: number; body: string }> => new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers: { cookie } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
  const cookies: Record<string, string> = {};
  for (const name of Object.keys(viewers)) {
    const res = await fetch(`http://127.0.0.1:${port}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `${name}@bench.example`, password: PASSWORD }) });
    cookies[name] = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }
  const period = 'from=2030-01-01&to=2030-06-30';
  const cases: [string, string, string][] = [
    ['overview page, site, 6 months by day', 'admin', `/reports?${period}`],
    ['overview JSON, site, by week', 'admin', `/api/reports/overview?${period}&period=week`],
    ['overview JSON, member library', 'member', `/api/reports/overview?${period}`],
    ['overview JSON, provider (groups under 5 withheld)', 'provider', `/api/reports/overview?${period}`],
    ['overview chart SVG, site', 'admin', `/api/reports/overview/chart.svg?${period}&chart=overTime`],
    ['overview CSV by course, site', 'admin', `/api/reports/overview.csv?${period}&table=byCourse`],
    ['course report page, provider', 'provider', `/reports/courses/course-0?${period}`],
    ['course report JSON, member', 'member', `/api/reports/courses/course-0?${period}`],
    ['statement explorer page, member', 'member', '/reports/statements'],
    ['statement explorer JSON, site, verb filter', 'admin', `/api/reports/statements?verb=${encodeURIComponent(V('passed'))}`],
  ];
  // BENCH_COLD=1: every request follows a change of the learning-day rows (a zero delta on a day
  // outside every report's period), so no cached totals serve it: the figures of a site whose
  // pipeline applies a batch between any two report requests.
  const cold = process.env['BENCH_COLD'] === '1';
  let coldSeq = 2 ** 40;
  const change = async (): Promise<void> => {
    if (cold) await store.reports.applyLearningDays([{ day: '1999-01-01', courseId: 'bench-cold', providerOrgId: 'org-0', orgId: 'bench-cold', userId: 'bench-cold', seq: coldSeq++, launches: 0, completions: 0, passes: 0, failures: 0, timeMs: 0, statements: 0 }]);
  };
  console.log(`\nreport p95 over ${RUNS} requests each (SQLite, ${N} statements; target < 300 ms)${cold ? ', each after a change of the rows (no cached totals)' : ''}:`);
  for (const [label, who, path] of cases) {
    const times: number[] = [];
    let first = 0;
    for (let i = 0; i < RUNS + 2; i++) {
      await change();
      const t = performance.now();
      const res = await fetchText(path, cookies[who]);
      if (res.status !== 200) throw new Error(`${label}: ${res.status} ${res.body.slice(0, 200)}`);
      if (i === 0) first = performance.now() - t;
      if (i >= 2) times.push(performance.now() - t);
    }
    // The first request pays what nothing cached yet (names, totals, rendered charts): printed apart.
    console.log(`  ${label.padEnd(52)} first ${fmt(first).padStart(7)} ms   p50 ${fmt(percentile(times, 50)).padStart(7)} ms   p95 ${fmt(percentile(times, 95)).padStart(7)} ms`);
  }

  // Export: a member library's statements as CSV, read and dropped by the client; RSS sampled.
  for (const [who, format] of cold ? [] : [['member', 'csv'], ['admin', 'ndjson']] as const) {
    let rows = 0;
    let bytes = 0;
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 100);
    const t = performance.now();
    await new Promise<void>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: `/api/reports/statements/export?format=${format}`, headers: { cookie: cookies[who] } }, (res) => {
        // Lines counted with indexOf (native), not a loop over every byte, which cost the server
        // (same process) a large share of the CPU.
        res.on('data', (c: Buffer) => { bytes += c.length; for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) rows += 1; });
        res.on('end', resolve);
      }).on('error', reject);
    });
    clearInterval(sampler);
    const s = (performance.now() - t) / 1000;
    const mb = (v: number): string => fmt(v / 1e6, 0);
    console.log(`\nexport ${format} (${who}): ${rows} rows, ${fmt(bytes / 1e6)} MB in ${fmt(s)} s = ${fmt(rows / s, 0)} rows/s (target ≥ 20,000); RSS first ${mb(rss[0] ?? 0)} MB, max ${mb(Math.max(...rss))} MB, last ${mb(rss[rss.length - 1] ?? 0)} MB`);
  }
  await new Promise((r) => server.close(r));
  await pipeline.stop();
  await store.close();
  if (process.env['BENCH_DIR'] === undefined) rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
