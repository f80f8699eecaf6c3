/**
 * Issue 15 (ADR 0036): a goal's trend comes from history, not from reads. A goal nobody opened
 * has its past days; voided evidence and an erased person leave past points too; both goal
 * kinds; the JSON twin, the CSV and the page show the same points; the access rules hold.
 */
import { caseUriBase, importPackage } from '../../../src/competency/frameworks';
import { demoCompetencyId, demoCompetencyPackage } from '../../../src/demo/demo-competencies';
import type { Framework, User } from '../../../src/store/ports';
import { agentOf, createWorld, postStatements, stmt, type Session, type World } from '../security/fixture';
import { api, COMPLETED, learn, publishedCourse, threeUnits } from './careers-world';

const DAY = 86_400_000;
let w: World;
const adm = (): Promise<Session> => w.session(w.people.orgAdminA);
const A = (): string => `/api/orgs/${w.orgA.id}`;
const ids = { main: '', kids: '', east: '' };
let p1: User;
let p2: User;
let p3: User;
let mEast: User;
let mMain: User;
let framework: Framework;
const uri = (code: string): string => `${caseUriBase(w.services)}${demoCompetencyId(code)}`;

interface Point { day: string; done: number; total: number; onTrack?: number }
interface GoalBody { total: number; done: number; trend: Point[] }
const today = (): string => w.services.now().toISOString().slice(0, 10);
const dayOffset = (n: number): string => new Date(w.services.now().getTime() + n * DAY).toISOString().slice(0, 10);
const read = async (goalId: string, s?: Session): Promise<GoalBody> => (await api(w, s ?? (await adm()), 'get', `${A()}/goals/${goalId}`).expect(200)).body as GoalBody;
const series = (g: GoalBody): number[] => g.trend.map((p) => p.done);

