import type { PersonInOrg } from '../../../accounts/people';
import type { Organization, Role } from '../../../store/ports';
import { html, type Html, type HtmlValue } from '../../html';
import { checkbox, csrfField, field, formError, postButton } from '../forms';
import { roleLabel, when } from '../render';
import { kindLabel } from './admin-views';
import type { MailDelivery } from '../../../accounts/mail/mailer';

export const ALL_ROLES: readonly Role[] = ['learner', 'author', 'analyst', 'orgAdmin'];

/** A pending or past invitation as the page lists it. */
export interface InvitationRow {
  readonly email: string;
  readonly roles: readonly Role[];
  readonly learnerType?: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly acceptedAt?: string;
}

/** State of the invite form after a failed attempt. */
export interface InviteFormState {
  readonly email?: string;
  readonly roles?: readonly string[];
  readonly learnerType?: string;
  readonly error?: string;
}

export interface OrgPageData {
  readonly org: Organization;
  readonly people: readonly PersonInOrg[];
  readonly invitations: readonly InvitationRow[];
  readonly csrf: string;
  readonly now: Date;
  readonly invite?: InviteFormState;
  /** Error of a grant/revoke attempt, shown at the people table. */
  readonly roleError?: string;
  /** An invitation just created, and where its link went (never the link itself). */
  readonly invitationSent?: { readonly email: string; readonly delivery: MailDelivery };
}

type OrgTab = 'people' | 'credentials' | 'audit' | 'forwarding';

function orgNav(org: Organization, current: OrgTab): Html {
  const base = `/admin/orgs/${encodeURIComponent(org.id)}`;
  const item = (key: typeof current, href: string, label: string): Html =>
    html`<li><a href="${href}"${key === current ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<nav aria-label="Organization"><ul class="tabs">
${item('people', base, 'People')}${item('credentials', `${base}/credentials`, 'LRS credentials')}${item('audit', `${base}/audit`, 'Audit log')}${item('forwarding', `${base}/forwarding`, 'Forwarding')}<li><a href="${base}/units">Units</a></li>
<li><a href="/orgs/${encodeURIComponent(org.id)}/opportunities">Opportunities</a></li><li><a href="/orgs/${encodeURIComponent(org.id)}/assignments">Assignments</a></li>
</ul></nav>`;
}

/** The heading block shared by the organization's administration pages. */
export function orgHeader(org: Organization, current: OrgTab, subtitle: string): Html {
  return html`<p><a href="/admin">Administration</a></p>
<h1>${org.name}: ${subtitle}</h1>
<p class="muted">${kindLabel(org.kind)} · short name ${org.slug}</p>
${orgNav(org, current)}`;
}

function personRoles(p: PersonInOrg, org: Organization, csrf: string): Html {
  const base = `/admin/orgs/${encodeURIComponent(org.id)}/people/${encodeURIComponent(p.userId)}`;
  return html`<ul class="roles">${p.roles.map(
    // A manager is made and unmade on the units page, with the units they manage.
    (r) => r === 'manager' ? html`<li>${roleLabel(r)} <a href="/admin/orgs/${encodeURIComponent(org.id)}/units">(units)</a></li>` : html`<li>${roleLabel(r)}${r === 'learner' && p.learnerType ? ` (${p.learnerType})` : ''} ${postButton({
      action: `${base}/roles/revoke`,
      csrf,
      label: 'Revoke',
      hidden: { role: r },
      accessibleLabel: `Revoke ${roleLabel(r)} from ${p.name}`,
    })}</li>`,
  )}</ul>`;
}

