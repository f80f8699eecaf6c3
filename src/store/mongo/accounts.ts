import type { Collection, Db, Filter } from 'mongodb';
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
import { guard, isDuplicateKeyError, toAppError } from './errors';

interface OrgDoc { _id: string; slug: string; name: string; kind: string; createdAt: string }
interface UserDoc {
  _id: string; email: string; name: string; passwordHash?: string; isSiteAdmin: boolean;
  shareEmail: boolean; createdAt: string; failedSignIns: number; lockedUntil?: string; disabledAt?: string;
  emailVerifiedAt?: string; launchTokensEndedAt?: string;
  /** mbox_sha1sum of the email (src/store/mailbox-sha1.ts). */
  emailSha1?: string;
}
/** `_id` is `userId|orgId|role`, which makes granting idempotent without a compound unique index. */
interface MembershipDoc { _id: string; userId: string; orgId: string; role: string; learnerType?: string; createdAt: string }
interface InvitationDoc {
  _id: string; orgId: string; email: string; roles: string[]; learnerType?: string; invitedBy: string;
  createdAt: string; expiresAt: string; acceptedAt?: string; n: number;
}
interface TokenDoc { _id: string; kind: string; userId: string; createdAt: string; expiresAt: string; usedAt?: string }
/**
 * Marks a single-use token (invitation or one-time token) as used. Its `_id` is unique, so of two
 * racing requests exactly one insert succeeds: FerretDB does not apply concurrent conditional
 * updates atomically, a unique-index insert it does.
 */
interface UseDoc { _id: string; at: string }
interface SessionDoc { _id: string; userId: string; createdAt: string; expiresAt: string; revokedAt?: string }
/** details as a JSON string: its keys are free-form and may hold '.' or '$'. */
interface AuditDoc {
  _id: string; n: number; at: string; actorUserId?: string; actorLabel: string; action: string;
  orgId?: string; target?: string; details: string;
}

let lastOrder = 0;
/** Insertion order within the process: tie-break of equal times. */
function nextOrder(): number {
  lastOrder = Math.max(Date.now() * 1000, lastOrder + 1);
  return lastOrder;
}

/** Creates the account indexes; idempotent; one createIndex per index (FerretDB). */
export async function ensureMongoAccountIndexes(db: Db): Promise<void> {
  await db.collection('organizations').createIndex({ slug: 1 }, { name: 'slug_unique', unique: true });
  await db.collection('users').createIndex({ email: 1 }, { name: 'email_unique', unique: true });
  await db.collection('users').createIndex({ emailSha1: 1 }, { name: 'email_sha1' });
  await fillMailboxHashes(db.collection<UserDoc>('users'));
  await db.collection('memberships').createIndex({ userId: 1 }, { name: 'user' });
  await db.collection('memberships').createIndex({ orgId: 1 }, { name: 'org' });
  await db.collection('invitations').createIndex({ orgId: 1, createdAt: -1 }, { name: 'org_created' });
  await db.collection('sessions').createIndex({ userId: 1 }, { name: 'user' });
  await db.collection('one_time_tokens').createIndex({ userId: 1 }, { name: 'user' });
  await db.collection('audit_log').createIndex({ orgId: 1, at: -1, n: -1 }, { name: 'org_at' });
  await db.collection('audit_log').createIndex({ at: -1, n: -1 }, { name: 'at' });
}

/** Sets emailSha1 on users stored before it existed (a few at most; idempotent). */
async function fillMailboxHashes(users: Collection<UserDoc>): Promise<void> {
  const missing = await guard('reading users', () => users.find({ emailSha1: { $exists: false } }, { projection: { email: 1 } }).toArray());
  for (const u of missing) await guard('updating a user', () => users.updateOne({ _id: u._id }, { $set: { emailSha1: mailboxSha1(u.email) } }));
}

