import { createHash } from 'node:crypto';
import type { AccountStore, AuditEntry, Organization, User } from '../../../src/store/ports';
import { nextStored, unique, useStore, type OpenStore } from './builders';

function org(over: Partial<Organization> = {}): Organization {
  const id = unique('org');
  return { id, slug: id, name: `Org ${id}`, kind: 'member', createdAt: nextStored(), ...over };
}

function user(over: Partial<User> = {}): User {
  const id = unique('user');
  return {
    id,
    email: `${id}@example.org`,
    name: `Person ${id}`,
    passwordHash: `scrypt$1$1$1$${id}$x`,
    isSiteAdmin: false,
    shareEmail: false,
    createdAt: nextStored(),
    failedSignIns: 0,
    ...over,
  };
}

/** AccountStore contract: organizations, users, memberships, invitations, tokens, sessions, audit. */
export function accountsContract(open: OpenStore): void {
  describe('accounts', () => {
    const store = useStore(open);
    const acc = (): AccountStore => store().accounts;

    it('stores organizations, finds them by id and slug, refuses duplicate ids and slugs', async () => {
      const a = org({ kind: 'both' });
      await acc().insertOrganization(a);
      expect(await acc().findOrganization(a.id)).toEqual(a);
      expect(await acc().findOrganizationBySlug(a.slug)).toEqual(a);
      expect(await acc().findOrganization(unique('none'))).toBeUndefined();
      expect(await acc().findOrganizationBySlug(unique('none'))).toBeUndefined();
      await expect(acc().insertOrganization(org({ slug: a.slug }))).rejects.toMatchObject({ code: 'conflict' });
      await expect(acc().insertOrganization(org({ id: a.id }))).rejects.toMatchObject({ code: 'conflict' });
    });

    it('lists organizations ordered by name', async () => {
      const tag = unique('n');
      const z = org({ name: `zz ${tag}` });
      const b = org({ name: `bb ${tag}` });
      await acc().insertOrganization(z);
      await acc().insertOrganization(b);
      const names = (await acc().findOrganizations()).map((o) => o.name).filter((n) => n.endsWith(tag));
      expect(names).toEqual([b.name, z.name]);
    });

    it('stores users with lower-cased unique emails and finds them case-insensitively', async () => {
      const u = user({ email: `Mixed.${unique('e')}@Example.ORG`, lockedUntil: nextStored() });
      await acc().insertUser(u);
      const found = await acc().findUserByEmail(u.email.toUpperCase());
      expect(found).toEqual({ ...u, email: u.email.toLowerCase() });
      expect(await acc().findUser(u.id)).toEqual(found);
      await expect(acc().insertUser(user({ email: u.email.toLowerCase() }))).rejects.toMatchObject({ code: 'conflict' });
      await expect(acc().insertUser(user({ id: u.id }))).rejects.toMatchObject({ code: 'conflict' });
      const noPassword = user();
      delete (noPassword as { passwordHash?: string }).passwordHash;
      await acc().insertUser(noPassword);
      const back = await acc().findUser(noPassword.id);
      expect(back && 'passwordHash' in back).toBe(false);
      expect(back && 'lockedUntil' in back).toBe(false);
    });

    it('finds a user by the mbox_sha1sum of their email, in any case of the hex (issue 11)', async () => {
      const u = user({ email: `Hash.${unique('e')}@Example.ORG` });
      await acc().insertUser(u);
      // Data 2.4.2.3: mbox_sha1sum is the hex SHA-1 of the mbox IRI, "mailto:" + address.
      const sha1 = createHash('sha1').update(`mailto:${u.email.toLowerCase()}`).digest('hex');
      expect((await acc().findUserByMailboxSha1(sha1))?.id).toBe(u.id);
      expect((await acc().findUserByMailboxSha1(sha1.toUpperCase()))?.id).toBe(u.id);
      expect(await acc().findUserByMailboxSha1(createHash('sha1').update(`mailto:${unique('nobody')}@example.org`).digest('hex'))).toBeUndefined();
      expect(await acc().findUserByMailboxSha1('not a hash')).toBeUndefined();
    });

    it('finds users by ids (unknown ids absent) and site administrators', async () => {
      const a = user();
      const b = user({ isSiteAdmin: true });
      await acc().insertUser(a);
      await acc().insertUser(b);
      const found = await acc().findUsers([a.id, unique('none'), b.id, a.id]);
      expect(found.map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
      expect(await acc().findUsers([])).toEqual([]);
      const admins = (await acc().findSiteAdmins()).map((u) => u.id);
      expect(admins).toContain(b.id);
      expect(admins).not.toContain(a.id);
    });

    it('updates mutable user fields partially and clears lockedUntil', async () => {
      const u = user();
      await acc().insertUser(u);
      const until = nextStored();
      expect(await acc().updateUser(u.id, { name: 'New Name', shareEmail: true, lockedUntil: until, failedSignIns: 7 })).toBe(true);
      expect(await acc().findUser(u.id)).toEqual({ ...u, name: 'New Name', shareEmail: true, lockedUntil: until, failedSignIns: 7 });
      expect(await acc().updateUser(u.id, { clearLockedUntil: true, failedSignIns: 0, isSiteAdmin: true })).toBe(true);
      const back = await acc().findUser(u.id);
      expect(back).toEqual({ ...u, name: 'New Name', shareEmail: true, isSiteAdmin: true });
      expect(back && 'lockedUntil' in back).toBe(false);
      expect(await acc().updateUser(unique('none'), { name: 'x' })).toBe(false);
      expect(await acc().updateUser(u.id, {})).toBe(true);
    });

    it('keeps when an email was proven and when launch tokens ended', async () => {
      const proven = user({ emailVerifiedAt: nextStored() });
      await acc().insertUser(proven);
      expect(await acc().findUser(proven.id)).toEqual(proven);
      const u = user();
      await acc().insertUser(u);
      expect(await acc().findUser(u.id)).toEqual(u);
      const at = nextStored();
      const ended = nextStored();
      expect(await acc().updateUser(u.id, { emailVerifiedAt: at, launchTokensEndedAt: ended })).toBe(true);
      expect(await acc().findUser(u.id)).toEqual({ ...u, emailVerifiedAt: at, launchTokensEndedAt: ended });
      expect(await acc().findUserByEmail(u.email)).toEqual({ ...u, emailVerifiedAt: at, launchTokensEndedAt: ended });
    });

    it('grants memberships idempotently, lists them ordered, deletes them', async () => {
      const o1 = unique('o1');
      const o2 = unique('o2');
      const u1 = `a-${unique('u')}`;
      const u2 = `b-${unique('u')}`;
      const at = nextStored();
      await acc().insertMembership({ userId: u1, orgId: o1, role: 'learner', learnerType: 'trustee', createdAt: at });
      await acc().insertMembership({ userId: u1, orgId: o1, role: 'learner', learnerType: 'staff', createdAt: nextStored() });
      await acc().insertMembership({ userId: u1, orgId: o1, role: 'analyst', createdAt: at });
      await acc().insertMembership({ userId: u2, orgId: o1, role: 'author', createdAt: at });
      await acc().insertMembership({ userId: u1, orgId: o2, role: 'orgAdmin', createdAt: at });
      const ofOrg = await acc().findMemberships({ orgId: o1 });
      expect(ofOrg.map((m) => `${m.userId}/${m.role}`)).toEqual([`${u1}/analyst`, `${u1}/learner`, `${u2}/author`]);
      // The first grant stays: granting again changes nothing.
      expect(ofOrg.find((m) => m.role === 'learner')).toEqual({ userId: u1, orgId: o1, role: 'learner', learnerType: 'trustee', createdAt: at });
      expect(ofOrg.find((m) => m.role === 'analyst') && 'learnerType' in ofOrg.find((m) => m.role === 'analyst')!).toBe(false);
      const ofUser = await acc().findMemberships({ userId: u1 });
      expect(ofUser.map((m) => m.orgId)).toEqual(o1 < o2 ? [o1, o1, o2] : [o2, o1, o1]);
      expect((await acc().findMemberships({ userId: u1, orgId: o2 })).map((m) => m.role)).toEqual(['orgAdmin']);
      expect(await acc().deleteMembership(u1, o1, 'analyst')).toBe(true);
      expect(await acc().deleteMembership(u1, o1, 'analyst')).toBe(false);
      expect((await acc().findMemberships({ orgId: o1 })).length).toBe(2);
    });

    it('stores invitations, lists them newest first, accepts each once', async () => {
      const orgId = unique('org');
      const base = { orgId, email: 'Invitee@Example.org', roles: ['learner', 'analyst'] as const, invitedBy: 'u1', expiresAt: '2999-01-01T00:00:00.000Z' };
      const first = { ...base, tokenHash: unique('h'), createdAt: nextStored(), learnerType: 'trustee' as const };
      const second = { ...base, tokenHash: unique('h'), createdAt: nextStored() };
      await acc().insertInvitation(first);
      await acc().insertInvitation(second);
      expect(await acc().findInvitation(first.tokenHash)).toEqual({ ...first, email: 'invitee@example.org', roles: ['learner', 'analyst'] });
      expect((await acc().findInvitations(orgId)).map((i) => i.tokenHash)).toEqual([second.tokenHash, first.tokenHash]);
      expect(await acc().findInvitation(unique('none'))).toBeUndefined();
      const at = nextStored();
      const results = await Promise.all([1, 2, 3].map(() => acc().updateInvitationAccepted(first.tokenHash, at)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await acc().findInvitation(first.tokenHash))?.acceptedAt).toBe(at);
      expect(await acc().updateInvitationAccepted(first.tokenHash, nextStored())).toBe(false);
      expect(await acc().updateInvitationAccepted(unique('none'), at)).toBe(false);
      await expect(acc().insertInvitation(first)).rejects.toMatchObject({ code: 'conflict' });
    });

    it('uses one-time tokens once, even when requests race', async () => {
      const t = { tokenHash: unique('t'), kind: 'password-reset' as const, userId: unique('u'), createdAt: nextStored(), expiresAt: '2999-01-01T00:00:00.000Z' };
      await acc().insertToken(t);
      expect(await acc().findToken(t.tokenHash)).toEqual(t);
      const at = nextStored();
      const results = await Promise.all([1, 2, 3, 4].map(() => acc().updateTokenUsed(t.tokenHash, at)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await acc().findToken(t.tokenHash)).toEqual({ ...t, usedAt: at });
      expect(await acc().updateTokenUsed(unique('none'), at)).toBe(false);
      await expect(acc().insertToken(t)).rejects.toMatchObject({ code: 'conflict' });
    });

    it('ends every open token of one kind of a user, and an ended token cannot be used', async () => {
      const userId = unique('u');
      const token = (kind: 'password-reset' | 'email-verify', over: { userId?: string; usedAt?: string } = {}) =>
        ({ tokenHash: unique('t'), kind, userId, createdAt: nextStored(), expiresAt: '2999-01-01T00:00:00.000Z', ...over });
      const a = token('password-reset');
      const b = token('password-reset');
      const used = token('password-reset', { usedAt: nextStored() });
      const other = token('email-verify');
      const someoneElse = token('password-reset', { userId: unique('u') });
      for (const t of [a, b, used, other, someoneElse]) await acc().insertToken(t);
      const at = nextStored();
      expect(await acc().updateTokensUsedForUser(userId, 'password-reset', at)).toBe(2);
      expect((await acc().findToken(a.tokenHash))?.usedAt).toBe(at);
      expect((await acc().findToken(b.tokenHash))?.usedAt).toBe(at);
      expect((await acc().findToken(used.tokenHash))?.usedAt).toBe(used.usedAt);
      expect((await acc().findToken(other.tokenHash))?.usedAt).toBeUndefined();
      expect((await acc().findToken(someoneElse.tokenHash))?.usedAt).toBeUndefined();
      expect(await acc().updateTokenUsed(a.tokenHash, nextStored())).toBe(false);
      expect(await acc().updateTokensUsedForUser(userId, 'password-reset', nextStored())).toBe(0);
      expect(await acc().updateTokensUsedForUser(unique('nobody'), 'password-reset', nextStored())).toBe(0);
    });

    it('lets exactly one of a token use and an ending of all tokens win when they race', async () => {
      const userId = unique('u');
      const t = { tokenHash: unique('t'), kind: 'password-reset' as const, userId, createdAt: nextStored(), expiresAt: '2999-01-01T00:00:00.000Z' };
      await acc().insertToken(t);
      const [used, ended] = await Promise.all([acc().updateTokenUsed(t.tokenHash, nextStored()), acc().updateTokensUsedForUser(userId, 'password-reset', nextStored())]);
      expect(Number(used) + ended).toBe(1);
    });

    it('stores sessions and revokes one or all of a user idempotently', async () => {
      const userId = unique('u');
      const mk = (): { id: string; userId: string; createdAt: string; expiresAt: string } => ({
        id: unique('s'), userId, createdAt: nextStored(), expiresAt: '2999-01-01T00:00:00.000Z',
      });
      const [a, b, c] = [mk(), mk(), mk()];
      for (const s of [a, b, c]) await acc().insertSession(s);
      expect(await acc().findSession(a.id)).toEqual(a);
      const at = nextStored();
      await acc().updateSessionRevoked(a.id, at);
      await acc().updateSessionRevoked(a.id, nextStored());
      expect(await acc().findSession(a.id)).toEqual({ ...a, revokedAt: at });
      expect(await acc().updateSessionsRevokedForUser(userId, nextStored())).toBe(2);
      expect(await acc().updateSessionsRevokedForUser(userId, nextStored())).toBe(0);
      expect((await acc().findSession(c.id))?.revokedAt).toBeDefined();
      expect(await acc().findSession(unique('none'))).toBeUndefined();
      await acc().updateSessionRevoked(unique('none'), at);
    });

    it('keeps audit entries newest first, per organization, with free-form details', async () => {
      const orgId = unique('org');
      const mk = (over: Partial<AuditEntry> = {}): AuditEntry => ({
        id: unique('a'), at: nextStored(), actorUserId: 'u1', actorLabel: 'Ann <ann@example.org>', action: 'role.grant',
        orgId, target: 'u2', details: { role: 'learner', 'http://x.example/a.b': { $k: 1 } }, ...over,
      });
      const e1 = mk();
      const e2 = mk({ action: 'credential.create' });
      const other = mk({ orgId: unique('other') });
      const system: AuditEntry = { id: unique('a'), at: nextStored(), actorLabel: 'system', action: 'siteAdmin.grant', details: {} };
      for (const e of [e1, e2, other, system]) await acc().insertAudit(e);
      expect(await acc().findAudit({ orgId, limit: 10 })).toEqual([e2, e1]);
      expect(await acc().findAudit({ orgId, limit: 1 })).toEqual([e2]);
      const all = await acc().findAudit({ limit: 1000 });
      const ids = all.map((e) => e.id);
      expect(ids.indexOf(system.id)).toBeLessThan(ids.indexOf(e1.id));
      expect(all.find((e) => e.id === system.id)).toEqual(system);
    });
  });
}
