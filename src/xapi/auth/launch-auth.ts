import { createHash } from 'node:crypto';
import { LAUNCH_USER, verifyLaunchToken, type LaunchClaims } from '../../accounts/launch-tokens';
import type { Config } from '../../config';
import type { Store } from '../../store/ports';
import { personDirectory } from '../org-scope';
import type { AuthContext } from './auth-context';
import type { LaunchSessionRules } from '../ports';

/** Verifies the JWT of a launch token (the Basic password after `launch:`). */
export type LaunchTokenAuth = (token: string) => Promise<AuthContext | undefined>;

/** The authority of statements written with launch tokens (and by the LMS side of the player). */
export function playerAuthority(config: Pick<Config, 'publicUrl'>): Record<string, unknown> {
  return { objectType: 'Agent', name: 'LearnHQ player', account: { homePage: config.publicUrl, name: 'learnhq-player' } };
}

/**
 * Whether a verified launch token may still be used: its person exists, is not disabled, and has
 * not had their launch tokens ended (sign-out, password reset, role removal) since the launch was
 * granted. Answered from the person cache (src/xapi/org-scope.ts), so the hot path reads no store.
 */
export async function launchTokenLive(deps: { readonly config: Pick<Config, 'publicUrl'>; readonly store: Store }, claims: Pick<LaunchClaims, 'userId' | 'grantedAtMs'>): Promise<boolean> {
  const person = await personDirectory(deps).personById(claims.userId);
  if (!person || person.disabled) return false;
  return person.launchTokensEndedMs === undefined || claims.grantedAtMs > person.launchTokensEndedMs;
}

/** The scopes a launch token carries; src/xapi/auth/restriction.ts narrows them to its learner and registration. */
const LAUNCH_SCOPES: ReadonlySet<string> = new Set(['statements/write', 'statements/read', 'state', 'profile']);

/** The Basic user name of launch tokens; a Basic credential can never be called this. */
export { LAUNCH_USER };

// jsonwebtoken's verify costs ~0.6 ms (measured): verified claims are kept for a minute (never
// past the token's expiry), so the hot path is one SHA-256 and a Map lookup, like Basic credentials.
const CLAIMS_CACHE_MS = 60_000;
const CLAIMS_CACHE_LIMIT = 10_000;

/**
 * Launch tokens as LRS callers: a valid, unexpired token that is still live (launchTokenLive:
 * checked on every request through the person cache, so an ended token dies within
 * PERSON_CACHE_MS on other instances, at once on this one).
 */
export function createLaunchTokenAuth(deps: { readonly config: Config; readonly store: Store; readonly now: () => Date; readonly launchRules?: LaunchSessionRules }): LaunchTokenAuth {
  const authority = playerAuthority(deps.config);
  const verified = new Map<string, { readonly claims: LaunchClaims; readonly until: number }>();
  const claimsOf = (token: string): LaunchClaims | undefined => {
    const nowMs = deps.now().getTime();
    const cacheKey = createHash('sha256').update(token).digest('base64');
    const hit = verified.get(cacheKey);
    if (hit && hit.until > nowMs) return hit.claims;
    verified.delete(cacheKey);
    const claims = verifyLaunchToken(deps.config, token, deps.now());
    if (!claims) return undefined;
    if (verified.size >= CLAIMS_CACHE_LIMIT) verified.clear();
    verified.set(cacheKey, { claims, until: Math.min(nowMs + CLAIMS_CACHE_MS, claims.exp * 1000) });
    return claims;
  };
  return async (token) => {
    const claims = claimsOf(token);
    if (!claims) return undefined;
    if (!(await launchTokenLive(deps, claims))) return undefined;
    // cmi5 8.2.1: a session's token ends with the session (terminated or abandoned).
    const ended = (await deps.launchRules?.isEndedToken(claims.jti)) ?? false;
    return {
      credentialKey: `launch:${claims.jti}`,
      name: 'launch token',
      scopes: LAUNCH_SCOPES,
      authority,
      ...(claims.orgId !== undefined ? { orgId: claims.orgId } : {}),
      restriction: { userId: claims.userId, agentKey: claims.agentKey, registration: claims.registration, activityId: claims.activityId, ...(ended ? { ended } : {}) },
    };
  };
}
