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
import { randomUUID } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { roleError } from '../accounts/access';
import { requireCsrf, requireUser, userOf } from '../accounts/guards';
import type { UserContext } from '../accounts/user-context';
import { badRequest, notFound } from '../errors';
import { jsonBody } from '../http/json-body';
import type { SavedReport } from '../store/ports';
import type { ReportDeps } from './service';

const REPORTS = new Set(['overview', 'courses', 'statements', 'people', 'competencies']);

/** The organization asked for, after checking the viewer is its analyst (or the site administrator). */
function orgOf(user: UserContext, raw: unknown): string {
  if (typeof raw !== 'string' || raw === '') throw badRequest('org is required');
  const err = roleError(user, raw, ['analyst']);
  if (err) throw err;
  return raw;
}

function parseParams(raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest('params must be an object of strings');
  const out: Record<string, string> = {};
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > 50) throw badRequest('at most 50 params');
  for (const [k, v] of entries) {
    if (typeof v !== 'string' || k.length > 100 || v.length > 2000) throw badRequest(`param ${k} must be a string of at most 2000 characters`);
    out[k] = v;
  }
  return out;
}

type Handler = (req: Request, res: Response) => Promise<void>;
const run = (h: Handler) => (req: Request, res: Response, next: NextFunction): void => { h(req, res).catch(next); };

export function savedReportsRouter(deps: Pick<ReportDeps, 'store'> & { readonly now: () => Date }): Router {
  const router = Router();
  const reports = deps.store.reports;
  router.get('/api/reports/saved', requireUser(), run(async (req, res) => {
    const org = orgOf(userOf(res), req.query['org']);
    res.json({ saved: await reports.listSavedReports(org) });
  }));
  router.post('/api/reports/saved', jsonBody({ limit: '32kb' }), requireUser(), requireCsrf(), run(async (req, res) => {
    const user = userOf(res);
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const org = orgOf(user, body['org']);
    const name = typeof body['name'] === 'string' ? body['name'].trim() : '';
    if (name === '' || name.length > 200) throw badRequest('name must be 1 to 200 characters');
    const report = body['report'];
    if (typeof report !== 'string' || !REPORTS.has(report)) throw badRequest(`report must be one of ${[...REPORTS].join(', ')}`);
    const saved: SavedReport = {
      id: randomUUID(), orgId: org, name, report, params: parseParams(body['params']), createdBy: user.userId, createdAt: deps.now().toISOString(),
    };
    await reports.putSavedReport(saved);
    res.status(201).json(saved);
  }));
  router.get('/api/reports/saved/:id', requireUser(), run(async (req, res) => {
    const org = orgOf(userOf(res), req.query['org']);
    const saved = await reports.getSavedReport(org, String(req.params['id']));
    if (!saved) throw notFound('no such saved report');
    res.json(saved);
  }));
  router.delete('/api/reports/saved/:id', requireUser(), requireCsrf(), run(async (req, res) => {
    const org = orgOf(userOf(res), req.query['org']);
    if (!(await reports.deleteSavedReport(org, String(req.params['id'])))) throw notFound('no such saved report');
    res.status(204).end();
  }));
  return router;
}
