/**
 * Careers: an organization's units (a tree) with their people and managers, role profiles (the
 * competencies a job role asks for, with target levels), the role profiles each person holds,
 * and organizational goals with their daily measured values. Ids are opaque strings chosen by the
 * service. Competencies are referenced by id (their URI) as plain strings: the competency area
 * owns them (ADR 0024).
 */

/** A branch or department of an organization; `parentId` undefined for a top-level unit. */
export interface OrgUnit {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  readonly parentId?: string;
  readonly createdAt: string;
}

/** Who is in a unit (`kind` 'member') or manages it and the units below it (`kind` 'manager'). */
export interface UnitPerson {
  readonly orgId: string;
  readonly unitId: string;
  readonly userId: string;
  readonly kind: 'member' | 'manager';
  readonly createdAt: string;
}

/** One competency of a role profile and the level the role needs (1 = the lowest level of its scale). */
export interface RoleCompetency {
  /** The competency's id (its URI in its framework). */
  readonly competencyId: string;
  readonly targetLevel: number;
}

/** A job role an organization defines (or adopted from another organization's shared one). */
export interface RoleProfile {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  readonly description: string;
  /** In the organization's order. */
  readonly competencies: readonly RoleCompetency[];
  /** Offered site-wide for other organizations to adopt. */
  readonly shared: boolean;
  /** Set on an adopted copy: the profile it was copied from (it may have changed since). */
  readonly source?: { readonly orgId: string; readonly profileId: string };
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A role profile a person holds now in one organization. */
export interface PersonRoleProfile {
  readonly orgId: string;
  readonly userId: string;
  readonly profileId: string;
  readonly since: string;
}

/**
 * A measurable, dated goal. Kind 'course-completion': the share of the people in scope who
 * completed `courseId` reaches `targetPercent` by `dueDate`. Kind 'competency-level' (`courseId`
 * ''): the share of the people in scope holding role profile `competency.profileId` whose current
 * level of `competency.competencyId` is at least `competency.level` reaches `targetPercent`.
 */
export interface OrgGoal {
  readonly id: string;
  readonly orgId: string;
  /** The unit whose people (with those of the units below it) are in scope; the whole organization when undefined. */
  readonly unitId?: string;
  readonly title: string;
  readonly kind: 'course-completion' | 'competency-level';
  /** The course of a course-completion goal; '' for a competency-level goal. */
  readonly courseId: string;
  /** What a competency-level goal measures. */
  readonly competency?: { readonly profileId: string; readonly competencyId: string; readonly level: number };
  /** YYYY-MM-DD. */
  readonly dueDate: string;
  /** 1..100. */
  readonly targetPercent: number;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** One piece of learning a person put in their career plan. */
export interface CareerPlanItem {
  readonly id: string;
  /** A catalog entry (a course or another opportunity). */
  readonly entryId: string;
  /** The competency (URI) of the target role it is meant to close, when it was picked for one. */
  readonly competencyId?: string;
  /** YYYY-MM-DD. */
  readonly targetDate?: string;
  readonly addedAt: string;
}

/** A person's career plan in one organization: the role they aim at and the learning they picked. */
export interface CareerPlan {
  readonly orgId: string;
  readonly userId: string;
  /** A role profile of the organization (its own or an adopted one). */
  readonly targetProfileId: string;
  readonly items: readonly CareerPlanItem[];
  /** The person's managers (of their units) may see it. */
  readonly sharedWithManager: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CareerStore {
  /** Throws AppError('conflict') when the id exists. */
  insertUnit(unit: OrgUnit): Promise<void>;
  /** undefined when none (or in another organization). */
  findUnit(orgId: string, id: string): Promise<OrgUnit | undefined>;
  /** Every unit of an organization ordered by name, then id; [] when none. */
  findUnits(orgId: string): Promise<OrgUnit[]>;
  /** Renames and/or moves (`parentId` null: to the top); false when the unit does not exist. */
  updateUnit(orgId: string, id: string, patch: { readonly name?: string; readonly parentId?: string | null }): Promise<boolean>;
  /** false when the unit did not exist. Its people rows are deleted with it. */
  deleteUnit(orgId: string, id: string): Promise<boolean>;

  /** Idempotent: returns false (changing nothing) when the row exists. */
  insertUnitPerson(row: UnitPerson): Promise<boolean>;
  /** false when there was no such row. */
  deleteUnitPerson(orgId: string, unitId: string, userId: string, kind: UnitPerson['kind']): Promise<boolean>;
  /** Rows of an organization, narrowed by every given field; ordered by unitId, kind, userId. */
  findUnitPeople(filter: { readonly orgId: string; readonly unitIds?: readonly string[]; readonly userId?: string; readonly kind?: UnitPerson['kind'] }): Promise<UnitPerson[]>;
  /** Deletes every unit row of a person (erasure, leaving the organization); returns how many. */
  deleteUnitPeopleOfUser(userId: string, orgId?: string): Promise<number>;

  /** Throws AppError('conflict') when the id exists, or the organization has a profile of that name (any case). */
  insertRoleProfile(profile: RoleProfile): Promise<void>;
  /** Replaces the mutable fields; false when none. Throws AppError('conflict') on a name taken by another profile of the organization. */
  updateRoleProfile(profile: RoleProfile): Promise<boolean>;
  /** undefined when none. */
  findRoleProfile(id: string): Promise<RoleProfile | undefined>;
  /**
   * Profiles of one organization (narrowed by `shared` when given), or, without `orgId`, the
   * shared profiles of every organization; ordered by name, then id; [] when none.
   */
  findRoleProfiles(filter: { readonly orgId?: string; readonly shared?: boolean }): Promise<RoleProfile[]>;
  /** false when none. Person rows naming it are deleted with it. */
  deleteRoleProfile(orgId: string, id: string): Promise<boolean>;

  /** Idempotent: false when the person holds it already. */
  insertPersonRoleProfile(row: PersonRoleProfile): Promise<boolean>;
  /** false when there was no such row. */
  deletePersonRoleProfile(orgId: string, userId: string, profileId: string): Promise<boolean>;
  /** Rows of an organization (of one person when given), ordered by userId, since, profileId. */
  findPersonRoleProfiles(filter: { readonly orgId: string; readonly userId?: string }): Promise<PersonRoleProfile[]>;

  /** Throws AppError('conflict') when the id exists. */
  insertGoal(goal: OrgGoal): Promise<void>;
  /** undefined when none (or in another organization). */
  findGoal(orgId: string, id: string): Promise<OrgGoal | undefined>;
  /** Goals of an organization (only those of these units when `unitIds` is given), by dueDate, then id. */
  findGoals(filter: { readonly orgId: string; readonly unitIds?: readonly string[] }): Promise<OrgGoal[]>;
  /** false when none. (A goal's trend is computed from history, ADR 0036: nothing else is kept.) */
  deleteGoal(orgId: string, id: string): Promise<boolean>;

  /** Creates or replaces the plan of (orgId, userId). Idempotent. */
  upsertCareerPlan(plan: CareerPlan): Promise<void>;
  /** undefined when none. */
  findCareerPlan(orgId: string, userId: string): Promise<CareerPlan | undefined>;
  /** Plans of an organization (of these people when given), ordered by userId; [] when none. */
  findCareerPlans(filter: { readonly orgId: string; readonly userIds?: readonly string[] }): Promise<CareerPlan[]>;
  /** Deletes a person's plans (of one organization when given; erasure, leaving it); returns how many. */
  deleteCareerPlans(userId: string, orgId?: string): Promise<number>;
}
