import { Router } from 'express';
import { requireRoleIn } from '../accounts/guards';
import { actorOf, param } from '../accounts/api/respond';
import type { AppServices } from '../deps';
import { badRequest } from '../errors';
import { createTarget, deleteTarget, listDeadLetters, listTargets, resendDeadLetters } from './service';

/**
 * Forwarding targets and webhooks of an organization (issue 13), under /api (JSON bodies and CSRF
 * checked by the accounts API): its administrators only (404 for another organization's).
 */
export function forwardingApiRouter(s: AppServices): Router {
  const r = Router();
  const admin = requireRoleIn('orgId', 'orgAdmin');
  const org = (p: Readonly<Record<string, unknown>>): string => param(p['orgId'], 'orgId');
  const target = (p: Readonly<Record<string, unknown>>): string => param(p['targetId'], 'targetId');

  r.get('/orgs/:orgId/forwarding', admin, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ targets: await listTargets(s, org(req.params)) });
  });
  r.post('/orgs/:orgId/forwarding', admin, async (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body must be a JSON object');
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(await createTarget(s, actorOf(res), org(req.params), body as Record<string, unknown>));
  });
  r.delete('/orgs/:orgId/forwarding/:targetId', admin, async (req, res) => {
    await deleteTarget(s, actorOf(res), org(req.params), target(req.params));
    res.status(204).end();
  });
  r.get('/orgs/:orgId/forwarding/:targetId/dead-letters', admin, async (req, res) => {
    res.json({ deadLetters: await listDeadLetters(s, org(req.params), target(req.params)) });
  });
  r.post('/orgs/:orgId/forwarding/:targetId/dead-letters/resend', admin, async (req, res) => {
    res.json(await resendDeadLetters(s, actorOf(res), org(req.params), target(req.params)));
  });
  return r;
}
