import type { Database } from 'better-sqlite3';
import { conflict } from '../../errors';
import type {
  AccountStore,
  AuditEntry,
  Invitation,
  Membership,
  OneTimeToken,
  Organization,
  Role,
  SessionRecord,
  User,
} from '../ports';
import { mailboxSha1 } from '../mailbox-sha1';
import { migrateUserMailboxHash } from './user-mailbox-hash';

/**
 * Account tables. Small tables that grow with people, not with statements, so plain
 * CREATE ... IF NOT EXISTS is enough; a later change adds a new guarded step here.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS organizations (
    id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, password_hash TEXT,
    is_site_admin INTEGER NOT NULL DEFAULT 0, share_email INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, failed_sign_ins INTEGER NOT NULL DEFAULT 0, locked_until TEXT,
    disabled_at TEXT
  );
  CREATE TABLE IF NOT EXISTS memberships (
    user_id TEXT NOT NULL, org_id TEXT NOT NULL, role TEXT NOT NULL, learner_type TEXT,
    created_at TEXT NOT NULL, PRIMARY KEY (user_id, org_id, role)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS memberships_org ON memberships (org_id, user_id, role);
  CREATE TABLE IF NOT EXISTS invitations (
    token_hash TEXT PRIMARY KEY, org_id TEXT NOT NULL, email TEXT NOT NULL, roles TEXT NOT NULL,
    learner_type TEXT, invited_by TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
    accepted_at TEXT, seq INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS invitations_org ON invitations (org_id, created_at, seq);
  CREATE TABLE IF NOT EXISTS one_time_tokens (
    token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id TEXT NOT NULL, created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL, used_at TEXT
  );
  CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);
  CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, at TEXT NOT NULL, actor_user_id TEXT,
    actor_label TEXT NOT NULL, action TEXT NOT NULL, org_id TEXT, target TEXT, details TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS audit_org ON audit_log (org_id, seq);
`;

/** Columns added after the first schema (issue 11), each added once when missing. */
const ADDED_USER_COLUMNS = ['email_verified_at', 'launch_tokens_ended_at'] as const;

/** Creates the account tables; idempotent. */
export function migrateSqliteAccounts(db: Database): void {
  db.exec(SCHEMA);
  const have = new Set(db.prepare<[], { name: string }>('PRAGMA table_info(users)').all().map((c) => c.name));
  for (const column of ADDED_USER_COLUMNS) if (!have.has(column)) db.exec(`ALTER TABLE users ADD COLUMN ${column} TEXT`);
  migrateUserMailboxHash(db);
}

interface OrgRow { id: string; slug: string; name: string; kind: string; created_at: string }
interface UserRow {
  id: string; email: string; name: string; password_hash: string | null; is_site_admin: number;
  share_email: number; created_at: string; failed_sign_ins: number; locked_until: string | null;
  disabled_at: string | null; email_verified_at: string | null; launch_tokens_ended_at: string | null;
}
interface MembershipRow { user_id: string; org_id: string; role: string; learner_type: string | null; created_at: string }
interface InvitationRow {
  token_hash: string; org_id: string; email: string; roles: string; learner_type: string | null;
  invited_by: string; created_at: string; expires_at: string; accepted_at: string | null;
}
interface TokenRow { token_hash: string; kind: string; user_id: string; created_at: string; expires_at: string; used_at: string | null }
interface SessionRow { id: string; user_id: string; created_at: string; expires_at: string; revoked_at: string | null }
interface AuditRow {
  id: string; at: string; actor_user_id: string | null; actor_label: string; action: string;
  org_id: string | null; target: string | null; details: string;
}

function isUniqueViolation(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && 'code' in err &&
    (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
  );
}

function run(insert: () => void, conflictMessage: string): void {
  try {
    insert();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(conflictMessage);
    throw err;
  }
}

/** Updatable user columns, by port field name. */
const USER_COLUMNS = {
  name: 'name',
  passwordHash: 'password_hash',
  shareEmail: 'share_email',
  failedSignIns: 'failed_sign_ins',
  lockedUntil: 'locked_until',
  disabledAt: 'disabled_at',
  isSiteAdmin: 'is_site_admin',
  emailVerifiedAt: 'email_verified_at',
  launchTokensEndedAt: 'launch_tokens_ended_at',
} as const;

