import { Router } from 'express';
import { aboutRouter } from './about';
import { basicAuthMiddleware } from './auth/basic-auth';
import type { XapiDeps } from './deps';
import { documentsRouter } from './documents/routes';
import { alternateSyntaxMiddleware } from './http/alternate-syntax';
import { corsMiddleware } from './http/cors';
import { versionMiddleware } from './http/version';
import { statementsRouter } from './statements/routes';

/**
 * The LRS, mounted at /xapi. Order matters: CORS preflight first (browsers send it bare), then
 * the alternate request syntax (it may carry the version and auth headers in its form body),
 * /about (open), version negotiation, authentication, and the resources.
 */
export function createXapiRouter(deps: XapiDeps): Router {
  const router = Router({ caseSensitive: false });
  router.use(corsMiddleware());
  router.use(alternateSyntaxMiddleware(deps));
  router.use(aboutRouter());
  router.use(versionMiddleware());
  router.use(basicAuthMiddleware(deps.credentials));
  router.use(statementsRouter(deps));
  router.use(documentsRouter(deps));
  return router;
}
