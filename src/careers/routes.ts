import { Router } from 'express';
import { requireCsrf } from '../accounts/guards';
import type { AppServices } from '../deps';
import { unsupportedMediaType } from '../errors';
import { jsonBody } from '../http/json-body';
import { careerPagesRouter } from '../web/careers/router';
import { goalApiRouter } from './api/goal-routes';
import { heatApiRouter } from './api/heat-routes';
import { planApiRouter } from './api/plan-routes';
import { profileApiRouter } from './api/profile-routes';
import { registerCareersExtensions } from './extensions';
import { teamApiRouter } from './api/team-routes';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Careers (issue 15): units and managers, role profiles, organizational goals. The JSON API under
 * /api (JSON bodies only, every write echoes the session's CSRF token) and the pages
 * (src/web/careers), both calling the same services.
 */
export function careersRouter(s: AppServices): Router {
  registerCareersExtensions();
  const router = Router();
  const api = Router();
  api.use(jsonBody({ limit: '256kb', type: ['application/json', 'application/*+json'] }));
  api.use((req, _res, next) => {
    const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
    if (WRITES.has(req.method) && hasBody && !req.is(['application/json', 'application/*+json'])) {
      next(unsupportedMediaType('the careers API accepts only application/json request bodies'));
      return;
    }
    next();
  });
  api.use(requireCsrf());
  api.use(teamApiRouter(s));
  api.use(profileApiRouter(s));
  api.use(goalApiRouter(s));
  api.use(planApiRouter(s));
  api.use(heatApiRouter(s));
  router.use('/api', api);
  router.use(careerPagesRouter(s));
  return router;
}
