/**
 * Issue 15, organizational goals of the kind "every person in unit U completes course K by D":
 * the value from the progress projection, its trend, CSV, and who may see and set which goal.
 */
import request from 'supertest';
import type { Course, User } from '../../../src/store/ports';
import { agentOf, courseFixture, createWorld, postStatements, stmt, type Session, type World } from '../security/fixture';
import { api, COMPLETED, learn, publishedCourse, threeUnits } from './careers-world';

let w: World;
/** A fresh session of A's administrator (the tests move the clock past older sessions' expiry). */
const adm = (): Promise<Session> => w.session(w.people.orgAdminA);
const ids = { main: '', kids: '', east: '' };
let k1: User;
let k2: User;
let e1: User;
let mMain: User;
let mEast: User;
let course: { course: Course; activity: string };
let k2Registration: string;
const A = (): string => `/api/orgs/${w.orgA.id}`;

interface GoalBody { id: string; total: number; done: number; percent: number; status: string; trend: { day: string; done: number; total: number }[]; people: { userId: string; status: string }[] }

beforeAll(async () => {
  w = await createWorld();
  const learner = (): Promise<User> => w.person([{ orgId: w.orgA.id, role: 'learner' }]);
  [k1, k2, e1, mMain, mEast] = [await learner(), await learner(), await learner(), await learner(), await learner()];
  Object.assign(ids, await threeUnits(w, [['kids', k1, 'members'], ['kids', k2, 'members'], ['east', e1, 'members'], ['main', mMain, 'managers'], ['east', mEast, 'managers']]));
  course = await publishedCourse(w, w.orgA.id, 'Safeguarding children');
  await learn(w, k1, w.orgA.id, course, true, w.creds.orgA);
  k2Registration = await learn(w, k2, w.orgA.id, course, false, w.creds.orgA);
}, 60_000);
afterAll(async () => {
  await w.close();
});

const goalBody = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: 'Everyone in Main completes safeguarding', courseId: course.course.id, dueDate: '2099-06-30', unitId: ids.main, ...extra,
});

describe('a unit goal', () => {
  let goalId: string;

  it('counts the people of the unit and the units below it, from the progress projection', async () => {
    const created = await api(w, await adm(), 'post', `${A()}/goals`, goalBody()).expect(201);
    goalId = created.body.id as string;
    expect(created.body).toMatchObject({ kind: 'course-completion', targetPercent: 100, unitId: ids.main });
    const g = (await api(w, await adm(), 'get', `${A()}/goals/${goalId}`).expect(200)).body as GoalBody;
    expect([g.total, g.done, g.percent, g.status]).toEqual([2, 1, 50, 'on track']);
    expect(g.people.map((p) => [p.userId, p.status]).sort()).toEqual([[k1.id, 'done'], [k2.id, 'in progress']].sort());
    expect(g.trend).toEqual([expect.objectContaining({ done: 1, total: 2 })]);
  });

  it('moves when a statement completes the course, and keeps one value per day for the trend', async () => {
    w.advance(86_400_000);
    await postStatements(w.app, w.creds.orgA, [stmt(agentOf(k2), { registration: k2Registration, activity: course.activity, verb: COMPLETED })]);
    const g = (await api(w, await adm(), 'get', `${A()}/goals/${goalId}`).expect(200)).body as GoalBody;
    expect([g.total, g.done, g.percent, g.status]).toEqual([2, 2, 100, 'met']);
    expect(g.trend.map((p) => [p.done, p.total])).toEqual([[1, 2], [2, 2]]);
    expect(g.trend[1]!.day > g.trend[0]!.day).toBe(true);
  });

  it('exports its people and its trend as CSV', async () => {
    const people = await api(w, await adm(), 'get', `${A()}/goals/${goalId}/export`).expect(200);
    expect(people.headers['content-type']).toContain('text/csv');
    const lines = people.text.trim().split('\n');
    expect(lines[0]).toBe('name,email,status,last_activity');
    expect(lines).toHaveLength(3);
    expect(lines.filter((l) => l.includes(',done,'))).toHaveLength(2);
    const trend = await api(w, await adm(), 'get', `${A()}/goals/${goalId}/export`).query({ part: 'trend' }).expect(200);
    expect(trend.text.trim().split('\n')).toEqual(['day,done,people,percent,target_percent,on_track', expect.stringMatching(/,1,2,50,100,0$/), expect.stringMatching(/,2,2,100,100,0$/)]);
    await api(w, await adm(), 'get', `${A()}/goals/${goalId}/export`).query({ part: 'secrets' }).expect(400);
  });

  it('says behind once time passes without progress, and missed after the due date', async () => {
    const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const east = (await api(w, await adm(), 'post', `${A()}/goals`, goalBody({ title: 'East too', unitId: ids.east, dueDate: soon })).expect(201)).body.id as string;
    expect((await api(w, await adm(), 'get', `${A()}/goals/${east}`).expect(200)).body.status).toBe('on track');
    w.advance(3 * 86_400_000);
    expect((await api(w, await adm(), 'get', `${A()}/goals/${east}`).expect(200)).body.status).toBe('behind');
    w.advance(10 * 86_400_000);
    expect((await api(w, await adm(), 'get', `${A()}/goals/${east}`).expect(200)).body.status).toBe('missed');
  });
});

