/**
 * HTTP surface of the xAPI/cmi5 player slices and the progress projection (app origin):
 * - POST /cmi5/fetch/:sessionId?k=...  the cmi5 fetch URL (called from the content origin; CORS *,
 *   no cookie: the secret in the URL is the capability);
 * - POST /api/registrations/:id/aus/:auId/waive  an organization administrator waives an AU;
 * - GET  /api/progress?course=<id>[&learners=all]  the progress projection.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { jsonBody } from '../../http/json-body';
import { asyncRoute, requireCsrf, requireUser, userOf } from '../../accounts/guards';
import type { AppServices } from '../../deps';
import { fetchAuthToken, waiveAu } from '../cmi5/service';
import { listProgress } from './service';

const run = asyncRoute;

export function playerFormatsRouter(s: AppServices): Router {
  const router = Router();
  const cors = (_req: Request, res: Response, next: NextFunction): void => {
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Access-Control-Allow-Methods', 'POST');
    res.set('Access-Control-Allow-Headers', 'Content-Type');
    res.set('Cache-Control', 'no-store');
    next();
  };
  router.options('/cmi5/fetch/:sessionId', cors, (_req, res) => {
    res.status(204).end();
  });
  router.post('/cmi5/fetch/:sessionId', cors, run(async (req, res) => {
    const k = req.query['k'];
    res.status(200).json(await fetchAuthToken(s, String(req.params['sessionId']), typeof k === 'string' ? k : undefined));
  }));
  router.post('/api/registrations/:registrationId/aus/:auId/waive', jsonBody({ limit: '16kb' }), requireUser(), requireCsrf(), run(async (req, res) => {
    const result = await waiveAu(s, userOf(res), String(req.params['registrationId']), String(req.params['auId']), req.body);
    res.status(201).json(result);
  }));
  router.get('/api/progress', requireUser(), run(async (req, res) => {
    res.set('Cache-Control', 'no-store').json({ progress: await listProgress(s, userOf(res), req.query) });
  }));
  return router;
}
