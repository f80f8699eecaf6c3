import type { RequestHandler } from 'express';
import { forbidden, unauthorized } from '../../errors';
import type { AuthContext } from './auth-context';
import type { CredentialVerifier } from './credential-verifier';
import { LAUNCH_USER, type LaunchTokenAuth } from './launch-auth';

/** The JWT of a `Basic base64("launch:" + jwt)` header, or undefined for any other header. */
export function launchTokenOf(header: string): string | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  return decoded.startsWith(`${LAUNCH_USER}:`) ? decoded.slice(LAUNCH_USER.length + 1) : undefined;
}

/**
 * Requires valid HTTP Basic credentials; 401 with WWW-Authenticate otherwise. A Basic user name
 * of `launch` carries a launch token (src/accounts/launch-tokens.ts), checked by `launch` when
 * given and refused otherwise; it never reaches the credential store.
 */
export function basicAuthMiddleware(verifier: CredentialVerifier, launch?: LaunchTokenAuth): RequestHandler {
  return (req, res, next) => {
    const header = req.get('Authorization');
    if (!header) {
      next(unauthorized('authentication is required: send HTTP Basic credentials'));
      return;
    }
    const token = launchTokenOf(header);
    const verified: Promise<AuthContext | undefined> =
      token !== undefined ? (launch ? launch(token) : Promise.resolve(undefined)) : verifier.verifyHeader(header);
    verified.then(
      (auth) => {
        if (!auth) {
          next(unauthorized(token !== undefined ? 'the launch token is not valid (expired, forged, or its learner was disabled)' : 'the credentials are not valid'));
          return;
        }
        if (auth.restriction?.ended) {
          next(forbidden('the cmi5 session of this launch token has ended (terminated or abandoned): launch the AU again'));
          return;
        }
        res.locals['auth'] = auth;
        next();
      },
      (err: unknown) => next(err),
    );
  };
}
