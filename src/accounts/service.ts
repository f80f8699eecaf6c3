/**
 * The accounts service: every rule of organizations, people, roles, invitations, sign-in,
 * password reset, sessions, audit and organization LRS credentials. Pages (src/web/accounts) and
 * the JSON API (routes.ts) both call these functions, so both follow the same rules: each
 * function that acts for someone takes the acting UserContext and checks it itself.
 *
 * Errors (AppError): 400 bad input (message names the property), 401 wrong sign-in, 403 a role
 * is missing in an organization the person belongs to, 404 unknown ids and organizations the
 * person has no role in (existence is not revealed), 409 duplicates, 429 throttled sign-in.
 */
export { assertRoleIn, assertSiteAdmin, roleError } from './access';
export { listAudit, recordAudit, MAX_AUDIT_LIMIT, type AuditInput } from './audit';
export { xapiActor, xapiIdentity, type XapiIdentity } from './identity';
export {
  acceptInvitation,
  describeInvitation,
  invitationLink,
  inviteToOrganization,
  listInvitations,
  INVITATION_TTL_MS,
  type CreatedInvitation,
  type InvitationSummary,
  type InvitationView,
} from './invitations';
export { describeMe, type MeView } from './me';
export {
  createOrgCredential,
  credentialView,
  listOrgCredentials,
  parseScopes,
  revokeOrgCredential,
  type CreatedCredential,
  type CredentialView,
} from './org-credentials';
export {
  createOrganization,
  getOrganization,
  insertOrganization,
  listOrganizations,
  requireOrganization,
  type NewOrganizationInput,
} from './organizations';
export {
  checkPasswordResetToken,
  passwordResetLink,
  requestPasswordReset,
  resetPassword,
  RESET_TTL_MS,
} from './password-reset';
export { grantRole, listPeople, revokeRole, type PersonInOrg } from './people';
export {
  buildUserContext,
  endSession,
  endUserSessions,
  forgetUser,
  resolveSession,
  startSession,
  type ResolvedSession,
  type StartedSession,
} from './sessions';
export { checkPassword, signIn, signOut, type SignedIn } from './sign-in';
