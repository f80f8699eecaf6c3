import type { Db, Filter } from 'mongodb';
import type { CareerPlan, CareerStore, OrgGoal, OrgUnit, PersonRoleProfile, RoleProfile, RoleCompetency, UnitPerson } from '../ports';
import { conflict } from '../../errors';
import { guard } from './errors';

/**
 * Careers collections. Units, goals and profiles are keyed by their id; the link rows (people of
 * units, role profiles of people) by their natural key, so inserting one twice is a
 * duplicate-key no-op and needs no transaction.
 */
interface UnitDoc { _id: string; orgId: string; name: string; parentId?: string | null; createdAt: string }
interface PersonDoc { _id: string; orgId: string; unitId: string; userId: string; kind: string; createdAt: string }
interface ProfileDoc {
  _id: string; orgId: string; name: string; nameKey: string; description: string; competencies: RoleCompetency[];
  shared: boolean; sourceOrgId?: string; sourceProfileId?: string; createdAt: string; updatedAt: string;
}
interface HolderDoc { _id: string; orgId: string; userId: string; profileId: string; since: string }
interface GoalDoc {
  _id: string; orgId: string; unitId?: string; title: string; kind: string; courseId: string; dueDate: string;
  targetPercent: number; createdBy: string; createdAt: string;
  competency?: { profileId: string; competencyId: string; level: number };
}
interface PlanDoc { _id: string; orgId: string; userId: string; plan: CareerPlan }

/** Creates the careers indexes; idempotent; one createIndex per index (FerretDB). */
export async function ensureMongoCareerIndexes(db: Db): Promise<void> {
  await db.collection('org_units').createIndex({ orgId: 1, name: 1 }, { name: 'org_name' });
  await db.collection('unit_people').createIndex({ orgId: 1, unitId: 1 }, { name: 'org_unit' });
  await db.collection('unit_people').createIndex({ userId: 1 }, { name: 'user' });
  await db.collection('role_profiles').createIndex({ orgId: 1, nameKey: 1 }, { name: 'org_name', unique: true });
  await db.collection('person_role_profiles').createIndex({ orgId: 1, userId: 1 }, { name: 'org_user' });
  await db.collection('org_goals').createIndex({ orgId: 1, dueDate: 1 }, { name: 'org_due' });
  await db.collection('career_plans').createIndex({ orgId: 1, userId: 1 }, { name: 'org_user' });
  await db.collection('career_plans').createIndex({ userId: 1 }, { name: 'user' });
}

const personKey = (orgId: string, unitId: string, kind: string, userId: string): string => JSON.stringify([orgId, unitId, kind, userId]);
const holderKey = (orgId: string, userId: string, profileId: string): string => JSON.stringify([orgId, userId, profileId]);

const unitOf = (d: UnitDoc): OrgUnit => ({ id: d._id, orgId: d.orgId, name: d.name, ...(typeof d.parentId === 'string' ? { parentId: d.parentId } : {}), createdAt: d.createdAt });
const personOf = (d: PersonDoc): UnitPerson => ({ orgId: d.orgId, unitId: d.unitId, userId: d.userId, kind: d.kind as UnitPerson['kind'], createdAt: d.createdAt });
const profileOf = (d: ProfileDoc): RoleProfile => ({
  id: d._id, orgId: d.orgId, name: d.name, description: d.description,
  competencies: d.competencies.map((c) => ({ competencyId: c.competencyId, targetLevel: c.targetLevel })),
  shared: d.shared === true,
  ...(d.sourceOrgId !== undefined && d.sourceProfileId !== undefined ? { source: { orgId: d.sourceOrgId, profileId: d.sourceProfileId } } : {}),
  createdAt: d.createdAt, updatedAt: d.updatedAt,
});
const holderOf = (d: HolderDoc): PersonRoleProfile => ({ orgId: d.orgId, userId: d.userId, profileId: d.profileId, since: d.since });
const goalOf = (d: GoalDoc): OrgGoal => ({
  id: d._id, orgId: d.orgId, ...(typeof d.unitId === 'string' ? { unitId: d.unitId } : {}), title: d.title, kind: d.kind as OrgGoal['kind'],
  courseId: d.courseId, dueDate: d.dueDate, targetPercent: d.targetPercent, createdBy: d.createdBy, createdAt: d.createdAt,
  ...(d.competency ? { competency: { profileId: d.competency.profileId, competencyId: d.competency.competencyId, level: d.competency.level } } : {}),
});
const planKey = (orgId: string, userId: string): string => JSON.stringify([orgId, userId]);
/** The plan without the driver's additions (a plain copy of what was stored). */
const planOf = (d: PlanDoc): CareerPlan => JSON.parse(JSON.stringify(d.plan)) as CareerPlan;

/** Sorts by a string field, then by _id (the same order as the SQLite adapter's ORDER BY). */
function byThen<T extends { _id: string }>(key: (d: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    if (x !== y) return x < y ? -1 : 1;
    return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
  };
}

