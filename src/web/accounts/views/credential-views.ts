import type { CreatedCredential, CredentialView } from '../../../accounts/org-credentials';
import type { Organization } from '../../../store/ports';
import { XAPI_SCOPES } from '../../../xapi/auth/scopes';
import { html, type Html } from '../../html';
import { checkbox, csrfField, field, formError, postButton } from '../forms';
import { when } from '../render';
import { orgHeader } from './org-views';

const SCOPE_HINTS: Readonly<Record<string, string>> = {
  'statements/write': 'write statements',
  'statements/read/mine': 'read the statements this credential wrote',
  'statements/read': 'read all statements',
  state: 'read and write State documents',
  define: 'define activities',
  profile: 'read and write profile documents',
  'all/read': 'read everything',
  all: 'everything',
};

export interface CredentialFormState {
  readonly name?: string;
  readonly scopes?: readonly string[];
  readonly error?: string;
}

export function credentialsView(o: { readonly org: Organization; readonly credentials: readonly CredentialView[]; readonly csrf: string; readonly form?: CredentialFormState }): Html {
  const f = o.form ?? {};
  const chosen = new Set(f.scopes ?? ['statements/write', 'statements/read/mine']);
  const base = `/admin/orgs/${encodeURIComponent(o.org.id)}/credentials`;
  return html`${orgHeader(o.org, 'credentials', 'LRS credentials')}
<p>Outside xAPI tools send these with HTTP Basic authentication to <code>/xapi/</code>. Each credential reads and writes only this organization's records.</p>
<h2 id="credentials">Credentials</h2>
${o.credentials.length === 0
    ? html`<p>No credentials yet.</p>`
    : html`<table aria-labelledby="credentials">
<thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Status</th></tr></thead>
<tbody>${o.credentials.map(
        (c) => html`<tr><td>${c.name}</td><td><code>${c.key}</code></td><td>${c.scopes.join(', ')}</td><td>${when(c.createdAt)}</td><td>${
          c.revokedAt
            ? html`revoked ${when(c.revokedAt)}`
            : postButton({ action: `${base}/${encodeURIComponent(c.key)}/revoke`, csrf: o.csrf, label: 'Revoke', danger: true, accessibleLabel: `Revoke credential ${c.name}` })
        }</td></tr>`,
      )}</tbody></table>`}
<h2 id="new-credential">Create a credential</h2>
${formError(f.error)}
<form method="post" action="${base}" novalidate aria-labelledby="new-credential">
  ${csrfField(o.csrf)}
  ${field({ label: 'Name', name: 'name', value: f.name ?? '', required: true, hint: 'Which tool uses it, e.g. "Authoring tool preview".', invalid: !!f.error })}
  <fieldset><legend>Scopes</legend>
  ${XAPI_SCOPES.map((s) => checkbox({ name: 'scopes', value: s, label: `${s}${SCOPE_HINTS[s] ? ` — ${SCOPE_HINTS[s]}` : ''}`, checked: chosen.has(s) }))}
  </fieldset>
  <div class="actions"><button type="submit">Create the credential</button></div>
</form>`;
}

/** The one page that shows a credential's secret. */
export function credentialCreatedView(o: { readonly org: Organization; readonly created: CreatedCredential; readonly endpoint?: string }): Html {
  const c = o.created;
  return html`${orgHeader(o.org, 'credentials', 'new LRS credential')}
<div class="notice ok" role="status">
<p>The credential <strong>${c.name}</strong> was created. Copy the secret now: it is shown only this once and cannot be recovered.</p>
</div>
<dl class="facts">
<dt>Key</dt><dd><code class="secret" id="credential-key">${c.key}</code></dd>
<dt>Secret</dt><dd><code class="secret" id="credential-secret">${c.secret}</code></dd>
<dt>Scopes</dt><dd>${c.scopes.join(', ')}</dd>
<dt>LRS endpoint</dt><dd><code id="credential-endpoint">${o.endpoint ?? '/xapi/'}</code></dd>
</dl>
<p><a href="/admin/orgs/${encodeURIComponent(o.org.id)}/credentials">Back to the credentials</a></p>`;
}
