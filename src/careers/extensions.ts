/**
 * What careers adds to other areas' extension points (src/catalog/extension-points.ts): who is in
 * a unit for assignments (the unit and every unit below it), managers as assigners (to the people
 * of their units, or their units, only), and managers as confirmers of their people's
 * self-assessed competency levels. Registered once per process.
 */
import { hasRole, type UserContext } from '../accounts/user-context';
import { registerAssigner, registerAssignmentAudience, registerConfirmer } from '../catalog/extension-points';
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
}
