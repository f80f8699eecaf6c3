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
 * Who sends this Authorization header: a launch token (Basic user `launch`, checked by `launch`
 * when given and refused otherwise; it never reaches the credential store) or a stored credential.
 * Rejects with 401 (WWW-Authenticate) for missing or invalid credentials and 403 for the token of
 * an ended cmi5 session.
 */
export async function authenticate(header: string | undefined, verifier: CredentialVerifier, launch?: LaunchTokenAuth): Promise<AuthContext> {
  if (!header) throw unauthorized('authentication is required: send HTTP Basic credentials');
  const token = launchTokenOf(header);
  const auth = token !== undefined ? (launch ? await launch(token) : undefined) : await verifier.verifyHeader(header);
  if (!auth) {
    throw unauthorized(token !== undefined ? 'the launch token is not valid (expired, forged, or its learner was disabled)' : 'the credentials are not valid');
  }
  if (auth.restriction?.ended) throw forbidden('the cmi5 session of this launch token has ended (terminated or abandoned): launch the AU again');
  return auth;
}

/** Requires valid HTTP Basic credentials (see authenticate) and keeps who called on res.locals. */
export function basicAuthMiddleware(verifier: CredentialVerifier, launch?: LaunchTokenAuth): RequestHandler {
  return (req, res, next) => {
    authenticate(req.get('Authorization'), verifier, launch).then(
      (auth) => {
        res.locals['auth'] = auth;
        next();
      },
      (err: unknown) => next(err),
    );
  };
}
