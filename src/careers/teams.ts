import { assertRoleIn } from '../accounts/access';
import { recordAudit } from '../accounts/audit';
import { requireOrganization } from '../accounts/organizations';
import { grantRole, revokeRole } from '../accounts/people';
import { newId } from '../accounts/tokens';
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { badRequest, conflict, notFound } from '../errors';
import type { OrgUnit, UnitPerson } from '../store/ports';
import { unitPath, unitScope, unitsBelow } from './scope';

/** Longest unit name. */
export const MAX_UNIT_NAME = 120;

/** A unit as the API and pages show it. */
export interface UnitView extends OrgUnit {
  /** Names from the top of the tree, joined by ' / '. */
  readonly path: string;
  /** Depth in the tree (0 = top). */
  readonly depth: number;
  readonly members: number;
  readonly managers: readonly string[];
}

/** A unit with who is in it and who manages it. */
export interface UnitDetail extends UnitView {
  readonly people: readonly { readonly userId: string; readonly name: string; readonly email: string; readonly kind: UnitPerson['kind'] }[];
}

function parseName(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw badRequest('name must be a non-empty string');
  const name = raw.trim();
  if (name.length > MAX_UNIT_NAME) throw badRequest(`name must be at most ${MAX_UNIT_NAME} characters`);
  return name;
}

/** Units in tree order (each parent before its children, siblings by name) with their depth. */
function treeOrder(units: readonly OrgUnit[]): { unit: OrgUnit; depth: number }[] {
  const known = new Set(units.map((u) => u.id));
  const children = new Map<string | undefined, OrgUnit[]>();
  for (const u of units) {
    const parent = u.parentId !== undefined && known.has(u.parentId) ? u.parentId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), u]);
  }
  const out: { unit: OrgUnit; depth: number }[] = [];
  const walk = (parent: string | undefined, depth: number): void => {
    for (const u of children.get(parent) ?? []) {
      out.push({ unit: u, depth });
      walk(u.id, depth + 1);
    }
  };
  walk(undefined, 0);
  return out;
}

/** The units the actor may see (administrators: all; managers: theirs and below), in tree order. */
export async function listUnits(s: AppServices, actor: UserContext, orgId: string): Promise<UnitView[]> {
  await requireOrganization(s, orgId);
  const scope = await unitScope(s, actor, orgId);
  const rows = await s.store.careers.findUnitPeople({ orgId, unitIds: [...scope.unitIds] });
  return treeOrder(scope.units)
    .filter(({ unit }) => scope.unitIds.has(unit.id))
    .map(({ unit, depth }) => ({
      ...unit,
      path: unitPath(scope.units, unit.id),
      depth,
      members: rows.filter((r) => r.unitId === unit.id && r.kind === 'member').length,
      managers: rows.filter((r) => r.unitId === unit.id && r.kind === 'manager').map((r) => r.userId),
    }));
}

/** One unit in the actor's scope with its people; 404 outside the scope (also for a manager of a sibling unit). */
export async function getUnit(s: AppServices, actor: UserContext, orgId: string, unitId: string): Promise<UnitDetail> {
  const all = await listUnits(s, actor, orgId);
  const unit = all.find((u) => u.id === unitId);
  if (!unit) throw notFound(`no unit ${unitId} in organization ${orgId}`);
  const rows = await s.store.careers.findUnitPeople({ orgId, unitIds: [unitId] });
  const users = new Map((await s.store.accounts.findUsers([...new Set(rows.map((r) => r.userId))])).map((u) => [u.id, u]));
  const people = rows
    .map((r) => ({ userId: r.userId, name: users.get(r.userId)?.name ?? '', email: users.get(r.userId)?.email ?? '', kind: r.kind }))
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
  return { ...unit, people };
}

async function requireUnit(s: AppServices, orgId: string, unitId: string): Promise<OrgUnit> {
  const unit = await s.store.careers.findUnit(orgId, unitId);
  if (!unit) throw notFound(`no unit ${unitId} in organization ${orgId}`);
  return unit;
}

/** 409 when a sibling under `parentId` already has this name (any case). */
function assertFreeName(units: readonly OrgUnit[], parentId: string | undefined, name: string, except?: string): void {
  const clash = units.find((u) => u.id !== except && u.parentId === parentId && u.name.toLowerCase() === name.toLowerCase());
  if (clash) throw conflict(`a unit named ${clash.name} is already there`);
}

/** Creates a unit (organization administrators). The parent, when given, must be a unit of the same organization. */
export async function createUnit(s: AppServices, actor: UserContext, orgId: string, input: { readonly name: unknown; readonly parentId?: unknown }): Promise<OrgUnit> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  await requireOrganization(s, orgId);
  const name = parseName(input.name);
  const parentId = input.parentId === undefined || input.parentId === null || input.parentId === '' ? undefined : input.parentId;
  if (parentId !== undefined && typeof parentId !== 'string') throw badRequest('parentId must be a unit id');
  const units = await s.store.careers.findUnits(orgId);
  if (parentId !== undefined && !units.some((u) => u.id === parentId)) throw badRequest(`parentId: no unit ${parentId} in this organization`);
  assertFreeName(units, parentId, name);
  const unit: OrgUnit = { id: newId(), orgId, name, ...(parentId !== undefined ? { parentId } : {}), createdAt: s.now().toISOString() };
  await s.store.careers.insertUnit(unit);
  await recordAudit(s, actor, { action: 'unit.create', orgId, target: unit.id, details: { name, ...(parentId !== undefined ? { parentId } : {}) } });
  return unit;
}

