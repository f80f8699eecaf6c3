/**
 * bench/people-report: the people and competencies reports (issue 16) on an in-memory SQLite
 * store: one organization of BENCH_PEOPLE (default 2,000) learners in 20 branches of 100 under one
 * top unit, 4 progress rows each (half completed), 2 overdue assignments to every learner (role
 * target), 20 competencies with evidence for about half of the pairs spread over 12 months.
 * Prints p50/p95 (ms) of the staff table (first page, whole organization and one branch manager),
 * its CSV (every row), a transcript, and the competencies report (organization, branch; a page of
 * per-person rows, and every one as CSV), beside
 * the baseline the careers area already pays: a top manager's team (listTeam).
 *
 * Run from source: node -r ./scripts/register-ts.js bench/people-report.ts
 * Env: BENCH_RUNS (per case, default 10), BENCH_PEOPLE (default 2000).
 */
import { createHash } from 'node:crypto';
import { listTeam } from '../src/careers/team-progress';
import { testConfig } from '../src/config';
import type { AppServices } from '../src/deps';
import { createLogger } from '../src/logger';
import { buildCompetencyReport, parseCompetencyQuery } from '../src/reports/competencies';
import { buildPeopleTable, buildPersonTranscript, parsePeopleQuery, peopleAccess } from '../src/reports/people';
import { peopleCsv } from '../src/reports/people-routes';
import { competencyPeopleCsv } from '../src/reports/competencies-routes';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';
import { CredentialVerifier } from '../src/xapi/auth/credential-verifier';
import { benchActor, timedRuns } from './lib/timed';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 10);
const PEOPLE = Number(process.env['BENCH_PEOPLE'] ?? 2000);
const BRANCHES = 20;
const COMPETENCIES = 20;

const timed = (run: () => Promise<unknown>, before?: (i: number) => Promise<unknown>): Promise<string> => timedRuns(RUNS, run, before);
const actor = benchActor;