/** The SQLite AccountStore. */
export function createSqliteAccountStore(db: Database): AccountStore {
  const q = {
    insertOrg: db.prepare('INSERT INTO organizations (id, slug, name, kind, created_at) VALUES (?, ?, ?, ?, ?)'),
    orgById: db.prepare<[string], OrgRow>('SELECT * FROM organizations WHERE id = ?'),
    orgBySlug: db.prepare<[string], OrgRow>('SELECT * FROM organizations WHERE slug = ?'),
    orgs: db.prepare<[], OrgRow>('SELECT * FROM organizations ORDER BY name, id'),
    insertUser: db.prepare(
      `INSERT INTO users (id, email, name, password_hash, is_site_admin, share_email, created_at,
       failed_sign_ins, locked_until, disabled_at, email_verified_at, launch_tokens_ended_at, email_sha1)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    userByEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?'),
    userByMailboxSha1: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email_sha1 = ?'),
    siteAdmins: db.prepare<[], UserRow>('SELECT * FROM users WHERE is_site_admin = 1 ORDER BY created_at, id'),
    insertMembership: db.prepare(
      'INSERT OR IGNORE INTO memberships (user_id, org_id, role, learner_type, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    deleteMembership: db.prepare('DELETE FROM memberships WHERE user_id = ? AND org_id = ? AND role = ?'),
    membershipsOfUser: db.prepare<[string], MembershipRow>('SELECT * FROM memberships WHERE user_id = ? ORDER BY org_id, user_id, role'),
    membershipsOfOrg: db.prepare<[string], MembershipRow>('SELECT * FROM memberships WHERE org_id = ? ORDER BY org_id, user_id, role'),
    membershipsOfBoth: db.prepare<[string, string], MembershipRow>(
      'SELECT * FROM memberships WHERE user_id = ? AND org_id = ? ORDER BY org_id, user_id, role',
    ),
    allMemberships: db.prepare<[], MembershipRow>('SELECT * FROM memberships ORDER BY org_id, user_id, role'),
    insertInvitation: db.prepare(
      `INSERT INTO invitations (token_hash, org_id, email, roles, learner_type, invited_by, created_at,
       expires_at, accepted_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,
       (SELECT COALESCE(MAX(seq), 0) + 1 FROM invitations))`,
    ),
    invitation: db.prepare<[string], InvitationRow>('SELECT * FROM invitations WHERE token_hash = ?'),
    invitationsOfOrg: db.prepare<[string], InvitationRow>(
      'SELECT * FROM invitations WHERE org_id = ? ORDER BY created_at DESC, seq DESC',
    ),
    // The WHERE makes acceptance single-use even when two requests race.
    acceptInvitation: db.prepare('UPDATE invitations SET accepted_at = ? WHERE token_hash = ? AND accepted_at IS NULL'),
    insertToken: db.prepare(
      'INSERT INTO one_time_tokens (token_hash, kind, user_id, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    token: db.prepare<[string], TokenRow>('SELECT * FROM one_time_tokens WHERE token_hash = ?'),
    useToken: db.prepare('UPDATE one_time_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL'),
    useUserTokens: db.prepare('UPDATE one_time_tokens SET used_at = ? WHERE user_id = ? AND kind = ? AND used_at IS NULL'),
    insertSession: db.prepare('INSERT INTO sessions (id, user_id, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?)'),
    session: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    revokeSession: db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    revokeUserSessions: db.prepare('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL'),
    insertAudit: db.prepare(
      `INSERT INTO audit_log (id, at, actor_user_id, actor_label, action, org_id, target, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    auditAll: db.prepare<[number], AuditRow>('SELECT * FROM audit_log ORDER BY at DESC, seq DESC LIMIT ?'),
    auditOfOrg: db.prepare<[string, number], AuditRow>(
      'SELECT * FROM audit_log WHERE org_id = ? ORDER BY at DESC, seq DESC LIMIT ?',
    ),
  };

  return {
    async insertOrganization(o) {
      run(() => q.insertOrg.run(o.id, o.slug, o.name, o.kind, o.createdAt), `organization id ${o.id} or slug ${o.slug} already exists`);
    },
    async findOrganization(id) {
      const row = q.orgById.get(id);
      return row ? toOrg(row) : undefined;
    },
    async findOrganizationBySlug(slug) {
      const row = q.orgBySlug.get(slug);
      return row ? toOrg(row) : undefined;
    },
    async findOrganizations() {
      return q.orgs.all().map(toOrg);
    },

    async insertUser(u) {
      const email = u.email.toLowerCase();
      run(
        () =>
          q.insertUser.run(
            u.id, email, u.name, u.passwordHash ?? null, u.isSiteAdmin ? 1 : 0, u.shareEmail ? 1 : 0,
            u.createdAt, u.failedSignIns, u.lockedUntil ?? null, u.disabledAt ?? null, u.emailVerifiedAt ?? null,
            u.launchTokensEndedAt ?? null, mailboxSha1(email),
          ),
        `a user with id ${u.id} or email ${email} already exists`,
      );
    },
    async findUser(id) {
      const row = q.userById.get(id);
      return row ? toUser(row) : undefined;
    },
    async findUserByEmail(email) {
      const row = q.userByEmail.get(email.toLowerCase());
      return row ? toUser(row) : undefined;
    },
    async findUserByMailboxSha1(sha1) {
      const row = q.userByMailboxSha1.get(sha1.toLowerCase());
      return row ? toUser(row) : undefined;
    },
    async findUsers(ids) {
      if (ids.length === 0) return [];
      const unique = [...new Set(ids)];
      const out: User[] = [];
      // Chunks stay under SQLite's bound-parameter limit.
      for (let i = 0; i < unique.length; i += 500) {
        const chunk = unique.slice(i, i + 500);
        const rows = db
          .prepare<string[], UserRow>(`SELECT * FROM users WHERE id IN (${chunk.map(() => '?').join(',')})`)
          .all(...chunk);
        out.push(...rows.map(toUser));
      }
      return out;
    },
    async findSiteAdmins() {
      return q.siteAdmins.all().map(toUser);
    },
    async updateUser(id, patch) {
      const sets: string[] = [];
      const values: (string | number | null)[] = [];
      for (const [field, column] of Object.entries(USER_COLUMNS) as [keyof typeof USER_COLUMNS, string][]) {
        const v = patch[field];
        if (v === undefined) continue;
        sets.push(`${column} = ?`);
        values.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
      }
      if (patch.clearLockedUntil) sets.push('locked_until = NULL');
      if (sets.length === 0) return q.userById.get(id) !== undefined;
      return db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...values, id).changes > 0;
    },

    async insertMembership(m) {
      q.insertMembership.run(m.userId, m.orgId, m.role, m.learnerType ?? null, m.createdAt);
    },
    async deleteMembership(userId, orgId, role) {
      return q.deleteMembership.run(userId, orgId, role).changes > 0;
    },
    async findMemberships(filter) {
      const rows =
        filter.userId !== undefined && filter.orgId !== undefined
          ? q.membershipsOfBoth.all(filter.userId, filter.orgId)
          : filter.userId !== undefined
            ? q.membershipsOfUser.all(filter.userId)
            : filter.orgId !== undefined
              ? q.membershipsOfOrg.all(filter.orgId)
              : q.allMemberships.all();
      return rows.map(toMembership);
    },

    async insertInvitation(i) {
      run(
        () =>
          q.insertInvitation.run(
            i.tokenHash, i.orgId, i.email.toLowerCase(), JSON.stringify(i.roles), i.learnerType ?? null,
            i.invitedBy, i.createdAt, i.expiresAt, i.acceptedAt ?? null,
          ),
        'an invitation with this token already exists',
      );
    },
    async findInvitation(tokenHash) {
      const row = q.invitation.get(tokenHash);
      return row ? toInvitation(row) : undefined;
    },
    async findInvitations(orgId) {
      return q.invitationsOfOrg.all(orgId).map(toInvitation);
    },
    async updateInvitationAccepted(tokenHash, at) {
      return q.acceptInvitation.run(at, tokenHash).changes > 0;
    },

    async insertToken(t) {
      run(
        () => q.insertToken.run(t.tokenHash, t.kind, t.userId, t.createdAt, t.expiresAt, t.usedAt ?? null),
        'a token with this hash already exists',
      );
    },
    async findToken(tokenHash) {
      const row = q.token.get(tokenHash);
      return row ? toToken(row) : undefined;
    },
    async updateTokenUsed(tokenHash, at) {
      return q.useToken.run(at, tokenHash).changes > 0;
    },
    async updateTokensUsedForUser(userId, kind, at) {
      return q.useUserTokens.run(at, userId, kind).changes;
    },

    async insertSession(s) {
      run(() => q.insertSession.run(s.id, s.userId, s.createdAt, s.expiresAt, s.revokedAt ?? null), `session ${s.id} already exists`);
    },
    async findSession(id) {
      const row = q.session.get(id);
      return row ? toSession(row) : undefined;
    },
    async updateSessionRevoked(id, at) {
      q.revokeSession.run(at, id);
    },
    async updateSessionsRevokedForUser(userId, at) {
      return q.revokeUserSessions.run(at, userId).changes;
    },

    async insertAudit(e) {
      run(
        () =>
          q.insertAudit.run(
            e.id, e.at, e.actorUserId ?? null, e.actorLabel, e.action, e.orgId ?? null, e.target ?? null,
            JSON.stringify(e.details),
          ),
        `audit entry ${e.id} already exists`,
      );
    },
    async findAudit(filter) {
      const limit = Math.max(0, Math.trunc(filter.limit));
      const rows = filter.orgId !== undefined ? q.auditOfOrg.all(filter.orgId, limit) : q.auditAll.all(limit);
      return rows.map(toAudit);
    },
  };
}

function toOrg(r: OrgRow): Organization {
  return { id: r.id, slug: r.slug, name: r.name, kind: r.kind as Organization['kind'], createdAt: r.created_at };
}

function toUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    ...(r.password_hash !== null ? { passwordHash: r.password_hash } : {}),
    isSiteAdmin: r.is_site_admin === 1,
    shareEmail: r.share_email === 1,
    createdAt: r.created_at,
    failedSignIns: r.failed_sign_ins,
    ...(r.locked_until !== null ? { lockedUntil: r.locked_until } : {}),
    ...(r.disabled_at !== null ? { disabledAt: r.disabled_at } : {}),
    ...(r.email_verified_at !== null ? { emailVerifiedAt: r.email_verified_at } : {}),
    ...(r.launch_tokens_ended_at !== null ? { launchTokensEndedAt: r.launch_tokens_ended_at } : {}),
  };
}

