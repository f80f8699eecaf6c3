/**
 * Issue 15, role profiles: an organization's own, adopted copies of shared ones, CSV import and
 * export, and the profiles each person holds. Every role and another organization's ids.
 */
import request from 'supertest';
import { seedDemoAccounts } from '../../../src/accounts/bootstrap-admin';
import { testConfig } from '../../../src/config';
import { seedDemoCareers } from '../../../src/demo/seed-demo-careers';
import { demoCompetencyPackage } from '../../../src/demo/demo-competencies';
import { caseUriBase } from '../../../src/competency/frameworks';
import { createLogger } from '../../../src/logger';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { CredentialVerifier } from '../../../src/xapi/auth/credential-verifier';
import type { RoleProfile, User } from '../../../src/store/ports';
import { createWorld, type Session, type World } from '../security/fixture';
import { api } from './careers-world';

let w: World;
let adminA: Session;
let adminB: Session;
const A = (): string => `/api/orgs/${w.orgA.id}`;
const B = (): string => `/api/orgs/${w.orgB.id}`;
const REF = 'https://example.org/competencies/reference-interview';
const OUT = 'https://example.org/competencies/outreach';

const body = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name, description: `The ${name}`, competencies: [{ competencyId: REF, targetLevel: 3 }, { competencyId: OUT, targetLevel: 2 }], ...extra,
});

beforeAll(async () => {
  w = await createWorld();
  adminA = await w.session(w.people.orgAdminA);
  adminB = await w.session(w.people.orgAdminB);
}, 60_000);
afterAll(async () => {
  await w.close();
});

describe('an organization\'s role profiles', () => {
  it('are created, read, changed and deleted by its administrators, and read by its people', async () => {
    const created = await api(w, adminA, 'post', `${A()}/role-profiles`, body('Branch Manager')).expect(201);
    const p = created.body as RoleProfile;
    expect(p).toMatchObject({ orgId: w.orgA.id, name: 'Branch Manager', shared: false, competencies: [{ competencyId: REF, targetLevel: 3 }, { competencyId: OUT, targetLevel: 2 }] });
    const learner = await w.session(w.people.learnerA);
    expect((await api(w, learner, 'get', `${A()}/role-profiles`).expect(200)).body.profiles.map((x: RoleProfile) => x.id)).toContain(p.id);
    await api(w, learner, 'get', `${A()}/role-profiles/${p.id}`).expect(200);
    await api(w, learner, 'post', `${A()}/role-profiles`, body('Mine')).expect(403);
    await api(w, learner, 'put', `${A()}/role-profiles/${p.id}`, body('Taken')).expect(403);
    await api(w, learner, 'delete', `${A()}/role-profiles/${p.id}`).expect(403);

    const changed = await api(w, adminA, 'put', `${A()}/role-profiles/${p.id}`, body('Branch Manager', { competencies: [{ competencyId: OUT, targetLevel: 4 }] })).expect(200);
    expect(changed.body.competencies).toEqual([{ competencyId: OUT, targetLevel: 4 }]);
    await api(w, adminA, 'post', `${A()}/role-profiles`, body('branch manager')).expect(409);
    await api(w, adminA, 'delete', `${A()}/role-profiles/${p.id}`).expect(204);
    await api(w, adminA, 'get', `${A()}/role-profiles/${p.id}`).expect(404);
  });

  it('refuses bad competencies and levels, naming the field', async () => {
    const bad = async (competencies: unknown): Promise<string> =>
      (await api(w, adminA, 'post', `${A()}/role-profiles`, { name: 'Bad', competencies }).expect(400)).body.message as string;
    expect(await bad([{ competencyId: REF, targetLevel: 0 }])).toContain('competencies[0].targetLevel');
    expect(await bad([{ competencyId: REF, targetLevel: 2.5 }])).toContain('targetLevel');
    expect(await bad([{ competencyId: 'has space', targetLevel: 1 }])).toContain('competencyId');
    expect(await bad([{ competencyId: REF, targetLevel: 1 }, { competencyId: REF, targetLevel: 2 }])).toContain('twice');
    expect(await bad('not a list')).toContain('competencies');
    expect((await w.store.careers.findRoleProfiles({ orgId: w.orgA.id })).some((p) => p.name === 'Bad')).toBe(false);
  });

  it('are 404 to another organization, through its own path too, and nothing changes', async () => {
    const p = (await api(w, adminA, 'post', `${A()}/role-profiles`, body('Reference Librarian')).expect(201)).body as RoleProfile;
    await api(w, adminB, 'get', `${A()}/role-profiles`).expect(404);
    await api(w, adminB, 'get', `${A()}/role-profiles/${p.id}`).expect(404);
    await api(w, adminB, 'get', `${B()}/role-profiles/${p.id}`).expect(404);
    await api(w, adminB, 'put', `${B()}/role-profiles/${p.id}`, body('Stolen')).expect(404);
    await api(w, adminB, 'delete', `${B()}/role-profiles/${p.id}`).expect(404);
    await api(w, adminB, 'get', `${A()}/role-profiles/export`).expect(404);
    await api(w, adminB, 'post', `${A()}/role-profiles/import`, { csv: 'role,competency,target_level\nX,https://e.org/c,1\n' }).expect(404);
    await api(w, undefined, 'get', `${A()}/role-profiles`).expect(401);
    expect(await w.store.careers.findRoleProfile(p.id)).toEqual(p);
    // A person of another organization cannot be recorded in A's role, nor A's profile given to B's person.
    await api(w, adminA, 'put', `${A()}/people/${w.people.learnerB.id}/role-profiles/${p.id}`).expect(404);
    await api(w, adminB, 'put', `${B()}/people/${w.people.learnerB.id}/role-profiles/${p.id}`).expect(404);
  });
});

