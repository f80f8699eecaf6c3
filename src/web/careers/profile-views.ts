import type { SharedRoleProfile } from '../../careers/role-profiles';
import type { Organization, RoleProfile } from '../../store/ports';
import { html, type Html } from '../html';
import { csrfField, formError, postButton } from '../accounts/forms';
import { careersNav } from './team-views';

/** Competencies as the textarea shows them: one `<competency id> <level>` per line. */
export function competencyLines(p: Pick<RoleProfile, 'competencies'> | undefined): string {
  return (p?.competencies ?? []).map((c) => `${c.competencyId} ${c.targetLevel}`).join('\n');
}

function profileForm(o: { readonly action: string; readonly csrf: string; readonly profile?: RoleProfile; readonly submit: string; readonly idPrefix: string }): Html {
  const p = o.profile;
  const id = (n: string): string => `${o.idPrefix}-${n}`;
  return html`<form method="post" action="${o.action}">${csrfField(o.csrf)}
<label for="${id('name')}">Name</label><input id="${id('name')}" name="name" value="${p?.name ?? ''}" required>
<label for="${id('description')}">Description</label><textarea id="${id('description')}" name="description" rows="3">${p?.description ?? ''}</textarea>
<label for="${id('competencies')}">Competencies and target levels</label>
<p class="hint muted" id="${id('competencies-hint')}">One per line: the competency's id (its URI), a space, the target level (1 = the lowest level of its scale).</p>
<textarea id="${id('competencies')}" name="competencies" rows="6" aria-describedby="${id('competencies-hint')}">${competencyLines(p)}</textarea>
<div class="check"><input type="checkbox" id="${id('shared')}" name="shared" value="yes"${p?.shared ? html` checked` : ''}><label for="${id('shared')}">Share site-wide (other organizations may adopt a copy)</label></div>
<div class="actions"><button type="submit">${o.submit}</button></div></form>`;
}

export interface ProfilesPageData {
  readonly org: Organization;
  readonly admin: boolean;
  readonly profiles: readonly RoleProfile[];
  readonly shared: readonly SharedRoleProfile[];
  readonly csrf: string;
  readonly error?: string;
  readonly notice?: string;
}

/** The role profiles of an organization; administrators also create, import, export and adopt. */
export function profilesView(d: ProfilesPageData): Html {
  const id = encodeURIComponent(d.org.id);
  const others = d.shared.filter((p) => p.orgId !== d.org.id);
  return html`<h1>${d.org.name}: role profiles</h1>
${careersNav(d.org, 'profiles', d.admin)}
${formError(d.error)}
${d.notice ? html`<p class="notice ok" role="status">${d.notice}</p>` : ''}
${d.profiles.length === 0 ? html`<p>No role profiles yet.</p>` : html`<table><caption>Role profiles of ${d.org.name}</caption>
<thead><tr><th scope="col">Role</th><th scope="col">Competencies</th><th scope="col">Shared</th><th scope="col">Adopted from</th></tr></thead>
<tbody>${d.profiles.map((p) => html`<tr><th scope="row"><a href="/orgs/${id}/role-profiles/${encodeURIComponent(p.id)}">${p.name}</a></th><td>${p.competencies.length}</td><td>${p.shared ? 'Yes' : 'No'}</td><td>${p.source ? d.shared.find((x) => x.id === p.source?.profileId)?.orgName ?? 'another organization' : ''}</td></tr>`)}</tbody></table>`}
<p><a href="/api/orgs/${id}/role-profiles/export" download>Download as CSV</a></p>
${d.admin ? html`<h2 id="new-profile">Add a role profile</h2>
${profileForm({ action: `/orgs/${id}/role-profiles`, csrf: d.csrf, submit: 'Add the role profile', idPrefix: 'new' })}
<h2 id="import">Import from CSV</h2>
<form method="post" action="/orgs/${id}/role-profiles/import">${csrfField(d.csrf)}
<label for="f-csv">CSV text</label>
<p class="hint muted" id="f-csv-hint">Columns role, description, shared, competency, target_level; one row per competency of a role. Roles already here (same name) are replaced.</p>
<textarea id="f-csv" name="csv" rows="8" aria-describedby="f-csv-hint"></textarea>
<div class="actions"><button type="submit">Import</button></div></form>
<h2 id="shared">Shared by other organizations</h2>
${others.length === 0 ? html`<p class="muted">No other organization shares a role profile.</p>` : html`<table><caption class="visually-hidden">Role profiles shared by other organizations</caption>
<thead><tr><th scope="col">Role</th><th scope="col">Shared by</th><th scope="col">Competencies</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${others.map((p) => html`<tr><th scope="row">${p.name}</th><td>${p.orgName}</td><td>${p.competencies.map((c) => `${c.competencyId} (${c.targetLevel})`).join(', ')}</td><td>${postButton({
    action: `/orgs/${id}/role-profiles/adopt`, csrf: d.csrf, label: 'Adopt a copy', hidden: { sourceId: p.id }, accessibleLabel: `Adopt a copy of ${p.name} from ${p.orgName}`,
  })}</td></tr>`)}</tbody></table>`}` : ''}`;
}

/** One role profile; administrators edit it, delete it and record who holds it. */
export function profileView(o: {
  readonly org: Organization; readonly admin: boolean; readonly profile: RoleProfile; readonly csrf: string; readonly error?: string;
  readonly holders: readonly { readonly id: string; readonly name: string }[]; readonly people: readonly { readonly id: string; readonly name: string; readonly email: string }[];
  readonly sourceName?: string;
}): Html {
  const p = o.profile;
  const base = `/orgs/${encodeURIComponent(o.org.id)}/role-profiles/${encodeURIComponent(p.id)}`;
  return html`<p><a href="/orgs/${encodeURIComponent(o.org.id)}/role-profiles">Role profiles</a></p>
<h1>${p.name}</h1>
${formError(o.error)}
${p.description ? html`<p>${p.description}</p>` : ''}
${p.source ? html`<p class="muted">A copy of the role profile shared by ${o.sourceName ?? 'another organization'}.</p>` : ''}
<table><caption>Competencies of ${p.name}</caption><thead><tr><th scope="col">Competency</th><th scope="col">Target level</th></tr></thead>
<tbody>${p.competencies.map((c) => html`<tr><th scope="row">${c.competencyId}</th><td>${c.targetLevel}</td></tr>`)}</tbody></table>
${o.admin ? html`<h2 id="holders">People in this role</h2>
${o.holders.length === 0 ? html`<p class="muted">Nobody recorded yet.</p>` : html`<ul class="roles">${o.holders.map((h) => html`<li>${h.name} ${postButton({
    action: `${base}/holders/remove`, csrf: o.csrf, label: 'Remove', hidden: { userId: h.id }, accessibleLabel: `Remove ${p.name} from ${h.name}`,
  })}</li>`)}</ul>`}
<form method="post" action="${base}/holders">${csrfField(o.csrf)}
<label for="f-holder">Person</label><select id="f-holder" name="userId">${o.people.map((x) => html`<option value="${x.id}">${x.name} (${x.email})</option>`)}</select>
<div class="actions"><button type="submit">Record in this role</button></div></form>
<h2 id="edit">Edit</h2>
${profileForm({ action: base, csrf: o.csrf, profile: p, submit: 'Save the role profile', idPrefix: 'edit' })}
${postButton({ action: `${base}/delete`, csrf: o.csrf, label: 'Delete this role profile', danger: true })}` : ''}`;
}
