/**
 * Open Badges 3.0 over HTTP.
 *   POST /api/orgs/:orgId/badges                         define a badge (author, orgAdmin)
 *   GET  /api/orgs/:orgId/badges                         badges of the organization (members)
 *   GET  /api/orgs/:orgId/ob/credentials                 credentials it issued (orgAdmin)
 *   POST /api/orgs/:orgId/ob/credentials/:id/revoke      revoke {reason} (orgAdmin)
 *   POST /api/orgs/:orgId/ob/keys/rotate                 new signing key (orgAdmin)
 *   GET  /api/me/badges                                  my credentials
 *   GET  /api/me/badges/:id.jwt | :id.json               download one (VC-JWT, or its credential JSON)
 *   POST /api/ob/verify {jwt}                            verify (public)
 *   GET  /ob/issuers/:orgId, /jwks, /keys/:kid           issuer profile and public keys (public)
 *   GET  /ob/achievements/:id[/image]                    an Achievement and its image (public)
 *   GET  /ob/credentials/:id/status                      revocation status (public)
 */
import { Router, type Request, type Response } from 'express';
import { assertRoleIn } from '../accounts/access';
import { asyncRoute, requireCsrf, requireUser, userOf } from '../accounts/guards';
import type { UserContext } from '../accounts/user-context';
import { registerDashboardSection, type DashboardSection } from '../catalog/extension-points';
import type { AppServices } from '../deps';
import { notFound } from '../errors';
import { jsonBody } from '../http/json-body';
import { rotateKey, keyUrl } from './badge-keys';
import {
  achievementOf, badgeImage, createBadge, credentialOfJwt, issuerJwks, issuerProfile, myCredential, revokeCredential, verifyCredential,
} from './badges';

const run = asyncRoute;
const p = (req: Request, name: string): string => String(req.params[name]);

/** The newest badges a dashboard lists (the badges page has them all). */
export const DASHBOARD_BADGES = 5;

/** The badges section of a person's dashboard: their newest credentials that still hold; none when they have none. */
export async function badgeSection(s: AppServices, user: UserContext): Promise<DashboardSection | undefined> {
  const now = s.now().toISOString();
  const list = (await s.store.competency.findCredentials({ userId: user.userId }))
    .filter((c) => c.revokedAt === undefined && (c.expiresAt === undefined || c.expiresAt > now));
  if (list.length === 0) return undefined;
  return {
    id: 'badges',
    heading: 'Badges',
    items: list.slice(0, DASHBOARD_BADGES).map((c) => {
      const name = credentialOfJwt(c.jwt)['name'];
      return { title: typeof name === 'string' && name !== '' ? name : 'Badge', href: '/me/badges', detail: `earned ${c.issuedAt.slice(0, 10)}` };
    }),
  };
}

let sectionRegistered = false;

