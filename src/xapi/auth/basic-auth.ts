import type { RequestHandler } from 'express';
import { unauthorized } from '../../errors';
import type { CredentialVerifier } from './credential-verifier';

/** Requires valid HTTP Basic credentials; 401 with WWW-Authenticate otherwise. */
export function basicAuthMiddleware(verifier: CredentialVerifier): RequestHandler {
  return (req, res, next) => {
    const header = req.get('Authorization');
    if (!header) {
      next(unauthorized('authentication is required: send HTTP Basic credentials'));
      return;
    }
    verifier.verifyHeader(header).then(
      (auth) => {
        if (!auth) {
          next(unauthorized('the credentials are not valid'));
          return;
        }
        res.locals['auth'] = auth;
        next();
      },
      (err: unknown) => next(err),
    );
  };
}
