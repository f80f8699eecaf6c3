/**
 * Issue 15, teams: units of an organization (a tree), people in units, managers scoped to a unit
 * and the units below it. Every role, a manager of a sibling unit, and another organization's ids.
 */
import request from 'supertest';
import type { User } from '../../../src/store/ports';
import { createWorld, type Session, type World } from '../security/fixture';
import { api, learn, publishedCourse } from './careers-world';

let w: World;
let admin: Session;
const ids = { main: '', kids: '', east: '' };
let memberKids: User;
let memberEast: User;
let managerMain: User;
let managerEast: User;
let courseTitle: string;

const A = (): string => `/api/orgs/${w.orgA.id}`;

beforeAll(async () => {
  w = await createWorld();
  admin = await w.session(w.people.orgAdminA);
  const unit = async (name: string, parentId?: string): Promise<string> => {
    const res = await api(w, admin, 'post', `${A()}/units`, { name, ...(parentId ? { parentId } : {}) });
    expect(res.status).toBe(201);
    return (res.body as { id: string }).id;
  };
  ids.main = await unit('Main Library');
  ids.kids = await unit("Children's Services", ids.main);
  ids.east = await unit('East Branch');
  memberKids = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
  memberEast = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
  managerMain = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
  managerEast = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
  for (const [unitId, user, kind] of [
    [ids.kids, memberKids, 'members'], [ids.east, memberEast, 'members'], [ids.main, managerMain, 'managers'], [ids.east, managerEast, 'managers'],
  ] as const) {
    expect((await api(w, admin, 'put', `${A()}/units/${unitId}/${kind}/${user.id}`)).status).toBe(201);
  }
  const course = await publishedCourse(w, w.orgA.id, 'Reference interview basics');
  courseTitle = course.course.title;
  await learn(w, memberKids, w.orgA.id, course, true, w.creds.orgA);
  await learn(w, memberEast, w.orgA.id, course, false, w.creds.orgA);
}, 60_000);
afterAll(async () => {
  await w.close();
});

describe('units: the tree and its rules', () => {
  it('lists the tree in order, with paths, counts and managers', async () => {
    const res = await api(w, admin, 'get', `${A()}/units`);
    expect(res.status).toBe(200);
    const units = (res.body as { units: { id: string; path: string; depth: number; members: number; managers: string[] }[] }).units;
    expect(units.map((u) => [u.path, u.depth, u.members])).toEqual([
      ['East Branch', 0, 1], ['Main Library', 0, 0], ["Main Library / Children's Services", 1, 1],
    ]);
    expect(units.find((u) => u.id === ids.main)?.managers).toEqual([managerMain.id]);
  });

  it('refuses a sibling of the same name, a parent of another organization and a move below itself', async () => {
    expect((await api(w, admin, 'post', `${A()}/units`, { name: 'east branch' })).status).toBe(409);
    // The same name under another parent is fine.
    const nested = await api(w, admin, 'post', `${A()}/units`, { name: 'East Branch', parentId: ids.main });
    expect(nested.status).toBe(201);
    const adminB = await w.session(w.people.orgAdminB);
    const bUnit = await api(w, adminB, 'post', `/api/orgs/${w.orgB.id}/units`, { name: 'B unit' });
    expect(bUnit.status).toBe(201);
    const bId = (bUnit.body as { id: string }).id;
    expect((await api(w, admin, 'post', `${A()}/units`, { name: 'Stray', parentId: bId })).status).toBe(400);
    expect((await api(w, admin, 'patch', `${A()}/units/${ids.main}`, { parentId: ids.kids })).status).toBe(409);
    expect((await api(w, admin, 'patch', `${A()}/units/${ids.main}`, { parentId: ids.main })).status).toBe(409);
    expect((await api(w, admin, 'post', `${A()}/units`, { name: '' })).status).toBe(400);
    // Rename and move, then back to the top.
    const nestedId = (nested.body as { id: string }).id;
    const moved = await api(w, admin, 'patch', `${A()}/units/${nestedId}`, { name: 'Outreach', parentId: ids.kids });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ name: 'Outreach', parentId: ids.kids });
    const top = await api(w, admin, 'patch', `${A()}/units/${nestedId}`, { parentId: null });
    expect(top.body).not.toHaveProperty('parentId');
    expect((await api(w, admin, 'delete', `${A()}/units/${nestedId}`)).status).toBe(204);
    expect((await api(w, admin, 'get', `${A()}/units/${nestedId}`)).status).toBe(404);
  });

  it('refuses to delete a unit with units below it or people in it', async () => {
    expect((await api(w, admin, 'delete', `${A()}/units/${ids.main}`)).status).toBe(409);
    expect((await api(w, admin, 'delete', `${A()}/units/${ids.kids}`)).status).toBe(409);
    expect((await api(w, admin, 'get', `${A()}/units`)).body.units).toHaveLength(3);
  });

  it('adds only people of the organization, and says 404 for anyone else', async () => {
    expect((await api(w, admin, 'put', `${A()}/units/${ids.kids}/members/${w.people.learnerB.id}`)).status).toBe(404);
    expect((await api(w, admin, 'put', `${A()}/units/${ids.kids}/members/no-such-person`)).status).toBe(404);
    expect((await api(w, admin, 'put', `${A()}/units/${ids.kids}/members/${memberKids.id}`)).status).toBe(200);
    expect(await w.store.careers.findUnitPeople({ orgId: w.orgA.id, userId: w.people.learnerB.id })).toEqual([]);
  });
});

