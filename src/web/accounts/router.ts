import express, { Router } from 'express';
import type { AppServices } from '../../deps';
import { mountHomePage } from '../home';
import { mountAdminPages } from './admin-pages';
import { mountCredentialPages } from './credential-pages';
import { mountLinkPages } from './link-pages';
import { mountMePages } from './me-pages';
import { mountOrgPages } from './org-pages';
import { mountPipelinePages } from './pipeline-pages';
import { mountForwardingPages } from './forwarding-pages';
import { pageErrorHandler } from './page-errors';
import { mountSignInPages } from './sign-in-pages';
import { requirePresessionToken, sameOriginOnly } from '../../accounts/presession';

/**
 * The server-rendered account pages: home, sign-in/out, invitations, password reset,
 * administration (organizations, people, roles, invitations, LRS credentials, audit) and /me.
 * Every page calls the accounts service (src/accounts/service.ts), like its JSON twin under
 * /api, so both follow the same rules. Mounted by accountsRouter after the session middleware.
 */
export function accountPagesRouter(services: AppServices): Router {
  const router = Router();
  // Forms are small; parsed only on the routes that take one (never on /api or /xapi requests).
  const form = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 100 });
  // Forms that work without a session (login CSRF, issue 11): the browser's origin headers are
  // checked before the body is read, the pre-session token after.
  const publicForm = [sameOriginOnly(services.config), form, requirePresessionToken(services.config)];

  mountHomePage(router, services);
  mountSignInPages(router, services, form, publicForm);
  mountLinkPages(router, services, publicForm);
  mountAdminPages(router, services, form);
  mountPipelinePages(router, services, form);
  mountForwardingPages(router, services, form);
  mountOrgPages(router, services, form);
  mountCredentialPages(router, services, form);
  mountMePages(router, services, form);

  router.use(pageErrorHandler());
  return router;
}
