import type { CareerPlan, OrgGoal, RoleProfile } from '../../../src/store/ports';
import { unique, useStore, type OpenStore } from './builders';

const AT = '2026-03-01T10:00:00.000Z';

function profile(orgId: string, name: string, extra: Partial<RoleProfile> = {}): RoleProfile {
  return {
    id: unique('rp'), orgId, name, description: `What a ${name} does`,
    competencies: [{ competencyId: 'https://example.org/c/reference', targetLevel: 3 }, { competencyId: 'https://example.org/c/outreach', targetLevel: 2 }],
    shared: false, createdAt: AT, updatedAt: AT, ...extra,
  };
}

function goal(orgId: string, extra: Partial<OrgGoal> = {}): OrgGoal {
  return {
    id: unique('g'), orgId, title: 'Everyone completes safety', kind: 'course-completion', courseId: unique('course'),
    dueDate: '2027-06-30', targetPercent: 100, createdBy: 'u1', createdAt: AT, ...extra,
  };
}

/** CareerStore contract: units and their people, role profiles and their holders, goals and points. */
export function careersContract(open: OpenStore): void {
  describe('careers', () => {
    const store = useStore(open);

    it('keeps a tree of units per organization: find, rename, move, delete', async () => {
      const org = unique('org');
      const other = unique('org');
      const c = store().careers;
      await c.insertUnit({ id: unique('u'), orgId: other, name: 'Elsewhere', createdAt: AT });
      const main = { id: unique('u'), orgId: org, name: 'Main Library', createdAt: AT };
      const kids = { id: unique('u'), orgId: org, name: "Children's Services", parentId: main.id, createdAt: AT };
      const branch = { id: unique('u'), orgId: org, name: 'Branch East', createdAt: AT };
      for (const u of [main, kids, branch]) await c.insertUnit(u);
      await expect(c.insertUnit(main)).rejects.toMatchObject({ code: 'conflict' });

      expect(await c.findUnits(org)).toEqual([branch, kids, main]);
      expect(await c.findUnit(org, kids.id)).toEqual(kids);
      expect(await c.findUnit(other, kids.id)).toBeUndefined();

      expect(await c.updateUnit(org, kids.id, { name: 'Youth Services', parentId: branch.id })).toBe(true);
      expect(await c.findUnit(org, kids.id)).toEqual({ ...kids, name: 'Youth Services', parentId: branch.id });
      expect(await c.updateUnit(org, kids.id, { parentId: null })).toBe(true);
      expect(await c.findUnit(org, kids.id)).toEqual({ id: kids.id, orgId: org, name: 'Youth Services', createdAt: AT });
      expect(await c.updateUnit(other, kids.id, { name: 'Stolen' })).toBe(false);
      expect(await c.updateUnit(org, unique('u'), { name: 'Nobody' })).toBe(false);

      await c.insertUnitPerson({ orgId: org, unitId: branch.id, userId: 'p1', kind: 'member', createdAt: AT });
      expect(await c.deleteUnit(other, branch.id)).toBe(false);
      expect(await c.deleteUnit(org, branch.id)).toBe(true);
      expect(await c.deleteUnit(org, branch.id)).toBe(false);
      expect((await c.findUnits(org)).map((u) => u.id)).toEqual([main.id, kids.id]);
      // The unit's people went with it.
      expect(await c.findUnitPeople({ orgId: org, unitIds: [branch.id] })).toEqual([]);
    });

    it('records members and managers of units idempotently and finds them by unit, person and kind', async () => {
      const org = unique('org');
      const c = store().careers;
      const [u1, u2] = [unique('u'), unique('u')].sort() as [string, string];
      const row = (unitId: string, userId: string, kind: 'member' | 'manager') => ({ orgId: org, unitId, userId, kind, createdAt: AT });
      expect(await c.insertUnitPerson(row(u1, 'ann', 'member'))).toBe(true);
      expect(await c.insertUnitPerson(row(u1, 'ann', 'member'))).toBe(false);
      await c.insertUnitPerson(row(u1, 'bob', 'member'));
      await c.insertUnitPerson(row(u1, 'cat', 'manager'));
      await c.insertUnitPerson(row(u2, 'ann', 'member'));
      await c.insertUnitPerson({ ...row(u1, 'dan', 'member'), orgId: unique('org') });

      expect(await c.findUnitPeople({ orgId: org, unitIds: [u1] })).toEqual([row(u1, 'cat', 'manager'), row(u1, 'ann', 'member'), row(u1, 'bob', 'member')]);
      expect(await c.findUnitPeople({ orgId: org, userId: 'ann' })).toEqual([row(u1, 'ann', 'member'), row(u2, 'ann', 'member')]);
      expect(await c.findUnitPeople({ orgId: org, kind: 'manager' })).toEqual([row(u1, 'cat', 'manager')]);
      expect(await c.findUnitPeople({ orgId: org, unitIds: [] })).toEqual([]);

      expect(await c.deleteUnitPerson(org, u1, 'ann', 'manager')).toBe(false);
      expect(await c.deleteUnitPerson(org, u1, 'ann', 'member')).toBe(true);
      expect(await c.findUnitPeople({ orgId: org, userId: 'ann' })).toEqual([row(u2, 'ann', 'member')]);
      expect(await c.deleteUnitPeopleOfUser('bob', org)).toBe(1);
      expect(await c.findUnitPeople({ orgId: org, unitIds: [u1] })).toEqual([row(u1, 'cat', 'manager')]);
    });

    it('keeps role profiles with their competencies in order, unique by name (any case) within an organization', async () => {
      const org = unique('org');
      const c = store().careers;
      const bm = profile(org, 'Branch Manager', { shared: true });
      const cs = profile(org, "Children's Services Librarian");
      await c.insertRoleProfile(bm);
      await c.insertRoleProfile(cs);
      await expect(c.insertRoleProfile(profile(org, 'branch manager'))).rejects.toMatchObject({ code: 'conflict' });
      // Another organization may use the same name; its copy links to the source.
      const other = unique('org');
      const copy = profile(other, 'Branch Manager', { source: { orgId: org, profileId: bm.id } });
      await c.insertRoleProfile(copy);

      expect(await c.findRoleProfile(bm.id)).toEqual(bm);
      expect(await c.findRoleProfile(copy.id)).toEqual(copy);
      expect(await c.findRoleProfiles({ orgId: org })).toEqual([bm, cs]);
      expect(await c.findRoleProfiles({ orgId: org, shared: false })).toEqual([cs]);
      expect(await c.findRoleProfiles({ orgId: org, shared: true })).toEqual([bm]);
      const everyShared = await c.findRoleProfiles({ shared: true });
      expect(everyShared.filter((p) => p.orgId === org || p.orgId === other)).toEqual([bm]);

      const edited = { ...cs, name: 'Youth Librarian', competencies: [{ competencyId: 'https://example.org/c/storytime', targetLevel: 4 }], shared: true, updatedAt: '2026-03-02T00:00:00.000Z' };
      expect(await c.updateRoleProfile(edited)).toBe(true);
      expect(await c.findRoleProfile(cs.id)).toEqual(edited);
      await expect(c.updateRoleProfile({ ...edited, name: 'BRANCH MANAGER' })).rejects.toMatchObject({ code: 'conflict' });
      expect(await c.updateRoleProfile({ ...edited, orgId: other })).toBe(false);

      await c.insertPersonRoleProfile({ orgId: org, userId: 'ann', profileId: cs.id, since: AT });
      expect(await c.deleteRoleProfile(other, cs.id)).toBe(false);
      expect(await c.deleteRoleProfile(org, cs.id)).toBe(true);
      expect(await c.findRoleProfile(cs.id)).toBeUndefined();
      expect(await c.findPersonRoleProfiles({ orgId: org, userId: 'ann' })).toEqual([]);
    });

    it('records the role profiles people hold, idempotently', async () => {
      const org = unique('org');
      const c = store().careers;
      const a = { orgId: org, userId: 'ann', profileId: 'p2', since: '2026-01-02T00:00:00.000Z' };
      const b = { orgId: org, userId: 'ann', profileId: 'p1', since: '2026-02-01T00:00:00.000Z' };
      const d = { orgId: org, userId: 'bob', profileId: 'p1', since: AT };
      expect(await c.insertPersonRoleProfile(a)).toBe(true);
      expect(await c.insertPersonRoleProfile({ ...a, since: AT })).toBe(false);
      await c.insertPersonRoleProfile(b);
      await c.insertPersonRoleProfile(d);
      await c.insertPersonRoleProfile({ ...d, orgId: unique('org') });
      expect(await c.findPersonRoleProfiles({ orgId: org })).toEqual([a, b, d]);
      expect(await c.findPersonRoleProfiles({ orgId: org, userId: 'bob' })).toEqual([d]);
      expect(await c.deletePersonRoleProfile(org, 'ann', 'p2')).toBe(true);
      expect(await c.deletePersonRoleProfile(org, 'ann', 'p2')).toBe(false);
      expect(await c.findPersonRoleProfiles({ orgId: org, userId: 'ann' })).toEqual([b]);
    });

    it('keeps goals per organization, by due date, and one point per goal and day', async () => {
      const org = unique('org');
      const c = store().careers;
      const late = goal(org, { dueDate: '2027-12-31', unitId: 'unit-a' });
      const early = goal(org, { dueDate: '2027-01-31', targetPercent: 80 });
      await c.insertGoal(late);
      await c.insertGoal(early);
      await c.insertGoal(goal(unique('org')));
      await expect(c.insertGoal(late)).rejects.toMatchObject({ code: 'conflict' });
      expect(await c.findGoals({ orgId: org })).toEqual([early, late]);
      expect(await c.findGoals({ orgId: org, unitIds: ['unit-a'] })).toEqual([late]);
      expect(await c.findGoals({ orgId: org, unitIds: [] })).toEqual([]);
      expect(await c.findGoal(org, late.id)).toEqual(late);
      expect(await c.findGoal(unique('org'), late.id)).toBeUndefined();

      expect(await c.deleteGoal(unique('org'), late.id)).toBe(false);
      expect(await c.deleteGoal(org, late.id)).toBe(true);
      expect(await c.findGoals({ orgId: org })).toEqual([early]);
    });

    it('keeps competency-level goals with what they measure', async () => {
      const org = unique('org');
      const c = store().careers;
      const g = goal(org, { kind: 'competency-level', courseId: '', competency: { profileId: 'rp-1', competencyId: 'https://example.org/c/reference', level: 3 } });
      await c.insertGoal(g);
      expect(await c.findGoal(org, g.id)).toEqual(g);
      expect(await c.findGoals({ orgId: org })).toEqual([g]);
    });

    it('keeps one career plan per person and organization, replaced whole, and deletes a person\'s plans', async () => {
      const org = unique('org');
      const other = unique('org');
      const c = store().careers;
      const plan = (userId: string, orgId: string, extra: Partial<CareerPlan> = {}): CareerPlan => ({
        orgId, userId, targetProfileId: 'rp-1', sharedWithManager: false, createdAt: AT, updatedAt: AT,
        items: [{ id: 'i1', entryId: 'course-1', competencyId: 'https://example.org/c/reference', targetDate: '2027-01-31', addedAt: AT }, { id: 'i2', entryId: 'course-2', addedAt: AT }],
        ...extra,
      });
      const b = plan('user-b', org);
      const a = plan('user-a', org);
      await c.upsertCareerPlan(b);
      await c.upsertCareerPlan(a);
      await c.upsertCareerPlan(plan('user-a', other, { items: [] }));
      expect(await c.findCareerPlan(org, 'user-a')).toEqual(a);
      expect(await c.findCareerPlan(org, 'nobody')).toBeUndefined();
      expect(await c.findCareerPlans({ orgId: org })).toEqual([a, b]);
      expect(await c.findCareerPlans({ orgId: org, userIds: ['user-b'] })).toEqual([b]);
      expect(await c.findCareerPlans({ orgId: org, userIds: [] })).toEqual([]);
      const changed = plan('user-a', org, { targetProfileId: 'rp-2', sharedWithManager: true, items: [], updatedAt: '2026-03-02T10:00:00.000Z' });
      await c.upsertCareerPlan(changed);
      expect(await c.findCareerPlan(org, 'user-a')).toEqual(changed);
      expect(await c.deleteCareerPlans('user-a', org)).toBe(1);
      expect(await c.findCareerPlan(other, 'user-a')).toBeDefined();
      expect(await c.deleteCareerPlans('user-a')).toBe(1);
      expect(await c.deleteCareerPlans('user-a')).toBe(0);
      expect(await c.findCareerPlans({ orgId: org })).toEqual([b]);
    });
  });
}
