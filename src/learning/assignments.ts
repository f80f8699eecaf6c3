/**
 * Assignments and learning targets (issue 18): organization administrators, and managers within
 * their units (the careers area registers them as assigners), assign catalog entries to people,
 * roles or units of their organization with a due date; administrators set the organization's
 * yearly CE credit and hour target.
 */
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../accounts/audit';
import { hasRole, type UserContext } from '../accounts/user-context';
import { assignerChecks, assignmentAudience } from '../catalog/extension-points';
import { entryById } from '../catalog/course-entries';
import { visibleTo } from '../catalog/visibility';
import type { AppServices } from '../deps';
import { badRequest, forbidden, notFound } from '../errors';
import type { Assignment, AssignmentTarget, LearningTarget, Role } from '../store/ports';

const ROLES: readonly Role[] = ['learner', 'author', 'analyst', 'orgAdmin'];

/** 404 for an unknown organization, or one the person has no role in (it stays opaque). */
async function orgOf(s: AppServices, user: UserContext, orgId: string): Promise<void> {
  const member = user.isSiteAdmin || (user.roles.get(orgId)?.size ?? 0) > 0;
  if (!member || !(await s.store.accounts.findOrganization(orgId))) throw notFound(`no organization ${orgId}`);
}

async function mayAssign(s: AppServices, user: UserContext, orgId: string, target: AssignmentTarget): Promise<boolean> {
  if (hasRole(user, orgId, 'orgAdmin')) return true;
  for (const check of assignerChecks()) if (await check(s, user, orgId, target)) return true;
  return false;
}

/** Parses `{ entryId, target: { kind, userId | role | unitId }, dueAt?, required? }`. */
export function parseAssignment(body: unknown): { entryId: string; target: AssignmentTarget; dueAt?: string; required: boolean } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body must be an object with entryId and target');
  const b = body as Record<string, unknown>;
  const entryId = b['entryId'];
  if (typeof entryId !== 'string' || entryId === '' || entryId.length > 200) throw badRequest('entryId: a catalog entry id');
  const t = b['target'];
  if (typeof t !== 'object' || t === null) throw badRequest('target: { kind: person|role|unit, ... }');
  const tr = t as Record<string, unknown>;
  let target: AssignmentTarget;
  const str = (name: string): string => {
    const v = tr[name];
    if (typeof v !== 'string' || v === '' || v.length > 200) throw badRequest(`target.${name}: a non-empty string`);
    return v;
  };
  if (tr['kind'] === 'person') target = { kind: 'person', userId: str('userId') };
  else if (tr['kind'] === 'role') {
    const role = str('role');
    if (!(ROLES as readonly string[]).includes(role)) throw badRequest(`target.role: one of ${ROLES.join(', ')}`);
    target = { kind: 'role', role: role as Role };
  } else if (tr['kind'] === 'unit') target = { kind: 'unit', unitId: str('unitId') };
  else throw badRequest('target.kind: one of person, role, unit');
  const due = b['dueAt'];
  let dueAt: string | undefined;
  if (due !== undefined && due !== null && due !== '') {
    if (typeof due !== 'string' || Number.isNaN(Date.parse(due)) || !/^\d{4}-\d\d-\d\d/.test(due)) throw badRequest('dueAt: an ISO 8601 date or date-time');
    dueAt = new Date(/^\d{4}-\d\d-\d\d$/.test(due) ? `${due}T23:59:59.999Z` : due).toISOString();
  }
  const required = b['required'];
  if (required !== undefined && typeof required !== 'boolean') throw badRequest('required: true or false');
  return { entryId, target, ...(dueAt !== undefined ? { dueAt } : {}), required: required !== false };
}

/** Creates an assignment. 404 outside one's organizations; 403 for members who may not assign. */
export async function createAssignment(s: AppServices, user: UserContext, orgId: string, input: ReturnType<typeof parseAssignment>): Promise<Assignment> {
  await orgOf(s, user, orgId);
  if (!(await mayAssign(s, user, orgId, input.target))) throw forbidden(`this needs the role orgAdmin in organization ${orgId}`);
  const entry = await entryById(s, input.entryId);
  if (!entry || !(entry.orgId === orgId || visibleTo({ orgIds: [orgId] }, entry))) throw badRequest(`entryId: no catalog entry ${input.entryId} that organization ${orgId} may take`);
  if (input.target.kind === 'person') {
    const ms = await s.store.accounts.findMemberships({ userId: input.target.userId, orgId });
    if (ms.length === 0) throw badRequest(`target.userId: ${input.target.userId} is not a member of organization ${orgId}`);
  }
  if (input.target.kind === 'unit') {
    if (!assignmentAudience('unit')) throw badRequest('target.kind unit: units do not exist on this site yet');
    // Another organization's unit is answered as an unknown one.
    const unitId = input.target.unitId;
    if (!(await s.store.careers.findUnits(orgId)).some((u) => u.id === unitId)) throw notFound(`no unit ${unitId}`);
  }
  const a: Assignment = { id: randomUUID(), orgId, ...input, createdBy: user.userId, createdAt: s.now().toISOString() };
  await s.store.learning.insertAssignment(a);
  await recordAudit(s, user, { action: 'assignment.create', orgId, target: a.id, details: { entryId: a.entryId, target: { ...a.target }, ...(a.dueAt ? { dueAt: a.dueAt } : {}) } });
  return a;
}

