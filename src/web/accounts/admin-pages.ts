import type { RequestHandler, Router } from 'express';
import { requireCsrf, requireSiteAdmin, requireUser } from '../../accounts/guards';
import { createOrganization, listAudit, listOrganizations } from '../../accounts/service';
import type { AppServices } from '../../deps';
import type { OrgKind } from '../../store/ports';
import { forbidden } from '../../errors';
import { formBody, text } from './forms';
import { isFormError, sentence } from './page-errors';
import { sendPage, signedIn } from './render';
import { adminHomeView, auditView, type OrgFormState } from './views/admin-views';
import { outboxView } from './views/outbox-views';
import { listOutbox } from '../../accounts/mail/outbox';
import { mailerFor } from '../../accounts/mail/mailer';

/**
 * /admin (organizations: all for the site admin, their own for an org admin), POST /admin/orgs
 * (create, site admin), /admin/audit and /admin/outbox (site admin). Twins: /api/orgs, /api/audit
 * and /api/admin/outbox.
 */
export function mountAdminPages(router: Router, s: AppServices, form: RequestHandler): void {
  const adminHome = async (res: Parameters<RequestHandler>[1], status: number, f?: OrgFormState): Promise<void> => {
    const user = signedIn(res);
    const orgs = await listOrganizations(s, user);
    const administered = user.isSiteAdmin ? orgs : orgs.filter((o) => user.roles.get(o.id)?.has('orgAdmin'));
    // A person who administers nothing has no business here: say so instead of an empty page.
    if (!user.isSiteAdmin && administered.length === 0) throw forbidden('administration needs the organization administrator role or the site administrator');
    sendPage(res, status, { title: 'Administration', body: adminHomeView({ orgs: administered, isSiteAdmin: user.isSiteAdmin, csrf: user.csrfToken, ...(f ? { form: f } : {}) }) });
  };

  router.get('/admin', requireUser(), async (_req, res) => adminHome(res, 200));

  router.post('/admin/orgs', requireUser(), form, requireCsrf(), requireSiteAdmin(), async (req, res) => {
    const f = formBody(req);
    const name = text(f, 'name');
    const slug = text(f, 'slug').trim();
    const kind = text(f, 'kind') || 'both';
    try {
      const org = await createOrganization(s, signedIn(res), { name, kind: kind as OrgKind, ...(slug ? { slug } : {}) });
      res.redirect(303, `/admin/orgs/${encodeURIComponent(org.id)}`);
    } catch (err) {
      if (!isFormError(err)) throw err;
      await adminHome(res, err.status, { name, slug, kind, error: sentence(err.message) });
    }
  });

  router.get('/admin/audit', requireUser(), requireSiteAdmin(), async (_req, res) => {
    const entries = await listAudit(s, signedIn(res), { limit: 200 });
    sendPage(res, 200, { title: 'Audit log', body: auditView({ title: 'Audit log of the whole site', entries, back: { href: '/admin', label: 'Administration' } }) });
  });

  router.get('/admin/outbox', requireUser(), requireSiteAdmin(), async (_req, res) => {
    const mails = await listOutbox(s, signedIn(res));
    sendPage(res, 200, { title: 'Outbox', body: outboxView({ mails, delivery: mailerFor(s).delivery }) });
  });
}
