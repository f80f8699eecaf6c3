/**
 * bench/careers: the careers services on an in-memory SQLite store with one organization of
 * 2,000 learners in 20 branches of 100 under one top unit, each learner with progress rows in 4
 * courses (half completed the goal's course). Prints p50/p95 (ms) of measuring a goal for the
 * whole organization and for one branch (with its trend, computed from history: ADR 0036), of a manager's team
 * (all 2,000, and one branch), and as the baseline the one progress read the goal makes.
 *
 * Then competencies (issue 15 part 2): a framework of BENCH_COMPETENCIES (default 150) items,
 * 5 role profiles over them (every competency in some role), each learner holding one role and
 * evidence for about half of their role's competencies; the gap heat map by role, unit and person
 * for the whole organization (p95 target < 500 ms); and a career plan's recommendations with a
 * catalog of BENCH_COURSES (default 1,000) courses each aligned to 3 competencies (target < 100 ms).
 * The heat map's levels are cached while the summaries do not change (ADR 0030): the "after new
 * evidence" case records one piece before each (untimed) run, so it measures the uncached read.
 *
 * Run from source: node -r ./scripts/register-ts.js bench/careers.ts
 * Env: BENCH_RUNS (per case, default 20), BENCH_PEOPLE (default 2000), BENCH_COMPETENCIES (default
 * 150), BENCH_COURSES (default 1000).
 */
import { getGoal } from '../src/careers/goals';
import { levelsOfPeople, resolveCompetencies } from '../src/careers/competency-levels';
import { heatMap } from '../src/careers/heat-map';
import { getPlan } from '../src/careers/plans';
import { listTeam } from '../src/careers/team-progress';
import { testConfig } from '../src/config';
import type { AppServices } from '../src/deps';
import { createLogger } from '../src/logger';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';
import { CredentialVerifier } from '../src/xapi/auth/credential-verifier';
import { benchActor, timedRuns } from './lib/timed';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 20);
const PEOPLE = Number(process.env['BENCH_PEOPLE'] ?? 2000);
const BRANCHES = 20;
const COMPETENCIES = Number(process.env['BENCH_COMPETENCIES'] ?? 150);
const COURSES = Number(process.env['BENCH_COURSES'] ?? 1000);
const ROLES = 5;

const timed = (run: () => Promise<unknown>, before?: (i: number) => Promise<unknown>): Promise<string> => timedRuns(RUNS, run, before);
const actor = benchActor;

