/**
 * Issue 15 wired into the other areas' extension points: unit assignments and managers as
 * assigners (their units only), managers confirming their people's self-assessed levels, course
 * goals that also assign the course, the analyst's landing page and the badges dashboard section.
 * Every role is tried, including a sibling unit's manager and another organization's ids.
 */
import { importPackage, caseUriBase } from '../../../src/competency/frameworks';
import { demoCompetencyId, demoCompetencyPackage } from '../../../src/demo/demo-competencies';
import type { Course, Framework, User } from '../../../src/store/ports';
import { createWorld, type Session, type World } from '../security/fixture';
import { api, publishedCourse, threeUnits } from './careers-world';

let w: World;
const adm = (): Promise<Session> => w.session(w.people.orgAdminA);
const ids = { main: '', kids: '', east: '' };
let k1: User;
let e1: User;
let mMain: User;
let mEast: User;
let course: { course: Course; activity: string };
let framework: Framework;
const A = (): string => `/api/orgs/${w.orgA.id}`;

beforeAll(async () => {
  w = await createWorld();
  const learner = (): Promise<User> => w.person([{ orgId: w.orgA.id, role: 'learner' }]);
  [k1, e1, mMain, mEast] = [await learner(), await learner(), await learner(), await learner()];
  Object.assign(ids, await threeUnits(w, [['kids', k1, 'members'], ['east', e1, 'members'], ['main', mMain, 'managers'], ['east', mEast, 'managers']]));
  course = await publishedCourse(w, w.orgA.id, 'Story time basics');
  framework = (await importPackage(w.services, w.orgA.id, demoCompetencyPackage(caseUriBase(w.services), new Date().toISOString()))).framework;
}, 60_000);
afterAll(async () => {
  await w.close();
});

const assignmentsOfA = async (): Promise<number> => (await w.store.learning.findAssignments({ orgIds: [w.orgA.id] })).length;
const assigned = async (u: User): Promise<string> => JSON.stringify((await api(w, await w.session(u), 'get', '/api/my-learning').expect(200)).body.assigned);

describe('managers assign learning to the people of their units only', () => {
  it('a manager assigns to a unit below theirs and to a person in it; the unit audience reaches its members', async () => {
    const m = await w.session(mMain);
    await api(w, m, 'post', `${A()}/assignments`, { entryId: course.course.id, target: { kind: 'unit', unitId: ids.kids }, dueAt: '2099-01-31' }).expect(201);
    await api(w, m, 'post', `${A()}/assignments`, { entryId: course.course.id, target: { kind: 'person', userId: k1.id } }).expect(201);
    expect(await assigned(k1)).toContain('Story time basics');
    expect(await assigned(e1)).not.toContain('Story time basics');
  });

  it('refuses a sibling unit, its people, a platform role, other people and other organizations, changing nothing', async () => {
    const before = await assignmentsOfA();
    const m = await w.session(mMain);
    const e = await w.session(mEast);
    const body = (target: Record<string, string>) => ({ entryId: course.course.id, target });
    await api(w, m, 'post', `${A()}/assignments`, body({ kind: 'unit', unitId: ids.east })).expect(403);
    await api(w, m, 'post', `${A()}/assignments`, body({ kind: 'person', userId: e1.id })).expect(403);
    await api(w, m, 'post', `${A()}/assignments`, body({ kind: 'role', role: 'learner' })).expect(403);
    await api(w, m, 'post', `${A()}/assignments`, body({ kind: 'person', userId: w.people.learnerA.id })).expect(403);
    await api(w, e, 'post', `${A()}/assignments`, body({ kind: 'unit', unitId: ids.kids })).expect(403);
    await api(w, e, 'post', `${A()}/assignments`, body({ kind: 'unit', unitId: ids.main })).expect(403);
    await api(w, await w.session(w.people.learnerA), 'post', `${A()}/assignments`, body({ kind: 'unit', unitId: ids.kids })).expect(403);
    await api(w, await w.session(w.people.analystA), 'post', `${A()}/assignments`, body({ kind: 'unit', unitId: ids.kids })).expect(403);
    // Another organization's administrator, with A's ids: A stays opaque.
    await api(w, await w.session(w.people.orgAdminB), 'post', `${A()}/assignments`, body({ kind: 'unit', unitId: ids.kids })).expect(404);
    // A's manager in B's organization.
    await api(w, m, 'post', `/api/orgs/${w.orgB.id}/assignments`, body({ kind: 'unit', unitId: ids.kids })).expect(404);
    expect(await assignmentsOfA()).toBe(before);
  });

  it('a manager deletes assignments of their units, not of a sibling unit', async () => {
    const admin = await adm();
    const east = (await api(w, admin, 'post', `${A()}/assignments`, { entryId: course.course.id, target: { kind: 'unit', unitId: ids.east } }).expect(201)).body.assignment.id as string;
    expect(await assigned(e1)).toContain('Story time basics');
    await api(w, await w.session(mMain), 'delete', `${A()}/assignments/${east}`).expect(403);
    await api(w, await w.session(w.people.orgAdminB), 'delete', `${A()}/assignments/${east}`).expect(404);
    expect(await w.store.learning.findAssignment(east)).toBeDefined();
    await api(w, await w.session(mEast), 'delete', `${A()}/assignments/${east}`).expect(204);
    expect(await w.store.learning.findAssignment(east)).toBeUndefined();
  });
});

