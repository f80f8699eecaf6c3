import type { Request, RequestHandler, Response, Router } from 'express';
import { requireCsrf, requireRoleIn, requireUser } from '../../accounts/guards';
import { parseLearnerType, parseRole } from '../../accounts/input';
import { getOrganization, grantRole, inviteToOrganization, listAudit, listInvitations, listPeople, revokeRole } from '../../accounts/service';
import type { AppServices } from '../../deps';
import { badRequest } from '../../errors';
import type { Role } from '../../store/ports';
import { formBody, list, param, text } from './forms';
import { isFormError, sentence } from './page-errors';
import { sendPage, signedIn } from './render';
import { auditView } from './views/admin-views';
import { orgHeader, orgPeopleView, type OrgPageData } from './views/org-views';

function orgIdOf(req: Request): string {
  return param(req, 'orgId');
}

type Extra = Partial<Pick<OrgPageData, 'invite' | 'roleError' | 'invitationSent'>>;

/** The people page of one organization, with the state of a form that just failed or succeeded. */
async function sendPeoplePage(s: AppServices, res: Response, orgId: string, status: number, extra: Extra = {}): Promise<void> {
  const user = signedIn(res);
  const org = await getOrganization(s, user, orgId);
  const [people, invitations] = await Promise.all([listPeople(s, user, orgId), listInvitations(s, user, orgId)]);
  sendPage(res, status, {
    title: `${org.name}: people`,
    body: orgPeopleView({ org, people, invitations, csrf: user.csrfToken, now: s.now(), ...extra }),
  });
}

/**
 * /admin/orgs/:orgId (people, roles, invitations) and /admin/orgs/:orgId/audit, for the
 * organization's administrators and the site admin. Twins: /api/orgs/:orgId/people,
 * /api/orgs/:orgId/invitations, /api/orgs/:orgId/audit.
 */
export function mountOrgPages(router: Router, s: AppServices, form: RequestHandler): void {
  const orgAdmin = [requireUser(), requireRoleIn('orgId', 'orgAdmin')];

  router.get('/admin/orgs/:orgId', ...orgAdmin, async (req, res) => sendPeoplePage(s, res, orgIdOf(req), 200));

  router.post('/admin/orgs/:orgId/invitations', ...orgAdmin, form, requireCsrf(), async (req, res) => {
    const orgId = orgIdOf(req);
    const f = formBody(req);
    const email = text(f, 'email').trim();
    const roles = list(f, 'roles');
    const learnerTypeRaw = text(f, 'learnerType');
    try {
      if (roles.length === 0) throw badRequest('roles: choose at least one role');
      const learnerType = parseLearnerType(learnerTypeRaw);
      const created = await inviteToOrganization(s, signedIn(res), { orgId, email, roles: roles as Role[], ...(learnerType ? { learnerType } : {}) });
      // The link went by mail to the invited address; the page says only where (issue 11).
      await sendPeoplePage(s, res, orgId, 201, { invitationSent: { email: created.invitation.email, delivery: created.delivery } });
    } catch (err) {
      if (!isFormError(err)) throw err;
      await sendPeoplePage(s, res, orgId, err.status, { invite: { email, roles, learnerType: learnerTypeRaw, error: sentence(err.message) } });
    }
  });

  router.post('/admin/orgs/:orgId/people/:userId/roles', ...orgAdmin, form, requireCsrf(), async (req, res) => {
    const orgId = orgIdOf(req);
    const f = formBody(req);
    try {
      const learnerType = parseLearnerType(text(f, 'learnerType'));
      await grantRole(s, signedIn(res), { orgId, userId: param(req, 'userId'), role: parseRole(text(f, 'role')), ...(learnerType ? { learnerType } : {}) });
      res.redirect(303, `/admin/orgs/${encodeURIComponent(orgId)}`);
    } catch (err) {
      if (!isFormError(err)) throw err;
      await sendPeoplePage(s, res, orgId, err.status, { roleError: sentence(err.message) });
    }
  });

  router.post('/admin/orgs/:orgId/people/:userId/roles/revoke', ...orgAdmin, form, requireCsrf(), async (req, res) => {
    const orgId = orgIdOf(req);
    try {
      await revokeRole(s, signedIn(res), { orgId, userId: param(req, 'userId'), role: parseRole(text(formBody(req), 'role')) });
      res.redirect(303, `/admin/orgs/${encodeURIComponent(orgId)}`);
    } catch (err) {
      if (!isFormError(err)) throw err;
      await sendPeoplePage(s, res, orgId, err.status, { roleError: sentence(err.message) });
    }
  });

  router.get('/admin/orgs/:orgId/audit', ...orgAdmin, async (req, res) => {
    const user = signedIn(res);
    const orgId = orgIdOf(req);
    const org = await getOrganization(s, user, orgId);
    const entries = await listAudit(s, user, { orgId, limit: 200 });
    sendPage(res, 200, { title: `${org.name}: audit log`, body: [orgHeader(org, 'audit', 'audit log'), auditView({ title: 'Administrative actions', entries, level: 2 })] });
  });
}
