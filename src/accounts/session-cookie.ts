import type { Request, Response } from 'express';
import type { Config } from '../config';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'lhq_session';

/** The session cookie value of a request, if any (first occurrence wins). */
export function readSessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw.replace(/^"|"$/g, ''));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function cookieOptions(config: Config): { httpOnly: true; sameSite: 'lax'; secure: boolean; path: '/' } {
  // Secure follows the public URL: behind a TLS-terminating proxy req.secure may be false.
  return { httpOnly: true, sameSite: 'lax', secure: config.publicUrl.startsWith('https:'), path: '/' };
}

/** Sets the session cookie (HttpOnly, SameSite=Lax, Path=/, Secure on https) to expire with the JWT. */
export function setSessionCookie(res: Response, config: Config, token: string, expiresAt: Date): void {
  res.cookie(SESSION_COOKIE, token, { ...cookieOptions(config), expires: expiresAt });
}

/** Removes the session cookie from the browser. */
export function clearSessionCookie(res: Response, config: Config): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(config));
}