/** The MongoDB CareerStore. */
export function createMongoCareerStore(db: Db): CareerStore {
  const units = db.collection<UnitDoc>('org_units');
  const people = db.collection<PersonDoc>('unit_people');
  const profiles = db.collection<ProfileDoc>('role_profiles');
  const holders = db.collection<HolderDoc>('person_role_profiles');
  const goals = db.collection<GoalDoc>('org_goals');
  const plans = db.collection<PlanDoc>('career_plans');

  /** Inserts a link row; false when its key exists already. */
  async function insertOnce<T extends { _id: string }>(c: typeof people | typeof holders, doc: T, what: string): Promise<boolean> {
    try {
      await guard(what, () => (c as unknown as { insertOne(d: T): Promise<unknown> }).insertOne(doc), () => 'exists');
      return true;
    } catch (err) {
      if ((err as { status?: unknown }).status === 409) return false;
      throw err;
    }
  }

  return {
    async insertUnit(u) {
      const doc: UnitDoc = { _id: u.id, orgId: u.orgId, name: u.name, ...(u.parentId !== undefined ? { parentId: u.parentId } : {}), createdAt: u.createdAt };
      await guard('storing a unit', () => units.insertOne(doc), () => `unit ${u.id} already exists`);
    },
    async findUnit(orgId, id) {
      const d = await guard('reading a unit', () => units.findOne({ _id: id, orgId }));
      return d ? unitOf(d) : undefined;
    },
    async findUnits(orgId) {
      const docs = await guard('listing units', () => units.find({ orgId }).toArray());
      return docs.sort(byThen((d) => d.name)).map(unitOf);
    },
    async updateUnit(orgId, id, patch) {
      const set: Partial<UnitDoc> = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.parentId !== undefined) set.parentId = patch.parentId;
      const r = await guard('updating a unit', () => units.updateOne({ _id: id, orgId }, Object.keys(set).length > 0 ? { $set: set } : { $set: { orgId } }));
      return r.matchedCount > 0;
    },
    async deleteUnit(orgId, id) {
      const r = await guard('deleting a unit', () => units.deleteOne({ _id: id, orgId }));
      if (r.deletedCount === 0) return false;
      await guard('deleting the people of a unit', () => people.deleteMany({ orgId, unitId: id }));
      return true;
    },

    async insertUnitPerson(p) {
      return insertOnce(people, { _id: personKey(p.orgId, p.unitId, p.kind, p.userId), orgId: p.orgId, unitId: p.unitId, userId: p.userId, kind: p.kind, createdAt: p.createdAt }, 'storing a person of a unit');
    },
    async deleteUnitPerson(orgId, unitId, userId, kind) {
      const r = await guard('removing a person of a unit', () => people.deleteOne({ _id: personKey(orgId, unitId, kind, userId) }));
      return r.deletedCount > 0;
    },
    async findUnitPeople(f) {
      if (f.unitIds && f.unitIds.length === 0) return [];
      const filter: Filter<PersonDoc> = { orgId: f.orgId };
      if (f.unitIds) filter.unitId = { $in: [...f.unitIds] };
      if (f.userId !== undefined) filter.userId = f.userId;
      if (f.kind !== undefined) filter.kind = f.kind;
      const docs = await guard('listing people of units', () => people.find(filter).toArray());
      const key = (d: PersonDoc): string => `${d.unitId}\u0000${d.kind}\u0000${d.userId}`;
      return docs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map(personOf);
    },
    async deleteUnitPeopleOfUser(userId, orgId) {
      const r = await guard('removing a person from units', () => people.deleteMany(orgId === undefined ? { userId } : { userId, orgId }));
      return r.deletedCount;
    },

    async insertRoleProfile(p) {
      const doc: ProfileDoc = {
        _id: p.id, orgId: p.orgId, name: p.name, nameKey: p.name.toLowerCase(), description: p.description,
        competencies: p.competencies.map((c) => ({ competencyId: c.competencyId, targetLevel: c.targetLevel })), shared: p.shared,
        ...(p.source ? { sourceOrgId: p.source.orgId, sourceProfileId: p.source.profileId } : {}),
        createdAt: p.createdAt, updatedAt: p.updatedAt,
      };
      await guard('storing a role profile', () => profiles.insertOne(doc), () => `a role profile ${p.name} (or the id ${p.id}) already exists`);
    },
    async updateRoleProfile(p) {
      // FerretDB answers a unique-index violation of an update with InternalError, not E11000:
      // look first (the unique index still holds the line on MongoDB under a race).
      const taken = await guard('reading a role profile', () => profiles.findOne({ orgId: p.orgId, nameKey: p.name.toLowerCase(), _id: { $ne: p.id } }));
      if (taken) throw conflict(`another role profile is named ${p.name}`);
      const r = await guard('updating a role profile', () => profiles.updateOne({ _id: p.id, orgId: p.orgId }, {
        $set: {
          name: p.name, nameKey: p.name.toLowerCase(), description: p.description, shared: p.shared, updatedAt: p.updatedAt,
          competencies: p.competencies.map((c) => ({ competencyId: c.competencyId, targetLevel: c.targetLevel })),
        },
      }), () => `another role profile is named ${p.name}`);
      return r.matchedCount > 0;
    },
    async findRoleProfile(id) {
      const d = await guard('reading a role profile', () => profiles.findOne({ _id: id }));
      return d ? profileOf(d) : undefined;
    },
    async findRoleProfiles(f) {
      const filter: Filter<ProfileDoc> = f.orgId === undefined ? { shared: true } : { orgId: f.orgId, ...(f.shared !== undefined ? { shared: f.shared } : {}) };
      const docs = await guard('listing role profiles', () => profiles.find(filter).toArray());
      return docs.sort(byThen((d) => d.name)).map(profileOf);
    },
    async deleteRoleProfile(orgId, id) {
      const r = await guard('deleting a role profile', () => profiles.deleteOne({ _id: id, orgId }));
      if (r.deletedCount === 0) return false;
      await guard('deleting holders of a role profile', () => holders.deleteMany({ orgId, profileId: id }));
      return true;
    },

    async insertPersonRoleProfile(r) {
      return insertOnce(holders, { _id: holderKey(r.orgId, r.userId, r.profileId), orgId: r.orgId, userId: r.userId, profileId: r.profileId, since: r.since }, 'storing a role of a person');
    },
    async deletePersonRoleProfile(orgId, userId, profileId) {
      const r = await guard('removing a role of a person', () => holders.deleteOne({ _id: holderKey(orgId, userId, profileId) }));
      return r.deletedCount > 0;
    },
    async findPersonRoleProfiles(f) {
      const docs = await guard('listing roles of people', () => holders.find({ orgId: f.orgId, ...(f.userId !== undefined ? { userId: f.userId } : {}) }).toArray());
      const key = (d: HolderDoc): string => `${d.userId}\u0000${d.since}\u0000${d.profileId}`;
      return docs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map(holderOf);
    },

    async insertGoal(g) {
      const doc: GoalDoc = {
        _id: g.id, orgId: g.orgId, ...(g.unitId !== undefined ? { unitId: g.unitId } : {}), title: g.title, kind: g.kind,
        courseId: g.courseId, dueDate: g.dueDate, targetPercent: g.targetPercent, createdBy: g.createdBy, createdAt: g.createdAt,
        ...(g.competency ? { competency: { profileId: g.competency.profileId, competencyId: g.competency.competencyId, level: g.competency.level } } : {}),
      };
      await guard('storing a goal', () => goals.insertOne(doc), () => `goal ${g.id} already exists`);
    },
    async findGoal(orgId, id) {
      const d = await guard('reading a goal', () => goals.findOne({ _id: id, orgId }));
      return d ? goalOf(d) : undefined;
    },
    async findGoals(f) {
      if (f.unitIds && f.unitIds.length === 0) return [];
      const filter: Filter<GoalDoc> = { orgId: f.orgId, ...(f.unitIds ? { unitId: { $in: [...f.unitIds] } } : {}) };
      const docs = await guard('listing goals', () => goals.find(filter).toArray());
      return docs.sort(byThen((d) => d.dueDate)).map(goalOf);
    },
    async deleteGoal(orgId, id) {
      const r = await guard('deleting a goal', () => goals.deleteOne({ _id: id, orgId }));
      return r.deletedCount > 0;
    },
    async upsertCareerPlan(p) {
      const doc = { orgId: p.orgId, userId: p.userId, plan: JSON.parse(JSON.stringify(p)) as CareerPlan };
      try {
        await guard('storing a career plan', () => plans.replaceOne({ _id: planKey(p.orgId, p.userId) }, doc, { upsert: true }), () => 'raced');
      } catch (err) {
        if ((err as { status?: unknown }).status !== 409) throw err;
        await guard('storing a career plan', () => plans.replaceOne({ _id: planKey(p.orgId, p.userId) }, doc));
      }
    },
    async findCareerPlan(orgId, userId) {
      const d = await guard('reading a career plan', () => plans.findOne({ _id: planKey(orgId, userId) }));
      return d ? planOf(d) : undefined;
    },
    async findCareerPlans(f) {
      if (f.userIds && f.userIds.length === 0) return [];
      const filter: Filter<PlanDoc> = { orgId: f.orgId, ...(f.userIds ? { userId: { $in: [...f.userIds] } } : {}) };
      const docs = await guard('listing career plans', () => plans.find(filter).toArray());
      return docs.sort(byThen((d) => d.userId)).map(planOf);
    },
    async deleteCareerPlans(userId, orgId) {
      const r = await guard('deleting career plans', () => plans.deleteMany(orgId === undefined ? { userId } : { userId, orgId }));
      return r.deletedCount;
    },
  };
}