/** The MongoDB AccountStore. */
export function createMongoAccountStore(db: Db): AccountStore {
  const orgs = db.collection<OrgDoc>('organizations');
  const users = db.collection<UserDoc>('users');
  const memberships = db.collection<MembershipDoc>('memberships');
  const invitations = db.collection<InvitationDoc>('invitations');
  const tokens = db.collection<TokenDoc>('one_time_tokens');
  const uses = db.collection<UseDoc>('token_uses');
  const sessions = db.collection<SessionDoc>('sessions');
  const audit = db.collection<AuditDoc>('audit_log');

  /** True for the first caller that claims `id`; false for every later one. */
  const claim = async (id: string, at: string): Promise<boolean> => {
    try {
      await uses.insertOne({ _id: id, at });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw toAppError(err, 'claiming a single-use token');
    }
  };

  return {
    async insertOrganization(o) {
      await guard(
        'storing an organization',
        () => orgs.insertOne({ _id: o.id, slug: o.slug, name: o.name, kind: o.kind, createdAt: o.createdAt }),
        () => `organization id ${o.id} or slug ${o.slug} already exists`,
      );
    },
    async findOrganization(id) {
      const d = await guard('reading an organization', () => orgs.findOne({ _id: id }));
      return d ? toOrg(d) : undefined;
    },
    async findOrganizationBySlug(slug) {
      const d = await guard('reading an organization', () => orgs.findOne({ slug }));
      return d ? toOrg(d) : undefined;
    },
    async findOrganizations() {
      const docs = await guard('listing organizations', () => orgs.find({}).sort({ name: 1, _id: 1 }).toArray());
      return docs.map(toOrg);
    },

    async insertUser(u) {
      const email = u.email.toLowerCase();
      const doc: UserDoc = {
        _id: u.id, email, name: u.name, isSiteAdmin: u.isSiteAdmin, shareEmail: u.shareEmail,
        createdAt: u.createdAt, failedSignIns: u.failedSignIns, emailSha1: mailboxSha1(email),
      };
      if (u.passwordHash !== undefined) doc.passwordHash = u.passwordHash;
      if (u.lockedUntil !== undefined) doc.lockedUntil = u.lockedUntil;
      if (u.disabledAt !== undefined) doc.disabledAt = u.disabledAt;
      if (u.emailVerifiedAt !== undefined) doc.emailVerifiedAt = u.emailVerifiedAt;
      if (u.launchTokensEndedAt !== undefined) doc.launchTokensEndedAt = u.launchTokensEndedAt;
      await guard('storing a user', () => users.insertOne(doc), () => `a user with id ${u.id} or email ${email} already exists`);
    },
    async findUser(id) {
      const d = await guard('reading a user', () => users.findOne({ _id: id }));
      return d ? toUser(d) : undefined;
    },
    async findUserByEmail(email) {
      const d = await guard('reading a user', () => users.findOne({ email: email.toLowerCase() }));
      return d ? toUser(d) : undefined;
    },
    async findUserByMailboxSha1(sha1) {
      const d = await guard('reading a user', () => users.findOne({ emailSha1: sha1.toLowerCase() }));
      return d ? toUser(d) : undefined;
    },
    async findUsers(ids) {
      if (ids.length === 0) return [];
      const docs = await guard('listing users', () => users.find({ _id: { $in: [...new Set(ids)] } }).toArray());
      return docs.map(toUser);
    },
    async findSiteAdmins() {
      const docs = await guard('listing site administrators', () =>
        users.find({ isSiteAdmin: true }).sort({ createdAt: 1, _id: 1 }).toArray(),
      );
      return docs.map(toUser);
    },
    async updateUser(id, patch) {
      const set: Partial<UserDoc> = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.passwordHash !== undefined) set.passwordHash = patch.passwordHash;
      if (patch.shareEmail !== undefined) set.shareEmail = patch.shareEmail;
      if (patch.failedSignIns !== undefined) set.failedSignIns = patch.failedSignIns;
      if (patch.lockedUntil !== undefined) set.lockedUntil = patch.lockedUntil;
      if (patch.disabledAt !== undefined) set.disabledAt = patch.disabledAt;
      if (patch.isSiteAdmin !== undefined) set.isSiteAdmin = patch.isSiteAdmin;
      if (patch.emailVerifiedAt !== undefined) set.emailVerifiedAt = patch.emailVerifiedAt;
      if (patch.launchTokensEndedAt !== undefined) set.launchTokensEndedAt = patch.launchTokensEndedAt;
      const update: { $set?: Partial<UserDoc>; $unset?: { lockedUntil: '' } } = {};
      if (Object.keys(set).length > 0) update.$set = set;
      if (patch.clearLockedUntil && patch.lockedUntil === undefined) update.$unset = { lockedUntil: '' };
      if (update.$set === undefined && update.$unset === undefined) {
        return (await guard('reading a user', () => users.countDocuments({ _id: id }, { limit: 1 }))) > 0;
      }
      const r = await guard('updating a user', () => users.updateOne({ _id: id }, update));
      return r.matchedCount > 0;
    },

    async insertMembership(m) {
      const doc: MembershipDoc = {
        _id: `${m.userId}|${m.orgId}|${m.role}`, userId: m.userId, orgId: m.orgId, role: m.role, createdAt: m.createdAt,
      };
      if (m.learnerType !== undefined) doc.learnerType = m.learnerType;
      try {
        await memberships.insertOne(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw toAppError(err, 'storing a membership');
      }
    },
    async deleteMembership(userId, orgId, role) {
      const r = await guard('deleting a membership', () => memberships.deleteOne({ _id: `${userId}|${orgId}|${role}` }));
      return r.deletedCount > 0;
    },
    async findMemberships(filter) {
      const query: Filter<MembershipDoc> = {};
      if (filter.userId !== undefined) query.userId = filter.userId;
      if (filter.orgId !== undefined) query.orgId = filter.orgId;
      const docs = await guard('listing memberships', () =>
        memberships.find(query).sort({ orgId: 1, userId: 1, role: 1 }).toArray(),
      );
      return docs.map(toMembership);
    },

    async insertInvitation(i) {
      const doc: InvitationDoc = {
        _id: i.tokenHash, orgId: i.orgId, email: i.email.toLowerCase(), roles: [...i.roles], invitedBy: i.invitedBy,
        createdAt: i.createdAt, expiresAt: i.expiresAt, n: nextOrder(),
      };
      if (i.learnerType !== undefined) doc.learnerType = i.learnerType;
      if (i.acceptedAt !== undefined) doc.acceptedAt = i.acceptedAt;
      await guard('storing an invitation', () => invitations.insertOne(doc), () => 'an invitation with this token already exists');
    },
    async findInvitation(tokenHash) {
      const d = await guard('reading an invitation', () => invitations.findOne({ _id: tokenHash }));
      return d ? toInvitation(d) : undefined;
    },
    async findInvitations(orgId) {
      const docs = await guard('listing invitations', () =>
        invitations.find({ orgId }).sort({ createdAt: -1, n: -1 }).toArray(),
      );
      return docs.map(toInvitation);
    },
    async updateInvitationAccepted(tokenHash, at) {
      const inv = await guard('reading an invitation', () => invitations.findOne({ _id: tokenHash }));
      if (!inv || inv.acceptedAt !== undefined) return false;
      if (!(await claim(`invitation|${tokenHash}`, at))) return false;
      await guard('accepting an invitation', () => invitations.updateOne({ _id: tokenHash }, { $set: { acceptedAt: at } }));
      return true;
    },

    async insertToken(t) {
      const doc: TokenDoc = { _id: t.tokenHash, kind: t.kind, userId: t.userId, createdAt: t.createdAt, expiresAt: t.expiresAt };
      if (t.usedAt !== undefined) doc.usedAt = t.usedAt;
      await guard('storing a token', () => tokens.insertOne(doc), () => 'a token with this hash already exists');
    },
    async findToken(tokenHash) {
      const d = await guard('reading a token', () => tokens.findOne({ _id: tokenHash }));
      return d ? toToken(d) : undefined;
    },
    async updateTokenUsed(tokenHash, at) {
      const t = await guard('reading a token', () => tokens.findOne({ _id: tokenHash }));
      if (!t || t.usedAt !== undefined) return false;
      if (!(await claim(`token|${tokenHash}`, at))) return false;
      await guard('using a token', () => tokens.updateOne({ _id: tokenHash }, { $set: { usedAt: at } }));
      return true;
    },
    async updateTokensUsedForUser(userId, kind, at) {
      const open = await guard('listing tokens', () => tokens.find({ userId, kind, usedAt: { $exists: false } }).toArray());
      let ended = 0;
      for (const t of open) {
        // The same claim updateTokenUsed makes: whichever comes first wins, the other sees it used.
        if (!(await claim(`token|${t._id}`, at))) continue;
        await guard('ending a token', () => tokens.updateOne({ _id: t._id }, { $set: { usedAt: at } }));
        ended += 1;
      }
      return ended;
    },

    async insertSession(s) {
      const doc: SessionDoc = { _id: s.id, userId: s.userId, createdAt: s.createdAt, expiresAt: s.expiresAt };
      if (s.revokedAt !== undefined) doc.revokedAt = s.revokedAt;
      await guard('storing a session', () => sessions.insertOne(doc), () => `session ${s.id} already exists`);
    },
    async findSession(id) {
      const d = await guard('reading a session', () => sessions.findOne({ _id: id }));
      return d ? toSession(d) : undefined;
    },
    async updateSessionRevoked(id, at) {
      await guard('revoking a session', () =>
        sessions.updateOne({ _id: id, revokedAt: { $exists: false } }, { $set: { revokedAt: at } }),
      );
    },
    async updateSessionsRevokedForUser(userId, at) {
      const r = await guard('revoking sessions', () =>
        sessions.updateMany({ userId, revokedAt: { $exists: false } }, { $set: { revokedAt: at } }),
      );
      return r.modifiedCount;
    },

    async insertAudit(e) {
      const doc: AuditDoc = {
        _id: e.id, n: nextOrder(), at: e.at, actorLabel: e.actorLabel, action: e.action, details: JSON.stringify(e.details),
      };
      if (e.actorUserId !== undefined) doc.actorUserId = e.actorUserId;
      if (e.orgId !== undefined) doc.orgId = e.orgId;
      if (e.target !== undefined) doc.target = e.target;
      await guard('storing an audit entry', () => audit.insertOne(doc), () => `audit entry ${e.id} already exists`);
    },
    async findAudit(filter) {
      const limit = Math.max(0, Math.trunc(filter.limit));
      if (limit === 0) return [];
      const query: Filter<AuditDoc> = filter.orgId !== undefined ? { orgId: filter.orgId } : {};
      const docs = await guard('listing audit entries', () => audit.find(query).sort({ at: -1, n: -1 }).limit(limit).toArray());
      return docs.map(toAudit);
    },
  };
}

