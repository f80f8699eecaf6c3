import type { AuditEntry, Organization, OrgKind } from '../../../store/ports';
import { html, type Html } from '../../html';
import { csrfField, field, formError } from '../forms';
import { when } from '../render';

const KIND_LABELS: Record<OrgKind, string> = { provider: 'Content provider', member: 'Member library', both: 'Provider and member library' };

export function kindLabel(k: OrgKind): string {
  return KIND_LABELS[k];
}

/** State of the "create an organization" form after a failed attempt. */
export interface OrgFormState {
  readonly name?: string;
  readonly slug?: string;
  readonly kind?: string;
  readonly error?: string;
}

export function adminHomeView(o: { readonly orgs: readonly Organization[]; readonly isSiteAdmin: boolean; readonly csrf: string; readonly form?: OrgFormState }): Html {
  const f = o.form ?? {};
  return html`<h1>Administration</h1>
<h2>${o.isSiteAdmin ? 'Organizations' : 'Your organizations'}</h2>
${o.orgs.length === 0
    ? html`<p>No organizations yet.</p>`
    : html`<table>
<thead><tr><th scope="col">Name</th><th scope="col">Short name</th><th scope="col">Kind</th><th scope="col">Created</th></tr></thead>
<tbody>${o.orgs.map(
        (org) => html`<tr><td><a href="/admin/orgs/${encodeURIComponent(org.id)}">${org.name}</a></td><td>${org.slug}</td><td>${kindLabel(org.kind)}</td><td>${when(org.createdAt)}</td></tr>`,
      )}</tbody></table>`}
${o.isSiteAdmin
    ? html`<h2 id="create-org">Create an organization</h2>
${formError(f.error)}
<form method="post" action="/admin/orgs" novalidate aria-labelledby="create-org">
  ${csrfField(o.csrf)}
  ${field({ label: 'Name', name: 'name', value: f.name ?? '', required: true, invalid: !!f.error })}
  ${field({ label: 'Short name (optional)', name: 'slug', value: f.slug ?? '', hint: 'Lower-case letters, digits and dashes; made from the name when empty.' })}
  <label for="f-kind">Kind</label>
  <select id="f-kind" name="kind">
    ${(Object.keys(KIND_LABELS) as OrgKind[]).map((k) => html`<option value="${k}"${(f.kind ?? 'both') === k ? html` selected` : ''}>${KIND_LABELS[k]}</option>`)}
  </select>
  <div class="actions"><button type="submit">Create the organization</button></div>
</form>
<p><a href="/admin/audit">Audit log of the whole site</a></p>
<p><a href="/admin/pipeline">Statement pipeline (projections, lag, rebuild)</a></p>`
    : ''}`;
}

export function auditView(o: { readonly title: string; readonly entries: readonly AuditEntry[]; readonly back?: { readonly href: string; readonly label: string }; readonly level?: 1 | 2 }): Html {
  return html`${o.level === 2 ? html`<h2>${o.title}</h2>` : html`<h1>${o.title}</h1>`}
${o.back ? html`<p><a href="${o.back.href}">${o.back.label}</a></p>` : ''}
${o.entries.length === 0
    ? html`<p>Nothing recorded yet.</p>`
    : html`<table>
<thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Details</th></tr></thead>
<tbody>${o.entries.map(
        (e) => html`<tr><td>${when(e.at)}</td><td>${e.actorLabel}</td><td>${e.action}</td><td>${e.target ?? ''}</td><td><code>${Object.keys(e.details).length ? JSON.stringify(e.details) : ''}</code></td></tr>`,
      )}</tbody></table>`}`;
}

/** A simple error page (403, 404...) that keeps the navigation. */
export function errorView(o: { readonly heading: string; readonly message: string }): Html {
  return html`<h1>${o.heading}</h1>
<p role="alert">${o.message}</p>
<p><a href="/">Go to the home page</a></p>`;
}