function toMembership(r: MembershipRow): Membership {
  return {
    userId: r.user_id,
    orgId: r.org_id,
    role: r.role as Role,
    ...(r.learner_type !== null ? { learnerType: r.learner_type as 'staff' | 'trustee' } : {}),
    createdAt: r.created_at,
  };
}

function toInvitation(r: InvitationRow): Invitation {
  return {
    tokenHash: r.token_hash,
    orgId: r.org_id,
    email: r.email,
    roles: JSON.parse(r.roles) as Role[],
    ...(r.learner_type !== null ? { learnerType: r.learner_type as 'staff' | 'trustee' } : {}),
    invitedBy: r.invited_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    ...(r.accepted_at !== null ? { acceptedAt: r.accepted_at } : {}),
  };
}

function toToken(r: TokenRow): OneTimeToken {
  return {
    tokenHash: r.token_hash,
    kind: r.kind as OneTimeToken['kind'],
    userId: r.user_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    ...(r.used_at !== null ? { usedAt: r.used_at } : {}),
  };
}

function toSession(r: SessionRow): SessionRecord {
  return {
    id: r.id,
    userId: r.user_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    ...(r.revoked_at !== null ? { revokedAt: r.revoked_at } : {}),
  };
}

function toAudit(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    ...(r.actor_user_id !== null ? { actorUserId: r.actor_user_id } : {}),
    actorLabel: r.actor_label,
    action: r.action,
    ...(r.org_id !== null ? { orgId: r.org_id } : {}),
    ...(r.target !== null ? { target: r.target } : {}),
    details: JSON.parse(r.details) as Record<string, unknown>,
  };
}
