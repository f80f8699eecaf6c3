/**
 * Open Badges 3.0: badge definitions (an Achievement aligned to a CFItem at a level, or to a
 * course), issuing an OpenBadgeCredential as a VC-JWT (OB 3.0 §8.2: the JWT payload is the
 * credential plus `iss`, `nbf`, `jti`, `sub` and `exp` when it expires; the JOSE header's `kid`
 * is the URL of the issuer's public JWK), verification (signature, expiry, revocation) and
 * revocation.
 */
import { createHash, createPublicKey, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { assertRoleIn } from '../accounts/access';
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { badRequest, isAppError, notFound } from '../errors';
import type { BadgeClass, Evidence, IssuedCredential } from '../store/ports';
import { matchChanged } from './alignments';
import { activeKey, issuerUrl, keyUrl } from './badge-keys';
import { nameUuid } from './csv-framework';
import { competencyOr404 } from './frameworks';

type Services = Pick<AppServices, 'store' | 'now' | 'config'>;

export const OB_CONTEXT = ['https://www.w3.org/2018/credentials/v1', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'] as const;

const base = (s: Pick<AppServices, 'config'>): string => s.config.publicUrl.replace(/\/$/, '');
export const achievementUrl = (s: Pick<AppServices, 'config'>, badgeId: string): string => `${base(s)}/ob/achievements/${encodeURIComponent(badgeId)}`;
const uuidOf = (credentialId: string): string => credentialId.replace(/^urn:uuid:/, '');

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, name: string, max: number): string => {
  if (typeof v !== 'string' || v.trim() === '' || v.length > max) throw badRequest(`${name} must be a non-empty string of at most ${max} characters`);
  return v.trim();
};

/** An author or administrator of `orgId` defines a badge for a competency at a level, or for one of the organization's courses. */
export async function createBadge(s: Services, user: UserContext, orgId: string, body: unknown): Promise<BadgeClass> {
  assertRoleIn(user, orgId, 'author', 'orgAdmin');
  if (!isObj(body)) throw badRequest('the body must be a JSON object');
  const image = body['image'];
  if (image !== undefined && (typeof image !== 'string' || !/^data:image\/(png|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(image) || image.length > 400_000)) {
    throw badRequest('image must be a PNG or SVG data URL (base64) under 300 kB');
  }
  const common = {
    id: randomUUID(), orgId, name: text(body['name'], 'name', 200), description: text(body['description'], 'description', 2000),
    criteria: text(body['criteria'], 'criteria', 4000), ...(typeof image === 'string' ? { image } : {}), createdAt: s.now().toISOString(),
  };
  let badge: BadgeClass;
  if (typeof body['courseId'] === 'string') {
    const course = await s.store.courses.findCourse(body['courseId']);
    if (!course || course.orgId !== orgId) throw notFound(`no course ${body['courseId']}`);
    badge = { ...common, courseId: course.id };
  } else {
    const { framework, item } = await competencyOr404(s, String(body['frameworkId'] ?? ''), String(body['itemIdentifier'] ?? ''));
    const level = body['level'];
    if (typeof level !== 'number' || !framework.scale.some((l) => l.rank === level)) throw badRequest('level must be one of the scale\'s ranks');
    badge = { ...common, frameworkId: framework.id, itemIdentifier: item.identifier, level };
  }
  await s.store.competency.upsertBadge(badge);
  await matchChanged(s);
  return badge;
}

/** The OB 3.0 Achievement of a badge (public: it is what every credential of it embeds). */
export async function achievementOf(s: Services, badge: BadgeClass): Promise<Record<string, unknown>> {
  const alignment: Record<string, unknown>[] = [];
  if (badge.frameworkId !== undefined && badge.itemIdentifier !== undefined) {
    const { framework, item } = await competencyOr404(s, badge.frameworkId, badge.itemIdentifier);
    alignment.push({
      type: ['Alignment'], targetName: item.abbreviatedStatement ?? item.fullStatement, targetUrl: item.uri, targetType: 'CFItem',
      targetFramework: framework.title, ...(item.humanCodingScheme ? { targetCode: item.humanCodingScheme } : {}),
      targetDescription: item.fullStatement,
    });
  }
  return {
    id: achievementUrl(s, badge.id),
    type: ['Achievement'],
    achievementType: badge.courseId !== undefined ? 'Course' : 'Competency',
    name: badge.name,
    description: badge.description,
    criteria: { id: `${achievementUrl(s, badge.id)}#criteria`, narrative: badge.criteria },
    image: { id: `${achievementUrl(s, badge.id)}/image`, type: 'Image', caption: badge.name },
    ...(alignment.length > 0 ? { alignment } : {}),
    creator: { id: issuerUrl(s, badge.orgId), type: ['Profile'] },
  };
}

/** The issuer Profile of an organization. */
export async function issuerProfile(s: Services, orgId: string): Promise<Record<string, unknown>> {
  const org = await s.store.accounts.findOrganization(orgId);
  const keys = await s.store.competency.findSigningKeys(orgId);
  // Only an organization that issues has a public profile (others stay unrevealed).
  if (!org || keys.length === 0) throw notFound(`no issuer ${orgId}`);
  return {
    '@context': [...OB_CONTEXT],
    id: issuerUrl(s, orgId),
    type: ['Profile'],
    name: org.name,
    url: base(s),
    publicKey: keys.map((k) => ({ id: keyUrl(s, k), type: 'JsonWebKey', publicKeyJwk: k.publicJwk, ...(k.retiredAt ? { retired: k.retiredAt } : {}) })),
    jwks: `${issuerUrl(s, orgId)}/jwks`,
  };
}

/** The JWK Set of an organization (every key, retired ones too). */
export async function issuerJwks(s: Services, orgId: string): Promise<{ keys: Record<string, unknown>[] }> {
  const keys = await s.store.competency.findSigningKeys(orgId);
  if (keys.length === 0) throw notFound(`no issuer ${orgId}`);
  return { keys: keys.map((k) => ({ ...k.publicJwk })) };
}

/** The credential JSON (pure but for the Achievement lookup). */
async function credentialJson(s: Services, badge: BadgeClass, userId: string, id: string, issuedAt: string, expiresAt: string | undefined): Promise<Record<string, unknown>> {
  const org = await s.store.accounts.findOrganization(badge.orgId);
  const user = await s.store.accounts.findUser(userId);
  const salt = randomBytes(8).toString('hex');
  const identifier = user ? [{ type: 'IdentityObject', hashed: true, identityHash: `sha256$${createHash('sha256').update(user.email + salt).digest('hex')}`, identityType: 'emailAddress', salt }] : [];
  return {
    '@context': [...OB_CONTEXT],
    id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: badge.name,
    description: badge.description,
    issuer: { id: issuerUrl(s, badge.orgId), type: ['Profile'], name: org?.name ?? badge.orgId, url: base(s) },
    issuanceDate: issuedAt,
    ...(expiresAt !== undefined ? { expirationDate: expiresAt } : {}),
    credentialSubject: {
      id: `urn:uuid:${subjectUuid(userId)}`,
      type: ['AchievementSubject'],
      achievement: await achievementOf(s, badge),
      ...(identifier.length > 0 ? { identifier } : {}),
    },
    credentialStatus: { id: `${base(s)}/ob/credentials/${uuidOf(id)}/status`, type: '1EdTechRevocationList' },
  };
}

/** A stable, opaque subject id of a person (no name or email in the credential's subject id). */
function subjectUuid(userId: string): string {
  const h = createHash('sha256').update(`learnhq-badge-subject|${userId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Issues a badge to a person: signs the credential with the organization's key and stores it. `id` defaults to a random one. */
export async function issueCredential(s: Services, badge: BadgeClass, userId: string, expiresAt?: string, id = `urn:uuid:${randomUUID()}`): Promise<IssuedCredential> {
  const issuedAt = s.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const credential = await credentialJson(s, badge, userId, id, issuedAt, expiresAt);
  const key = await activeKey(s, badge.orgId);
  const payload: Record<string, unknown> = {
    ...credential,
    iss: issuerUrl(s, badge.orgId),
    nbf: Math.floor(Date.parse(issuedAt) / 1000),
    jti: id,
    sub: (credential['credentialSubject'] as { id: string }).id,
    ...(expiresAt !== undefined ? { exp: Math.floor(Date.parse(expiresAt) / 1000) } : {}),
  };
  const token = jwt.sign(payload, key.privatePem, { algorithm: key.alg, keyid: keyUrl(s, key), header: { alg: key.alg, typ: 'JWT' } });
  const issued: IssuedCredential = { id, orgId: badge.orgId, badgeId: badge.id, userId, jwt: token, issuedAt, ...(expiresAt !== undefined ? { expiresAt } : {}) };
  await s.store.competency.insertCredential(issued);
  return issued;
}

/**
 * Issues a badge once: unless the person holds an unrevoked credential of it. The credential id is
 * derived from the person, the badge and how many were revoked before, so two subscribers (or
 * instances) racing to issue the same award store one credential; the second gets a conflict.
 */
async function awardOnce(s: Services, badge: BadgeClass, userId: string, expiresAt?: string): Promise<IssuedCredential | undefined> {
  const held = await s.store.competency.findCredentials({ userId, badgeId: badge.id });
  if (held.some((c) => c.revokedAt === undefined)) return undefined;
  const id = `urn:uuid:${nameUuid('learnhq-award', `${badge.id}|${userId}|${held.length}`)}`;
  try {
    return await issueCredential(s, badge, userId, expiresAt, id);
  } catch (err) {
    if (isAppError(err) && err.code === 'conflict') return undefined;
    throw err;
  }
}

/**
 * Issues the competency badges new evidence earns: a badge of the item at a level at or below the
 * evidence's, once per person and badge. Expiring evidence gives an expiring credential.
 */
export async function awardForEvidence(s: Services, evidence: readonly Evidence[]): Promise<IssuedCredential[]> {
  const out: IssuedCredential[] = [];
  for (const e of evidence) {
    for (const b of await s.store.competency.findBadges({ frameworkId: e.frameworkId, itemIdentifier: e.itemIdentifier })) {
      if ((b.level ?? 0) > e.level) continue;
      const c = await awardOnce(s, b, e.userId, e.expiresAt);
      if (c) out.push(c);
    }
  }
  return out;
}

/** Issues the course badges of a course a person completed (once per person and badge). */
export async function awardForCourse(s: Services, courseId: string, userId: string): Promise<IssuedCredential[]> {
  const out: IssuedCredential[] = [];
  for (const b of await s.store.competency.findBadges({ courseId })) {
    const c = await awardOnce(s, b, userId);
    if (c) out.push(c);
  }
  return out;
}

/** A (person, competency) pair. */
type Pair = Pick<Evidence, 'userId' | 'frameworkId' | 'itemIdentifier'>;

/** Revokes the person's unrevoked credentials of a badge; returns them revoked. */
async function revokeHeld(s: Services, badge: BadgeClass, userId: string, reason: string): Promise<IssuedCredential[]> {
  const out: IssuedCredential[] = [];
  for (const c of await s.store.competency.findCredentials({ userId, badgeId: badge.id })) {
    if (c.revokedAt !== undefined) continue;
    const r = await s.store.competency.revokeCredential(c.id, s.now().toISOString(), reason);
    if (r) out.push(r);
  }
  return out;
}

/**
 * Revokes the competency credentials that evidence no longer supports (ADR 0027): after evidence
 * of these (person, competency) pairs went (a voided statement), a credential of a badge of the
 * competency is revoked when none of the person's remaining evidence reaches the badge's level.
 * A credential with other evidence behind it stays. Returns what it revoked.
 */
export async function revokeUnsupported(s: Services, pairs: readonly Pair[], reason: string): Promise<IssuedCredential[]> {
  const unique = [...new Map(pairs.map((p) => [`${p.userId}|${p.frameworkId}|${p.itemIdentifier}`, p])).values()];
  const summaries = new Map((await s.store.competency.findEvidenceLevelsOf(unique)).map((x) => [`${x.userId}|${x.frameworkId}|${x.itemIdentifier}`, x]));
  const out: IssuedCredential[] = [];
  for (const p of unique) {
    const summary = summaries.get(`${p.userId}|${p.frameworkId}|${p.itemIdentifier}`);
    const top = Math.max(0, ...(summary?.levels ?? []).filter((l) => l.count > 0).map((l) => l.level));
    for (const b of await s.store.competency.findBadges({ frameworkId: p.frameworkId, itemIdentifier: p.itemIdentifier })) {
      if (summary !== undefined && top >= (b.level ?? 0)) continue;
      out.push(...(await revokeHeld(s, b, p.userId, reason)));
    }
  }
  return out;
}

/** Revokes a person's credentials of a course's badges (its completion was voided and no other remains). */
export async function revokeCourseBadges(s: Services, courseId: string, userId: string, reason: string): Promise<IssuedCredential[]> {
  const out: IssuedCredential[] = [];
  for (const b of await s.store.competency.findBadges({ courseId })) out.push(...(await revokeHeld(s, b, userId, reason)));
  return out;
}

/** What verification found. */
export interface Verification {
  readonly valid: boolean;
  readonly checks: { readonly signature: boolean; readonly expiry: boolean; readonly revocation: boolean };
  readonly reason?: string;
  readonly credential?: Record<string, unknown>;
  readonly revokedAt?: string;
}

/** Verifies a VC-JWT: the signature with the key its header names (one of ours), expiry, and revocation. Public. */
export async function verifyCredential(s: Services, token: unknown): Promise<Verification> {
  const fail = (reason: string, checks: Partial<Verification['checks']> = {}): Verification => ({
    valid: false, checks: { signature: false, expiry: false, revocation: false, ...checks }, reason,
  });
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token.trim())) return fail('not a compact JWS (VC-JWT)');
  const decoded = jwt.decode(token.trim(), { complete: true });
  const kid = decoded?.header.kid;
  const match = typeof kid === 'string' ? /\/ob\/issuers\/([^/]+)\/keys\/([^/]+)$/.exec(kid) : null;
  if (!match || !kid?.startsWith(base(s))) return fail('the header names no key of this site');
  const orgId = decodeURIComponent(match[1] ?? '');
  const keyId = decodeURIComponent(match[2] ?? '');
  const key = (await s.store.competency.findSigningKeys(orgId)).find((k) => k.kid === keyId);
  if (!key) return fail('unknown signing key');
  let payload: Record<string, unknown>;
  try {
    const pub = createPublicKey({ key: key.publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    // Expiry and not-before are checked below against the service clock (reported apart from the signature).
    payload = jwt.verify(token.trim(), pub, { algorithms: [key.alg], ignoreExpiration: true, ignoreNotBefore: true, issuer: issuerUrl(s, orgId) }) as Record<string, unknown>;
  } catch (err) {
    return fail(`signature: ${(err as Error).message}`);
  }
  const now = Math.floor(s.now().getTime() / 1000);
  const expired = typeof payload['exp'] === 'number' && payload['exp'] <= now;
  const early = typeof payload['nbf'] === 'number' && payload['nbf'] > now + 60;
  const stored = typeof payload['jti'] === 'string' ? await s.store.competency.findCredential(payload['jti']) : undefined;
  if (!stored || stored.orgId !== orgId) return { ...fail('not a credential this issuer issued', { signature: true }), credential: payload };
  const revoked = stored.revokedAt !== undefined;
  const checks = { signature: true, expiry: !expired && !early, revocation: !revoked };
  return {
    valid: checks.expiry && checks.revocation,
    checks,
    ...(revoked ? { reason: `revoked: ${stored.revocationReason ?? ''}`, revokedAt: stored.revokedAt } : expired ? { reason: 'expired' } : early ? { reason: 'not valid yet' } : {}),
    credential: payload,
  };
}

/** An administrator of the issuing organization revokes a credential. */
export async function revokeCredential(s: Services, user: UserContext, orgId: string, credentialUuid: string, body: unknown): Promise<IssuedCredential> {
  assertRoleIn(user, orgId, 'orgAdmin');
  const id = `urn:uuid:${credentialUuid}`;
  const c = await s.store.competency.findCredential(id);
  if (!c || c.orgId !== orgId) throw notFound(`no credential ${credentialUuid}`);
  const reason = isObj(body) && typeof body['reason'] === 'string' && body['reason'].trim() !== '' ? body['reason'].trim().slice(0, 500) : 'revoked by the issuer';
  return (await s.store.competency.revokeCredential(id, s.now().toISOString(), reason)) as IssuedCredential;
}

/** A credential of the signed-in person (404 for anyone else's). */
export async function myCredential(s: Services, user: UserContext, credentialUuid: string): Promise<IssuedCredential> {
  const c = await s.store.competency.findCredential(`urn:uuid:${credentialUuid}`);
  if (!c || c.userId !== user.userId) throw notFound(`no credential ${credentialUuid}`);
  return c;
}

/** The credential JSON inside a VC-JWT (its payload without the JWT claims). */
export function credentialOfJwt(token: string): Record<string, unknown> {
  const payload = { ...(jwt.decode(token) as Record<string, unknown>) };
  for (const k of ['iss', 'nbf', 'jti', 'sub', 'exp', 'iat']) delete payload[k];
  return payload;
}

/** A badge's image: its own, or a plain generated SVG with its name. */
export function badgeImage(badge: BadgeClass): { type: string; body: Buffer } {
  const m = badge.image !== undefined ? /^data:(image\/(?:png|svg\+xml));base64,(.+)$/.exec(badge.image) : null;
  if (m) return { type: m[1] as string, body: Buffer.from(m[2] as string, 'base64') };
  const name = badge.name.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).slice(0, 60);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240" role="img" aria-label="${name}"><circle cx="120" cy="120" r="110" fill="#0b5cad"/><circle cx="120" cy="120" r="92" fill="none" stroke="#fff" stroke-width="4"/><text x="120" y="128" font-family="sans-serif" font-size="16" fill="#fff" text-anchor="middle">${name}</text></svg>`;
  return { type: 'image/svg+xml', body: Buffer.from(svg) };
}
