import jwt from 'jsonwebtoken';
import { hmac } from './tokens';

/** Idle expiry of a session cookie/JWT: 8 hours, renewed when more than half has passed. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/** A session never lives longer than this, renewals included (the store record's expiresAt). */
export const SESSION_MAX_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** Audience claim: keeps session JWTs apart from any other JWT signed with the same key. */
const AUDIENCE = 'learnhq:session';

/** What a valid session JWT says. */
export interface SessionClaims {
  /** Session id (checked against the store on every request, cached briefly). */
  readonly sid: string;
  /** User id. */
  readonly sub: string;
  /** Issued at, seconds since the epoch. */
  readonly iat: number;
  /** Expires at, seconds since the epoch. */
  readonly exp: number;
}

/** Signs a session JWT (HS256) valid from `now` until `expiresAtMs`. */
export function signSessionToken(secret: string, sid: string, userId: string, now: Date, expiresAtMs: number): string {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = Math.max(iat + 1, Math.floor(expiresAtMs / 1000));
  return jwt.sign({ sid, iat, exp }, secret, { algorithm: 'HS256', subject: userId, audience: AUDIENCE });
}

/**
 * The claims of a valid token, or undefined for anything else: bad signature, another algorithm
 * (alg=none included: only HS256 is accepted), wrong audience, expired, malformed.
 */
export function verifySessionToken(secret: string, token: string, now: Date): SessionClaims | undefined {
  try {
    const payload = jwt.verify(token, secret, {
      algorithms: ['HS256'],
      audience: AUDIENCE,
      clockTimestamp: Math.floor(now.getTime() / 1000),
    });
    if (typeof payload !== 'object' || payload === null) return undefined;
    const { sid, sub, iat, exp } = payload as Record<string, unknown>;
    if (typeof sid !== 'string' || typeof sub !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') return undefined;
    return { sid, sub, iat, exp };
  } catch {
    return undefined;
  }
}

/** True when more than half of the token's lifetime has passed: time to issue a fresh one. */
export function needsRenewal(claims: SessionClaims, now: Date): boolean {
  const nowS = now.getTime() / 1000;
  return nowS - claims.iat > (claims.exp - claims.iat) / 2;
}

/** The CSRF token of a session: HMAC of its id, so it needs no storage and dies with the session. */
export function csrfTokenFor(secret: string, sessionId: string): string {
  return hmac(secret, `csrf|${sessionId}`);
}
