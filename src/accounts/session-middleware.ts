import type { RequestHandler } from 'express';
import type { AppServices } from '../deps';
import { clearSessionCookie, clearSessionCookiesOnPath, readSessionCookie, setSessionCookie } from './session-cookie';
import { resolveSession } from './sessions';

/**
 * Reads the session cookie and sets res.locals.user (a UserContext) when it holds a valid,
 * unrevoked session. Anything else (tampered, expired, alg=none, ended session) is treated as
 * signed out, and the useless cookie is cleared. Renews the cookie past half its life. A request
 * with more than one session cookie is refused with 400 and every one of them is cleared.
 */
export function sessionMiddleware(deps: AppServices): RequestHandler {
  return (req, res, next) => {
    let token: string | undefined;
    try {
      token = readSessionCookie(req, deps.config);
    } catch (err) {
      clearSessionCookiesOnPath(res, deps.config, req.path);
      next(err);
      return;
    }
    if (token === undefined || token === '') {
      next();
      return;
    }
    resolveSession(deps, token).then(
      (resolved) => {
        if (!resolved) {
          clearSessionCookie(res, deps.config);
        } else {
          res.locals['user'] = resolved.user;
          if (resolved.renewed) setSessionCookie(res, deps.config, resolved.renewed.token, resolved.renewed.expiresAt);
        }
        next();
      },
      (err: unknown) => next(err),
    );
  };
}
