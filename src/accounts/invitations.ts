import type { AppServices } from '../deps';
import { AppError, badRequest } from '../errors';
import type { Invitation, Organization, Role, User } from '../store/ports';
import { assertRoleIn } from './access';
import { recordAudit } from './audit';
import { parseEmail, parseNewPassword, parseRoles, requiredText, type LearnerType } from './input';
import { requireOrganization } from './organizations';
import { hashSecret } from './secret-hash';
import { forgetUser, startSession } from './sessions';
import { checkPassword, type SignedIn } from './sign-in';
import { hashToken, newId, newLinkToken } from './tokens';
import { markEmailProven } from './email-proof';
import { mailerFor, type MailDelivery } from './mail/mailer';
import { invitationMail } from './mail/messages';
import type { UserContext } from './user-context';

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The link of an invitation token (page /invitations/<token>; API twin /api/invitations/<token>). */
export function invitationLink(publicUrl: string, token: string): string {
  return `${publicUrl}/invitations/${token}`;
}

/**
 * A new invitation. Its link is mailed to the invited address and never shown to the inviter
 * (issue 11): accepting it is what proves the address belongs to the person.
 */
export interface CreatedInvitation {
  readonly invitation: Invitation;
  /** Where the link went: the SMTP server, or the site administrator's outbox. */
  readonly delivery: MailDelivery;
}

/**
 * Invites an email to an organization with roles (orgAdmin of it, or site admin). The random
 * token is stored only hashed; the link is mailed to the address and works for 7 days, once.
 * Audited as invitation.create. 503 when the mail server refuses the mail.
 */
export async function inviteToOrganization(
  s: AppServices,
  actor: UserContext,
  input: { readonly orgId: string; readonly email: string; readonly roles: readonly Role[]; readonly learnerType?: LearnerType },
): Promise<CreatedInvitation> {
  assertRoleIn(actor, input.orgId, 'orgAdmin');
  const org = await requireOrganization(s, input.orgId);
  const email = parseEmail(input.email);
  const roles = parseRoles(input.roles);
  const now = s.now();
  const token = newLinkToken();
  const learnerType = roles.includes('learner') ? (input.learnerType ?? 'staff') : undefined;
  const invitation: Invitation = {
    tokenHash: hashToken(token),
    orgId: input.orgId,
    email,
    roles,
    ...(learnerType !== undefined ? { learnerType } : {}),
    invitedBy: actor.userId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + INVITATION_TTL_MS).toISOString(),
  };
  await s.store.accounts.insertInvitation(invitation);
  await recordAudit(s, actor, { action: 'invitation.create', orgId: input.orgId, target: email, details: { roles, ...(learnerType ? { learnerType } : {}) } });
  const mailer = mailerFor(s);
  await mailer.send(invitationMail({ to: email, orgName: org.name, roles, link: invitationLink(s.config.publicUrl, token), expiresAt: invitation.expiresAt }));
  s.logger.info({ orgId: input.orgId, email, delivery: mailer.delivery }, 'invitation mailed');
  return { invitation, delivery: mailer.delivery };
}

/** What the invitation page shows before acceptance. */
export interface InvitationView {
  readonly email: string;
  readonly roles: readonly Role[];
  readonly learnerType?: LearnerType;
  readonly organization: Pick<Organization, 'id' | 'name' | 'kind'>;
  readonly expiresAt: string;
  /** True when the email has an account already: accepting asks for its password, not a new one. */
  readonly existingAccount: boolean;
}

const INVALID = 'this invitation link is unknown, used or expired: ask the organization administrator for a new one';

async function usableInvitation(s: AppServices, token: string): Promise<Invitation> {
  const inv = await s.store.accounts.findInvitation(hashToken(token));
  if (!inv || inv.acceptedAt !== undefined || Date.parse(inv.expiresAt) <= s.now().getTime()) {
    throw new AppError('not_found', INVALID);
  }
  return inv;
}

