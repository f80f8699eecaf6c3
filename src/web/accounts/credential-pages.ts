import type { RequestHandler, Response, Router } from 'express';
import { requireCsrf, requireRoleIn, requireUser } from '../../accounts/guards';
import { createOrgCredential, getOrganization, listOrgCredentials, revokeOrgCredential } from '../../accounts/service';
import type { AppServices } from '../../deps';
import { formBody, list, param, text } from './forms';
import { isFormError, sentence } from './page-errors';
import { sendPage, signedIn } from './render';
import { credentialCreatedView, credentialsView, type CredentialFormState } from './views/credential-views';

async function sendCredentialsPage(s: AppServices, res: Response, orgId: string, status: number, form?: CredentialFormState): Promise<void> {
  const user = signedIn(res);
  const org = await getOrganization(s, user, orgId);
  const credentials = await listOrgCredentials(s, user, orgId);
  sendPage(res, status, { title: `${org.name}: LRS credentials`, body: credentialsView({ org, credentials, csrf: user.csrfToken, ...(form ? { form } : {}) }) });
}

/**
 * /admin/orgs/:orgId/credentials: list, create (the secret is shown once, on the response of
 * the POST), revoke. Twin: /api/orgs/:orgId/credentials.
 */
export function mountCredentialPages(router: Router, s: AppServices, form: RequestHandler): void {
  const orgAdmin = [requireUser(), requireRoleIn('orgId', 'orgAdmin')];

  router.get('/admin/orgs/:orgId/credentials', ...orgAdmin, async (req, res) => sendCredentialsPage(s, res, param(req, 'orgId'), 200));

  router.post('/admin/orgs/:orgId/credentials', ...orgAdmin, form, requireCsrf(), async (req, res) => {
    const orgId = param(req, 'orgId');
    const f = formBody(req);
    const name = text(f, 'name');
    const scopes = list(f, 'scopes');
    try {
      const user = signedIn(res);
      const created = await createOrgCredential(s, user, { orgId, name, scopes });
      const org = await getOrganization(s, user, orgId);
      sendPage(res, 201, { title: `${org.name}: new LRS credential`, body: credentialCreatedView({ org, created, endpoint: `${s.config.publicUrl.replace(/\/$/, '')}/xapi/` }) });
    } catch (err) {
      if (!isFormError(err)) throw err;
      const message = scopes.length === 0 ? 'Choose at least one scope.' : sentence(err.message);
      await sendCredentialsPage(s, res, orgId, err.status, { name, scopes, error: message });
    }
  });

  router.post('/admin/orgs/:orgId/credentials/:key/revoke', ...orgAdmin, form, requireCsrf(), async (req, res) => {
    const orgId = param(req, 'orgId');
    await revokeOrgCredential(s, signedIn(res), orgId, param(req, 'key'));
    res.redirect(303, `/admin/orgs/${encodeURIComponent(orgId)}/credentials`);
  });
}
