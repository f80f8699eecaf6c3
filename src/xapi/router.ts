import { Router, type RequestHandler } from 'express';
import { aboutRouter } from './about';
import { basicAuthMiddleware } from './auth/basic-auth';
import { createLaunchTokenAuth, type LaunchTokenAuth } from './auth/launch-auth';
import type { XapiDeps } from './deps';
import { documentsRouter } from './documents/routes';
import { alternateSyntaxMiddleware } from './http/alternate-syntax';
import { corsMiddleware } from './http/cors';
import { methodGuard } from './http/method-guard';
import { versionMiddleware } from './http/version';
import { statementsRouter } from './statements/routes';

/**
 * Every GET/HEAD /statements answer carries X-Experience-API-Consistent-Through, errors included
 * (a request without version header or credentials too), so it is set before those checks.
 */
function consistentThroughMiddleware(deps: XapiDeps): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    deps.store.statements.findConsistentThrough().then((at) => {
      res.setHeader('X-Experience-API-Consistent-Through', at);
      next();
    }, next);
  };
}

/**
 * The LRS, mounted at /xapi. Order matters: CORS preflight first (browsers send it bare), then
 * the alternate request syntax (it may carry the version and auth headers in its form body),
 * /about (open), version negotiation, authentication, and the resources.
 */
export function createXapiRouter(deps: XapiDeps, launch: LaunchTokenAuth = createLaunchTokenAuth(deps)): Router {
  const router = Router({ caseSensitive: false });
  router.use(corsMiddleware());
  router.use(alternateSyntaxMiddleware(deps));
  router.use(aboutRouter());
  router.use('/statements', consistentThroughMiddleware(deps));
  router.use(versionMiddleware());
  router.use(methodGuard());
  router.use(basicAuthMiddleware(deps.credentials, launch));
  router.use(statementsRouter(deps));
  router.use(documentsRouter(deps));
  return router;
}
