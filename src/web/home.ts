import type { Router } from 'express';
import { listOrganizations } from '../accounts/service';
import type { AppServices } from '../deps';
import type { Role } from '../store/ports';
import { currentUser, sendPage } from './accounts/render';
import { dashboardView } from './accounts/views/me-views';

/** The home page: signed-out people go to /sign-in; signed-in people see their organizations and roles. */
export function mountHomePage(router: Router, s: AppServices): void {
  router.get('/', async (_req, res) => {
    const user = currentUser(res);
    if (!user) {
      res.redirect(303, '/sign-in');
      return;
    }
    const orgs = (await listOrganizations(s, user))
      .map((org) => ({ org, roles: [...(user.roles.get(org.id) ?? new Set<Role>())] }))
      // The site admin sees every organization in /admin; the dashboard lists their own roles only.
      .filter((o) => o.roles.length > 0);
    sendPage(res, 200, { title: 'Home', body: dashboardView({ name: user.name, isSiteAdmin: user.isSiteAdmin, orgs }) });
  });
}