beforeAll(async () => {
  w = await createWorld();
  const learner = (): Promise<User> => w.person([{ orgId: w.orgA.id, role: 'learner' }]);
  [p1, p2, p3, mMain, mEast] = [await learner(), await learner(), await learner(), await learner(), await learner()];
  Object.assign(ids, await threeUnits(w, [['kids', p1, 'members'], ['kids', p2, 'members'], ['kids', p3, 'members'], ['main', mMain, 'managers'], ['east', mEast, 'managers']]));
  framework = (await importPackage(w.services, w.orgA.id, demoCompetencyPackage(caseUriBase(w.services), '2026-01-01T00:00:00.000Z'))).framework;
  await w.store.careers.insertRoleProfile({ id: 'rp-hist', orgId: w.orgA.id, name: 'Historian', description: '', competencies: [{ competencyId: uri('PS.1'), targetLevel: 2 }], shared: false, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' });
  for (const u of [p1, p2, p3]) await w.store.careers.insertPersonRoleProfile({ orgId: w.orgA.id, userId: u.id, profileId: 'rp-hist', since: '2026-01-01T00:00:00.000Z' });
}, 90_000);
afterAll(async () => {
  await w.close();
});

describe('a course goal nobody opened', () => {
  it('has a point per day from the day it was set, from when each person completed the course (not their later visits)', async () => {
    const course = await publishedCourse(w, w.orgA.id, 'History of the branch');
    const goalId = (await api(w, await adm(), 'post', `${A()}/goals`, { title: 'Kids learn the history', courseId: course.course.id, dueDate: '2099-01-31', unitId: ids.kids }).expect(201)).body.id as string;
    const set = today();
    // Nobody reads the goal while, over five days, two of its three people complete the course.
    w.advance(2 * DAY);
    const reg = await learn(w, p1, w.orgA.id, course, false, w.creds.orgA);
    await postStatements(w.app, w.creds.orgA, [stmt(agentOf(p1), { registration: reg, activity: course.activity, verb: COMPLETED })]);
    // p1 comes back to the course two days later: still done since the day they completed it.
    w.advance(2 * DAY);
    await postStatements(w.app, w.creds.orgA, [stmt(agentOf(p1), { registration: reg, activity: course.activity, verb: 'http://adlnet.gov/expapi/verbs/attempted' })]);
    w.advance(1 * DAY);
    await learn(w, p2, w.orgA.id, course, true, w.creds.orgA);

    const g = await read(goalId);
    expect([g.total, g.done]).toEqual([3, 2]);
    expect(g.trend[0]?.day).toBe(set);
    expect(g.trend.map((p) => p.day)).toEqual([-5, -4, -3, -2, -1, 0].map(dayOffset));
    expect(series(g)).toEqual([0, 0, 1, 1, 1, 2]);
    expect(g.trend.every((p) => p.onTrack === 0)).toBe(true);
    expect(new Set(g.trend.map((p) => p.total))).toEqual(new Set([3]));
    // Reading stores nothing: the same answer again, and the CSV has the same points.
    const plain = (x: GoalBody): string[] => x.trend.map((p) => `${p.day},${p.done},${p.total}`);
    expect(plain(await read(goalId))).toEqual(plain(g));
    const csv = await api(w, await adm(), 'get', `${A()}/goals/${goalId}/export`).query({ part: 'trend' }).expect(200);
    expect(csv.text.trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(g.trend.map((p) => `${p.day},${p.done},${p.total}`));
    // The page's table shows them too.
    const page = await (await import('supertest')).default(w.app).get(`/orgs/${w.orgA.id}/goals/${goalId}`).set('Cookie', (await adm()).cookie).expect(200);
    expect(page.text).toContain(`alt="Trend of Kids learn the history: 6 point(s) from the evidence history, from ${g.trend[0]?.day} to ${today()}`);

    // An erased person leaves every past point, not only today's.
    const site = await w.session(w.people.siteAdmin);
    await api(w, site, 'post', `/api/admin/people/${p1.id}/erase`).expect(200);
    const after = await read(goalId);
    expect([after.total, after.done]).toEqual([2, 1]);
    expect(series(after)).toEqual([0, 0, 0, 0, 0, 1]);

    // The access rules hold: the unit's manager above sees it, a sibling unit's manager and another organization do not.
    expect(series(await read(goalId, await w.session(mMain)))).toEqual(series(after));
    await api(w, await w.session(mEast), 'get', `${A()}/goals/${goalId}`).expect(404);
    await api(w, await w.session(mEast), 'get', `${A()}/goals/${goalId}/export`).query({ part: 'trend' }).expect(404);
    await api(w, await w.session(w.people.orgAdminB), 'get', `${A()}/goals/${goalId}`).expect(404);
    await api(w, await w.session(w.people.orgAdminB), 'get', `/api/orgs/${w.orgB.id}/goals/${goalId}`).expect(404);
    await api(w, await w.session(w.people.learnerA), 'get', `${A()}/goals/${goalId}`).expect(403);
  });
});

describe('a competency goal', () => {
  let n = 0;
  async function evidence(u: User, level: number, at: Date, expiresAt?: Date): Promise<string> {
    n += 1;
    const statementId = `hist-${n}-${u.id}`;
    await w.store.competency.insertEvidence([{
      id: `${statementId}|al`, userId: u.id, orgId: w.orgA.id, frameworkId: framework.id, itemIdentifier: demoCompetencyId('PS.1'), level,
      statementId, alignmentId: 'al', activityId: 'http://example.com/history', at: at.toISOString(), ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
    }]);
    return statementId;
  }

  it('starts at the earliest evidence, counts evidence at the level until it lapses, and forgets voided evidence in the past too', async () => {
    const now = w.services.now().getTime();
    // p2 reached level 2 ten days ago, p3 level 1 (not enough) eight days ago and level 3 four days ago; a lapsed one too.
    await evidence(p2, 2, new Date(now - 10 * DAY));
    await evidence(p3, 1, new Date(now - 8 * DAY));
    const p3Level3 = await evidence(p3, 3, new Date(now - 4 * DAY));
    await evidence(p2, 2, new Date(now - 9 * DAY), new Date(now - 6 * DAY));
    const goalId = (await api(w, await adm(), 'post', `${A()}/goals`, { kind: 'competency-level', title: 'Historians practise', profileId: 'rp-hist', competencyId: uri('PS.1'), level: 2, dueDate: '2099-01-31', targetPercent: 50 }).expect(201)).body.id as string;
    const g = await read(goalId);
    // p1 was erased above: p2 and p3 hold the role.
    expect([g.total, g.done]).toEqual([2, 2]);
    expect(g.trend[0]?.day).toBe(dayOffset(-10));
    expect(series(g)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    // The on-track line starts when the goal was set (now): nothing before.
    expect(g.trend.map((p) => p.onTrack)).toEqual([...Array<undefined>(10).fill(undefined), 0]);

    // The statement behind p3's level 3 is voided (the evidence subscriber deletes its evidence): gone from every point.
    await w.store.competency.deleteEvidence({ statementIds: [p3Level3] });
    const after = await read(goalId);
    expect([after.total, after.done]).toEqual([2, 1]);
    expect(series(after)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);

    // A confirmed self-assessment counts from its confirmation.
    await w.store.competency.upsertSelfAssessment({ userId: p3.id, orgId: w.orgA.id, frameworkId: framework.id, itemIdentifier: demoCompetencyId('PS.1'), level: 2, at: new Date(now - 3 * DAY).toISOString(), confirmedBy: mMain.id, confirmedAt: new Date(now - 2 * DAY).toISOString() });
    expect(series(await read(goalId))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2]);
  });

  it('over a long history, one point a week ending today', async () => {
    const now = w.services.now().getTime();
    await evidence(p2, 3, new Date(now - 400 * DAY));
    const goalId = (await api(w, await adm(), 'post', `${A()}/goals`, { kind: 'competency-level', title: 'Long history', profileId: 'rp-hist', competencyId: uri('PS.1'), level: 3, dueDate: '2099-01-31' }).expect(201)).body.id as string;
    const g = await read(goalId);
    expect(g.trend.length).toBeGreaterThan(50);
    expect(g.trend.length).toBeLessThan(60);
    expect(g.trend[g.trend.length - 1]?.day).toBe(today());
    const gaps = g.trend.slice(1).map((p, i) => Math.round((Date.parse(p.day) - Date.parse(g.trend[i]?.day ?? '')) / DAY));
    expect(new Set(gaps)).toEqual(new Set([7]));
    expect(series(g).every((d) => d === 1)).toBe(true);
  });
});