async function main(): Promise<void> {
  const store = await openSqliteStore({ path: ':memory:' });
  const s: AppServices = { config: testConfig(), store, logger: createLogger('silent'), now: () => new Date(), credentials: new CredentialVerifier(store.credentials) };
  const at = new Date().toISOString();
  const orgId = 'org-bench';
  await store.accounts.insertOrganization({ id: orgId, slug: 'bench', name: 'Bench Library', kind: 'member', createdAt: at });
  await store.careers.insertUnit({ id: 'top', orgId, name: 'Library', createdAt: at });
  for (let b = 0; b < BRANCHES; b++) await store.careers.insertUnit({ id: `branch-${b}`, orgId, name: `Branch ${b}`, parentId: 'top', createdAt: at });
  const courses = ['goal-course', 'c2', 'c3', 'c4'];
  for (let i = 0; i < PEOPLE; i++) {
    const userId = `u${i}`;
    await store.accounts.insertUser({ id: userId, email: `${userId}@bench.test`, name: `Person ${i}`, isSiteAdmin: false, shareEmail: false, createdAt: at, failedSignIns: 0 });
    await store.accounts.insertMembership({ userId, orgId, role: 'learner', learnerType: 'staff', createdAt: at });
    await store.careers.insertUnitPerson({ orgId, unitId: `branch-${i % BRANCHES}`, userId, kind: 'member', createdAt: at });
    for (const [k, courseId] of courses.entries()) {
      const registration = `${userId}-${k}`;
      await store.progress.insertProgressTrack({ registration, courseId, versionId: 'v1', userId, agentKey: `a|${userId}`, orgId, courseActivityIds: [], unitActivityIds: [], createdAt: at });
      const done = (i + k) % 2 === 0;
      await store.progress.applyProgress([{ registration, activityId: '', statements: 3, attempts: 1, timeMs: 60_000, lastActivityAt: at, ...(done ? { completion: 'completed' as const } : { completion: 'incomplete' as const }), updatedAt: at }]);
    }
  }
  await store.accounts.insertUser({ id: 'boss', email: 'boss@bench.test', name: 'Boss', isSiteAdmin: false, shareEmail: false, createdAt: at, failedSignIns: 0 });
  await store.accounts.insertUser({ id: 'branch-boss', email: 'bb@bench.test', name: 'Branch boss', isSiteAdmin: false, shareEmail: false, createdAt: at, failedSignIns: 0 });
  await store.careers.insertUnitPerson({ orgId, unitId: 'top', userId: 'boss', kind: 'manager', createdAt: at });
  await store.careers.insertUnitPerson({ orgId, unitId: 'branch-3', userId: 'branch-boss', kind: 'manager', createdAt: at });
  const base = { orgId, kind: 'course-completion' as const, courseId: 'goal-course', dueDate: '2099-12-31', targetPercent: 80, createdBy: 'boss', createdAt: at };
  await store.careers.insertGoal({ ...base, id: 'g-org', title: 'Everyone' });
  await store.careers.insertGoal({ ...base, id: 'g-branch', unitId: 'branch-3', title: 'Branch 3' });

  const admin = actor('admin', orgId, ['orgAdmin']);
  const boss = actor('boss', orgId, ['manager']);
  const branchBoss = actor('branch-boss', orgId, ['manager']);
  const check = await getGoal(s, admin, orgId, 'g-org');
  console.log(`careers bench: ${PEOPLE} people in ${BRANCHES} branches, ${PEOPLE * courses.length} progress rows, ${RUNS} runs per case (SQLite, in memory)`);
  console.log(`  org goal counts ${check.total} people, ${check.done} done (${check.percent}%)`);
  console.log(`  baseline: findProgress by course (${PEOPLE} rows)   ${await timed(() => store.progress.findProgress({ courseId: 'goal-course', orgIds: [orgId], limit: 100_000 }))}`);
  console.log(`  goal, whole organization (${PEOPLE} people)          ${await timed(() => getGoal(s, admin, orgId, 'g-org'))}`);
  console.log(`  goal, one branch (${PEOPLE / BRANCHES} people)                 ${await timed(() => getGoal(s, branchBoss, orgId, 'g-branch'))}`);
  console.log(`  team of the top manager (${PEOPLE} people)          ${await timed(() => listTeam(s, boss, orgId))}`);
  console.log(`  team of a branch manager (${PEOPLE / BRANCHES} people)          ${await timed(() => listTeam(s, branchBoss, orgId))}`);

  // Competencies: one framework, ROLES role profiles covering every competency, evidence for about half.
  const fw = { id: 'fw', orgId, identifier: 'fw-doc', uri: 'https://bench.test/fw', title: 'Bench framework', scale: [1, 2, 3].map((rank) => ({ rank, name: `L${rank}` })), raw: {}, extras: {}, createdAt: at, updatedAt: at };
  await store.competency.upsertFramework(fw);
  const itemUri = (i: number): string => `https://bench.test/c/${i}`;
  await store.competency.upsertItems(Array.from({ length: COMPETENCIES }, (_, i) => ({ frameworkId: 'fw', identifier: `c${i}`, uri: itemUri(i), fullStatement: `Competency ${i}`, abbreviatedStatement: `C${i}`, position: i, raw: {} })));
  const perRole = Math.ceil(COMPETENCIES / ROLES) * 2;
  const roleComps = (r: number): number[] => Array.from({ length: Math.min(perRole, COMPETENCIES) }, (_, k) => (r * Math.ceil(COMPETENCIES / ROLES) + k) % COMPETENCIES);
  for (let r = 0; r < ROLES; r++) {
    await store.careers.insertRoleProfile({ id: `role-${r}`, orgId, name: `Role ${r}`, description: '', competencies: roleComps(r).map((c) => ({ competencyId: itemUri(c), targetLevel: 1 + ((c + r) % 3) })), shared: false, createdAt: at, updatedAt: at });
  }
  let evidence = 0;
  for (let i = 0; i < PEOPLE; i++) {
    const r = i % ROLES;
    await store.careers.insertPersonRoleProfile({ orgId, userId: `u${i}`, profileId: `role-${r}`, since: at });
    const rows = roleComps(r).filter((c) => (c + i) % 2 === 0).map((c) => ({
      id: `s-${i}-${c}|al`, userId: `u${i}`, orgId, frameworkId: 'fw', itemIdentifier: `c${c}`, level: 1 + ((c * 7 + i) % 3), statementId: `s-${i}-${c}`, alignmentId: 'al', activityId: 'https://bench.test/a', at,
    }));
    evidence += rows.length;
    await store.competency.insertEvidence(rows);
  }
  for (let k = 0; k < COURSES; k++) {
    const courseId = `course-${k}`;
    await store.catalog.upsertCatalogEntry({
      id: courseId, kind: 'course', orgId, provider: 'Bench', title: `Course ${k}`, description: '', keywords: [], competencies: [], language: 'en',
      durationMinutes: 30 + (k % 8) * 30, ...(k % 3 === 0 ? { ceCredits: 1 + (k % 4) } : {}), state: 'published', visibility: 'all', visibleOrgIds: [],
      createdAt: new Date(Date.parse(at) - k * 60_000).toISOString(), updatedAt: at,
    });
    for (let j = 0; j < 3; j++) {
      const c = (k * 3 + j) % COMPETENCIES;
      await store.competency.insertAlignment({ id: `al-${k}-${j}`, orgId, frameworkId: 'fw', itemIdentifier: `c${c}`, target: { kind: 'course', courseId }, activityId: `https://bench.test/course/${k}`, activityIds: [`https://bench.test/course/${k}`], level: 1 + ((k + j) % 3), rule: { kind: 'completed' }, createdBy: 'bench', createdAt: at });
    }
  }
  const planner = actor('u7', orgId, ['learner']);
  await store.careers.upsertCareerPlan({ orgId, userId: 'u7', targetProfileId: 'role-4', items: [], sharedWithManager: false, createdAt: at, updatedAt: at });
  const map = await heatMap(s, admin, orgId, { by: 'people' });
  const plan = await getPlan(s, planner, orgId);
  console.log(`  competencies: ${COMPETENCIES} in ${ROLES} roles of ${perRole}, ${evidence} pieces of evidence, ${COURSES} courses aligned 3 each`);
  console.log(`  heat map by person: ${map.rows.length} rows x ${map.columns.length} competencies; plan: ${plan.rows.length} gaps rows, ${plan.rows.reduce((n, r) => n + r.recommendations.length, 0)} recommendations`);
  const resolvedAll = await resolveCompetencies(s, Array.from({ length: COMPETENCIES }, (_, i) => itemUri(i)));
  const everyone = Array.from({ length: PEOPLE }, (_, i) => `u${i}`);
  console.log(`  baseline: levels of ${PEOPLE} people (summaries)     ${await timed(() => levelsOfPeople(s, orgId, everyone, resolvedAll))}`);
  console.log(`  heat map by role (${PEOPLE} people)                 ${await timed(() => heatMap(s, admin, orgId, { by: 'roles' }))}`);
  console.log(`  heat map by unit (${PEOPLE} people)                 ${await timed(() => heatMap(s, admin, orgId, { by: 'units' }))}`);
  console.log(`  heat map by person (${PEOPLE} x ${map.columns.length})              ${await timed(() => heatMap(s, admin, orgId, { by: 'people' }))}`);
  // Each run after a new piece of evidence (untimed): the summaries' stamp has moved, so the levels are read from the store, not the cache.
  const fresh = (i: number) => store.competency.insertEvidence([{ id: `fresh-${i}|al`, userId: `u${i % PEOPLE}`, orgId, frameworkId: 'fw', itemIdentifier: 'c0', level: 1, statementId: `fresh-${i}`, alignmentId: 'al', activityId: 'https://bench.test/a', at }]);
  console.log(`  heat map by person, after new evidence (uncached) ${await timed(() => heatMap(s, admin, orgId, { by: 'people' }), fresh)}`);
  console.log(`  career plan with recommendations (${COURSES} courses) ${await timed(() => getPlan(s, planner, orgId))}`);
  await store.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
