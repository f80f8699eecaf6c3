import type { Router } from 'express';
import { requireUser } from '../../accounts/guards';
import { getOrganization } from '../../accounts/service';
import { heatCell, heatMap, parseHeatQuery, providerGaps } from '../../careers/heat-map';
import { listUnits } from '../../careers/teams';
import type { AppServices } from '../../deps';
import { badRequest } from '../../errors';
import { param } from '../accounts/forms';
import { sendPage, signedIn } from '../accounts/render';
import { heatCellView, heatMapView, providerGapsView } from './heat-views';

/** /orgs/:orgId/heat-map, its cells, and a provider's /orgs/:orgId/member-gaps. Twins under /api. */
export function mountHeatPages(router: Router, s: AppServices): void {
  router.get('/orgs/:orgId/heat-map', requireUser(), async (req, res) => {
    const user = signedIn(res);
    const orgId = param(req, 'orgId');
    const org = await getOrganization(s, user, orgId);
    const query = parseHeatQuery(req.query as Record<string, unknown>);
    const map = await heatMap(s, user, orgId, query);
    const roles = (await s.store.careers.findRoleProfiles({ orgId })).map((p) => ({ id: p.id, name: p.name }));
    const units = (await listUnits(s, user, orgId)).map((u) => ({ id: u.id, path: u.path }));
    sendPage(res, 200, { title: 'Competency gaps', body: heatMapView({ org, map, query, roles, units }) });
  });
  router.get('/orgs/:orgId/heat-map/cell', requireUser(), async (req, res) => {
    const user = signedIn(res);
    const orgId = param(req, 'orgId');
    const org = await getOrganization(s, user, orgId);
    const q = parseHeatQuery({ ...(req.query as Record<string, unknown>), by: 'people' });
    const competencyId = typeof req.query['competencyId'] === 'string' ? req.query['competencyId'] : '';
    if (competencyId === '') throw badRequest('competencyId is needed');
    const cell = await heatCell(s, user, orgId, { competencyId, ...(q.profileId ? { profileId: q.profileId } : {}), ...(q.unitId ? { unitId: q.unitId } : {}) });
    sendPage(res, 200, { title: cell.competency.name, body: heatCellView({ org, cell }) });
  });
  router.get('/orgs/:orgId/member-gaps', requireUser(), async (req, res) => {
    const user = signedIn(res);
    const orgId = param(req, 'orgId');
    const org = await getOrganization(s, user, orgId);
    sendPage(res, 200, { title: 'Gaps across member organizations', body: providerGapsView({ org, gaps: await providerGaps(s, user, orgId) }) });
  });
}