describe('managers confirm self-assessed levels of their people', () => {
  const item = (code: string) => ({ frameworkId: framework.id, itemIdentifier: demoCompetencyId(code) });

  it('lists and confirms the assessments of their people only; a sibling manager and B see nothing', async () => {
    await api(w, await w.session(k1), 'put', '/api/me/competencies/self', { orgId: w.orgA.id, ...item('PS.1'), level: 2 }).expect(200);
    await api(w, await w.session(e1), 'put', '/api/me/competencies/self', { orgId: w.orgA.id, ...item('PS.1'), level: 3 }).expect(200);
    const m = await w.session(mMain);
    const listed = (await api(w, m, 'get', `${A()}/competency/self-assessments`).expect(200)).body as { userId: string }[] | { selfAssessments: { userId: string }[] };
    const users = (Array.isArray(listed) ? listed : listed.selfAssessments).map((a) => a.userId);
    expect(users).toEqual([k1.id]);

    await api(w, m, 'post', `${A()}/competency/confirmations`, { userId: e1.id, ...item('PS.1') }).expect(404);
    await api(w, await w.session(mEast), 'post', `${A()}/competency/confirmations`, { userId: k1.id, ...item('PS.1') }).expect(404);
    await api(w, await w.session(w.people.orgAdminB), 'post', `${A()}/competency/confirmations`, { userId: k1.id, ...item('PS.1') }).expect(404);
    await api(w, await w.session(w.people.learnerA), 'post', `${A()}/competency/confirmations`, { userId: k1.id, ...item('PS.1') }).expect(403);
    await api(w, await w.session(w.people.orgAdminB), 'get', `${A()}/competency/self-assessments`).expect(404);
    const unconfirmed = await w.store.competency.findSelfAssessments({ orgIds: [w.orgA.id] });
    expect(unconfirmed.filter((a) => a.confirmedAt !== undefined)).toEqual([]);

    const ok = await api(w, m, 'post', `${A()}/competency/confirmations`, { userId: k1.id, ...item('PS.1') }).expect(201);
    expect(ok.body).toMatchObject({ userId: k1.id, confirmedBy: mMain.id });
    const profile = (await api(w, await w.session(k1), 'get', '/api/me/competencies').expect(200)).text;
    expect(profile).toContain('"source":"confirmed"');
  });
});

describe('course goals also create the assignments', () => {
  it('a unit goal assigns its course to the unit, due on the goal date', async () => {
    const c2 = await publishedCourse(w, w.orgA.id, 'Safeguarding children');
    await api(w, await w.session(mMain), 'post', `${A()}/goals`, { title: 'Kids safeguarding', courseId: c2.course.id, dueDate: '2099-06-30', unitId: ids.kids }).expect(201);
    const made = (await w.store.learning.findAssignments({ orgIds: [w.orgA.id] })).filter((a) => a.entryId === c2.course.id);
    expect(made).toEqual([expect.objectContaining({ target: { kind: 'unit', unitId: ids.kids }, required: true, createdBy: mMain.id })]);
    expect(made[0]?.dueAt?.slice(0, 10)).toBe('2099-06-30');
    expect(await assigned(k1)).toContain('Safeguarding children');
    expect(await assigned(e1)).not.toContain('Safeguarding children');
  });
});

describe('other areas\' registrations', () => {
  it('the dashboard shows earned badges in a section', async () => {
    const before = (await api(w, await w.session(k1), 'get', '/api/my-learning').expect(200)).body.sections as { id: string }[];
    expect(before.map((s) => s.id)).not.toContain('badges');
    await w.store.competency.insertCredential({ id: 'urn:uuid:3f1b1f0e-7c1a-4d55-9d8e-1a2b3c4d5e6f', orgId: w.orgA.id, badgeId: 'b1', userId: k1.id, jwt: `${Buffer.from('{"alg":"ES256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ name: 'Story time star' })).toString('base64url')}.c2ln`, issuedAt: new Date().toISOString() });
    const after = (await api(w, await w.session(k1), 'get', '/api/my-learning').expect(200)).body.sections as { id: string; items: { title: string }[] }[];
    const badges = after.find((s) => s.id === 'badges');
    expect(badges?.items.map((i) => i.title)).toEqual(['Story time star']);
  });
});