describe('managers', () => {
  it('get the manager role with their first unit and lose it with their last', async () => {
    const p = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    await api(w, admin, 'put', `${A()}/units/${ids.kids}/managers/${p.id}`).expect(201);
    await api(w, admin, 'put', `${A()}/units/${ids.east}/managers/${p.id}`).expect(201);
    const roles = async (): Promise<string[]> => (await w.store.accounts.findMemberships({ userId: p.id, orgId: w.orgA.id })).map((m) => m.role).sort();
    expect(await roles()).toEqual(['learner', 'manager']);
    await api(w, admin, 'delete', `${A()}/units/${ids.kids}/managers/${p.id}`).expect(204);
    expect(await roles()).toEqual(['learner', 'manager']);
    await api(w, admin, 'delete', `${A()}/units/${ids.east}/managers/${p.id}`).expect(204);
    expect(await roles()).toEqual(['learner']);
    await api(w, admin, 'delete', `${A()}/units/${ids.east}/managers/${p.id}`).expect(404);
    // The generic role routes do not make managers: that needs a unit.
    await api(w, admin, 'put', `${A()}/people/${p.id}/roles/manager`).expect(400);
  });

  it('see their units and the units below, their people and their progress', async () => {
    const m = await w.session(managerMain);
    const units = (await api(w, m, 'get', `${A()}/units`).expect(200)).body.units as { id: string }[];
    expect(units.map((u) => u.id)).toEqual([ids.main, ids.kids]);
    const team = (await api(w, m, 'get', `${A()}/team`).expect(200)).body.people as { userId: string; done: number; courses: { title: string; done: boolean }[] }[];
    expect(team.map((p) => p.userId)).toEqual([memberKids.id]);
    expect(team[0]?.done).toBe(1);
    expect(team[0]?.courses).toEqual([expect.objectContaining({ title: courseTitle, done: true, completion: 'completed' })]);
    const one = await api(w, m, 'get', `${A()}/team/${memberKids.id}`).expect(200);
    expect(one.body).toMatchObject({ userId: memberKids.id, units: [{ id: ids.kids, path: "Main Library / Children's Services" }] });
    expect((await api(w, m, 'get', `${A()}/units/${ids.kids}`).expect(200)).body.people).toEqual([
      expect.objectContaining({ userId: memberKids.id, kind: 'member' }),
    ]);
  });

  it('see nothing of a sibling unit: its unit, its people and their progress are 404', async () => {
    const m = await w.session(managerMain);
    await api(w, m, 'get', `${A()}/units/${ids.east}`).expect(404);
    await api(w, m, 'get', `${A()}/team/${memberEast.id}`).expect(404);
    await api(w, m, 'get', `${A()}/team`).query({ unit: ids.east }).expect(404);
    // The sibling manager sees only East.
    const e = await w.session(managerEast);
    const team = (await api(w, e, 'get', `${A()}/team`).expect(200)).body.people as { userId: string; done: number; started: number }[];
    expect(team.map((p) => [p.userId, p.started, p.done])).toEqual([[memberEast.id, 1, 0]]);
    await api(w, e, 'get', `${A()}/team/${memberKids.id}`).expect(404);
    await api(w, e, 'get', `${A()}/units/${ids.kids}`).expect(404);
    // A person of another organization, or nobody: the same 404.
    await api(w, e, 'get', `${A()}/team/${w.people.learnerB.id}`).expect(404);
    await api(w, e, 'get', `${A()}/team/no-such-person`).expect(404);
  });

  it('change nothing: unit writes are for administrators', async () => {
    const m = await w.session(managerMain);
    await api(w, m, 'post', `${A()}/units`, { name: 'Mine' }).expect(403);
    await api(w, m, 'patch', `${A()}/units/${ids.kids}`, { name: 'Renamed' }).expect(403);
    await api(w, m, 'put', `${A()}/units/${ids.kids}/members/${memberEast.id}`).expect(403);
    await api(w, m, 'delete', `${A()}/units/${ids.kids}/members/${memberKids.id}`).expect(403);
    await api(w, m, 'put', `${A()}/units/${ids.kids}/managers/${managerMain.id}`).expect(403);
    expect((await w.store.careers.findUnit(w.orgA.id, ids.kids))?.name).toBe("Children's Services");
    expect((await w.store.careers.findUnitPeople({ orgId: w.orgA.id, unitIds: [ids.kids] })).map((r) => r.userId)).toEqual([memberKids.id]);
  });
});