/** The invitation behind a token; 404 when unknown, accepted or expired. */
export async function describeInvitation(s: AppServices, token: string): Promise<InvitationView> {
  const inv = await usableInvitation(s, token);
  const org = await requireOrganization(s, inv.orgId);
  const user = await s.store.accounts.findUserByEmail(inv.email);
  return {
    email: inv.email,
    roles: inv.roles,
    ...(inv.learnerType !== undefined ? { learnerType: inv.learnerType } : {}),
    organization: { id: org.id, name: org.name, kind: org.kind },
    expiresAt: inv.expiresAt,
    existingAccount: !!user,
  };
}

/**
 * Accepts an invitation (single use) and signs the person in. A new email: `name` and
 * `password` create the account. An email with an account already: `password` must be that
 * account's password (the link alone does not let anyone take over an account) and the roles are
 * added. Either way the address is proven: the link was mailed to it. 404 for an unknown, used or
 * expired invitation; 401 for a wrong existing password (under the sign-in limits, from `address`).
 */
export async function acceptInvitation(
  s: AppServices,
  token: string,
  input: { readonly name?: string; readonly password: string; readonly shareEmail?: boolean; readonly address: string },
): Promise<SignedIn> {
  const inv = await usableInvitation(s, token);
  await requireOrganization(s, inv.orgId);
  const existing = await s.store.accounts.findUserByEmail(inv.email);
  const now = s.now();
  let user: User;
  if (existing) {
    // The same limits as sign-in: an invitation link must not become a password oracle.
    if (!(await checkPassword(s, existing, input.password, { email: existing.email, address: input.address }))) {
      throw new AppError('unauthorized', `password must be the current password of the account ${inv.email}`);
    }
    user = existing;
  } else {
    if (input.name === undefined) throw badRequest('name must be a string');
    const name = requiredText(input.name, 'name', 120);
    const password = parseNewPassword(input.password);
    user = {
      id: newId(),
      email: inv.email,
      name,
      passwordHash: await hashSecret(password),
      isSiteAdmin: false,
      shareEmail: input.shareEmail === true,
      createdAt: now.toISOString(),
      failedSignIns: 0,
      emailVerifiedAt: now.toISOString(),
    };
  }
  // Claim the invitation before creating anything: of two racing acceptances only one gets here.
  if (!(await s.store.accounts.updateInvitationAccepted(inv.tokenHash, now.toISOString()))) {
    throw new AppError('not_found', INVALID);
  }
  if (!existing) await s.store.accounts.insertUser(user);
  else await markEmailProven(s, existing);
  for (const role of inv.roles) {
    await s.store.accounts.insertMembership({
      userId: user.id,
      orgId: inv.orgId,
      role,
      ...(role === 'learner' && inv.learnerType !== undefined ? { learnerType: inv.learnerType } : {}),
      createdAt: now.toISOString(),
    });
  }
  forgetUser(s, user.id);
  await recordAudit(s, { userId: user.id, name: user.name, email: user.email }, {
    action: 'invitation.accept',
    orgId: inv.orgId,
    target: user.id,
    details: { roles: inv.roles, newAccount: !existing },
  });
  return { user, session: await startSession(s, user) };
}

/** An invitation as administrators list it: never its token or token hash. */
export interface InvitationSummary {
  readonly email: string;
  readonly roles: readonly Role[];
  readonly learnerType?: LearnerType;
  readonly invitedBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly acceptedAt?: string;
}

/** Invitations of an organization, newest first (orgAdmin of it, or site admin). */
export async function listInvitations(s: AppServices, actor: UserContext, orgId: string): Promise<InvitationSummary[]> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  await requireOrganization(s, orgId);
  return (await s.store.accounts.findInvitations(orgId)).map((i) => ({
    email: i.email,
    roles: i.roles,
    ...(i.learnerType !== undefined ? { learnerType: i.learnerType } : {}),
    invitedBy: i.invitedBy,
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
    ...(i.acceptedAt !== undefined ? { acceptedAt: i.acceptedAt } : {}),
  }));
}
