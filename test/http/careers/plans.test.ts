/**
 * Issue 15, career plans: target role, current level (from evidence summaries) against the
 * target, ranked learning that closes each gap, items with target dates, sharing with the
 * manager, "what would it take?", the dashboard section; every role, a sibling unit's manager
 * and another organization's ids.
 */
import request from 'supertest';
import { caseUriBase, importPackage } from '../../../src/competency/frameworks';
import { demoCompetencyId, demoCompetencyPackage } from '../../../src/demo/demo-competencies';
import type { Course, Framework, RoleProfile, User } from '../../../src/store/ports';
import { courseFixture, createWorld, type Session, type World } from '../security/fixture';
import { api, learn, threeUnits } from './careers-world';

let w: World;
const adm = (): Promise<Session> => w.session(w.people.orgAdminA);
const ids = { main: '', kids: '', east: '' };
let k1: User;
let mMain: User;
let mEast: User;
let framework: Framework;
let librarian: RoleProfile;
let manager: RoleProfile;
let privateB: RoleProfile;
const courses: Record<string, { course: Course; activity: string }> = {};
const A = (): string => `/api/orgs/${w.orgA.id}`;
const uri = (code: string): string => `${caseUriBase(w.services)}${demoCompetencyId(code)}`;
const AT = '2026-01-01T00:00:00.000Z';

async function course(key: string, orgId: string, o: { minutes?: number; credits?: number; createdAt?: string; align?: [string, number][]; rule?: 'completed' | 'passed' }): Promise<void> {
  const { course: c, version } = courseFixture(orgId, 'published');
  const titled: Course = { ...c, title: key, ...(o.minutes !== undefined ? { estimatedMinutes: o.minutes } : {}), ...(o.credits !== undefined ? { ceCredits: o.credits } : {}), createdAt: o.createdAt ?? c.createdAt };
  await w.store.courses.insertCourse(titled, version);
  const activity = 'mainActivityId' in version.model ? version.model.mainActivityId : '';
  courses[key] = { course: titled, activity };
  for (const [code, level] of o.align ?? []) {
    await w.store.competency.insertAlignment({
      id: `al-${key}-${code}`, orgId, frameworkId: framework.id, itemIdentifier: demoCompetencyId(code), target: { kind: 'course', courseId: titled.id },
      activityId: activity, activityIds: [activity], level, rule: { kind: o.rule ?? 'completed' }, createdBy: 'fixture', createdAt: AT,
    });
  }
}

beforeAll(async () => {
  w = await createWorld();
  const learner = (): Promise<User> => w.person([{ orgId: w.orgA.id, role: 'learner' }]);
  [k1, mMain, mEast] = [await learner(), await learner(), await learner()];
  Object.assign(ids, await threeUnits(w, [['kids', k1, 'members'], ['main', mMain, 'managers'], ['east', mEast, 'managers']]));
  framework = (await importPackage(w.services, w.orgA.id, demoCompetencyPackage(caseUriBase(w.services), AT))).framework;
  const profile = (orgId: string, id: string, name: string, needs: [string, number][], shared = false): RoleProfile =>
    ({ id, orgId, name, description: name, competencies: needs.map(([c, l]) => ({ competencyId: uri(c), targetLevel: l })), shared, createdAt: AT, updatedAt: AT });
  librarian = profile(w.orgA.id, 'rp-librarian', "Children's Services Librarian", [['PS.1', 2], ['PS.3', 3]]);
  manager = profile(w.orgA.id, 'rp-manager', 'Branch Manager', [['PS.1', 3], ['LE.3', 3]]);
  privateB = profile(w.orgB.id, 'rp-b', 'Secret B role', [['PS.1', 1]]);
  for (const p of [librarian, manager, privateB]) await w.store.careers.insertRoleProfile(p);
  await course('Long reference course', w.orgA.id, { minutes: 120, align: [['PS.1', 2]] });
  await course('Short reference course', w.orgA.id, { minutes: 60, credits: 1, align: [['PS.1', 2]] });
  await course('Short reference course, no credits', w.orgA.id, { minutes: 60, align: [['PS.1', 2]] });
  await course('Reference basics', w.orgA.id, { minutes: 30, align: [['PS.1', 1]] });
  // Completed but not passed: no evidence, yet done, so never recommended again.
  await course('Reference already done', w.orgA.id, { minutes: 10, align: [['PS.1', 2]], rule: 'passed' });
  await course('Readers advisory', w.orgA.id, { minutes: 90, align: [['PS.3', 3]] });
  await learn(w, k1, w.orgA.id, courses['Reference already done']!, true, w.creds.orgA);
}, 90_000);
afterAll(async () => {
  await w.close();
});