function toOrg(d: OrgDoc): Organization {
  return { id: d._id, slug: d.slug, name: d.name, kind: d.kind as Organization['kind'], createdAt: d.createdAt };
}

function toUser(d: UserDoc): User {
  return {
    id: d._id,
    email: d.email,
    name: d.name,
    ...(d.passwordHash !== undefined ? { passwordHash: d.passwordHash } : {}),
    isSiteAdmin: d.isSiteAdmin,
    shareEmail: d.shareEmail,
    createdAt: d.createdAt,
    failedSignIns: d.failedSignIns,
    ...(d.lockedUntil !== undefined ? { lockedUntil: d.lockedUntil } : {}),
    ...(d.disabledAt !== undefined ? { disabledAt: d.disabledAt } : {}),
    ...(d.emailVerifiedAt !== undefined ? { emailVerifiedAt: d.emailVerifiedAt } : {}),
    ...(d.launchTokensEndedAt !== undefined ? { launchTokensEndedAt: d.launchTokensEndedAt } : {}),
  };
}

function toMembership(d: MembershipDoc): Membership {
  return {
    userId: d.userId,
    orgId: d.orgId,
    role: d.role as Role,
    ...(d.learnerType !== undefined ? { learnerType: d.learnerType as 'staff' | 'trustee' } : {}),
    createdAt: d.createdAt,
  };
}