/**
 * Renames and/or moves a unit (organization administrators). `parentId` null (or '') moves it to
 * the top; a unit cannot move under itself or a unit below it (409).
 */
export async function updateUnit(
  s: AppServices,
  actor: UserContext,
  orgId: string,
  unitId: string,
  input: { readonly name?: unknown; readonly parentId?: unknown },
): Promise<OrgUnit> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  await requireOrganization(s, orgId);
  const unit = await requireUnit(s, orgId, unitId);
  const units = await s.store.careers.findUnits(orgId);
  const name = input.name === undefined ? unit.name : parseName(input.name);
  let parentId = unit.parentId;
  if (input.parentId !== undefined) {
    if (input.parentId === null || input.parentId === '') parentId = undefined;
    else if (typeof input.parentId !== 'string') throw badRequest('parentId must be a unit id, or null for the top');
    else {
      if (!units.some((u) => u.id === input.parentId)) throw badRequest(`parentId: no unit ${input.parentId} in this organization`);
      if (unitsBelow(units, [unitId]).has(input.parentId)) throw conflict('a unit cannot move under itself or a unit below it');
      parentId = input.parentId;
    }
  }
  assertFreeName(units, parentId, name, unitId);
  await s.store.careers.updateUnit(orgId, unitId, { name, parentId: parentId ?? null });
  await recordAudit(s, actor, { action: 'unit.update', orgId, target: unitId, details: { name, parentId: parentId ?? null } });
  const { parentId: _old, ...rest } = unit;
  return { ...rest, name, ...(parentId !== undefined ? { parentId } : {}) };
}

/**
 * Deletes a unit (organization administrators). Refused (409) while units are below it, people
 * or managers are in it, or goals are set for it: each of those must be moved or removed first,
 * so a deletion never silently drops someone out of a manager's view or a goal.
 */
export async function deleteUnit(s: AppServices, actor: UserContext, orgId: string, unitId: string): Promise<void> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  await requireOrganization(s, orgId);
  await requireUnit(s, orgId, unitId);
  const units = await s.store.careers.findUnits(orgId);
  if (units.some((u) => u.parentId === unitId)) throw conflict('this unit has units below it: move or delete them first');
  if ((await s.store.careers.findUnitPeople({ orgId, unitIds: [unitId] })).length > 0) throw conflict('this unit has people or managers: remove them first');
  if ((await s.store.careers.findGoals({ orgId, unitIds: [unitId] })).length > 0) throw conflict('this unit has goals: delete them first');
  await s.store.careers.deleteUnit(orgId, unitId);
  await recordAudit(s, actor, { action: 'unit.delete', orgId, target: unitId });
}

/** 404 unless the person holds a role in the organization (ids of other organizations' people reveal nothing). */
async function requireMember(s: AppServices, orgId: string, userId: string): Promise<void> {
  const ms = await s.store.accounts.findMemberships({ userId, orgId });
  if (ms.length === 0) throw notFound(`no person ${userId} in organization ${orgId}`);
}

/**
 * Puts a person of the organization into a unit as a member, or makes them a manager of it (which
 * grants the manager role). Organization administrators. Returns whether it was new.
 */
export async function addUnitPerson(s: AppServices, actor: UserContext, orgId: string, unitId: string, userId: string, kind: UnitPerson['kind']): Promise<boolean> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  await requireOrganization(s, orgId);
  await requireUnit(s, orgId, unitId);
  await requireMember(s, orgId, userId);
  const added = await s.store.careers.insertUnitPerson({ orgId, unitId, userId, kind, createdAt: s.now().toISOString() });
  if (kind === 'manager') await grantRole(s, actor, { orgId, userId, role: 'manager' });
  if (added) await recordAudit(s, actor, { action: kind === 'manager' ? 'unit.manager.add' : 'unit.member.add', orgId, target: userId, details: { unitId } });
  return added;
}

/** Takes a person out of a unit (member) or ends their management of it; the manager role goes with their last unit. 404 when not there. */
export async function removeUnitPerson(s: AppServices, actor: UserContext, orgId: string, unitId: string, userId: string, kind: UnitPerson['kind']): Promise<void> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  await requireOrganization(s, orgId);
  await requireUnit(s, orgId, unitId);
  if (!(await s.store.careers.deleteUnitPerson(orgId, unitId, userId, kind))) throw notFound(`person ${userId} is not a ${kind} of unit ${unitId}`);
  if (kind === 'manager') {
    const left = await s.store.careers.findUnitPeople({ orgId, userId, kind: 'manager' });
    const holds = (await s.store.accounts.findMemberships({ userId, orgId })).some((m) => m.role === 'manager');
    if (left.length === 0 && holds) await revokeRole(s, actor, { orgId, userId, role: 'manager' });
  }
  await recordAudit(s, actor, { action: kind === 'manager' ? 'unit.manager.remove' : 'unit.member.remove', orgId, target: userId, details: { unitId } });
}
