/**
 * Who may call the runtime endpoints of a launch session: the bearer of a launch token issued
 * for the session's learner and registration (src/accounts/launch-tokens.ts), never a session
 * cookie (the content origin has none, and the app's cookie must not be usable from there).
 */
import { LAUNCH_USER, verifyLaunchToken, type LaunchClaims } from '../accounts/launch-tokens';
import type { AppServices } from '../deps';
import { AppError, conflict, forbidden, notFound } from '../errors';
import type { LaunchSession } from '../store/ports';

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

/**
 * The session and the token's claims when the Authorization header holds a valid launch token for
 * this session's learner and registration. 401 without a valid token (no WWW-Authenticate: a
 * browser must not prompt), 404 for an unknown session, 403 for a token of another learner or
 * registration, 409 for an expired session.
 */
export async function authorizeRuntime(s: AppServices, sessionId: string, authorization: string | undefined): Promise<{ session: LaunchSession; claims: LaunchClaims }> {
  const jwt = launchJwtOf(authorization);
  const claims = jwt !== undefined ? verifyLaunchToken(s.config, jwt, s.now()) : undefined;
  if (!claims) throw new AppError('unauthorized', 'Authorization: send the launch token of this launch session (Basic launch:<token>)');
  const session = await s.store.launch.findLaunchSession(sessionId);
  if (!session) throw notFound(`no launch session ${sessionId}`);
  if (claims.userId !== session.userId || claims.registration !== session.registrationId.toLowerCase()) {
    throw forbidden(`Authorization: the launch token is for another learner or registration than launch session ${sessionId}`);
  }
  if (Date.parse(session.expiresAt) <= s.now().getTime()) throw conflict(`launch session ${sessionId} has expired; launch the course again`);
  return { session, claims };
}