describe('who may set and see goals', () => {
  it('a manager sets goals for their units only and sees nothing of a sibling unit\'s goals', async () => {
    const m = await w.session(mMain);
    const kidsGoal = (await api(w, m, 'post', `${A()}/goals`, goalBody({ title: 'Kids goal', unitId: ids.kids })).expect(201)).body.id as string;
    await api(w, m, 'post', `${A()}/goals`, goalBody({ unitId: ids.east })).expect(403);
    await api(w, m, 'post', `${A()}/goals`, goalBody({ unitId: undefined })).expect(403);
    const eastGoal = (await api(w, await adm(), 'post', `${A()}/goals`, goalBody({ title: 'East goal', unitId: ids.east })).expect(201)).body.id as string;
    const orgGoal = (await api(w, await adm(), 'post', `${A()}/goals`, goalBody({ title: 'Org goal', unitId: undefined })).expect(201)).body.id as string;

    const seen = ((await api(w, m, 'get', `${A()}/goals`).expect(200)).body.goals as { id: string }[]).map((g) => g.id);
    expect(seen).toContain(kidsGoal);
    expect(seen).not.toContain(eastGoal);
    expect(seen).not.toContain(orgGoal);
    await api(w, m, 'get', `${A()}/goals/${eastGoal}`).expect(404);
    await api(w, m, 'get', `${A()}/goals/${orgGoal}`).expect(404);
    await api(w, m, 'get', `${A()}/goals/${eastGoal}/export`).expect(404);
    await api(w, m, 'delete', `${A()}/goals/${eastGoal}`).expect(404);
    const e = await w.session(mEast);
    await api(w, e, 'get', `${A()}/goals/${kidsGoal}`).expect(404);
    await api(w, e, 'delete', `${A()}/goals/${kidsGoal}`).expect(404);
    expect(await w.store.careers.findGoal(w.orgA.id, kidsGoal)).toBeDefined();
    await api(w, m, 'delete', `${A()}/goals/${kidsGoal}`).expect(204);

    // The whole-organization goal counts every learner of A.
    const og = (await api(w, await adm(), 'get', `${A()}/goals/${orgGoal}`).expect(200)).body as GoalBody;
    const learners = new Set((await w.store.accounts.findMemberships({ orgId: w.orgA.id })).filter((x) => x.role === 'learner').map((x) => x.userId));
    expect(og.total).toBe(learners.size);
    expect(og.done).toBe(2);
  });

  it('learners, authors and analysts get 403, another organization 404, through its own path too; nothing changes', async () => {
    const g = (await api(w, await adm(), 'post', `${A()}/goals`, goalBody({ title: 'Guarded' })).expect(201)).body.id as string;
    const before = await w.store.careers.findGoals({ orgId: w.orgA.id });
    const wrong: string[] = [];
    for (const [user, status] of [[w.people.learnerA, 403], [w.people.authorA, 403], [w.people.analystA, 403], [w.people.orgAdminB, 404]] as const) {
      const sess = await w.session(user);
      for (const [method, path, b] of [
        ['get', `${A()}/goals`], ['post', `${A()}/goals`, goalBody()], ['get', `${A()}/goals/${g}`], ['delete', `${A()}/goals/${g}`], ['get', `${A()}/goals/${g}/export`],
      ] as const) {
        const res = await api(w, sess, method, path, b);
        if (res.status !== status) wrong.push(`${method} ${path} as ${user.email}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
    const b = await w.session(w.people.orgAdminB);
    await api(w, b, 'get', `/api/orgs/${w.orgB.id}/goals/${g}`).expect(404);
    await api(w, b, 'delete', `/api/orgs/${w.orgB.id}/goals/${g}`).expect(404);
    // B's goal cannot name A's units.
    await api(w, b, 'post', `/api/orgs/${w.orgB.id}/goals`, goalBody({ unitId: ids.kids })).expect(400);
    expect(await w.store.careers.findGoals({ orgId: w.orgA.id })).toEqual(before);
  });

  it('a goal names a course the organization can use: its own, or a published one; another organization\'s draft is unknown', async () => {
    const draftB = courseFixture(w.orgB.id, 'draft');
    await w.store.courses.insertCourse(draftB.course, draftB.version);
    const publishedB = await publishedCourse(w, w.orgB.id, 'Provider course');
    await api(w, await adm(), 'post', `${A()}/goals`, goalBody({ courseId: draftB.course.id })).expect(400);
    await api(w, await adm(), 'post', `${A()}/goals`, goalBody({ courseId: 'no-such-course' })).expect(400);
    await api(w, await adm(), 'post', `${A()}/goals`, goalBody({ courseId: publishedB.course.id })).expect(201);
    await api(w, await adm(), 'post', `${A()}/goals`, goalBody({ dueDate: '2027-02-30' })).expect(400);
    await api(w, await adm(), 'post', `${A()}/goals`, goalBody({ targetPercent: 0 })).expect(400);
  });
});

describe('pages', () => {
  it('the goal page shows the value, the trend as a chart with a text alternative and a table, and the people', async () => {
    const admin = await adm();
    const created = await request(w.app).post(`/orgs/${w.orgA.id}/goals`).set('Cookie', admin.cookie).type('form').send({
      _csrf: admin.csrf, title: 'Kids by summer', unitId: ids.kids, courseId: course.course.id, dueDate: '2099-07-01', targetPercent: '80',
    });
    expect(created.status).toBe(303);
    const page = await request(w.app).get(created.headers['location'] as string).set('Cookie', admin.cookie).expect(200);
    expect(page.text).toContain('<img src="data:image/svg+xml;base64,');
    const svg = Buffer.from(/data:image\/svg\+xml;base64,([^"]+)"/.exec(page.text)?.[1] ?? '', 'base64').toString();
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('Target 80%');
    // A goal set today still shows the history before it: from the first completion in scope (a day before).
    expect(page.text).toMatch(/alt="Trend of Kids by summer: \d+ point\(s\) from the evidence history/);
    expect(/<tbody><tr><th scope="row">[\d-]+<\/th><td>(\d+)<\/td><td>(\d+)<\/td>/.exec(page.text)?.slice(1)).toEqual(['1', '2']);
    expect(page.text).toContain('Trend of Kids by summer, one row per point');
    expect(page.text).toContain(k1.name);
    expect(page.text).not.toContain(e1.name);
    const bad = await request(w.app).post(`/orgs/${w.orgA.id}/goals`).set('Cookie', admin.cookie).type('form').send({ _csrf: admin.csrf, title: 'x', courseId: course.course.id, dueDate: 'soon' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('role="alert"');
    const learner = await w.session(w.people.learnerA);
    await request(w.app).get(`/orgs/${w.orgA.id}/goals`).set('Cookie', learner.cookie).expect(403);
    const m = await w.session(mEast);
    await request(w.app).get(created.headers['location'] as string).set('Cookie', m.cookie).expect(404);
  });
});
