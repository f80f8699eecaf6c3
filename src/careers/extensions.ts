/**
 * What careers adds to other areas' extension points (src/catalog/extension-points.ts): who is in
 * a unit for assignments (the unit and every unit below it), managers as assigners (to the people
 * of their units, or their units, only), and managers as confirmers of their people's
 * self-assessed competency levels. Registered once per process.
 */
import { hasRole, type UserContext } from '../accounts/user-context';
import { registerAssigner, registerAssignmentAudience, registerConfirmer, registerDashboardSection, type DashboardSection } from '../catalog/extension-points';
import type { AppServices } from '../deps';
import type { AssignmentTarget } from '../store/ports';
import { unitsBelow } from './scope';

/** Ids of the people in `unitId` and the units below it. */
export async function unitMembers(s: AppServices, orgId: string, unitId: string): Promise<string[]> {
  const units = await s.store.careers.findUnits(orgId);
  const below = [...unitsBelow(units, [unitId])];
  if (below.length === 0) return [];
  const rows = await s.store.careers.findUnitPeople({ orgId, unitIds: below, kind: 'member' });
  return [...new Set(rows.map((r) => r.userId))];
}

/** The units a manager manages in `orgId` and every unit below them (empty for anyone else). */
export async function managedUnits(s: AppServices, user: UserContext, orgId: string): Promise<Set<string>> {
  if (user.isSiteAdmin || !hasRole(user, orgId, 'manager')) return new Set();
  const managed = await s.store.careers.findUnitPeople({ orgId, userId: user.userId, kind: 'manager' });
  if (managed.length === 0) return new Set();
  return unitsBelow(await s.store.careers.findUnits(orgId), managed.map((m) => m.unitId));
}

/** Whether `personId` is a member of one of the units `user` manages in `orgId` (or below them). */
export async function managesPerson(s: AppServices, user: UserContext, orgId: string, personId: string): Promise<boolean> {
  const scope = await managedUnits(s, user, orgId);
  if (scope.size === 0) return false;
  const rows = await s.store.careers.findUnitPeople({ orgId, userId: personId, kind: 'member' });
  return rows.some((r) => scope.has(r.unitId));
}

async function managerMayAssign(s: AppServices, user: UserContext, orgId: string, target: AssignmentTarget): Promise<boolean> {
  switch (target.kind) {
    case 'unit': return (await managedUnits(s, user, orgId)).has(target.unitId);
    case 'person': return managesPerson(s, user, orgId, target.userId);
    // A platform role spans the whole organization: administrators only.
    case 'role': return false;
  }
}

let registered = false;
/** Registers careers' extensions (idempotent: every app of a process shares the registries). */
export function registerCareersExtensions(): void {
  if (registered) return;
  registered = true;
  registerAssignmentAudience('unit', {
    includes: async (s, orgId, target, userId) => target.kind === 'unit' && (await unitMembers(s, orgId, target.unitId)).includes(userId),
    list: async (s, orgId, target) => (target.kind === 'unit' ? unitMembers(s, orgId, target.unitId) : []),
  });
  registerAssigner(managerMayAssign);
  registerConfirmer((s, user, orgId, personId) => managesPerson(s, user, orgId, personId));
  registerDashboardSection(careerPlanSection);
}

/** The career-plan section of a person's dashboard: per organization with a plan, its target role and the open items by date. */
export async function careerPlanSection(s: AppServices, user: UserContext): Promise<DashboardSection | undefined> {
  const items: { title: string; href: string; detail?: string }[] = [];
  for (const orgId of user.roles.keys()) {
    const plan = await s.store.careers.findCareerPlan(orgId, user.userId);
    if (!plan) {
      // The way in: organizations with role profiles invite the person to plan.
      if ((await s.store.careers.findRoleProfiles({ orgId })).length > 0) {
        const org = await s.store.accounts.findOrganization(orgId);
        items.push({ title: `Plan your career${org ? ` at ${org.name}` : ''}`, href: `/orgs/${encodeURIComponent(orgId)}/career-plan`, detail: 'pick a target role' });
      }
      continue;
    }
    const role = await s.store.careers.findRoleProfile(plan.targetProfileId);
    const href = `/orgs/${encodeURIComponent(orgId)}/career-plan`;
    items.push({ title: `Aiming for ${role?.name ?? 'a role'}`, href, detail: `${plan.items.length} item${plan.items.length === 1 ? '' : 's'} in the plan` });
    const dated = plan.items.filter((i) => i.targetDate !== undefined).sort((a, b) => (a.targetDate as string).localeCompare(b.targetDate as string)).slice(0, 3);
    if (dated.length > 0) {
      const entries = new Map((await s.store.catalog.findCatalogEntries(dated.map((i) => i.entryId))).map((e) => [e.id, e.title]));
      for (const i of dated) items.push({ title: entries.get(i.entryId) ?? i.entryId, href, detail: `target ${i.targetDate as string}` });
    }
  }
  return items.length === 0 ? undefined : { id: 'careerPlan', heading: 'Career plan', items };
}
