import { Router } from 'express';
import { jsonBody } from '../http/json-body';
import type { AppServices } from '../deps';
import { unsupportedMediaType } from '../errors';
import { accountPagesRouter } from '../web/accounts/router';
import { orgApiRouter } from './api/org-routes';
import { sessionApiRouter } from './api/session-routes';
import { boundariesRouter } from './boundaries-routes';
import { requireCsrf } from './guards';
import { sameOriginOnly } from './presession';
import { pipelineApiRouter } from '../web/accounts/pipeline-pages';
import { forwardingApiRouter } from '../forwarding/routes';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const PUBLIC_WRITES = /^\/(session|password-reset(\/[^/]+)?|invitations\/[^/]+|email-verification\/[^/]+)\/?$/;

/**
 * Accounts: the JSON API under /api (session, me, password reset, invitations, organizations,
 * people, roles, credentials, audit) and the account pages (src/web/accounts/router.ts).
 */
export function accountsRouter(services: AppServices): Router {
  const router = Router();
  const api = Router();
  api.use(jsonBody({ limit: '64kb', type: ['application/json', 'application/*+json'] }));
  // Writes with a body must be JSON: a cross-site form cannot send it without a CORS preflight.
  api.use((req, _res, next) => {
    const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
    if (WRITES.has(req.method) && hasBody && !req.is(['application/json', 'application/*+json'])) {
      next(unsupportedMediaType('the accounts API accepts only application/json request bodies'));
      return;
    }
    next();
  });
  // Every cookie-authenticated write needs the CSRF token; the writes that work without a session
  // (sign-in, password reset, invitation acceptance, email confirmation) are JSON-only instead,
  // and refused when the browser says they come from another site (login CSRF, issue 11).
  const csrf = requireCsrf();
  const sameOrigin = sameOriginOnly(services.config);
  api.use((req, res, next) => (req.method === 'POST' && PUBLIC_WRITES.test(req.path) ? sameOrigin(req, res, next) : csrf(req, res, next)));
  api.use(sessionApiRouter(services));
  api.use(orgApiRouter(services));
  // Issue 13: the statement pipeline's status and rebuild (site administrator).
  api.use(pipelineApiRouter(services));
  // Issue 13: statement forwarding targets and webhooks (organization administrators).
  api.use(forwardingApiRouter(services));
  router.use('/api', api);
  // Issue 4 data boundaries: GET /api/me/records, POST /api/admin/people/:userId/erase.
  router.use(boundariesRouter(services));
  router.use(accountPagesRouter(services));
  return router;
}
