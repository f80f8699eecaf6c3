/**
 * Attainment through a provider's courses across organizations (provider-attainment.ts): the
 * JSON twin, CSV and chart of /reports/provider-competencies. Access: the provider's lens
 * (access.ts, view "courses"): its analysts and the site administrator; a member organization's
 * analyst 403, an organization the viewer has no role in 404.
 *
 * - GET /api/reports/provider-competencies?org&from&to            JSON
 * - GET /api/reports/provider-competencies.csv?org&from&to        one row per competency and organization (and overall)
 * - GET /api/reports/provider-competencies/chart.svg?org&from&to  the chart (image/svg+xml)
 */
import { Router, type Request } from 'express';
import { stringify } from 'csv-stringify/sync';
import { requireUser, userOf } from '../accounts/guards';
import type { UserContext } from '../accounts/user-context';
import { safeCell } from '../careers/role-profiles-csv';
import type { AppServices } from '../deps';
import { forbidden } from '../errors';
import { resolveLens, type ReportLens } from './access';
import { renderChartSvg } from './charts';
import { parseCompetencyQuery } from './competencies';
import { buildProviderAttainment, providerAttainmentChart, type ProviderAttainment } from './provider-attainment';
import { sendCsv, sendSvg } from './routes';

/** The provider lens of a request (`org`; without it the viewer's first provider organization). */
export async function providerLens(s: Pick<AppServices, 'store'>, user: UserContext, q: Record<string, unknown>): Promise<ReportLens & { readonly orgId: string }> {
  const orgId = typeof q['org'] === 'string' && q['org'] !== '' ? q['org'] : undefined;
  const lens = resolveLens(user, await s.store.accounts.findOrganizations(), { ...(orgId ? { orgId } : {}), view: 'courses' });
  if (lens.orgId === undefined) throw forbidden('this report is about a provider organization\'s courses');
  return lens as ReportLens & { readonly orgId: string };
}

/** The report for a request (org, from, to). */
export async function providerAttainmentFor(s: AppServices, user: UserContext, q: Record<string, unknown>): Promise<ProviderAttainment> {
  const lens = await providerLens(s, user, q);
  const { from, to } = parseCompetencyQuery({ from: q['from'], to: q['to'] }, s.now());
  return buildProviderAttainment(s, lens, { from, to });
}

export const PROVIDER_ATTAINMENT_CSV_COLUMNS = ['framework', 'code', 'competency', 'identifier', 'organization_id', 'organization', 'suppressed', 'people'];

/** One row per competency: overall, each organization shown, and the other organizations summed. */
export function providerAttainmentCsv(r: ProviderAttainment): string {
  const rows = r.competencies.flatMap((c) => {
    const base = [safeCell(c.framework), safeCell(c.code ?? ''), safeCell(c.name), c.identifier];
    const line = (orgId: string, org: string, x: { suppressed: boolean; people: number | null }): (string | number)[] => [...base, orgId, safeCell(org), x.suppressed ? 'yes' : 'no', x.people ?? ''];
    return [
      line('', 'All organizations', c.overall),
      ...c.byOrganization.map((o) => line(o.orgId, o.orgName, o)),
      ...(c.otherOrganizations ? [line('', `Other organizations (${c.otherOrganizations.organizations})`, c.otherOrganizations)] : []),
    ];
  });
  return stringify(rows, { header: true, columns: PROVIDER_ATTAINMENT_CSV_COLUMNS });
}

export function providerAttainmentApiRouter(s: AppServices): Router {
  const router = Router();
  const q = (req: Request): Record<string, unknown> => req.query as Record<string, unknown>;
  router.get('/api/reports/provider-competencies', requireUser(), async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await providerAttainmentFor(s, userOf(res), q(req)));
  });
  router.get('/api/reports/provider-competencies.csv', requireUser(), async (req, res) => {
    const r = await providerAttainmentFor(s, userOf(res), q(req));
    sendCsv(res, `provider-competencies-${r.providerOrgId}-${r.from}-${r.to}.csv`, providerAttainmentCsv(r));
  });
  router.get('/api/reports/provider-competencies/chart.svg', requireUser(), async (req, res) => {
    sendSvg(res, renderChartSvg(providerAttainmentChart(await providerAttainmentFor(s, userOf(res), q(req)))));
  });
  return router;
}