describe('every other caller', () => {
  const routes = (): [string, string, unknown?][] => [
    ['get', `${A()}/units`], ['get', `${A()}/units/${ids.kids}`], ['get', `${A()}/team`], ['get', `${A()}/team/${memberKids.id}`],
    ['post', `${A()}/units`, { name: 'X' }], ['patch', `${A()}/units/${ids.kids}`, { name: 'X' }], ['delete', `${A()}/units/${ids.east}`],
    ['put', `${A()}/units/${ids.kids}/members/${memberEast.id}`], ['delete', `${A()}/units/${ids.kids}/members/${memberKids.id}`],
    ['put', `${A()}/units/${ids.kids}/managers/${memberEast.id}`], ['delete', `${A()}/units/${ids.main}/managers/${managerMain.id}`],
  ];
  const snapshot = async (): Promise<unknown> => [await w.store.careers.findUnits(w.orgA.id), await w.store.careers.findUnitPeople({ orgId: w.orgA.id })];

  it('learners, authors and analysts of the organization get 403; another organization\'s administrator 404; no session 401', async () => {
    const before = await snapshot();
    const expectations: [User | undefined, number][] = [
      [w.people.learnerA, 403], [w.people.authorA, 403], [w.people.analystA, 403], [w.people.orgAdminB, 404], [undefined, 401],
    ];
    const wrong: string[] = [];
    for (const [user, status] of expectations) {
      const session = user ? await w.session(user) : undefined;
      for (const [method, path, body] of routes()) {
        const res = await api(w, session, method as 'get', path, body);
        if (res.status !== status) wrong.push(`${method} ${path} as ${user?.email ?? 'anon'}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await snapshot()).toEqual(before);
  }, 60_000);

  it('another organization\'s administrator cannot reach A\'s units or people through their own organization', async () => {
    const b = await w.session(w.people.orgAdminB);
    const B = `/api/orgs/${w.orgB.id}`;
    await api(w, b, 'get', `${B}/units/${ids.kids}`).expect(404);
    await api(w, b, 'patch', `${B}/units/${ids.kids}`, { name: 'Taken' }).expect(404);
    await api(w, b, 'delete', `${B}/units/${ids.east}`).expect(404);
    await api(w, b, 'put', `${B}/units/${ids.kids}/members/${w.people.learnerB.id}`).expect(404);
    await api(w, b, 'get', `${B}/team/${memberKids.id}`).expect(404);
    const bUnit = (await api(w, b, 'post', `${B}/units`, { name: 'Their own' }).expect(201)).body as { id: string };
    // A's person into B's unit: not a person of B.
    await api(w, b, 'put', `${B}/units/${bUnit.id}/members/${memberKids.id}`).expect(404);
    await api(w, b, 'post', `${B}/units`, { name: 'Under A', parentId: ids.main }).expect(400);
    expect((await w.store.careers.findUnit(w.orgA.id, ids.kids))?.name).toBe("Children's Services");
  });

  it('the site administrator may do what an organization administrator does', async () => {
    const site = await w.session(w.people.siteAdmin);
    expect((await api(w, site, 'get', `${A()}/team`).expect(200)).body.people.map((p: { userId: string }) => p.userId).sort()).toEqual([memberKids.id, memberEast.id].sort());
  });
});

describe('pages', () => {
  it('the units page lists the tree and its forms change it', async () => {
    const page = await request(w.app).get(`/admin/orgs/${w.orgA.id}/units`).set('Cookie', admin.cookie).expect(200);
    expect(page.text).toContain('Children&#39;s Services');
    const created = await request(w.app).post(`/admin/orgs/${w.orgA.id}/units`).set('Cookie', admin.cookie).type('form')
      .send({ _csrf: admin.csrf, name: 'Bookmobile', parentId: ids.east });
    expect(created.status).toBe(303);
    const units = await w.store.careers.findUnits(w.orgA.id);
    const bookmobile = units.find((u) => u.name === 'Bookmobile');
    expect(bookmobile?.parentId).toBe(ids.east);
    const dup = await request(w.app).post(`/admin/orgs/${w.orgA.id}/units`).set('Cookie', admin.cookie).type('form')
      .send({ _csrf: admin.csrf, name: 'bookmobile', parentId: ids.east });
    expect(dup.status).toBe(409);
    expect(dup.text).toContain('role="alert"');
    await request(w.app).post(`/admin/orgs/${w.orgA.id}/units/${bookmobile?.id}/delete`).set('Cookie', admin.cookie).type('form').send({ _csrf: admin.csrf }).expect(303);
    const learner = await w.session(w.people.learnerA);
    await request(w.app).get(`/admin/orgs/${w.orgA.id}/units`).set('Cookie', learner.cookie).expect(403);
  });

  it('the team page shows a manager their people and a person\'s courses, and nothing of a sibling unit', async () => {
    const m = await w.session(managerMain);
    const team = await request(w.app).get(`/team/${w.orgA.id}`).set('Cookie', m.cookie).expect(200);
    expect(team.text).toContain(memberKids.name);
    expect(team.text).not.toContain(memberEast.name);
    const person = await request(w.app).get(`/team/${w.orgA.id}/people/${memberKids.id}`).set('Cookie', m.cookie).expect(200);
    expect(person.text).toContain(courseTitle);
    await request(w.app).get(`/team/${w.orgA.id}/people/${memberEast.id}`).set('Cookie', m.cookie).expect(404);
    const learner = await w.session(w.people.learnerA);
    await request(w.app).get(`/team/${w.orgA.id}`).set('Cookie', learner.cookie).expect(403);
  });

  it('the teams index links the careers pages of each organization by role', async () => {
    const m = await w.session(managerMain);
    const mine = await request(w.app).get('/teams').set('Cookie', m.cookie).expect(200);
    expect(mine.text).toContain(`href="/team/${w.orgA.id}"`);
    expect(mine.text).toContain(`href="/orgs/${w.orgA.id}/role-profiles"`);
    expect(mine.text).not.toContain(`/admin/orgs/${w.orgA.id}/units`);
    expect(mine.text).not.toContain(w.orgB.id);
    const learner = await w.session(w.people.learnerA);
    const theirs = await request(w.app).get('/teams').set('Cookie', learner.cookie).expect(200);
    expect(theirs.text).toContain(`href="/orgs/${w.orgA.id}/role-profiles"`);
    expect(theirs.text).not.toContain(`href="/team/${w.orgA.id}"`);
    const a = await request(w.app).get('/teams').set('Cookie', admin.cookie).expect(200);
    expect(a.text).toContain(`href="/admin/orgs/${w.orgA.id}/units"`);
  });
});

describe('erasure', () => {
  it('takes an erased person out of every unit and drops their role profiles', async () => {
    const p = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    await api(w, admin, 'put', `${A()}/units/${ids.kids}/members/${p.id}`).expect(201);
    await api(w, admin, 'put', `${A()}/units/${ids.east}/managers/${p.id}`).expect(201);
    const profile = (await api(w, admin, 'post', `${A()}/role-profiles`, { name: `Erasable ${p.id}` }).expect(201)).body.id as string;
    await api(w, admin, 'put', `${A()}/people/${p.id}/role-profiles/${profile}`).expect(201);
    const site = await w.session(w.people.siteAdmin);
    await api(w, site, 'post', `/api/admin/people/${p.id}/erase`).expect(200);
    expect(await w.store.careers.findUnitPeople({ orgId: w.orgA.id, userId: p.id })).toEqual([]);
    expect(await w.store.careers.findPersonRoleProfiles({ orgId: w.orgA.id, userId: p.id })).toEqual([]);
    // Others stay.
    expect((await w.store.careers.findUnitPeople({ orgId: w.orgA.id, unitIds: [ids.kids] })).map((r) => r.userId)).toContain(memberKids.id);
  });
});
