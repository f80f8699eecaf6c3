import { Router } from 'express';
import { requireUser } from '../../accounts/guards';
import { actorOf, param } from '../../accounts/api/respond';
import type { AppServices } from '../../deps';
import { badRequest } from '../../errors';
import { requireOrganization } from '../../accounts/organizations';
import { heatCell, heatMap, heatMapCsv, parseHeatQuery, providerGaps } from '../heat-map';
import { heatMapPng } from '../heat-map-image';

/**
 * The gap heat map (mounted under /api):
 *   GET /orgs/:orgId/heat-map[.csv|.png]?by=roles|units|people&profileId=&unitId=   administrators, managers (their units)
 *   GET /orgs/:orgId/heat-map/cell?competencyId=&profileId=&unitId=          a cell's people and learning
 *   GET /orgs/:orgId/member-gaps                                             a provider: aggregated gaps of member organizations
 */
export function heatApiRouter(s: AppServices): Router {
  const r = Router();
  const org = (p: Readonly<Record<string, unknown>>): string => param(p['orgId'], 'orgId');
  r.get('/orgs/:orgId/heat-map', requireUser(), async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await heatMap(s, actorOf(res), org(req.params), parseHeatQuery(req.query)));
  });
  r.get('/orgs/:orgId/heat-map.csv', requireUser(), async (req, res) => {
    const m = await heatMap(s, actorOf(res), org(req.params), parseHeatQuery(req.query));
    res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="competency-gaps-${m.by}.csv"`).set('Cache-Control', 'no-store').send(heatMapCsv(m));
  });
  r.get('/orgs/:orgId/heat-map.png', requireUser(), async (req, res) => {
    const orgId = org(req.params);
    const m = await heatMap(s, actorOf(res), orgId, parseHeatQuery(req.query));
    const name = (await requireOrganization(s, orgId)).name;
    const png = heatMapPng(m, `${name}: competency gaps by ${m.by === 'people' ? 'person' : m.by === 'roles' ? 'role' : 'unit'}`);
    res.type('image/png').set('Content-Disposition', `attachment; filename="competency-gaps-${m.by}.png"`).set('Cache-Control', 'no-store').send(png);
  });
  r.get('/orgs/:orgId/heat-map/cell', requireUser(), async (req, res) => {
    const q = parseHeatQuery({ ...req.query, by: 'people' });
    const competencyId = typeof req.query['competencyId'] === 'string' ? req.query['competencyId'] : '';
    if (competencyId === '') throw badRequest('competencyId is needed');
    res.set('Cache-Control', 'no-store').json(await heatCell(s, actorOf(res), org(req.params), { competencyId, ...(q.profileId ? { profileId: q.profileId } : {}), ...(q.unitId ? { unitId: q.unitId } : {}) }));
  });
  r.get('/orgs/:orgId/member-gaps', requireUser(), async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await providerGaps(s, actorOf(res), org(req.params)));
  });
  return r;
}