describe('shared profiles', () => {
  it('are adopted as a copy linked to the source, which the adopter may change', async () => {
    const src = (await api(w, adminB, 'post', `${B()}/role-profiles`, body('Library Board Trustee', { shared: true })).expect(201)).body as RoleProfile;
    const priv = (await api(w, adminB, 'post', `${B()}/role-profiles`, body('Private Role')).expect(201)).body as RoleProfile;
    const learner = await w.session(w.people.learnerA);
    const shared = (await api(w, learner, 'get', '/api/role-profiles/shared').expect(200)).body.profiles as (RoleProfile & { orgName: string })[];
    expect(shared.find((x) => x.id === src.id)?.orgName).toBe(w.orgB.name);
    expect(shared.some((x) => x.id === priv.id)).toBe(false);

    const copy = (await api(w, adminA, 'post', `${A()}/role-profiles/adopt`, { sourceId: src.id }).expect(201)).body as RoleProfile;
    expect(copy).toMatchObject({ orgId: w.orgA.id, name: src.name, competencies: src.competencies, shared: false, source: { orgId: w.orgB.id, profileId: src.id } });
    expect(copy.id).not.toBe(src.id);
    await api(w, adminA, 'post', `${A()}/role-profiles/adopt`, { sourceId: src.id }).expect(409);
    await api(w, adminA, 'post', `${A()}/role-profiles/adopt`, { sourceId: src.id, name: 'Trustee (second copy)' }).expect(201);
    // Not shared, or unknown: the same 404. One's own: 400. Learners: 403.
    await api(w, adminA, 'post', `${A()}/role-profiles/adopt`, { sourceId: priv.id }).expect(404);
    await api(w, adminA, 'post', `${A()}/role-profiles/adopt`, { sourceId: 'no-such-profile' }).expect(404);
    await api(w, adminB, 'post', `${B()}/role-profiles/adopt`, { sourceId: src.id }).expect(400);
    await api(w, learner, 'post', `${A()}/role-profiles/adopt`, { sourceId: src.id }).expect(403);

    const edited = await api(w, adminA, 'put', `${A()}/role-profiles/${copy.id}`, body('Trustee', { competencies: [{ competencyId: OUT, targetLevel: 1 }] })).expect(200);
    expect(edited.body.source).toEqual({ orgId: w.orgB.id, profileId: src.id });
    expect(await w.store.careers.findRoleProfile(src.id)).toEqual(src);
  });
});

