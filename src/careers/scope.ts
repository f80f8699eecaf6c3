import { roleError } from '../accounts/access';
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import type { OrgUnit } from '../store/ports';

/**
 * Which units of one organization a person may see: every unit for its administrators (and the
 * site administrator), the units a manager manages and every unit below them for a manager,
 * nothing for anyone else (they are refused before).
 */
export interface UnitScope {
  readonly orgId: string;
  /** Every unit of the organization. */
  readonly units: readonly OrgUnit[];
  /** True for administrators: the whole organization, people in no unit included. */
  readonly all: boolean;
  /** Ids of the units in scope (every unit when `all`). */
  readonly unitIds: ReadonlySet<string>;
}

/** Ids of `roots` and every unit below them (cycles, which the service never stores, end the walk). */
export function unitsBelow(units: readonly OrgUnit[], roots: Iterable<string>): Set<string> {
  const children = new Map<string, string[]>();
  for (const u of units) if (u.parentId !== undefined) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id]);
  const known = new Set(units.map((u) => u.id));
  const out = new Set<string>();
  const queue = [...roots].filter((id) => known.has(id));
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (out.has(id)) continue;
    out.add(id);
    queue.push(...(children.get(id) ?? []));
  }
  return out;
}

/** The path from the top of the tree down to `unitId`, names joined by ' / ' ('' when unknown). */
export function unitPath(units: readonly OrgUnit[], unitId: string): string {
  const byId = new Map(units.map((u) => [u.id, u]));
  const names: string[] = [];
  let cur = byId.get(unitId);
  const seen = new Set<string>();
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    names.unshift(cur.name);
    cur = cur.parentId !== undefined ? byId.get(cur.parentId) : undefined;
  }
  return names.join(' / ');
}

/**
 * The actor's scope in `orgId`. Throws 404 when the actor has no role in the organization and
 * 403 when they are neither its administrator nor a manager. A manager whose units were all
 * deleted gets an empty scope.
 */
export async function unitScope(s: AppServices, actor: UserContext, orgId: string): Promise<UnitScope> {
  const err = roleError(actor, orgId, ['orgAdmin', 'manager']);
  if (err) throw err;
  const units = await s.store.careers.findUnits(orgId);
  const admin = actor.isSiteAdmin || (actor.roles.get(orgId)?.has('orgAdmin') ?? false);
  if (admin) return { orgId, units, all: true, unitIds: new Set(units.map((u) => u.id)) };
  const managed = await s.store.careers.findUnitPeople({ orgId, userId: actor.userId, kind: 'manager' });
  return { orgId, units, all: false, unitIds: unitsBelow(units, managed.map((m) => m.unitId)) };
}