export function badgeRouter(s: AppServices): Router {
  if (!sectionRegistered) {
    sectionRegistered = true;
    registerDashboardSection(badgeSection);
  }
  const r = Router();
  const small = jsonBody({ limit: '512kb' });
  const noStore = (res: Response): Response => res.set('Cache-Control', 'no-store');

  r.post('/api/orgs/:orgId/badges', small, requireUser(), requireCsrf(), run(async (req, res) => {
    res.status(201).json(await createBadge(s, userOf(res), p(req, 'orgId'), req.body));
  }));
  r.get('/api/orgs/:orgId/badges', requireUser(), run(async (req, res) => {
    assertRoleIn(userOf(res), p(req, 'orgId'));
    noStore(res).json({ badges: await s.store.competency.findBadges({ orgIds: [p(req, 'orgId')] }) });
  }));
  r.get('/api/orgs/:orgId/ob/credentials', requireUser(), run(async (req, res) => {
    assertRoleIn(userOf(res), p(req, 'orgId'), 'orgAdmin');
    const list = await s.store.competency.findCredentials({ orgIds: [p(req, 'orgId')] });
    noStore(res).json({ credentials: list.map(({ jwt: _jwt, ...c }) => c) });
  }));
  r.post('/api/orgs/:orgId/ob/credentials/:id/revoke', small, requireUser(), requireCsrf(), run(async (req, res) => {
    const c = await revokeCredential(s, userOf(res), p(req, 'orgId'), p(req, 'id'), req.body);
    res.json({ id: c.id, revokedAt: c.revokedAt, revocationReason: c.revocationReason });
  }));
  r.post('/api/orgs/:orgId/ob/keys/rotate', requireUser(), requireCsrf(), run(async (req, res) => {
    assertRoleIn(userOf(res), p(req, 'orgId'), 'orgAdmin');
    const k = await rotateKey(s, p(req, 'orgId'));
    res.status(201).json({ kid: k.kid, url: keyUrl(s, k), publicJwk: k.publicJwk });
  }));
  r.get('/api/me/badges', requireUser(), run(async (_req, res) => {
    const list = await s.store.competency.findCredentials({ userId: userOf(res).userId });
    noStore(res).json({ credentials: list.map((c) => ({ id: c.id, badgeId: c.badgeId, orgId: c.orgId, issuedAt: c.issuedAt, expiresAt: c.expiresAt, revokedAt: c.revokedAt, name: credentialOfJwt(c.jwt)['name'] })) });
  }));
  r.get('/api/me/badges/:file', requireUser(), run(async (req, res) => {
    const m = /^([0-9a-f-]{36})\.(jwt|json)$/.exec(p(req, 'file'));
    if (!m) throw notFound('no such credential file');
    const c = await myCredential(s, userOf(res), m[1] as string);
    noStore(res).set('Content-Disposition', `attachment; filename="badge-${m[1]}.${m[2]}"`);
    if (m[2] === 'jwt') res.type('application/vc+jwt').send(c.jwt);
    else res.type('application/json').send(JSON.stringify(credentialOfJwt(c.jwt), null, 2));
  }));
  r.post('/api/ob/verify', small, run(async (req, res) => {
    const body = req.body as Record<string, unknown> | undefined;
    noStore(res).json(await verifyCredential(s, body?.['jwt']));
  }));
  r.get('/ob/issuers/:orgId', run(async (req, res) => {
    res.json(await issuerProfile(s, p(req, 'orgId')));
  }));
  r.get('/ob/issuers/:orgId/jwks', run(async (req, res) => {
    res.type('application/jwk-set+json').send(JSON.stringify(await issuerJwks(s, p(req, 'orgId'))));
  }));
  r.get('/ob/issuers/:orgId/keys/:kid', run(async (req, res) => {
    const k = (await s.store.competency.findSigningKeys(p(req, 'orgId'))).find((x) => x.kid === p(req, 'kid'));
    if (!k) throw notFound('no such key');
    res.type('application/jwk+json').send(JSON.stringify(k.publicJwk));
  }));
  r.get('/ob/achievements/:id', run(async (req, res) => {
    const b = await s.store.competency.findBadge(p(req, 'id'));
    if (!b) throw notFound('no such achievement');
    res.json({ '@context': ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'], ...(await achievementOf(s, b)) });
  }));
  r.get('/ob/achievements/:id/image', run(async (req, res) => {
    const b = await s.store.competency.findBadge(p(req, 'id'));
    if (!b) throw notFound('no such achievement');
    const img = badgeImage(b);
    res.type(img.type).set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'").send(img.body);
  }));
  r.get('/ob/credentials/:id/status', run(async (req, res) => {
    const c = await s.store.competency.findCredential(`urn:uuid:${p(req, 'id')}`);
    if (!c) throw notFound('no such credential');
    noStore(res).json({ id: c.id, revoked: c.revokedAt !== undefined, ...(c.revokedAt ? { revokedAt: c.revokedAt, reason: c.revocationReason } : {}) });
  }));
  return r;
}