interface PlanBody { role?: { id: string }; rows: { competencyId: string; current: number; target: number; gap: number; recommendations: { title: string; closes: boolean }[] }[]; items: { id: string; title: string; targetDate?: string; done: boolean }[]; roles: { id: string }[]; progress: { met: number; competencies: number } }

describe('a person\'s career plan', () => {
  it('starts without a target role, listing the organization\'s roles only', async () => {
    const p = (await api(w, await w.session(k1), 'get', `${A()}/career-plan`).expect(200)).body as PlanBody;
    expect(p.role).toBeUndefined();
    expect(p.roles.map((r) => r.id).sort()).toEqual(['rp-librarian', 'rp-manager']);
  });

  it('shows current level against the target and ranked learning that closes each gap', async () => {
    const s = await w.session(k1);
    await api(w, s, 'put', `${A()}/career-plan/target`, { profileId: 'rp-b' }).expect(400);
    await api(w, s, 'put', `${A()}/career-plan/target`, { profileId: 'rp-librarian' }).expect(200);
    const p = (await api(w, s, 'get', `${A()}/career-plan`).expect(200)).body as PlanBody;
    expect(p.role?.id).toBe('rp-librarian');
    const ps1 = p.rows.find((r) => r.competencyId === uri('PS.1'));
    expect([ps1?.current, ps1?.target, ps1?.gap]).toEqual([0, 2, 2]);
    // Closing first, then fewest hours, then most CE credits; the completed course is left out.
    expect(ps1?.recommendations.map((r) => r.title)).toEqual(['Short reference course', 'Short reference course, no credits', 'Long reference course', 'Reference basics']);
    expect(ps1?.recommendations.map((r) => r.closes)).toEqual([true, true, true, false]);
    expect(p.rows.find((r) => r.competencyId === uri('PS.3'))?.recommendations.map((r) => r.title)).toEqual(['Readers advisory']);
  });

  it('moves as evidence arrives', async () => {
    await w.store.competency.insertEvidence([{
      id: 'st-1|al-x', userId: k1.id, orgId: w.orgA.id, frameworkId: framework.id, itemIdentifier: demoCompetencyId('PS.1'), level: 2,
      statementId: 'st-1', alignmentId: 'al-x', activityId: 'http://example.com/a', at: new Date().toISOString(),
    }]);
    const p = (await api(w, await w.session(k1), 'get', `${A()}/career-plan`).expect(200)).body as PlanBody;
    const ps1 = p.rows.find((r) => r.competencyId === uri('PS.1'));
    expect([ps1?.current, ps1?.gap, ps1?.recommendations.length]).toEqual([2, 0, 0]);
    expect(p.progress).toMatchObject({ met: 1, competencies: 2 });
  });

  it('takes items with target dates; refuses bad dates and learning the organization may not take', async () => {
    const s = await w.session(k1);
    await api(w, s, 'post', `${A()}/career-plan/items`, { entryId: courses['Readers advisory']!.course.id, competencyId: uri('PS.3'), targetDate: '2099-02-30' }).expect(400);
    const { course: hidden, version } = courseFixture(w.orgB.id, 'draft');
    await w.store.courses.insertCourse(hidden, version);
    await api(w, s, 'post', `${A()}/career-plan/items`, { entryId: hidden.id }).expect(400);
    await api(w, s, 'post', `${A()}/career-plan/items`, { entryId: courses['Readers advisory']!.course.id, competencyId: uri('PS.3'), targetDate: '2099-03-01' }).expect(201);
    const p = (await api(w, s, 'get', `${A()}/career-plan`).expect(200)).body as PlanBody;
    expect(p.items.map((i) => [i.title, i.targetDate, i.done])).toEqual([['Readers advisory', '2099-03-01', false]]);
    const other = await w.session(w.people.learnerA);
    await api(w, other, 'delete', `${A()}/career-plan/items/${p.items[0]!.id}`).expect(404);
    await api(w, await w.session(w.people.orgAdminB), 'put', `${A()}/career-plan/target`, { profileId: 'rp-librarian' }).expect(404);
    expect(await w.store.careers.findCareerPlan(w.orgA.id, w.people.orgAdminB.id)).toBeUndefined();
  });
});

