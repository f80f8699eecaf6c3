/**
 * The assignments page (issue 18) over HTTP, as every role, a manager of a sibling unit and
 * another organization: administrators assign within the organization, managers within their
 * units and below; the list shows done and overdue counts; cancel removes one. Nothing changes
 * for a refused request.
 */
import request from 'supertest';
import type { Course, User } from '../../../src/store/ports';
import { cachedSessions, createWorld, type World } from '../security/fixture';
import { api, publishedCourse, threeUnits, type ThreeUnits } from '../careers/careers-world';

jest.setTimeout(60_000);

describe('the assignments page', () => {
  let w: World;
  const as = cachedSessions(() => w);
  let ids: ThreeUnits;
  let kid: User;
  let east: User;
  let mMain: User;
  let mEast: User;
  let course: { course: Course; activity: string };
  const P = (): string => `/orgs/${w.orgA.id}/assignments`;
  const get = async (u: User, path: string) => request(w.app).get(path).set('Cookie', (await as(u)).cookie);
  const form = async (u: User, path: string, fields: Record<string, string>, csrf = true) => {
    const s = await as(u);
    return request(w.app).post(path).set('Cookie', s.cookie).type('form').send({ ...(csrf ? { _csrf: s.csrf } : {}), ...fields });
  };
  const count = async (): Promise<number> => (await w.store.learning.findAssignments({ orgIds: [w.orgA.id] })).length;

  beforeAll(async () => {
    w = await createWorld();
    const learner = (): Promise<User> => w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    [kid, east, mMain, mEast] = [await learner(), await learner(), await learner(), await learner()];
    ids = await threeUnits(w, [['kids', kid, 'members'], ['east', east, 'members'], ['main', mMain, 'managers'], ['east', mEast, 'managers']]);
    course = await publishedCourse(w, w.orgA.id, 'Story time basics');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('refuses learners, authors and analysts (403), another organization (404), a manager outside their units, and a form without CSRF; nothing changes', async () => {
    const toKids = { entryId: course.course.id, targetKind: 'unit', unitId: ids.kids, dueAt: '2099-01-31', required: 'yes' };
    for (const u of [w.people.learnerA, w.people.authorA, w.people.analystA]) {
      expect((await get(u, P())).status).toBe(403);
      expect((await get(u, `/api${P()}`)).status).toBe(403);
      expect((await form(u, P(), toKids)).status).toBe(403);
    }
    for (const u of [w.people.orgAdminB, w.people.learnerB]) {
      expect((await get(u, P())).status).toBe(404);
      expect((await get(u, `/api${P()}`)).status).toBe(404);
      expect((await form(u, P(), toKids)).status).toBe(404);
    }
    // The manager of East Branch: not Children's Services, not its people, not a platform role.
    expect((await form(mEast, P(), toKids)).status).toBe(403);
    expect((await form(mEast, P(), { ...toKids, targetKind: 'person', userId: kid.id })).status).toBe(403);
    expect((await form(mEast, P(), { ...toKids, targetKind: 'role', role: 'learner' })).status).toBe(403);
    // An administrator naming another organization's unit (or an unknown one).
    expect((await form(w.people.orgAdminA, P(), { ...toKids, unitId: 'no-such-unit' })).status).toBe(404);
    expect((await form(w.people.orgAdminA, P(), toKids, false)).status).toBe(403);
    expect(await count()).toBe(0);
  });

  it('a manager assigns to a unit below theirs from the form, sees only their units\' assignments with done and overdue counts, and cancels', async () => {
    const page = await get(mMain, P());
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/Children(&#39;|&#x27;|')s Services/);
    expect(page.text).not.toContain('East Branch');
    expect(page.text).not.toContain('name="role"');
    expect(page.text).not.toMatch(/<script(?![^>]*src=)/);
    const res = await form(mMain, P(), { entryId: course.course.id, targetKind: 'unit', unitId: ids.kids, dueAt: '2000-01-31', required: 'yes' });
    expect(res.status).toBe(303);
    expect(await count()).toBe(1);
    // An administrator's assignment to East Branch: not the main manager's to see or cancel.
    const admin = await w.session(w.people.orgAdminA);
    const eastId = (await api(w, admin, 'post', `/api${P()}`, { entryId: course.course.id, target: { kind: 'unit', unitId: ids.east } }).expect(201)).body.assignment.id as string;

    const mine = await get(mMain, `/api${P()}`);
    expect(mine.status).toBe(200);
    expect(mine.body.assignments).toHaveLength(1);
    // Due in 2000: the kid has not completed it, so one person is overdue.
    expect(mine.body.assignments[0].status).toEqual({ people: 1, done: 0, overdue: 1 });
    const all = await get(w.people.orgAdminA, `/api${P()}`);
    expect(all.body.assignments).toHaveLength(2);
    const list = await get(mMain, P());
    expect(list.text).toContain('0 of 1');
    expect(list.text).not.toContain(`/assignments/${eastId}/cancel`);
    expect((await form(mMain, `${P()}/${eastId}/cancel`, {})).status).toBe(403);
    expect((await form(w.people.orgAdminB, `${P()}/${eastId}/cancel`, {})).status).toBe(404);
    expect((await form(w.people.orgAdminA, `${P()}/${eastId}/cancel`, {}, false)).status).toBe(403);
    expect(await count()).toBe(2);

    // The kid sees it first on My learning, overdue.
    const dash = await get(kid, '/api/my-learning');
    expect(dash.body.assigned).toMatchObject([{ title: 'Story time basics', overdue: true }]);

    const kidsId = mine.body.assignments[0].id as string;
    expect((await form(mMain, `${P()}/${kidsId}/cancel`, {})).status).toBe(303);
    expect(await w.store.learning.findAssignment(kidsId)).toBeUndefined();
    expect(await count()).toBe(1);
  });

  it('an administrator assigns to a person or a role; a bad form comes back with the message', async () => {
    const before = await count();
    const bad = await form(w.people.orgAdminA, P(), { entryId: course.course.id, targetKind: 'person', userId: '', dueAt: 'soon' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('role="alert"');
    expect(await count()).toBe(before);
    expect((await form(w.people.orgAdminA, P(), { entryId: course.course.id, targetKind: 'role', role: 'learner', dueAt: '2099-02-01' })).status).toBe(303);
    expect((await form(w.people.orgAdminA, P(), { entryId: course.course.id, targetKind: 'person', userId: east.id })).status).toBe(303);
    expect(await count()).toBe(before + 2);
    const page = await get(w.people.orgAdminA, P());
    expect(page.text).toContain('Everyone with the role');
    // Linked from the organization's pages and the header.
    expect((await get(w.people.orgAdminA, `/admin/orgs/${w.orgA.id}`)).text).toContain(`href="${P()}"`);
    const hub = await get(mMain, '/organize');
    expect(hub.status).toBe(200);
    expect(hub.text).toContain(`href="${P()}"`);
    expect(hub.text).not.toContain(`/orgs/${w.orgA.id}/opportunities`);
    expect(hub.text).toContain('href="/organize"');
  });
});
