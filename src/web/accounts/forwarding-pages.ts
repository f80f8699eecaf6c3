/**
 * /admin/orgs/:orgId/forwarding (issue 13): an organization's statement forwarding targets and
 * webhooks, their status and dead letters, for its administrators. Add (a webhook's signing key
 * is shown once, on the answer of the POST), delete, resend dead letters. Twin:
 * /api/orgs/:orgId/forwarding.
 */
import type { RequestHandler, Response, Router } from 'express';
import { requireCsrf, requireRoleIn, requireUser } from '../../accounts/guards';
import { getOrganization } from '../../accounts/service';
import type { AppServices } from '../../deps';
import { createTarget, deleteTarget, listTargets, resendDeadLetters, type TargetView } from '../../forwarding/service';
import { html, type Html } from '../html';
import type { Organization } from '../../store/ports';
import { orgHeader } from './views/org-views';
import { csrfField, field, formBody, formError, list, param, text } from './forms';
import { isFormError, sentence } from './page-errors';
import { sendPage, signedIn, when } from './render';

function targetsView(o: { org: Organization; targets: readonly TargetView[]; csrf: string; error?: string; created?: { name: string; signingSecret?: string } }): Html {
  const base = `/admin/orgs/${encodeURIComponent(o.org.id)}/forwarding`;
  return html`${orgHeader(o.org, 'forwarding', 'forwarding and webhooks')}
${o.created ? html`<p class="notice ok" role="status">Added ${o.created.name}.${o.created.signingSecret !== undefined ? html` Its signing key, shown this once: <code>${o.created.signingSecret}</code>. The receiver checks <code>X-LearnHQ-Signature</code> (t=&lt;unix time&gt;,v1=HMAC-SHA256 of "&lt;t&gt;.&lt;body&gt;") with it.` : ''}</p>` : ''}
<p>Only this organization's statements are ever sent, in the order they were stored. A target that keeps refusing them gets them again with growing pauses; after ten failures they wait here as dead letters.</p>
${o.targets.length === 0 ? html`<p>No target yet.</p>` : html`<table>
<caption>Targets</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">URL</th><th scope="col">Filter</th><th scope="col">Status</th><th scope="col">Dead letters</th><th scope="col">Actions</th></tr></thead>
<tbody>${o.targets.map((t) => html`<tr>
<th scope="row">${t.name}</th><td>${t.kind === 'lrs' ? 'LRS' : `webhook (${t.events.join(', ')})`}</td><td>${t.url}</td>
<td>${t.filter.verbs.length + t.filter.activityPrefixes.length === 0 ? 'all statements' : [...t.filter.verbs, ...t.filter.activityPrefixes.map((p) => `${p}…`)].join(', ')}</td>
<td>${t.lastError !== undefined ? html`failing (${String(t.failures)}): ${t.lastError}` : 'ok'}</td>
<td>${String(t.deadLetters)}${t.deadLetters > 0 ? html`<form method="post" action="${base}/${encodeURIComponent(t.id)}/resend">${csrfField(o.csrf)}<button type="submit" aria-label="Resend the dead letters of ${t.name}">Resend</button></form>` : ''}</td>
<td><form method="post" action="${base}/${encodeURIComponent(t.id)}/delete">${csrfField(o.csrf)}<button type="submit" aria-label="Delete ${t.name}">Delete</button></form> <span class="muted">added ${when(t.createdAt)}</span></td>
</tr>`)}</tbody></table>`}
<h2 id="add-target">Add a target</h2>
${formError(o.error)}
<form method="post" action="${base}" novalidate aria-labelledby="add-target">
${csrfField(o.csrf)}
<label for="f-kind">Kind</label>
<select id="f-kind" name="kind"><option value="lrs">Another LRS (statements)</option><option value="webhook">Webhook (signed events)</option></select>
${field({ name: 'name', label: 'Name', required: true })}
${field({ name: 'url', label: 'URL', hint: 'LRS endpoint (ending in /xapi/) or the webhook URL', required: true })}
${field({ name: 'username', label: 'LRS key (Basic user name)', autocomplete: 'off' })}
${field({ name: 'password', label: 'LRS secret', type: 'password', autocomplete: 'off', hint: 'Stored encrypted; never shown again.' })}
${field({ name: 'verbs', label: 'Only these verb ids (space-separated; empty = all)' })}
${field({ name: 'activityPrefixes', label: 'Only activity ids starting with (space-separated; empty = all)' })}
${field({ name: 'events', label: 'Webhook events (statement, course.completed, course.passed; empty = statement)' })}
<div class="actions"><button type="submit">Add the target</button></div>
</form>`;
}

async function sendTargetsPage(s: AppServices, res: Response, orgId: string, status: number, extra: { error?: string; created?: { name: string; signingSecret?: string } } = {}): Promise<void> {
  const user = signedIn(res);
  const org = await getOrganization(s, user, orgId);
  sendPage(res, status, { title: `${org.name}: forwarding`, body: targetsView({ org, targets: await listTargets(s, orgId), csrf: user.csrfToken, ...extra }) });
}

export function mountForwardingPages(router: Router, s: AppServices, form: RequestHandler): void {
  const orgAdmin = [requireUser(), requireRoleIn('orgId', 'orgAdmin')];
  router.get('/admin/orgs/:orgId/forwarding', ...orgAdmin, async (req, res) => sendTargetsPage(s, res, param(req, 'orgId'), 200));
  router.post('/admin/orgs/:orgId/forwarding', ...orgAdmin, form, requireCsrf(), async (req, res) => {
    const orgId = param(req, 'orgId');
    const f = formBody(req);
    const body: Record<string, unknown> = {
      kind: text(f, 'kind') || 'lrs', name: text(f, 'name'), url: text(f, 'url'), username: text(f, 'username'), password: text(f, 'password'),
      verbs: list(f, 'verbs').join(' '), activityPrefixes: list(f, 'activityPrefixes').join(' '), events: list(f, 'events').join(' '),
    };
    try {
      const created = await createTarget(s, signedIn(res), orgId, body);
      await sendTargetsPage(s, res, orgId, 201, { created: { name: created.target.name, ...(created.signingSecret !== undefined ? { signingSecret: created.signingSecret } : {}) } });
    } catch (err) {
      if (!isFormError(err)) throw err;
      await sendTargetsPage(s, res, orgId, err.status, { error: sentence(err.message) });
    }
  });
  router.post('/admin/orgs/:orgId/forwarding/:targetId/delete', ...orgAdmin, form, requireCsrf(), async (req, res) => {
    const orgId = param(req, 'orgId');
    await deleteTarget(s, signedIn(res), orgId, param(req, 'targetId'));
    res.redirect(303, `/admin/orgs/${encodeURIComponent(orgId)}/forwarding`);
  });
  router.post('/admin/orgs/:orgId/forwarding/:targetId/resend', ...orgAdmin, form, requireCsrf(), async (req, res) => {
    const orgId = param(req, 'orgId');
    try {
      await resendDeadLetters(s, signedIn(res), orgId, param(req, 'targetId'));
    } catch (err) {
      if (!isFormError(err) && !(err instanceof Error && 'code' in err && (err as { code: unknown }).code === 'unavailable')) throw err;
      await sendTargetsPage(s, res, orgId, 502, { error: sentence((err as Error).message) });
      return;
    }
    res.redirect(303, `/admin/orgs/${encodeURIComponent(orgId)}/forwarding`);
  });
}
