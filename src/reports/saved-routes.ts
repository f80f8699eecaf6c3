/**
 * Saved reports (issue 16 item 6): a report's filters saved under a name, shared with the
 * organization's analysts. Scoped like every report: another organization's id is 404, a role
 * there other than analyst 403 (roleError), a saved report of another organization 404.
 *
 * - GET    /api/reports/saved?org=ID       the organization's saved reports
 * - POST   /api/reports/saved              { org, name, report, params } → 201 with the saved report
 * - GET    /api/reports/saved/:id?org=ID   one saved report
 * - DELETE /api/reports/saved/:id?org=ID   deletes it (204)
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { requireCsrf, requireUser, userOf } from '../accounts/guards';
import { notFound } from '../errors';
import { jsonBody } from '../http/json-body';
import { createSavedReport, deleteSavedReport, savedOrgOf } from './saved';
import type { ReportDeps } from './service';

type Handler = (req: Request, res: Response) => Promise<void>;
const run = (h: Handler) => (req: Request, res: Response, next: NextFunction): void => { h(req, res).catch(next); };

export function savedReportsRouter(deps: Pick<ReportDeps, 'store'> & { readonly now: () => Date }): Router {
  const router = Router();
  const reports = deps.store.reports;
  router.get('/api/reports/saved', requireUser(), run(async (req, res) => {
    const org = savedOrgOf(userOf(res), req.query['org']);
    res.json({ saved: await reports.listSavedReports(org) });
  }));
  router.post('/api/reports/saved', jsonBody({ limit: '32kb' }), requireUser(), requireCsrf(), run(async (req, res) => {
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const saved = await createSavedReport(deps.store, userOf(res), deps.now(), { org: body['org'], name: body['name'], report: body['report'], params: body['params'] });
    res.status(201).json(saved);
  }));
  router.get('/api/reports/saved/:id', requireUser(), run(async (req, res) => {
    const org = savedOrgOf(userOf(res), req.query['org']);
    const saved = await reports.getSavedReport(org, String(req.params['id']));
    if (!saved) throw notFound('no such saved report');
    res.json(saved);
  }));
  router.delete('/api/reports/saved/:id', requireUser(), requireCsrf(), run(async (req, res) => {
    await deleteSavedReport(deps.store, userOf(res), req.query['org'], String(req.params['id']));
    res.status(204).end();
  }));
  return router;
}
