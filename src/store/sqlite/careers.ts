import type { Database } from 'better-sqlite3';
import { conflict } from '../../errors';
import type { CareerPlan, CareerStore, OrgGoal, OrgUnit, PersonRoleProfile, RoleProfile, UnitPerson } from '../ports';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS org_units (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, name TEXT NOT NULL, parent_id TEXT, created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS org_units_org ON org_units (org_id, name);
  CREATE TABLE IF NOT EXISTS unit_people (
    org_id TEXT NOT NULL, unit_id TEXT NOT NULL, user_id TEXT NOT NULL, kind TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, unit_id, kind, user_id)
  );
  CREATE INDEX IF NOT EXISTS unit_people_user ON unit_people (user_id, org_id);
  CREATE TABLE IF NOT EXISTS role_profiles (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL, description TEXT NOT NULL,
    competencies TEXT NOT NULL, shared INTEGER NOT NULL, source_org_id TEXT, source_profile_id TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (org_id, name_key)
  );
  CREATE INDEX IF NOT EXISTS role_profiles_shared ON role_profiles (shared, name) WHERE shared = 1;
  CREATE TABLE IF NOT EXISTS person_role_profiles (
    org_id TEXT NOT NULL, user_id TEXT NOT NULL, profile_id TEXT NOT NULL, since TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id, profile_id)
  );
  CREATE TABLE IF NOT EXISTS org_goals (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, unit_id TEXT, title TEXT NOT NULL, kind TEXT NOT NULL,
    course_id TEXT NOT NULL, due_date TEXT NOT NULL, target_percent INTEGER NOT NULL, created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS org_goals_org ON org_goals (org_id, due_date);
  CREATE TABLE IF NOT EXISTS career_plans (
    org_id TEXT NOT NULL, user_id TEXT NOT NULL, plan TEXT NOT NULL, PRIMARY KEY (org_id, user_id)
  );
  CREATE INDEX IF NOT EXISTS career_plans_user ON career_plans (user_id);
`;

/** Creates the careers tables; idempotent. */
export function migrateSqliteCareers(db: Database): void {
  db.exec(SCHEMA);
  // Competency-level goals (issue 15 part 2): what they measure, as JSON.
  const cols = db.prepare<[], { name: string }>('PRAGMA table_info(org_goals)').all().map((c) => c.name);
  if (!cols.includes('spec')) db.exec('ALTER TABLE org_goals ADD COLUMN spec TEXT');
  // Goal trends are computed from history now (ADR 0036); the points that reads used to store go.
  db.exec('DROP TABLE IF EXISTS goal_points');
}

interface UnitRow { id: string; org_id: string; name: string; parent_id: string | null; created_at: string }
interface PersonRow { org_id: string; unit_id: string; user_id: string; kind: string; created_at: string }
interface ProfileRow {
  id: string; org_id: string; name: string; description: string; competencies: string; shared: number;
  source_org_id: string | null; source_profile_id: string | null; created_at: string; updated_at: string;
}
interface HolderRow { org_id: string; user_id: string; profile_id: string; since: string }
interface GoalRow {
  id: string; org_id: string; unit_id: string | null; title: string; kind: string; course_id: string; due_date: string;
  target_percent: number; created_by: string; created_at: string; spec: string | null;
}

const unitOf = (r: UnitRow): OrgUnit => ({ id: r.id, orgId: r.org_id, name: r.name, ...(r.parent_id !== null ? { parentId: r.parent_id } : {}), createdAt: r.created_at });
const personOf = (r: PersonRow): UnitPerson => ({ orgId: r.org_id, unitId: r.unit_id, userId: r.user_id, kind: r.kind as UnitPerson['kind'], createdAt: r.created_at });
const profileOf = (r: ProfileRow): RoleProfile => ({
  id: r.id, orgId: r.org_id, name: r.name, description: r.description,
  competencies: JSON.parse(r.competencies) as RoleProfile['competencies'],
  shared: r.shared === 1,
  ...(r.source_org_id !== null && r.source_profile_id !== null ? { source: { orgId: r.source_org_id, profileId: r.source_profile_id } } : {}),
  createdAt: r.created_at, updatedAt: r.updated_at,
});
const holderOf = (r: HolderRow): PersonRoleProfile => ({ orgId: r.org_id, userId: r.user_id, profileId: r.profile_id, since: r.since });
const goalOf = (r: GoalRow): OrgGoal => ({
  id: r.id, orgId: r.org_id, ...(r.unit_id !== null ? { unitId: r.unit_id } : {}), title: r.title, kind: r.kind as OrgGoal['kind'],
  courseId: r.course_id, dueDate: r.due_date, targetPercent: r.target_percent, createdBy: r.created_by, createdAt: r.created_at,
  ...(r.spec !== null ? { competency: JSON.parse(r.spec) as NonNullable<OrgGoal['competency']> } : {}),
});

function isUnique(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** `?, ?, ?` for n values. */
const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** The SQLite CareerStore. */
export function createSqliteCareerStore(db: Database): CareerStore {
  const q = {
    insertUnit: db.prepare('INSERT INTO org_units (id, org_id, name, parent_id, created_at) VALUES (?, ?, ?, ?, ?)'),
    unit: db.prepare<[string, string], UnitRow>('SELECT * FROM org_units WHERE org_id = ? AND id = ?'),
    units: db.prepare<[string], UnitRow>('SELECT * FROM org_units WHERE org_id = ? ORDER BY name, id'),
    rename: db.prepare('UPDATE org_units SET name = ? WHERE org_id = ? AND id = ?'),
    move: db.prepare('UPDATE org_units SET parent_id = ? WHERE org_id = ? AND id = ?'),
    deleteUnit: db.prepare('DELETE FROM org_units WHERE org_id = ? AND id = ?'),
    deleteUnitRows: db.prepare('DELETE FROM unit_people WHERE org_id = ? AND unit_id = ?'),
    insertPerson: db.prepare('INSERT OR IGNORE INTO unit_people (org_id, unit_id, user_id, kind, created_at) VALUES (?, ?, ?, ?, ?)'),
    deletePerson: db.prepare('DELETE FROM unit_people WHERE org_id = ? AND unit_id = ? AND user_id = ? AND kind = ?'),
    deletePeopleOfUser: db.prepare('DELETE FROM unit_people WHERE user_id = ?'),
    deletePeopleOfUserIn: db.prepare('DELETE FROM unit_people WHERE user_id = ? AND org_id = ?'),
    insertProfile: db.prepare(`INSERT INTO role_profiles (id, org_id, name, name_key, description, competencies, shared, source_org_id,
      source_profile_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    updateProfile: db.prepare(`UPDATE role_profiles SET name = ?, name_key = ?, description = ?, competencies = ?, shared = ?,
      updated_at = ? WHERE id = ? AND org_id = ?`),
    profile: db.prepare<[string], ProfileRow>('SELECT * FROM role_profiles WHERE id = ?'),
    profilesOfOrg: db.prepare<[string], ProfileRow>('SELECT * FROM role_profiles WHERE org_id = ? ORDER BY name, id'),
    sharedProfiles: db.prepare<[], ProfileRow>('SELECT * FROM role_profiles WHERE shared = 1 ORDER BY name, id'),
    sharedProfilesOfOrg: db.prepare<[string], ProfileRow>('SELECT * FROM role_profiles WHERE org_id = ? AND shared = 1 ORDER BY name, id'),
    deleteProfile: db.prepare('DELETE FROM role_profiles WHERE org_id = ? AND id = ?'),
    deleteHoldersOfProfile: db.prepare('DELETE FROM person_role_profiles WHERE org_id = ? AND profile_id = ?'),
    insertHolder: db.prepare('INSERT OR IGNORE INTO person_role_profiles (org_id, user_id, profile_id, since) VALUES (?, ?, ?, ?)'),
    deleteHolder: db.prepare('DELETE FROM person_role_profiles WHERE org_id = ? AND user_id = ? AND profile_id = ?'),
    holders: db.prepare<[string], HolderRow>('SELECT * FROM person_role_profiles WHERE org_id = ? ORDER BY user_id, since, profile_id'),
    holdersOfUser: db.prepare<[string, string], HolderRow>('SELECT * FROM person_role_profiles WHERE org_id = ? AND user_id = ? ORDER BY user_id, since, profile_id'),
    insertGoal: db.prepare(`INSERT INTO org_goals (id, org_id, unit_id, title, kind, course_id, due_date, target_percent, created_by, created_at, spec)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    upsertPlan: db.prepare(`INSERT INTO career_plans (org_id, user_id, plan) VALUES (?, ?, ?)
      ON CONFLICT (org_id, user_id) DO UPDATE SET plan = excluded.plan`),
    plan: db.prepare<[string, string], { plan: string }>('SELECT plan FROM career_plans WHERE org_id = ? AND user_id = ?'),
    plans: db.prepare<[string], { plan: string }>('SELECT plan FROM career_plans WHERE org_id = ? ORDER BY user_id'),
    deletePlansOfUser: db.prepare('DELETE FROM career_plans WHERE user_id = ?'),
    deletePlanOfUser: db.prepare('DELETE FROM career_plans WHERE user_id = ? AND org_id = ?'),
    goal: db.prepare<[string, string], GoalRow>('SELECT * FROM org_goals WHERE org_id = ? AND id = ?'),
    goals: db.prepare<[string], GoalRow>('SELECT * FROM org_goals WHERE org_id = ? ORDER BY due_date, id'),
    deleteGoal: db.prepare('DELETE FROM org_goals WHERE org_id = ? AND id = ?'),
  };
  const deleteUnitTx = db.transaction((orgId: string, id: string): boolean => {
    const gone = q.deleteUnit.run(orgId, id).changes > 0;
    if (gone) q.deleteUnitRows.run(orgId, id);
    return gone;
  });
  const deleteProfileTx = db.transaction((orgId: string, id: string): boolean => {
    const gone = q.deleteProfile.run(orgId, id).changes > 0;
    if (gone) q.deleteHoldersOfProfile.run(orgId, id);
    return gone;
  });

  return {
    async insertUnit(u) {
      try {
        q.insertUnit.run(u.id, u.orgId, u.name, u.parentId ?? null, u.createdAt);
      } catch (err) {
        if (isUnique(err)) throw conflict(`unit ${u.id} already exists`);
        throw err;
      }
    },
    async findUnit(orgId, id) {
      const r = q.unit.get(orgId, id);
      return r ? unitOf(r) : undefined;
    },
    async findUnits(orgId) {
      return q.units.all(orgId).map(unitOf);
    },
    async updateUnit(orgId, id, patch) {
      if (!q.unit.get(orgId, id)) return false;
      if (patch.name !== undefined) q.rename.run(patch.name, orgId, id);
      if (patch.parentId !== undefined) q.move.run(patch.parentId, orgId, id);
      return true;
    },
    async deleteUnit(orgId, id) {
      return deleteUnitTx(orgId, id);
    },

    async insertUnitPerson(p) {
      return q.insertPerson.run(p.orgId, p.unitId, p.userId, p.kind, p.createdAt).changes > 0;
    },
    async deleteUnitPerson(orgId, unitId, userId, kind) {
      return q.deletePerson.run(orgId, unitId, userId, kind).changes > 0;
    },
    async findUnitPeople(f) {
      if (f.unitIds && f.unitIds.length === 0) return [];
      const where = ['org_id = ?'];
      const args: string[] = [f.orgId];
      if (f.unitIds) {
        where.push(`unit_id IN (${marks(f.unitIds.length)})`);
        args.push(...f.unitIds);
      }
      if (f.userId !== undefined) {
        where.push('user_id = ?');
        args.push(f.userId);
      }
      if (f.kind !== undefined) {
        where.push('kind = ?');
        args.push(f.kind);
      }
      const rows = db.prepare<string[], PersonRow>(`SELECT * FROM unit_people WHERE ${where.join(' AND ')} ORDER BY unit_id, kind, user_id`).all(...args);
      return rows.map(personOf);
    },
    async deleteUnitPeopleOfUser(userId, orgId) {
      return (orgId === undefined ? q.deletePeopleOfUser.run(userId) : q.deletePeopleOfUserIn.run(userId, orgId)).changes;
    },

    async insertRoleProfile(p) {
      try {
        q.insertProfile.run(
          p.id, p.orgId, p.name, p.name.toLowerCase(), p.description, JSON.stringify(p.competencies), p.shared ? 1 : 0,
          p.source?.orgId ?? null, p.source?.profileId ?? null, p.createdAt, p.updatedAt,
        );
      } catch (err) {
        if (isUnique(err)) throw conflict(`a role profile ${p.name} (or the id ${p.id}) already exists`);
        throw err;
      }
    },
    async updateRoleProfile(p) {
      try {
        return q.updateProfile.run(p.name, p.name.toLowerCase(), p.description, JSON.stringify(p.competencies), p.shared ? 1 : 0, p.updatedAt, p.id, p.orgId).changes > 0;
      } catch (err) {
        if (isUnique(err)) throw conflict(`another role profile is named ${p.name}`);
        throw err;
      }
    },
    async findRoleProfile(id) {
      const r = q.profile.get(id);
      return r ? profileOf(r) : undefined;
    },
    async findRoleProfiles(f) {
      if (f.orgId === undefined) return q.sharedProfiles.all().map(profileOf);
      if (f.shared === true) return q.sharedProfilesOfOrg.all(f.orgId).map(profileOf);
      const rows = q.profilesOfOrg.all(f.orgId);
      return (f.shared === false ? rows.filter((r) => r.shared === 0) : rows).map(profileOf);
    },
    async deleteRoleProfile(orgId, id) {
      return deleteProfileTx(orgId, id);
    },

    async insertPersonRoleProfile(r) {
      return q.insertHolder.run(r.orgId, r.userId, r.profileId, r.since).changes > 0;
    },
    async deletePersonRoleProfile(orgId, userId, profileId) {
      return q.deleteHolder.run(orgId, userId, profileId).changes > 0;
    },
    async findPersonRoleProfiles(f) {
      return (f.userId !== undefined ? q.holdersOfUser.all(f.orgId, f.userId) : q.holders.all(f.orgId)).map(holderOf);
    },

    async insertGoal(g) {
      try {
        q.insertGoal.run(g.id, g.orgId, g.unitId ?? null, g.title, g.kind, g.courseId, g.dueDate, g.targetPercent, g.createdBy, g.createdAt,
          g.competency ? JSON.stringify({ profileId: g.competency.profileId, competencyId: g.competency.competencyId, level: g.competency.level }) : null);
      } catch (err) {
        if (isUnique(err)) throw conflict(`goal ${g.id} already exists`);
        throw err;
      }
    },
    async findGoal(orgId, id) {
      const r = q.goal.get(orgId, id);
      return r ? goalOf(r) : undefined;
    },
    async findGoals(f) {
      const all = q.goals.all(f.orgId).map(goalOf);
      if (!f.unitIds) return all;
      const units = new Set(f.unitIds);
      return all.filter((g) => g.unitId !== undefined && units.has(g.unitId));
    },
    async deleteGoal(orgId, id) {
      return q.deleteGoal.run(orgId, id).changes > 0;
    },

    async upsertCareerPlan(p) {
      q.upsertPlan.run(p.orgId, p.userId, JSON.stringify(p));
    },
    async findCareerPlan(orgId, userId) {
      const r = q.plan.get(orgId, userId);
      return r ? (JSON.parse(r.plan) as CareerPlan) : undefined;
    },
    async findCareerPlans(f) {
      const all = q.plans.all(f.orgId).map((r) => JSON.parse(r.plan) as CareerPlan);
      if (!f.userIds) return all;
      const wanted = new Set(f.userIds);
      return all.filter((p) => wanted.has(p.userId));
    },
    async deleteCareerPlans(userId, orgId) {
      return (orgId === undefined ? q.deletePlansOfUser.run(userId) : q.deletePlanOfUser.run(userId, orgId)).changes;
    },
  };
}