function grantForm(p: PersonInOrg, org: Organization, csrf: string): HtmlValue {
  const missing = ALL_ROLES.filter((r) => !p.roles.includes(r));
  if (missing.length === 0) return '';
  const id = `grant-${p.userId}`;
  return html`<form class="inline" method="post" action="/admin/orgs/${encodeURIComponent(org.id)}/people/${encodeURIComponent(p.userId)}/roles">
${csrfField(csrf)}
<label class="visually-hidden" for="${id}">Role to grant to ${p.name}</label>
<select id="${id}" name="role">${missing.map((r) => html`<option value="${r}">${roleLabel(r)}</option>`)}</select>
<button type="submit" class="secondary">Grant</button>
</form>`;
}

function inviteForm(d: OrgPageData): Html {
  const f = d.invite ?? {};
  const chosen = new Set(f.roles ?? ['learner']);
  return html`<h2 id="invite">Invite a person</h2>
${formError(f.error)}
<form method="post" action="/admin/orgs/${encodeURIComponent(d.org.id)}/invitations" novalidate aria-labelledby="invite">
  ${csrfField(d.csrf)}
  ${field({ label: 'Email', name: 'email', type: 'email', value: f.email ?? '', required: true, invalid: !!f.error })}
  <fieldset><legend>Roles</legend>
  ${ALL_ROLES.map((r) => checkbox({ name: 'roles', value: r, label: roleLabel(r), checked: chosen.has(r) }))}
  </fieldset>
  <fieldset><legend>Learner type</legend>
  ${['staff', 'trustee'].map(
    (t) => html`<div class="check"><input type="radio" id="lt-${t}" name="learnerType" value="${t}"${(f.learnerType ?? 'staff') === t ? html` checked` : ''}><label for="lt-${t}">${t === 'staff' ? 'Staff' : 'Trustee'}</label></div>`,
  )}
  </fieldset>
  <div class="actions"><button type="submit">Send the invitation</button></div>
</form>`;
}

function invitationStatus(i: InvitationRow, now: Date): string {
  if (i.acceptedAt) return 'accepted';
  return Date.parse(i.expiresAt) <= now.getTime() ? 'expired' : 'pending';
}

export function orgPeopleView(d: OrgPageData): Html {
  return html`${orgHeader(d.org, 'people', 'people')}
${d.invitationSent
    ? html`<div class="notice ok" role="status" id="invitation-sent"><p>Invitation created for <strong>${d.invitationSent.email}</strong>. ${
        d.invitationSent.delivery === 'smtp'
          ? 'Its link was mailed to that address.'
          : 'This site has no mail server: the invitation waits in the site administrator\'s outbox, who passes it on.'
      }</p></div>`
    : ''}
<h2 id="people">People</h2>
${formError(d.roleError)}
${d.people.length === 0
    ? html`<p>Nobody holds a role here yet.</p>`
    : html`<table aria-labelledby="people">
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Roles</th><th scope="col">Grant a role</th></tr></thead>
<tbody>${d.people.map(
        (p) => html`<tr><td>${p.name}${p.disabledAt ? html` <span class="muted">(disabled)</span>` : ''}</td><td>${p.email}</td><td>${personRoles(p, d.org, d.csrf)}</td><td>${grantForm(p, d.org, d.csrf)}</td></tr>`,
      )}</tbody></table>`}
${inviteForm(d)}
<h2 id="invitations">Invitations</h2>
${d.invitations.length === 0
    ? html`<p>No invitations yet.</p>`
    : html`<table aria-labelledby="invitations">
<thead><tr><th scope="col">Email</th><th scope="col">Roles</th><th scope="col">Status</th><th scope="col">Sent</th><th scope="col">Expires</th></tr></thead>
<tbody>${d.invitations.map(
        (i) => html`<tr><td>${i.email}</td><td>${i.roles.map(roleLabel).join(', ')}${i.learnerType ? ` (${i.learnerType})` : ''}</td><td>${invitationStatus(i, d.now)}</td><td>${when(i.createdAt)}</td><td>${when(i.expiresAt)}</td></tr>`,
      )}</tbody></table>
<p class="muted">Invitation links go only to the invited address (accepting one proves the address is theirs); the service keeps only a hash of each link. To resend, invite the person again.</p>`}`;
}