function toInvitation(d: InvitationDoc): Invitation {
  return {
    tokenHash: d._id,
    orgId: d.orgId,
    email: d.email,
    roles: d.roles as Role[],
    ...(d.learnerType !== undefined ? { learnerType: d.learnerType as 'staff' | 'trustee' } : {}),
    invitedBy: d.invitedBy,
    createdAt: d.createdAt,
    expiresAt: d.expiresAt,
    ...(d.acceptedAt !== undefined ? { acceptedAt: d.acceptedAt } : {}),
  };
}

function toToken(d: TokenDoc): OneTimeToken {
  return {
    tokenHash: d._id,
    kind: d.kind as OneTimeToken['kind'],
    userId: d.userId,
    createdAt: d.createdAt,
    expiresAt: d.expiresAt,
    ...(d.usedAt !== undefined ? { usedAt: d.usedAt } : {}),
  };
}

function toSession(d: SessionDoc): SessionRecord {
  return {
    id: d._id,
    userId: d.userId,
    createdAt: d.createdAt,
    expiresAt: d.expiresAt,
    ...(d.revokedAt !== undefined ? { revokedAt: d.revokedAt } : {}),
  };
}

function toAudit(d: AuditDoc): AuditEntry {
  return {
    id: d._id,
    at: d.at,
    ...(d.actorUserId !== undefined ? { actorUserId: d.actorUserId } : {}),
    actorLabel: d.actorLabel,
    action: d.action,
    ...(d.orgId !== undefined ? { orgId: d.orgId } : {}),
    ...(d.target !== undefined ? { target: d.target } : {}),
    details: JSON.parse(d.details) as Record<string, unknown>,
  };
}
