import { Router } from 'express';
import type { AppServices } from '../../deps';
import { badRequest } from '../../errors';
import { listAudit } from '../audit';
import { requireRoleIn, requireSiteAdmin, requireUser } from '../guards';
import { isRecord, parseLearnerType, parseOrgKind, parseRole, parseRoles, stringProp, optionalStringProp } from '../input';
import { inviteToOrganization, listInvitations } from '../invitations';
import { createOrgCredential, listOrgCredentials, parseScopes, revokeOrgCredential } from '../org-credentials';
import { createOrganization, getOrganization, listOrganizations } from '../organizations';
import { grantRole, listPeople, revokeRole } from '../people';
import { actorOf, param } from './respond';
import { mailerFor } from '../mail/mailer';
import { listOutbox } from '../mail/outbox';

function limitOf(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < 1) throw badRequest('limit must be a whole number of at least 1');
  return Number(raw);
}

/** Organizations, people, roles, invitations, credentials and audit (mounted under /api). */
export function orgApiRouter(s: AppServices): Router {
  const r = Router();
  const org = (p: Readonly<Record<string, unknown>>): string => param(p['orgId'], 'orgId');

  r.get('/orgs', requireUser(), async (_req, res) => {
    res.json({ organizations: await listOrganizations(s, actorOf(res)) });
  });

  r.post('/orgs', requireSiteAdmin(), async (req, res) => {
    const slug = optionalStringProp(req.body, 'slug', { max: 60 });
    const created = await createOrganization(s, actorOf(res), {
      name: stringProp(req.body, 'name', { max: 120 }),
      kind: parseOrgKind(isRecord(req.body) ? req.body['kind'] : undefined),
      ...(slug !== undefined ? { slug } : {}),
    });
    res.status(201).json(created);
  });

  r.get('/orgs/:orgId', requireRoleIn('orgId'), async (req, res) => {
    res.json(await getOrganization(s, actorOf(res), org(req.params)));
  });

  r.get('/orgs/:orgId/people', requireRoleIn('orgId', 'orgAdmin'), async (req, res) => {
    res.json({ people: await listPeople(s, actorOf(res), org(req.params)) });
  });

  r.post('/orgs/:orgId/invitations', requireRoleIn('orgId', 'orgAdmin'), async (req, res) => {
    const body: unknown = req.body;
    const learnerType = parseLearnerType(isRecord(body) ? body['learnerType'] : undefined);
    const created = await inviteToOrganization(s, actorOf(res), {
      orgId: org(req.params),
      email: stringProp(body, 'email', { max: 254 }),
      roles: parseRoles(isRecord(body) ? body['roles'] : undefined),
      ...(learnerType !== undefined ? { learnerType } : {}),
    });
    const inv = created.invitation;
    // The link went by mail to the invited address only (issue 11): the inviter never sees it.
    res.status(201).json({
      delivery: created.delivery,
      email: inv.email,
      roles: inv.roles,
      ...(inv.learnerType !== undefined ? { learnerType: inv.learnerType } : {}),
      expiresAt: inv.expiresAt,
    });
  });

  r.get('/orgs/:orgId/invitations', requireRoleIn('orgId', 'orgAdmin'), async (req, res) => {
    res.json({ invitations: await listInvitations(s, actorOf(res), org(req.params)) });
  });

  r.put('/orgs/:orgId/people/:userId/roles/:role', requireRoleIn('orgId', 'orgAdmin'), async (req, res) => {
    const learnerType = parseLearnerType(isRecord(req.body) ? req.body['learnerType'] : undefined);
    const added = await grantRole(s, actorOf(res), {
      orgId: org(req.params),
      userId: param(req.params['userId'], 'userId'),
      role: parseRole(req.params['role']),
      ...(learnerType !== undefined ? { learnerType } : {}),
    });
    res.status(added ? 201 : 200).json({ granted: true, changed: added });
  });

  r.delete('/orgs/:orgId/people/:userId/roles/:role', requireRoleIn('orgId', 'orgAdmin'), async (req, res) => {
    await revokeRole(s, actorOf(res), {
      orgId: org(req.params),
      userId: param(req.params['userId'], 'userId'),
      role: parseRole(req.params['role']),
    });
    res.status(204).end();
  });

  r.get('/orgs/:orgId/credentials', requireRoleIn('orgId', 'orgAdmin'), async (req, res) => {
    res.json({ credentials: await listOrgCredentials(s, actorOf(res), org(req.params)) });
  });

  r.post('/orgs/:orgId/credentials', requireRoleIn('orgId', 'orgAdmin'), async (req, res) => {
    const created = await createOrgCredential(s, actorOf(res), {
      orgId: org(req.params),
      name: stringProp(req.body, 'name', { max: 120 }),
      scopes: parseScopes(isRecord(req.body) ? req.body['scopes'] : undefined),
    });
    res.status(201).json({ ...created, endpoint: `${s.config.publicUrl}/xapi/` });
  });

  r.delete('/orgs/:orgId/credentials/:key', requireRoleIn('orgId', 'orgAdmin'), async (req, res) => {
    await revokeOrgCredential(s, actorOf(res), org(req.params), param(req.params['key'], 'key'));
    res.status(204).end();
  });

  r.get('/orgs/:orgId/audit', requireRoleIn('orgId', 'orgAdmin'), async (req, res) => {
    const limit = limitOf(req.query['limit']);
    res.json({ entries: await listAudit(s, actorOf(res), { orgId: org(req.params), ...(limit !== undefined ? { limit } : {}) }) });
  });

  // The outbox (mail kept when no SMTP server is configured): site administrator only.
  r.get('/admin/outbox', requireSiteAdmin(), async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ delivery: mailerFor(s).delivery, mails: await listOutbox(s, actorOf(res)) });
  });

  r.get('/audit', requireSiteAdmin(), async (req, res) => {
    const limit = limitOf(req.query['limit']);
    res.json({ entries: await listAudit(s, actorOf(res), limit !== undefined ? { limit } : {}) });
  });

  return r;
}
