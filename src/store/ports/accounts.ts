/**
 * Accounts: organizations, people, their roles, invitations, one-time tokens, sessions and the
 * audit log. Emails are stored lower-cased; every id is an opaque string chosen by the service.
 */

/** A content provider publishes training, a member library has staff and trustees, or both. */
export type OrgKind = 'provider' | 'member' | 'both';

export interface Organization {
  readonly id: string;
  /** URL-safe unique short name. */
  readonly slug: string;
  readonly name: string;
  readonly kind: OrgKind;
  readonly createdAt: string;
}

/**
 * learner (staff or trustee), author, analyst, orgAdmin (organization administrator), manager (of
 * one or more units: which ones is kept by the careers store; the role alone shows nothing).
 */
export type Role = 'learner' | 'author' | 'analyst' | 'orgAdmin' | 'manager';

export interface User {
  readonly id: string;
  /** Lower-cased; unique. */
  readonly email: string;
  readonly name: string;
  /** scrypt hash (src/accounts/secret-hash.ts); undefined until the person sets a password. */
  readonly passwordHash?: string;
  /** Site administrator: over every organization. */
  readonly isSiteAdmin: boolean;
  /** Whether the person allows their email in their xAPI identity (mbox beside the account). */
  readonly shareEmail: boolean;
  readonly createdAt: string;
  /**
   * Legacy sign-in counters (issue 4). Sign-in limits now live in the LimitStore (ADR 0010);
   * nothing writes these any more, they stay so older rows read back unchanged.
   */
  readonly failedSignIns: number;
  readonly lockedUntil?: string;
  /**
   * When the person proved they receive mail at `email` (followed a mailed invitation,
   * verification or password-reset link). Until then the email is not linked to the person in
   * the LRS (docs/security.md).
   */
  readonly emailVerifiedAt?: string;
  /**
   * Launch tokens granted at or before this ISO time are refused: set when a session of the
   * person ends (sign-out, password reset), a role is removed, or the person is disabled.
   */
  readonly launchTokensEndedAt?: string;
  /** Set when the person was erased (records deleted) or disabled; such users cannot sign in. */
  readonly disabledAt?: string;
}

export interface Membership {
  readonly userId: string;
  readonly orgId: string;
  readonly role: Role;
  /** For learners: staff or trustee. */
  readonly learnerType?: 'staff' | 'trustee';
  readonly createdAt: string;
}

export interface Invitation {
  /** SHA-256 hex of the invitation token (the token itself is only in the link). */
  readonly tokenHash: string;
  readonly orgId: string;
  readonly email: string;
  readonly roles: readonly Role[];
  readonly learnerType?: 'staff' | 'trustee';
  readonly invitedBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly acceptedAt?: string;
}

/** What a one-time token is for. */
export type OneTimeTokenKind = 'password-reset' | 'email-verify';

/** A single-use token, e.g. for a password reset link. */
export interface OneTimeToken {
  /** SHA-256 hex of the token. */
  readonly tokenHash: string;
  readonly kind: OneTimeTokenKind;
  readonly userId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usedAt?: string;
}

/** Server-side record of a signed-in session, so that sign-out really ends it. */
export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt?: string;
}

export interface AuditEntry {
  readonly id: string;
  readonly at: string;
  /** Who did it: a user id, or undefined for the system. */
  readonly actorUserId?: string;
  /** Human-readable actor (name/email) at the time. */
  readonly actorLabel: string;
  /** e.g. 'role.grant', 'role.revoke', 'credential.create', 'credential.revoke', 'person.erase', 'course.publish'. */
  readonly action: string;
  readonly orgId?: string;
  /** What it was done to (user id, credential key, course id...). */
  readonly target?: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AccountStore {
  /** Throws AppError('conflict') when the id or slug exists. */
  insertOrganization(org: Organization): Promise<void>;
  /** undefined when none. */
  findOrganization(id: string): Promise<Organization | undefined>;
  findOrganizationBySlug(slug: string): Promise<Organization | undefined>;
  /** All organizations ordered by name. */
  findOrganizations(): Promise<Organization[]>;

  /** Throws AppError('conflict') when the id or email exists. */
  insertUser(user: User): Promise<void>;
  findUser(id: string): Promise<User | undefined>;
  /** Lookup by email (case-insensitive). */
  findUserByEmail(email: string): Promise<User | undefined>;
  /**
   * The user whose email has this xAPI mbox_sha1sum (hex SHA-1 of `mailto:<email>`, any case);
   * undefined when none. Lets the LRS recognise a person given by mbox_sha1sum.
   */
  findUserByMailboxSha1(sha1: string): Promise<User | undefined>;
  /** Users by ids; unknown ids absent; no order. */
  findUsers(ids: readonly string[]): Promise<User[]>;
  /** Every site administrator (disabled ones included), oldest first; [] when none. */
  findSiteAdmins(): Promise<User[]>;
  /** Partial update of mutable fields; false when the user does not exist. */
  updateUser(
    id: string,
    patch: Partial<Pick<User, 'name' | 'passwordHash' | 'shareEmail' | 'failedSignIns' | 'lockedUntil' | 'disabledAt' | 'isSiteAdmin' | 'emailVerifiedAt' | 'launchTokensEndedAt'>> & {
      readonly clearLockedUntil?: boolean;
    },
  ): Promise<boolean>;

  /** Idempotent: granting an existing (user, org, role) changes nothing. */
  insertMembership(m: Membership): Promise<void>;
  /** false when there was no such membership. */
  deleteMembership(userId: string, orgId: string, role: Role): Promise<boolean>;
  /** Memberships of one user, or of one organization; ordered by orgId, userId, role. */
  findMemberships(filter: { readonly userId?: string; readonly orgId?: string }): Promise<Membership[]>;

  insertInvitation(inv: Invitation): Promise<void>;
  findInvitation(tokenHash: string): Promise<Invitation | undefined>;
  /** Invitations of an organization, newest first. */
  findInvitations(orgId: string): Promise<Invitation[]>;
  /** Marks accepted if not yet accepted; false when already accepted or unknown (single use). */
  updateInvitationAccepted(tokenHash: string, at: string): Promise<boolean>;

  insertToken(t: OneTimeToken): Promise<void>;
  findToken(tokenHash: string): Promise<OneTimeToken | undefined>;
  /** Marks used if unused; false when already used or unknown (single use, race-safe). */
  updateTokenUsed(tokenHash: string, at: string): Promise<boolean>;
  /**
   * Marks every unused token of `kind` of a user used (a password reset ends every other reset
   * link). Returns how many it ended; 0 when none. A token ended here can no longer be marked
   * used by updateTokenUsed, also when the two race.
   */
  updateTokensUsedForUser(userId: string, kind: OneTimeTokenKind, at: string): Promise<number>;

  insertSession(s: SessionRecord): Promise<void>;
  findSession(id: string): Promise<SessionRecord | undefined>;
  /** Idempotent. */
  updateSessionRevoked(id: string, at: string): Promise<void>;
  /** Revokes every session of a user (password change, erasure); returns how many. */
  updateSessionsRevokedForUser(userId: string, at: string): Promise<number>;

  insertAudit(entry: AuditEntry): Promise<void>;
  /** Newest first, at most `limit`; filtered by organization when given. */
  findAudit(filter: { readonly orgId?: string; readonly limit: number }): Promise<AuditEntry[]>;
}