/**
 * The organization's assignments a person may see: every one for its administrators; for a
 * manager, those they could have made (to their units and below, or to people in them). 403 for
 * other members, 404 outside the organization.
 */
export async function listAssignments(s: AppServices, user: UserContext, orgId: string): Promise<Assignment[]> {
  await orgOf(s, user, orgId);
  const all = await s.store.learning.findAssignments({ orgIds: [orgId] });
  if (hasRole(user, orgId, 'orgAdmin')) return all;
  if (!hasRole(user, orgId, 'manager')) throw forbidden(`this needs the role orgAdmin or manager in organization ${orgId}`);
  const mine: Assignment[] = [];
  for (const a of all) if (await mayAssign(s, user, orgId, a.target)) mine.push(a);
  return mine;
}

/** 404 outside the organization, 403 unless the person administers it (reminder runs, the whole organization's matters). */
export async function requireAssignmentAdmin(s: AppServices, user: UserContext, orgId: string): Promise<void> {
  await orgOf(s, user, orgId);
  if (!hasRole(user, orgId, 'orgAdmin')) throw forbidden(`this needs the role orgAdmin in organization ${orgId}`);
}

export async function deleteAssignment(s: AppServices, user: UserContext, orgId: string, id: string): Promise<void> {
  await orgOf(s, user, orgId);
  const a = await s.store.learning.findAssignment(id);
  if (!a || a.orgId !== orgId) throw notFound(`no assignment ${id}`);
  if (!(await mayAssign(s, user, orgId, a.target))) throw forbidden(`this needs the role orgAdmin in organization ${orgId}`);
  await s.store.learning.deleteAssignment(id);
  await recordAudit(s, user, { action: 'assignment.delete', orgId, target: id });
}

/** Whether a person is in an assignment's audience. */
export async function assignedTo(s: AppServices, a: Assignment, userId: string, roles: ReadonlySet<Role> | undefined): Promise<boolean> {
  switch (a.target.kind) {
    case 'person': return a.target.userId === userId;
    case 'role': return roles?.has(a.target.role) ?? false;
    case 'unit': {
      const audience = assignmentAudience('unit');
      return audience ? audience.includes(s, a.orgId, a.target, userId) : false;
    }
  }
}

/** Parses `{ ceCredits?, hours? }` (null or '' clears). */
export function parseTarget(body: unknown): { ceCredits?: number; hours?: number } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body must be an object with ceCredits and/or hours');
  const b = body as Record<string, unknown>;
  const out: { ceCredits?: number; hours?: number } = {};
  for (const name of ['ceCredits', 'hours'] as const) {
    const v = b[name];
    if (v === undefined || v === null || v === '') continue;
    const n = typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > 10000) throw badRequest(`${name}: a number from 0 to 10000`);
    out[name] = n;
  }
  return out;
}

/** Sets the organization's yearly target (organization administrators). */
export async function setLearningTarget(s: AppServices, user: UserContext, orgId: string, t: { ceCredits?: number; hours?: number }): Promise<LearningTarget> {
  await orgOf(s, user, orgId);
  if (!hasRole(user, orgId, 'orgAdmin')) throw forbidden(`this needs the role orgAdmin in organization ${orgId}`);
  const target: LearningTarget = { orgId, ...t, updatedAt: s.now().toISOString(), updatedBy: user.userId };
  await s.store.learning.upsertLearningTarget(target);
  await recordAudit(s, user, { action: 'learning-target.set', orgId, details: { ...t } });
  return target;
}

/** The organization's target (members). */
export async function getLearningTarget(s: AppServices, user: UserContext, orgId: string): Promise<LearningTarget | undefined> {
  await orgOf(s, user, orgId);
  return (await s.store.learning.findLearningTargets([orgId]))[0];
}
