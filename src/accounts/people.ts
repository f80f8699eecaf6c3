import type { AppServices } from '../deps';
import { notFound } from '../errors';
import type { Membership, Role } from '../store/ports';
import { assertRoleIn } from './access';
import { recordAudit } from './audit';
import type { LearnerType } from './input';
import { requireOrganization } from './organizations';
import { forgetPerson } from '../xapi/org-scope';
import { endLaunchTokens, forgetUser } from './sessions';
import type { UserContext } from './user-context';

/** A person as an organization administrator sees them: their roles in that organization. */
export interface PersonInOrg {
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly roles: Role[];
  /** For learners. */
  readonly learnerType?: LearnerType;
  /** Set when the person was erased or disabled. */
  readonly disabledAt?: string;
}

/** People holding any role in the organization, by name (orgAdmin of it, or site admin). */
export async function listPeople(s: AppServices, actor: UserContext, orgId: string): Promise<PersonInOrg[]> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  await requireOrganization(s, orgId);
  const memberships = await s.store.accounts.findMemberships({ orgId });
  const byUser = new Map<string, Membership[]>();
  for (const m of memberships) byUser.set(m.userId, [...(byUser.get(m.userId) ?? []), m]);
  const users = await s.store.accounts.findUsers([...byUser.keys()]);
  return users
    .map((u) => {
      const ms = byUser.get(u.id) ?? [];
      const learnerType = ms.find((m) => m.role === 'learner')?.learnerType;
      return {
        userId: u.id,
        name: u.name,
        email: u.email,
        roles: ms.map((m) => m.role),
        ...(learnerType !== undefined ? { learnerType } : {}),
        ...(u.disabledAt !== undefined ? { disabledAt: u.disabledAt } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
}

/** Roles of one person in one organization; 404 when the person is unknown or (for an org admin) not in the organization. */
async function requirePersonFor(s: AppServices, actor: UserContext, orgId: string, userId: string): Promise<Membership[]> {
  const user = await s.store.accounts.findUser(userId);
  const memberships = user ? await s.store.accounts.findMemberships({ userId, orgId }) : [];
  // An org admin manages people of their organization only: someone outside it is "not found",
  // so ids of other organizations' people reveal nothing. The site admin may add anyone.
  if (!user || (!actor.isSiteAdmin && memberships.length === 0)) throw notFound(`no person ${userId} in organization ${orgId}`);
  return memberships;
}

/**
 * Grants `role` in `orgId` to a person (orgAdmin of that organization, or site admin). Idempotent:
 * granting a role held already changes nothing (to change a learner's type, revoke then grant).
 * Audited as role.grant. Returns whether the role was new.
 */
export async function grantRole(
  s: AppServices,
  actor: UserContext,
  input: { readonly orgId: string; readonly userId: string; readonly role: Role; readonly learnerType?: LearnerType },
): Promise<boolean> {
  assertRoleIn(actor, input.orgId, 'orgAdmin');
  await requireOrganization(s, input.orgId);
  const existing = await requirePersonFor(s, actor, input.orgId, input.userId);
  if (existing.some((m) => m.role === input.role)) return false;
  const learnerType = input.role === 'learner' ? (input.learnerType ?? 'staff') : undefined;
  await s.store.accounts.insertMembership({
    userId: input.userId,
    orgId: input.orgId,
    role: input.role,
    ...(learnerType !== undefined ? { learnerType } : {}),
    createdAt: s.now().toISOString(),
  });
  forgetUser(s, input.userId);
  // The LRS files new statements under the person's organizations: let it see the change now.
  forgetPerson(s.store, input.userId);
  await recordAudit(s, actor, {
    action: 'role.grant',
    orgId: input.orgId,
    target: input.userId,
    details: { role: input.role, ...(learnerType !== undefined ? { learnerType } : {}) },
  });
  return true;
}

/** Revokes `role` in `orgId` (orgAdmin of it, or site admin); 404 when the person does not hold it. Audited as role.revoke. */
export async function revokeRole(
  s: AppServices,
  actor: UserContext,
  input: { readonly orgId: string; readonly userId: string; readonly role: Role },
): Promise<void> {
  assertRoleIn(actor, input.orgId, 'orgAdmin');
  await requireOrganization(s, input.orgId);
  await requirePersonFor(s, actor, input.orgId, input.userId);
  if (!(await s.store.accounts.deleteMembership(input.userId, input.orgId, input.role))) {
    throw notFound(`person ${input.userId} does not hold the role ${input.role} in organization ${input.orgId}`);
  }
  forgetUser(s, input.userId);
  // The LRS files new statements under the person's organizations: let it see the change now.
  forgetPerson(s.store, input.userId);
  // A launch granted under the removed role must not go on writing (issue 11).
  await endLaunchTokens(s, input.userId);
  await recordAudit(s, actor, { action: 'role.revoke', orgId: input.orgId, target: input.userId, details: { role: input.role } });
}