async function main(): Promise<void> {
  const store = await openSqliteStore({ path: ':memory:' });
  const now = new Date('2030-06-15T12:00:00.000Z');
  const s: AppServices = { config: testConfig(), store, logger: createLogger('silent'), now: () => now, credentials: new CredentialVerifier(store.credentials) };
  const at = '2030-03-01T00:00:00.000Z';
  const orgId = 'org-bench';
  await store.accounts.insertOrganization({ id: orgId, slug: 'bench', name: 'Bench Library', kind: 'member', createdAt: at });
  await store.careers.insertUnit({ id: 'top', orgId, name: 'Library', createdAt: at });
  for (let b = 0; b < BRANCHES; b++) await store.careers.insertUnit({ id: `branch-${b}`, orgId, name: `Branch ${b}`, parentId: 'top', createdAt: at });
  const courses = ['c1', 'c2', 'c3', 'c4'];
  for (let i = 0; i < PEOPLE; i++) {
    const userId = `u${i}`;
    await store.accounts.insertUser({ id: userId, email: `${userId}@bench.test`, name: `Person ${i}`, isSiteAdmin: false, shareEmail: i % 2 === 0, createdAt: at, failedSignIns: 0 });
    await store.accounts.insertMembership({ userId, orgId, role: 'learner', learnerType: 'staff', createdAt: at });
    await store.careers.insertUnitPerson({ orgId, unitId: `branch-${i % BRANCHES}`, userId, kind: 'member', createdAt: at });
    for (const [k, courseId] of courses.entries()) {
      const registration = `${userId}-${k}`;
      await store.progress.insertProgressTrack({ registration, courseId, versionId: 'v1', userId, agentKey: `a|${userId}`, orgId, courseActivityIds: [], unitActivityIds: [], createdAt: at });
      const done = (i + k) % 2 === 0;
      await store.progress.applyProgress([{ registration, activityId: '', statements: 3, attempts: 1, timeMs: 1_800_000, lastActivityAt: '2030-05-01T10:00:00.000Z', completion: done ? 'completed' as const : 'incomplete' as const, updatedAt: at }]);
    }
    const rows = Array.from({ length: COMPETENCIES }, (_, c) => c).filter((c) => (c + i) % 2 === 0).map((c) => ({
      id: `s-${i}-${c}|al`, userId, orgId, frameworkId: 'fw', itemIdentifier: `c${c}`, level: 1 + ((c + i) % 3), statementId: `s-${i}-${c}`, alignmentId: 'al', activityId: 'https://bench.test/a',
      at: new Date(Date.UTC(2029, 6 + ((i + c) % 12), 1 + (i % 27))).toISOString(),
    }));
    await store.competency.insertEvidence(rows);
  }
  for (const [k, courseId] of ['c2', 'c3'].entries()) {
    await store.learning.insertAssignment({ id: `as-${k}`, orgId, entryId: courseId, target: { kind: 'role', role: 'learner' }, dueAt: '2030-04-01T00:00:00.000Z', required: true, createdBy: 'admin', createdAt: at });
  }
  await store.competency.upsertFramework({ id: 'fw', orgId, identifier: 'fw-doc', uri: 'https://bench.test/fw', title: 'Bench framework', scale: [1, 2, 3].map((rank) => ({ rank, name: `L${rank}` })), raw: {}, extras: {}, createdAt: at, updatedAt: at });
  await store.competency.upsertItems(Array.from({ length: COMPETENCIES }, (_, i) => ({ frameworkId: 'fw', identifier: `c${i}`, uri: `https://bench.test/c/${i}`, fullStatement: `Competency ${i}`, position: i, raw: {} })));
  await store.accounts.insertUser({ id: 'boss', email: 'boss@bench.test', name: 'Boss', isSiteAdmin: false, shareEmail: false, createdAt: at, failedSignIns: 0 });
  await store.accounts.insertUser({ id: 'branch-boss', email: 'bb@bench.test', name: 'Branch boss', isSiteAdmin: false, shareEmail: false, createdAt: at, failedSignIns: 0 });
  await store.careers.insertUnitPerson({ orgId, unitId: 'top', userId: 'boss', kind: 'manager', createdAt: at });
  await store.careers.insertUnitPerson({ orgId, unitId: 'branch-3', userId: 'branch-boss', kind: 'manager', createdAt: at });

  const analyst = await peopleAccess(s, actor('analyst', orgId, ['analyst']), orgId);
  const branch = await peopleAccess(s, actor('branch-boss', orgId, ['manager']), orgId);
  const first = parsePeopleQuery({});
  const check = await buildPeopleTable(s, analyst, first);
  const overdue = await buildPeopleTable(s, analyst, parsePeopleQuery({ status: 'overdue' }));
  const cq = parseCompetencyQuery({ from: '2029-07', to: '2030-06' }, now);
  const comp = await buildCompetencyReport(s, analyst, cq);
  console.log(`people-report bench: ${PEOPLE} people in ${BRANCHES} branches, ${PEOPLE * courses.length} progress rows, 2 overdue role assignments, ${COMPETENCIES} competencies, ${RUNS} runs per case (SQLite, in memory)`);
  console.log(`  check: table total ${check.total}, first page ${check.rows.length} rows, ${overdue.total} with overdue; competencies ${comp.competencies.length}, last month people ${comp.competencies[0]?.months.at(-1)?.people ?? 0}`);
  // A digest of every row (analyst and branch manager): a change of speed must not change it.
  const digest = createHash('sha256').update(JSON.stringify([await buildPeopleTable(s, analyst, first, { allPages: true }), await buildPeopleTable(s, branch, first, { allPages: true })])).digest('hex').slice(0, 16);
  console.log(`  output digest of every staff-table row: ${digest}`);
  console.log(`  baseline: team of the top manager (listTeam, ${PEOPLE})    ${await timed(() => listTeam(s, actor('boss', orgId, ['manager']), orgId))}`);
  console.log(`  staff table, analyst, page 1 of ${PEOPLE}               ${await timed(() => buildPeopleTable(s, analyst, first))}`);
  console.log(`  staff table CSV, analyst, all ${PEOPLE} rows            ${await timed(async () => peopleCsv(await buildPeopleTable(s, analyst, first, { allPages: true })))}`);
  console.log(`  staff table, branch manager (${PEOPLE / BRANCHES} people)         ${await timed(() => buildPeopleTable(s, branch, first))}`);
  console.log(`  transcript of one person                          ${await timed(() => buildPersonTranscript(s, analyst, 'u42'))}`);
  console.log(`  competencies, analyst, 12 months (${PEOPLE} people)     ${await timed(() => buildCompetencyReport(s, analyst, cq))}`);
  console.log(`  competencies, branch manager, 12 months           ${await timed(() => buildCompetencyReport(s, branch, cq))}`);
  console.log(`  competencies per-person CSV, analyst, all ${comp.people.total} rows ${await timed(async () => competencyPeopleCsv(await buildCompetencyReport(s, analyst, cq, { allPages: true })))}`);
  await store.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