describe('sharing with the manager', () => {
  const path = (): string => `${A()}/people/${k1.id}/career-plan`;
  it('only the person\'s own manager sees it, and only once it is shared', async () => {
    await api(w, await w.session(mMain), 'get', path()).expect(404);
    await api(w, await w.session(k1), 'put', `${A()}/career-plan/share`, { shared: 'maybe' }).expect(400);
    await api(w, await w.session(k1), 'put', `${A()}/career-plan/share`, { shared: true }).expect(200);
    const seen = (await api(w, await w.session(mMain), 'get', path()).expect(200)).body as PlanBody;
    expect(seen.role?.id).toBe('rp-librarian');
    for (const who of [mEast, w.people.learnerA, w.people.analystA, w.people.orgAdminA]) await api(w, await w.session(who), 'get', path()).expect(404);
    await api(w, await w.session(w.people.orgAdminB), 'get', path()).expect(404);
    const page = await request(w.app).get(`/orgs/${w.orgA.id}/people/${k1.id}/career-plan`).set('Cookie', (await w.session(mMain)).cookie).expect(200);
    expect(page.text).toContain('Career plan of');
    expect(page.text).not.toContain('Add to my plan');
    const team = await request(w.app).get(`/team/${w.orgA.id}/people/${k1.id}`).set('Cookie', (await w.session(mMain)).cookie).expect(200);
    expect(team.text).toContain(`/people/${k1.id}/career-plan`);
    const adminTeam = await request(w.app).get(`/team/${w.orgA.id}/people/${k1.id}`).set('Cookie', (await w.session(w.people.orgAdminA)).cookie).expect(200);
    expect(adminTeam.text).not.toContain(`/people/${k1.id}/career-plan`);
    await api(w, await w.session(k1), 'put', `${A()}/career-plan/share`, { shared: false }).expect(200);
    await api(w, await w.session(mMain), 'get', path()).expect(404);
  });
});

describe('what would it take?', () => {
  it('compares the person with a role, and two roles; another organization\'s private role is unknown', async () => {
    const s = await w.session(k1);
    const me = (await api(w, s, 'get', `${A()}/career-plan/compare?a=me&b=rp-manager`).expect(200)).body as { totalGap: number; rows: { competencyId: string; from: number; gap: number }[] };
    expect(me.rows.map((r) => [r.from, r.gap])).toEqual([[2, 1], [0, 3]]);
    expect(me.totalGap).toBe(4);
    const roles = (await api(w, s, 'get', `${A()}/career-plan/compare?a=rp-librarian&b=rp-manager`).expect(200)).body as { totalGap: number };
    expect(roles.totalGap).toBe(1 + 3);
    await api(w, s, 'get', `${A()}/career-plan/compare?a=me&b=rp-b`).expect(404);
    await api(w, await w.session(w.people.orgAdminB), 'get', `${A()}/career-plan/compare?a=me&b=rp-manager`).expect(404);
    const page = await request(w.app).get(`/orgs/${w.orgA.id}/career-plan/compare?a=me&b=rp-manager`).set('Cookie', s.cookie).expect(200);
    expect(page.text).toContain('4 levels to gain');
  });
});

describe('pages and dashboard', () => {
  it('the plan page picks a role by form, and the dashboard shows the plan', async () => {
    const s = await w.session(mEast);
    const page = await request(w.app).get(`/orgs/${w.orgA.id}/career-plan`).set('Cookie', s.cookie).expect(200);
    expect(page.text).toContain('Pick a target role');
    const before = (await api(w, s, 'get', '/api/my-learning').expect(200)).body.sections as { id: string; items: { title: string }[] }[];
    expect(before.find((x) => x.id === 'careerPlan')?.items[0]?.title).toContain('Plan your career');
    await request(w.app).post(`/orgs/${w.orgA.id}/career-plan/target`).set('Cookie', s.cookie).type('form').send({ _csrf: s.csrf, profileId: 'rp-manager' }).expect(303);
    const after = (await api(w, s, 'get', '/api/my-learning').expect(200)).body.sections as { id: string; items: { title: string }[] }[];
    expect(after.find((x) => x.id === 'careerPlan')?.items[0]?.title).toBe('Aiming for Branch Manager');
    const shown = await request(w.app).get(`/orgs/${w.orgA.id}/career-plan`).set('Cookie', s.cookie).expect(200);
    expect(shown.text).toContain('Branch Manager: where I stand');
    expect(shown.text).toContain('Long reference course');
  });
});
