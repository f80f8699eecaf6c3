/**
 * Who may call the runtime endpoints of a launch session: the bearer of a launch token issued
 * for the session's learner and registration (src/accounts/launch-tokens.ts), never a session
 * cookie (the content origin has none, and the app's cookie must not be usable from there).
 */
import { LAUNCH_USER, verifyLaunchToken, type LaunchClaims } from '../accounts/launch-tokens';
import type { Config } from '../config';
import type { AppServices } from '../deps';
import { AppError, conflict, forbidden, notFound } from '../errors';
import type { LaunchSession } from '../store/ports';
import { launchTokenLive } from '../xapi/auth/launch-auth';

/** The JWT of an `Authorization: Basic base64("launch:" + jwt)` header; undefined otherwise. */
export function launchJwtOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0 || decoded.slice(0, colon) !== LAUNCH_USER) return undefined;
  return decoded.slice(colon + 1);
}

// A launcher sends the same token with every commit, and verifying it (jsonwebtoken with a string
// key) cost more CPU than the rest of a commit. Verified claims are kept per configuration (the
// key derives from it), bounded, and honoured only until the token's own expiry.
const VERIFIED_MAX = 5000;
const verified = new WeakMap<Config, Map<string, LaunchClaims>>();

/** {@link verifyLaunchToken} with a cache of tokens that verified; a refused token is never cached. */
export function verifiedLaunchClaims(config: Config, jwt: string, now: Date): LaunchClaims | undefined {
  let cache = verified.get(config);
  if (!cache) verified.set(config, (cache = new Map()));
  const hit = cache.get(jwt);
  if (hit) {
    if (hit.exp * 1000 > now.getTime()) return hit;
    cache.delete(jwt);
    return undefined;
  }
  const claims = verifyLaunchToken(config, jwt, now);
  if (!claims) return undefined;
  if (cache.size >= VERIFIED_MAX) {
    // Oldest first: Map iterates in insertion order.
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(jwt, claims);
  return claims;
}

/**
 * The session and the token's claims when the Authorization header holds a valid launch token for
 * this session's learner and registration. 401 without a valid token (no WWW-Authenticate: a
 * browser must not prompt), 404 for an unknown session, 403 for a token of another learner or
 * registration, 409 for an expired session.
 */
export async function authorizeRuntime(s: AppServices, sessionId: string, authorization: string | undefined): Promise<{ session: LaunchSession; claims: LaunchClaims }> {
  const jwt = launchJwtOf(authorization);
  const verified = jwt !== undefined ? verifiedLaunchClaims(s.config, jwt, s.now()) : undefined;
  // A token ends with its person's session (sign-out, reset, role removal, disabled): issue 11.
  const claims = verified && (await launchTokenLive(s, verified)) ? verified : undefined;
  if (!claims) throw new AppError('unauthorized', 'Authorization: send the launch token of this launch session (Basic launch:<token>)');
  const session = await s.store.launch.findLaunchSession(sessionId);
  if (!session) throw notFound(`no launch session ${sessionId}`);
  if (claims.userId !== session.userId || claims.registration !== session.registrationId.toLowerCase()) {
    throw forbidden(`Authorization: the launch token is for another learner or registration than launch session ${sessionId}`);
  }
  if (Date.parse(session.expiresAt) <= s.now().getTime()) throw conflict(`launch session ${sessionId} has expired; launch the course again`);
  return { session, claims };
}
