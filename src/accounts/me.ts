import type { AppServices } from '../deps';
import { notFound } from '../errors';
import type { Membership, Organization } from '../store/ports';
import { xapiIdentity, type XapiIdentity } from './identity';
import { forgetUser } from './sessions';
import { forgetPerson } from '../xapi/org-scope';
import type { UserContext } from './user-context';

/** What a signed-in person learns about themselves (GET /api/me). */
export interface MeView {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly isSiteAdmin: boolean;
  readonly shareEmail: boolean;
  /** Whether the person proved they receive mail at their email (issue 11). */
  readonly emailProven: boolean;
  readonly memberships: readonly (Pick<Membership, 'orgId' | 'role' | 'learnerType'> & { readonly orgName: string })[];
  readonly xapi: XapiIdentity;
  readonly csrfToken: string;
}

/** The signed-in person with their roles and xAPI identity. */
export async function describeMe(s: AppServices, actor: UserContext): Promise<MeView> {
  const user = await s.store.accounts.findUser(actor.userId);
  if (!user) throw notFound(`no user ${actor.userId}`);
  const memberships = await s.store.accounts.findMemberships({ userId: user.id });
  const orgs = new Map<string, Organization>();
  for (const id of new Set(memberships.map((m) => m.orgId))) {
    const o = await s.store.accounts.findOrganization(id);
    if (o) orgs.set(id, o);
  }
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isSiteAdmin: user.isSiteAdmin,
    shareEmail: user.shareEmail,
    emailProven: user.emailVerifiedAt !== undefined,
    memberships: memberships.map((m) => ({
      orgId: m.orgId,
      orgName: orgs.get(m.orgId)?.name ?? m.orgId,
      role: m.role,
      ...(m.learnerType !== undefined ? { learnerType: m.learnerType } : {}),
    })),
    xapi: xapiIdentity(user, s.config),
    csrfToken: actor.csrfToken,
  };
}

/**
 * Sets whether the person's email appears in their xAPI identity (beside their account). Only the
 * person themselves, for their own account. Statements already stored keep the identity they
 * were written with.
 */
export async function setShareEmail(s: AppServices, actor: UserContext, shareEmail: boolean): Promise<void> {
  if (!(await s.store.accounts.updateUser(actor.userId, { shareEmail }))) throw notFound(`no user ${actor.userId}`);
  forgetUser(s, actor.userId);
  forgetPerson(s.store, actor.userId);
}
