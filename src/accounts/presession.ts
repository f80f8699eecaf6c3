/**
 * Login CSRF protection for the forms that work without a session (issue 11): sign-in, password
 * reset, invitation acceptance, email confirmation. A cross-site form could otherwise sign the
 * victim in as the attacker. Two checks, either of which stops it:
 * - the browser says where the form came from: `Sec-Fetch-Site` must be same-origin (or none: typed
 *   or bookmarked) and `Origin`, when sent, must be the app's origin;
 * - a pre-session token: a random value in an HttpOnly cookie, and its HMAC in the form's `_csrf`
 *   field (the page that shows the form sets both). A cross-site page can neither read the field
 *   nor set the cookie (the content origin is another host; `__Host-` on https).
 */
import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config';
import { forbidden } from '../errors';
import { cookieValues, isHttps } from './session-cookie';
import { sessionKey } from './session-secret';
import { hmac, safeEqual } from './tokens';

/** Name of the pre-session cookie (with the `__Host-` prefix on https). */
export function presessionCookieName(config: Pick<Config, 'publicUrl'>): string {
  return isHttps(config) ? '__Host-lhq_pre' : 'lhq_pre';
}

const VALUE = /^[A-Za-z0-9_-]{32}$/;

function tokenFor(config: Config, value: string): string {
  return hmac(sessionKey(config), `presession|${value}`);
}

/**
 * The CSRF token a session-less form carries: HMAC of this browser's pre-session cookie, which is
 * set now when the browser has none (HttpOnly, SameSite=Lax, Path=/, Secure on https, ends with
 * the browser session).
 */
export function presessionToken(req: Request, res: Response, config: Config): string {
  const name = presessionCookieName(config);
  let value = cookieValues(req.headers.cookie, name).find((v) => VALUE.test(v));
  if (value === undefined) {
    value = randomBytes(24).toString('base64url');
    res.cookie(name, value, { httpOnly: true, sameSite: 'lax', secure: isHttps(config), path: '/' });
  }
  return tokenFor(config, value);
}

/**
 * 403 unless the browser's own headers say the request comes from a page of the app's origin:
 * `Sec-Fetch-Site` (modern browsers) must be same-origin or none; without it, an `Origin` must be
 * the app's (LEARNHQ_PUBLIC_URL, or the Host the browser addressed). Requests with neither header
 * (non-browser clients) pass: the pre-session token or the JSON-only rule still applies.
 */
export function sameOriginOnly(config: Pick<Config, 'publicUrl'>): RequestHandler {
  const appOrigin = new URL(config.publicUrl).origin;
  return (req, _res, next) => {
    const site = req.get('sec-fetch-site');
    if (site !== undefined) {
      if (site === 'same-origin' || site === 'none') return next();
      next(forbidden(`cross-site form posts are refused (Sec-Fetch-Site: ${site}): use the form on ${appOrigin}`));
      return;
    }
    const origin = req.get('origin');
    if (origin !== undefined && origin !== appOrigin && !sameHost(origin, req.get('host'))) {
      next(forbidden(`form posts from another origin (${origin}) are refused: use the form on ${appOrigin}`));
      return;
    }
    next();
  };
}

/** True when `origin` names the host the browser sent the request to. */
function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * 403 unless the parsed form's `_csrf` field is the token of this browser's pre-session cookie.
 * Put it after the form body parser.
 */
export function requirePresessionToken(config: Config): RequestHandler {
  return (req, _res, next) => {
    const body: unknown = req.body;
    const sent = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['_csrf'] : undefined;
    const ok = typeof sent === 'string' && cookieValues(req.headers.cookie, presessionCookieName(config)).some((v) => VALUE.test(v) && safeEqual(sent, tokenFor(config, v)));
    if (ok) return next();
    next(forbidden('the form\'s CSRF token is missing or wrong: reload the page and submit the form again'));
  };
}
