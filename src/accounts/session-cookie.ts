import type { Request, Response } from 'express';
import type { Config } from '../config';
import { badRequest } from '../errors';

/** Name of the session cookie over plain http (development, the README's default). */
export const SESSION_COOKIE = 'lhq_session';
/**
 * Name of the session cookie when the app is served over https: the `__Host-` prefix makes the
 * browser refuse it unless it was set by this very host, Secure, with Path=/ and no Domain, so a
 * sibling host (package content, another app of the same domain) cannot plant one (issue 11).
 */
export const HOST_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/** True when cookies must be Secure and may carry the `__Host-` prefix. */
export function isHttps(config: Pick<Config, 'publicUrl'>): boolean {
  return config.publicUrl.startsWith('https:');
}

/** The session cookie's name for this configuration. */
export function sessionCookieName(config: Pick<Config, 'publicUrl'>): string {
  return isHttps(config) ? HOST_SESSION_COOKIE : SESSION_COOKIE;
}

/** Every value of cookie `name` in a Cookie header, in the order sent (undecodable values as ''). */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim().replace(/^"|"$/g, '');
    try {
      out.push(decodeURIComponent(raw));
    } catch {
      out.push('');
    }
  }
  return out;
}

/**
 * The session cookie value of a request, if any. A request carrying the session cookie more than
 * once is refused with 400: a browser sends two only when another site planted one (a cookie set
 * for a narrower path, or from a sibling host), and picking either could run the person's
 * requests as someone else.
 */
export function readSessionCookie(req: Request, config: Pick<Config, 'publicUrl'>): string | undefined {
  const name = sessionCookieName(config);
  const values = cookieValues(req.headers.cookie, name);
  if (values.length > 1) {
    throw badRequest(
      `this request carries ${values.length} session cookies (${name}): another site may have planted one. ` +
        'They were cleared: sign in again (or clear this site\'s cookies in the browser)',
    );
  }
  return values[0];
}

function cookieOptions(config: Pick<Config, 'publicUrl'>): { httpOnly: true; sameSite: 'lax'; secure: boolean; path: '/' } {
  // Secure follows the public URL: behind a TLS-terminating proxy req.secure may be false.
  return { httpOnly: true, sameSite: 'lax', secure: isHttps(config), path: '/' };
}

/** Sets the session cookie (HttpOnly, SameSite=Lax, Path=/, Secure and `__Host-` on https) to expire with the JWT. */
export function setSessionCookie(res: Response, config: Pick<Config, 'publicUrl'>, token: string, expiresAt: Date): void {
  res.cookie(sessionCookieName(config), token, { ...cookieOptions(config), expires: expiresAt });
}

/** Removes the session cookie from the browser. */
export function clearSessionCookie(res: Response, config: Pick<Config, 'publicUrl'>): void {
  res.clearCookie(sessionCookieName(config), cookieOptions(config));
}

/**
 * Clears the session cookie on every path the browser may have sent one for with this request
 * (each prefix of its path): the way out after readSessionCookie refused duplicates, so the
 * person is not stuck until they clear cookies by hand.
 */
export function clearSessionCookiesOnPath(res: Response, config: Pick<Config, 'publicUrl'>, requestPath: string): void {
  const name = sessionCookieName(config);
  const paths = new Set<string>(['/']);
  const segments = requestPath.split('/').filter((p) => p !== '');
  let prefix = '';
  for (const seg of segments) {
    prefix += `/${seg}`;
    paths.add(prefix);
    paths.add(`${prefix}/`);
  }
  for (const path of paths) res.clearCookie(name, { ...cookieOptions(config), path });
}