describe('CSV', () => {
  it('exports one row per competency and imports it back, creating and replacing by name', async () => {
    const csv = [
      'role,description,shared,competency,target_level',
      'Outreach Coordinator,"Takes the library out, to everyone",yes,https://example.org/competencies/outreach,3',
      'Outreach Coordinator,,,https://example.org/competencies/partnerships,2',
      '=Formula Role,"=1+1",no,https://example.org/competencies/reference-interview,1',
    ].join('\n');
    const res = await api(w, adminA, 'post', `${A()}/role-profiles/import`, { csv }).expect(200);
    expect(res.body.created.map((p: RoleProfile) => p.name).sort()).toEqual(['=Formula Role', 'Outreach Coordinator']);
    const oc = (res.body.created as RoleProfile[]).find((p) => p.name === 'Outreach Coordinator');
    expect(oc).toMatchObject({ description: 'Takes the library out, to everyone', shared: true, competencies: [
      { competencyId: 'https://example.org/competencies/outreach', targetLevel: 3 },
      { competencyId: 'https://example.org/competencies/partnerships', targetLevel: 2 },
    ] });

    const out = await api(w, adminA, 'get', `${A()}/role-profiles/export`).expect(200);
    expect(out.headers['content-type']).toContain('text/csv');
    expect(out.text.split('\n')[0]).toBe('role,description,shared,competency,target_level');
    expect(out.text).toContain('Outreach Coordinator,"Takes the library out, to everyone",yes,https://example.org/competencies/partnerships,2');
    // Cells a spreadsheet would run are defused, and come back unchanged.
    expect(out.text).toContain("'=Formula Role,'=1+1,no,");
    expect(out.text).not.toMatch(/^=/m);

    const again = await api(w, adminA, 'post', `${A()}/role-profiles/import`, { csv: out.text }).expect(200);
    expect(again.body.created).toEqual([]);
    const names = (again.body.updated as RoleProfile[]).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['=Formula Role', 'Outreach Coordinator']));
    expect((again.body.updated as RoleProfile[]).find((p) => p.name === '=Formula Role')?.description).toBe('=1+1');
    expect((await w.store.careers.findRoleProfile(oc?.id ?? ''))?.competencies).toEqual(oc?.competencies);
  });

  it('refuses a bad CSV naming the line, and writes nothing', async () => {
    const before = await w.store.careers.findRoleProfiles({ orgId: w.orgA.id });
    const bad = async (csv: string): Promise<string> => (await api(w, adminA, 'post', `${A()}/role-profiles/import`, { csv }).expect(400)).body.message as string;
    expect(await bad('role,competency,target_level\nNew One,https://e.org/a,2\nNew One,https://e.org/b,eleven\n')).toContain('line 3');
    expect(await bad('role,competency,target_level\n,https://e.org/a,2\n')).toContain('line 2: role');
    expect(await bad('name,level\nX,1\n')).toContain('columns');
    expect(await bad('role,competency,target_level\nDup,https://e.org/a,2\nDup,https://e.org/a,3\n')).toContain('twice');
    expect(await w.store.careers.findRoleProfiles({ orgId: w.orgA.id })).toEqual(before);
    const learner = await w.session(w.people.learnerA);
    await api(w, learner, 'post', `${A()}/role-profiles/import`, { csv: 'role,competency,target_level\nX,https://e.org/a,1\n' }).expect(403);
  });
});

describe('the role profiles a person holds', () => {
  let person: User;
  let profile: RoleProfile;
  beforeAll(async () => {
    person = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    profile = (await api(w, adminA, 'post', `${A()}/role-profiles`, body('Circulation Assistant')).expect(201)).body as RoleProfile;
  });

  it('are recorded by administrators and seen by the person, their administrators and their unit\'s manager only', async () => {
    await api(w, adminA, 'put', `${A()}/people/${person.id}/role-profiles/${profile.id}`).expect(201);
    await api(w, adminA, 'put', `${A()}/people/${person.id}/role-profiles/${profile.id}`).expect(200);
    const self = await w.session(person);
    expect((await api(w, self, 'get', `${A()}/people/${person.id}/role-profiles`).expect(200)).body.profiles.map((p: RoleProfile) => p.id)).toEqual([profile.id]);
    await api(w, self, 'put', `${A()}/people/${person.id}/role-profiles/${profile.id}`).expect(403);
    const other = await w.session(w.people.learnerA);
    await api(w, other, 'get', `${A()}/people/${person.id}/role-profiles`).expect(403);
    await api(w, adminB, 'get', `${A()}/people/${person.id}/role-profiles`).expect(404);

    // A manager sees the people of their units, and a manager of another unit gets 404.
    const unitOf = async (name: string): Promise<string> => (await api(w, adminA, 'post', `${A()}/units`, { name }).expect(201)).body.id as string;
    const mine = await unitOf(`Circulation ${Date.now()}`);
    const sibling = await unitOf(`Technical ${Date.now()}`);
    const manager = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    const siblingManager = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    await api(w, adminA, 'put', `${A()}/units/${mine}/members/${person.id}`).expect(201);
    await api(w, adminA, 'put', `${A()}/units/${mine}/managers/${manager.id}`).expect(201);
    await api(w, adminA, 'put', `${A()}/units/${sibling}/managers/${siblingManager.id}`).expect(201);
    await api(w, await w.session(manager), 'get', `${A()}/people/${person.id}/role-profiles`).expect(200);
    await api(w, await w.session(siblingManager), 'get', `${A()}/people/${person.id}/role-profiles`).expect(404);

    await api(w, adminA, 'delete', `${A()}/people/${person.id}/role-profiles/${profile.id}`).expect(204);
    await api(w, adminA, 'delete', `${A()}/people/${person.id}/role-profiles/${profile.id}`).expect(404);
    expect((await api(w, self, 'get', `${A()}/people/${person.id}/role-profiles`).expect(200)).body.profiles).toEqual([]);
  });
});

