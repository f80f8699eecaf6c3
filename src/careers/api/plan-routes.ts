import { Router } from 'express';
import { requireUser } from '../../accounts/guards';
import { actorOf, param } from '../../accounts/api/respond';
import type { AppServices } from '../../deps';
import { addPlanItem, compare, getPlan, removePlanItem, setTargetRole, sharePlan } from '../plans';

/**
 * Career plans (mounted under /api):
 *   GET    /orgs/:orgId/career-plan                     my plan, measured now
 *   PUT    /orgs/:orgId/career-plan/target              {profileId}
 *   POST   /orgs/:orgId/career-plan/items               {entryId, competencyId?, targetDate?}
 *   DELETE /orgs/:orgId/career-plan/items/:itemId
 *   PUT    /orgs/:orgId/career-plan/share               {shared}
 *   GET    /orgs/:orgId/career-plan/compare?a=me|profileId&b=profileId
 *   GET    /orgs/:orgId/people/:userId/career-plan      a shared plan, for the person's manager
 */
export function planApiRouter(s: AppServices): Router {
  const r = Router();
  const org = (p: Readonly<Record<string, unknown>>): string => param(p['orgId'], 'orgId');
  r.get('/orgs/:orgId/career-plan', requireUser(), async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await getPlan(s, actorOf(res), org(req.params)));
  });
  r.put('/orgs/:orgId/career-plan/target', requireUser(), async (req, res) => {
    res.json(await setTargetRole(s, actorOf(res), org(req.params), req.body));
  });
  r.post('/orgs/:orgId/career-plan/items', requireUser(), async (req, res) => {
    res.status(201).json(await addPlanItem(s, actorOf(res), org(req.params), req.body));
  });
  r.delete('/orgs/:orgId/career-plan/items/:itemId', requireUser(), async (req, res) => {
    await removePlanItem(s, actorOf(res), org(req.params), param(req.params['itemId'], 'itemId'));
    res.status(204).end();
  });
  r.put('/orgs/:orgId/career-plan/share', requireUser(), async (req, res) => {
    res.json(await sharePlan(s, actorOf(res), org(req.params), req.body));
  });
  r.get('/orgs/:orgId/career-plan/compare', requireUser(), async (req, res) => {
    const q = (n: string): string => (typeof req.query[n] === 'string' ? (req.query[n] as string) : '');
    res.set('Cache-Control', 'no-store').json(await compare(s, actorOf(res), org(req.params), q('a') || 'me', q('b')));
  });
  r.get('/orgs/:orgId/people/:userId/career-plan', requireUser(), async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await getPlan(s, actorOf(res), org(req.params), param(req.params['userId'], 'userId')));
  });
  return r;
}
