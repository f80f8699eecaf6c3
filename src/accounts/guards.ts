import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError, forbidden } from '../errors';
import { roleError } from './access';
import type { Role } from '../store/ports';
import { signInRequired } from './input';
import { safeEqual } from './tokens';
import type { UserContext } from './user-context';

/** The signed-in person of this request, if any (set by sessionMiddleware). */
export function currentUser(res: Response): UserContext | undefined {
  return res.locals['user'] as UserContext | undefined;
}

/** The signed-in person; only behind requireUser() (a route without it is a programming error). */
export function userOf(res: Response): UserContext {
  const u = currentUser(res);
  if (!u) throw new Error('route without requireUser()');
  return u;
}

/** An Express handler from an async one: a rejection goes to the error middleware. */
export const asyncRoute = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction): void => {
  fn(req, res).catch(next);
};

/** JSON API requests get JSON errors; page requests get redirects. */
export function isApiRequest(req: Request): boolean {
  return req.originalUrl.startsWith('/api/') || req.originalUrl === '/api';
}

/**
 * Requires a signed-in person: API requests get 401 JSON, page requests a 303 redirect to
 * /sign-in?next=<this url>.
 */
export function requireUser(): RequestHandler {
  return (req, res, next) => {
    if (currentUser(res)) return next();
    if (isApiRequest(req)) return next(signInRequired('sign in first: this request needs a valid session'));
    res.redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The CSRF token a request echoes: header X-CSRF-Token, or the form field _csrf. */
export function submittedCsrfToken(req: Request): string | undefined {
  const header = req.get('x-csrf-token');
  if (header) return header;
  const body: unknown = req.body;
  if (typeof body === 'object' && body !== null && '_csrf' in body) {
    const v = (body as Record<string, unknown>)['_csrf'];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

/**
 * CSRF protection for cookie-authenticated state-changing requests (POST/PUT/PATCH/DELETE): the
 * request must echo the session's CSRF token (HMAC of the session id) in X-CSRF-Token or in the
 * form field _csrf; 403 otherwise. Requests without a session pass through (nothing of theirs to
 * forge; requireUser refuses them where a session is needed). Put it after the body parser.
 */
export function requireCsrf(): RequestHandler {
  return (req, res, next) => {
    const user = currentUser(res);
    if (!user || !UNSAFE.has(req.method)) return next();
    const sent = submittedCsrfToken(req);
    if (sent !== undefined && safeEqual(sent, user.csrfToken)) return next();
    next(forbidden('the CSRF token is missing or wrong: send the X-CSRF-Token header or the _csrf form field of this session'));
  };
}

/**
 * Requires one of `roles` in the organization named by route parameter `orgIdParam`. Site
 * administrators pass. A person with no role at all in that organization gets 404 (the
 * organization's existence is not revealed); one with other roles there gets 403.
 */
export function requireRoleIn(orgIdParam: string, ...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    const user = currentUser(res);
    if (!user) return requireUser()(req, res, next);
    const orgId = req.params[orgIdParam];
    if (typeof orgId !== 'string') return next(new AppError('internal', `route parameter ${orgIdParam} is missing`));
    const err = roleError(user, orgId, roles);
    next(err);
  };
}

/** Requires the site administrator; 403 for anyone else signed in. */
export function requireSiteAdmin(): RequestHandler {
  return (req, res, next) => {
    const user = currentUser(res);
    if (!user) return requireUser()(req, res, next);
    if (user.isSiteAdmin) return next();
    next(forbidden('this needs the site administrator'));
  };
}
