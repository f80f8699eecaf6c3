/**
 * Launch tokens: short-lived LRS credentials the player hands to launched content, scoped to one
 * registration of one learner (issue 4). They travel as HTTP Basic with the user name `launch`
 * and a JWT as the password, because xAPI and cmi5 content only knows Basic (cmi5 `fetch` hands
 * out an `Authorization` header value). The LRS side is src/xapi/auth/launch-auth.ts.
 */
import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../config';
import { badRequest } from '../errors';
import { agentKey } from '../xapi/model/agent-key';
import { sessionKey } from './session-secret';
import { hmac } from './tokens';

/** The Basic user name that marks a launch token; no LRS credential may use it as its key. */
export const LAUNCH_USER = 'launch';
/** Default lifetime: long enough for a sitting, short enough that a leaked token soon dies. */
export const LAUNCH_TOKEN_TTL_SECONDS = 4 * 60 * 60;
/** Longest lifetime a caller may ask for. */
export const LAUNCH_TOKEN_MAX_TTL_SECONDS = 24 * 60 * 60;
// Keeps launch JWTs apart from session JWTs signed from the same secret (a session token is
// never a launch token and the other way round): its own audience and its own derived key.
const AUDIENCE = 'learnhq:launch';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a launch token is issued for. */
export interface LaunchTokenInput {
  /** The learner (a LearnHQ user id). */
  readonly userId: string;
  /** The learner's xAPI Agent (normally xapiActor(user, config)). */
  readonly actor: Record<string, unknown>;
  /** The registration UUID of the attempt. */
  readonly registration: string;
  /** The launched activity IRI. */
  readonly activityId: string;
  /** The organization the launch happens in: statements written with the token belong to it. */
  readonly orgId?: string;
  /** Lifetime in seconds (default 4 h, at most 24 h). */
  readonly ttlSeconds?: number;
  /**
   * When the learner's session granted this launch (ISO; default now). A token handed out later
   * for an earlier launch (the cmi5 fetch URL) passes the launch's time, so that ending the
   * person's launch tokens (sign-out, reset, role removal) also ends it.
   */
  readonly grantedAt?: string;
}

/** The verified content of a launch token. */
export interface LaunchClaims {
  /** Token id (jti): the credential key the LRS records is `launch:<jti>`. */
  readonly jti: string;
  readonly userId: string;
  readonly actor: Record<string, unknown>;
  readonly agentKey: string;
  readonly registration: string;
  readonly activityId: string;
  readonly orgId?: string;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
  /** When the launch was granted, ms since the epoch (checked against the person's launchTokensEndedAt). */
  readonly grantedAtMs: number;
}

// Derived keys by session secret. A secret is fixed for a process's life (tests may build a few
// apps with their own), so the map stays tiny; the bound only guards against unbounded growth.
const keys = new Map<string, KeyObject>();
const MAX_KEYS = 16;

/**
 * The signing key: derived from the session secret, so every instance agrees without new config.
 * A KeyObject made once per secret: handed a string, jsonwebtoken first tries to parse it as a PEM
 * public key and builds a secret key only after that throws, which cost ~0.6 ms per sign or verify.
 * The key bytes are the UTF-8 of the same derived string, so tokens are byte-for-byte the same.
 */
export function launchSigningKey(config: Config): KeyObject {
  const secret = sessionKey(config);
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = createSecretKey(Buffer.from(hmac(secret, 'learnhq/launch-token/v1'), 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

/**
 * Issues a launch token and returns the Authorization header value content must send:
 * `Basic base64("launch:" + jwt)`. HS256, expires after `ttlSeconds`. Throws 400 naming the
 * property when the actor has no identifier, the registration is no UUID or the TTL is out of range.
 */
export function issueLaunchToken(
  deps: { readonly config: Config; readonly now: () => Date },
  input: LaunchTokenInput,
): string {
  const key = agentKey(input.actor);
  if (key === undefined) throw badRequest('actor: must be an Agent with an inverse functional identifier');
  if (!UUID.test(input.registration)) throw badRequest(`registration: must be a UUID, got "${input.registration}"`);
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(input.activityId)) throw badRequest(`activityId: must be an IRI, got "${input.activityId}"`);
  const ttl = input.ttlSeconds ?? LAUNCH_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > LAUNCH_TOKEN_MAX_TTL_SECONDS) {
    throw badRequest(`ttlSeconds: must be a whole number from 1 to ${LAUNCH_TOKEN_MAX_TTL_SECONDS}, got ${ttl}`);
  }
  const nowMs = deps.now().getTime();
  const iat = Math.floor(nowMs / 1000);
  const granted = input.grantedAt !== undefined ? Date.parse(input.grantedAt) : nowMs;
  const token = jwt.sign(
    {
      iat,
      exp: iat + ttl,
      gat: Number.isFinite(granted) ? Math.min(granted, nowMs) : nowMs,
      agent: input.actor,
      reg: input.registration.toLowerCase(),
      act: input.activityId,
      ...(input.orgId !== undefined ? { org: input.orgId } : {}),
    },
    launchSigningKey(deps.config),
    { algorithm: 'HS256', subject: input.userId, audience: AUDIENCE, jwtid: randomUUID(), noTimestamp: true },
  );
  return `Basic ${Buffer.from(`${LAUNCH_USER}:${token}`, 'utf8').toString('base64')}`;
}

/**
 * The claims of a valid launch JWT (the part after `launch:`), or undefined for anything else:
 * bad signature, another algorithm (only HS256; alg=none is refused), wrong audience (a session
 * JWT), expired, or claims of the wrong shape.
 */
export function verifyLaunchToken(config: Config, token: string, now: Date): LaunchClaims | undefined {
  let payload: unknown;
  try {
    payload = jwt.verify(token, launchSigningKey(config), {
      algorithms: ['HS256'],
      audience: AUDIENCE,
      clockTimestamp: Math.floor(now.getTime() / 1000),
    });
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  const { jti, sub, agent, reg, act, org, exp, iat, gat } = p;
  if (typeof jti !== 'string' || typeof sub !== 'string' || typeof reg !== 'string' || typeof act !== 'string' || typeof exp !== 'number') return undefined;
  if (typeof agent !== 'object' || agent === null || Array.isArray(agent)) return undefined;
  if (org !== undefined && typeof org !== 'string') return undefined;
  const key = agentKey(agent);
  if (key === undefined || !UUID.test(reg)) return undefined;
  return {
    jti,
    userId: sub,
    actor: agent as Record<string, unknown>,
    agentKey: key,
    registration: reg.toLowerCase(),
    activityId: act,
    ...(typeof org === 'string' ? { orgId: org } : {}),
    exp,
    grantedAtMs: typeof gat === 'number' ? gat : typeof iat === 'number' ? iat * 1000 : 0,
  };
}
