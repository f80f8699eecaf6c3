import type { AppServices } from '../deps';
import type { Role, Store, User } from '../store/ports';
import { forgetPerson } from '../xapi/org-scope';
import { sessionKey } from './session-secret';
import {
  csrfTokenFor,
  needsRenewal,
  SESSION_MAX_LIFETIME_MS,
  SESSION_TTL_MS,
  signSessionToken,
  verifySessionToken,
} from './session-token';
import { newId } from './tokens';
import type { UserContext } from './user-context';

/** How long a checked session (and the user's roles) is trusted without asking the store again. */
export const SESSION_CACHE_MS = 5_000;

/** A session just started: the JWT goes into the cookie, the CSRF token to the client. */
export interface StartedSession {
  readonly token: string;
  readonly sessionId: string;
  readonly csrfToken: string;
  /** When the JWT (and the cookie) expires. */
  readonly expiresAt: Date;
}

interface CacheEntry {
  readonly user: UserContext;
  /** End of the session record's absolute lifetime, ms. */
  readonly hardExpiry: number;
  readonly until: number;
}

// Keyed by store: each app (and each test app) has its own cache.
const caches = new WeakMap<Store, Map<string, CacheEntry>>();
function cacheOf(store: Store): Map<string, CacheEntry> {
  let c = caches.get(store);
  if (!c) {
    c = new Map();
    caches.set(store, c);
  }
  return c;
}

/** Starts a session for `user`: stores its record and signs the JWT. */
export async function startSession(s: AppServices, user: User): Promise<StartedSession> {
  const now = s.now();
  const sessionId = newId();
  const hardExpiry = now.getTime() + SESSION_MAX_LIFETIME_MS;
  await s.store.accounts.insertSession({
    id: sessionId,
    userId: user.id,
    createdAt: now.toISOString(),
    expiresAt: new Date(hardExpiry).toISOString(),
  });
  const expiresAt = new Date(Math.min(now.getTime() + SESSION_TTL_MS, hardExpiry));
  const secret = sessionKey(s.config);
  return {
    token: signSessionToken(secret, sessionId, user.id, now, expiresAt.getTime()),
    sessionId,
    csrfToken: csrfTokenFor(secret, sessionId),
    expiresAt,
  };
}

/** The outcome of reading a session cookie. */
export interface ResolvedSession {
  readonly user: UserContext;
  /** Set when the JWT was past half its life: a fresh one for the cookie. */
  readonly renewed?: { readonly token: string; readonly expiresAt: Date };
}

/**
 * The signed-in person for a session JWT, or undefined when the token is invalid, expired, or
 * its session was ended (sign-out, password reset, erasure) or its user disabled.
 */
export async function resolveSession(s: AppServices, token: string): Promise<ResolvedSession | undefined> {
  const now = s.now();
  const secret = sessionKey(s.config);
  const claims = verifySessionToken(secret, token, now);
  if (!claims) return undefined;
  const cache = cacheOf(s.store);
  const nowMs = now.getTime();
  let entry = cache.get(claims.sid);
  if (!entry || entry.until <= nowMs) {
    cache.delete(claims.sid);
    const loaded = await loadSessionUser(s, claims.sid, secret);
    if (!loaded) return undefined;
    if (cache.size >= 10_000) cache.clear();
    entry = { ...loaded, until: nowMs + SESSION_CACHE_MS };
    cache.set(claims.sid, entry);
  }
  if (entry.user.userId !== claims.sub || entry.hardExpiry <= nowMs) return undefined;
  if (!needsRenewal(claims, now)) return { user: entry.user };
  const expiresAt = new Date(Math.min(nowMs + SESSION_TTL_MS, entry.hardExpiry));
  return {
    user: entry.user,
    renewed: { token: signSessionToken(secret, claims.sid, claims.sub, now, expiresAt.getTime()), expiresAt },
  };
}

async function loadSessionUser(s: AppServices, sid: string, secret: string): Promise<Omit<CacheEntry, 'until'> | undefined> {
  const record = await s.store.accounts.findSession(sid);
  if (!record || record.revokedAt !== undefined) return undefined;
  const user = await s.store.accounts.findUser(record.userId);
  if (!user || user.disabledAt !== undefined) return undefined;
  return { user: await buildUserContext(s, user, sid, secret), hardExpiry: Date.parse(record.expiresAt) };
}

/** A UserContext for `user` in session `sessionId` (roles read from the store now). */
export async function buildUserContext(s: AppServices, user: User, sessionId: string, secret = sessionKey(s.config)): Promise<UserContext> {
  const roles = new Map<string, Set<Role>>();
  for (const m of await s.store.accounts.findMemberships({ userId: user.id })) {
    let set = roles.get(m.orgId);
    if (!set) roles.set(m.orgId, (set = new Set()));
    set.add(m.role);
  }
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    isSiteAdmin: user.isSiteAdmin,
    roles,
    sessionId,
    csrfToken: csrfTokenFor(secret, sessionId),
  };
}

/** Ends one session now (sign-out), and the launch tokens of its person. Idempotent. */
export async function endSession(s: AppServices, sessionId: string): Promise<void> {
  const record = await s.store.accounts.findSession(sessionId);
  await s.store.accounts.updateSessionRevoked(sessionId, s.now().toISOString());
  cacheOf(s.store).delete(sessionId);
  if (record) await endLaunchTokens(s, record.userId);
}

/** Ends every session of a user (password reset, erasure) and their launch tokens; returns how many sessions were open. */
export async function endUserSessions(s: AppServices, userId: string): Promise<number> {
  const n = await s.store.accounts.updateSessionsRevokedForUser(userId, s.now().toISOString());
  forgetUser(s, userId);
  await endLaunchTokens(s, userId);
  return n;
}

/**
 * Ends every launch token granted to a person until now (issue 11): the LRS and the runtime API
 * refuse tokens granted at or before `launchTokensEndedAt` (src/xapi/auth/launch-auth.ts). This
 * process sees it at once; other instances within the person cache's few seconds. A launch
 * token is not tied to one session, so a sign-out ends the person's launches on every device.
 */
export async function endLaunchTokens(s: AppServices, userId: string): Promise<void> {
  await s.store.accounts.updateUser(userId, { launchTokensEndedAt: s.now().toISOString() });
  forgetPerson(s.store, userId);
}

/**
 * Drops cached sessions of a user in this process, so a role change or erasure applies at once
 * here (other instances see it within SESSION_CACHE_MS).
 */
export function forgetUser(s: AppServices, userId: string): void {
  const cache = cacheOf(s.store);
  for (const [sid, e] of cache) if (e.user.userId === userId) cache.delete(sid);
}