describe('pages', () => {
  it('list the profiles; an administrator adds one from the form and records a person in it', async () => {
    const page = await request(w.app).post(`/orgs/${w.orgA.id}/role-profiles`).set('Cookie', adminA.cookie).type('form').send({
      _csrf: adminA.csrf, name: 'Teen Services Librarian', description: 'Teens', competencies: `${REF} 2\n${OUT}, 3`, shared: 'yes',
    });
    expect(page.status).toBe(303);
    const created = (await w.store.careers.findRoleProfiles({ orgId: w.orgA.id })).find((p) => p.name === 'Teen Services Librarian');
    expect(created).toMatchObject({ shared: true, competencies: [{ competencyId: REF, targetLevel: 2 }, { competencyId: OUT, targetLevel: 3 }] });
    const bad = await request(w.app).post(`/orgs/${w.orgA.id}/role-profiles`).set('Cookie', adminA.cookie).type('form').send({ _csrf: adminA.csrf, name: 'Oops', competencies: `${REF} high` });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('role="alert"');
    await request(w.app).post(`/orgs/${w.orgA.id}/role-profiles/${created?.id}/holders`).set('Cookie', adminA.cookie).type('form')
      .send({ _csrf: adminA.csrf, userId: w.people.learnerA.id }).expect(303);
    expect(await w.store.careers.findPersonRoleProfiles({ orgId: w.orgA.id, userId: w.people.learnerA.id })).toEqual([expect.objectContaining({ profileId: created?.id })]);
    const learner = await w.session(w.people.learnerA);
    const list = await request(w.app).get(`/orgs/${w.orgA.id}/role-profiles`).set('Cookie', learner.cookie).expect(200);
    expect(list.text).toContain('Teen Services Librarian');
    expect(list.text).not.toContain('Add a role profile');
    await request(w.app).get(`/orgs/${w.orgA.id}/role-profiles`).set('Cookie', adminB.cookie).expect(404);
  });
});

describe('demo content', () => {
  it('seeds role profiles (one shared by the provider, adopted by the library), units and who holds what, once', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    const services = { config: testConfig({ demo: true }), store, logger: createLogger('silent'), now: () => new Date(), credentials: new CredentialVerifier(store.credentials) };
    const d = { store, close: () => store.close() };
    try {
      await seedDemoAccounts(services);
      expect(await seedDemoCareers(services)).toBe(4);
      expect(await seedDemoCareers(services)).toBe(0);
      const riverside = await d.store.accounts.findOrganizationBySlug('riverside-library');
      const profiles = await d.store.careers.findRoleProfiles({ orgId: riverside?.id ?? '' });
      expect(profiles.map((p) => p.name)).toEqual(['Branch Manager', "Children's Services Librarian", 'Library Board Trustee']);
      expect(profiles.find((p) => p.name === 'Library Board Trustee')?.source).toBeDefined();
      expect((await d.store.careers.findRoleProfiles({ shared: true })).map((p) => p.name)).toEqual(['Library Board Trustee']);
      const staff = await d.store.accounts.findUserByEmail('staff@riverside.demo.learnhq.test');
      expect(await d.store.careers.findPersonRoleProfiles({ orgId: riverside?.id ?? '', userId: staff?.id ?? '' })).toHaveLength(1);
      expect((await d.store.careers.findUnits(riverside?.id ?? '')).map((u) => u.name)).toContain("Children's Services");
      // Every competency a demo profile asks for is a competency of the demo framework, by the URI its import gives it.
      const pkg = demoCompetencyPackage(caseUriBase(services), new Date().toISOString()) as { CFItems: { uri: string; CFItemType: string }[] };
      const competencyUris = new Set(pkg.CFItems.filter((i) => i.CFItemType === 'Competency').map((i) => i.uri));
      const asked = profiles.flatMap((p) => p.competencies.map((c) => c.competencyId));
      expect(asked.length).toBeGreaterThan(10);
      expect(asked.filter((u) => !competencyUris.has(u))).toEqual([]);
      expect(Math.max(...profiles.flatMap((p) => p.competencies.map((c) => c.targetLevel)))).toBeLessThanOrEqual(3);
    } finally {
      await d.close();
    }
  });
});
