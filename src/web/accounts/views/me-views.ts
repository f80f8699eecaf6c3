import type { MeView } from '../../../accounts/me';
import type { Organization, Role } from '../../../store/ports';
import { html, type Html } from '../../html';
import { csrfField } from '../forms';
import { roleLabel } from '../render';

/** Where a learner downloads their records (JSON API twin built by the LRS-boundaries engineer). */
export const MY_RECORDS_URL = '/api/me/records';

/** The email line of /me: proven, or a button that mails a confirmation link. */
function emailFact(me: MeView, sent: 'smtp' | 'outbox' | undefined): Html {
  if (me.emailProven) return html`<dd>${me.email} <span class="muted">(confirmed)</span></dd>`;
  return html`<dd>${me.email} <span class="muted">(not confirmed: records that name this address are not linked to you)</span>
${sent === 'smtp' ? html`<p class="notice ok" role="status">A confirmation link was mailed to this address.</p>` : ''}
${sent === 'outbox' ? html`<p class="notice ok" role="status">This site has no mail server: the confirmation link is in the site administrator's outbox.</p>` : ''}
<form class="inline" method="post" action="/me/verify-email">${csrfField(me.csrfToken)}<button type="submit" class="secondary">Send me a confirmation link</button></form></dd>`;
}

export function meView(o: { readonly me: MeView; readonly saved?: boolean; readonly canEditShareEmail: boolean; readonly verificationSent?: 'smtp' | 'outbox' }): Html {
  const me = o.me;
  return html`<h1>My account</h1>
${o.saved ? html`<p class="notice ok" role="status">Your setting was saved.</p>` : ''}
<dl class="facts">
<dt>Name</dt><dd>${me.name}</dd>
<dt>Email</dt>${emailFact(me, o.verificationSent)}
${me.isSiteAdmin ? html`<dt>Site</dt><dd>Site administrator</dd>` : ''}
</dl>
<h2>My organizations and roles</h2>
${me.memberships.length === 0
    ? html`<p>You hold no role in an organization.</p>`
    : html`<ul>${me.memberships.map((m) => html`<li>${m.orgName}: ${roleLabel(m.role)}${m.learnerType ? ` (${m.learnerType})` : ''}</li>`)}</ul>`}
<h2>How your learning is recorded</h2>
<p>Everything you do in courses on LearnHQ is kept in its learning record store under your account on this site, not under your email address, so your record stays yours if your email changes.</p>
<dl class="facts">
<dt>Recorded as</dt><dd>${me.xapi.name}</dd>
<dt>Account</dt><dd>${me.xapi.account.name} <span class="muted">on ${me.xapi.account.homePage}</span></dd>
<dt>Email in your records</dt><dd>${me.xapi.mbox ? 'Included (you chose to share it and confirmed it)' : me.shareEmail ? 'Not yet: confirm your email address first' : 'Not included'}</dd>
</dl>
<details><summary>Technical details: your xAPI identity</summary>
<p>For people connecting other tools to the learning record store: this is the xAPI Agent your statements use.</p>
<pre class="json" tabindex="0" aria-label="Your xAPI identity as JSON"><code>${JSON.stringify(me.xapi, null, 2)}</code></pre>
</details>
${o.canEditShareEmail
    ? html`<form method="post" action="/me/share-email">
${csrfField(me.csrfToken)}
<div class="check"><input type="checkbox" id="share-email" name="shareEmail" value="on"${me.shareEmail ? html` checked` : ''}><label for="share-email">Share my email address in my xAPI identity</label></div>
<div class="actions"><button type="submit">Save</button></div>
</form>`
    : html`<p>Email in xAPI identity: ${me.shareEmail ? 'shared' : 'not shared'}.</p>`}
<h2>My learning records</h2>
<p>See what you are working on and what you finished in <a href="/my-learning">My learning</a>.</p>
<p><a href="${MY_RECORDS_URL}" download>Download everything LearnHQ holds about your learning</a> (a JSON file, for moving your records to another system).</p>`;
}

/** The dashboard at / for a signed-in person: their organizations with their roles there. */
export function dashboardView(o: { readonly name: string; readonly isSiteAdmin: boolean; readonly orgs: readonly { readonly org: Organization; readonly roles: readonly Role[] }[] }): Html {
  return html`<h1>Welcome, ${o.name}</h1>
${o.isSiteAdmin ? html`<p>You are the site administrator: <a href="/admin">manage organizations</a>.</p>` : ''}
<h2>Your organizations</h2>
${o.orgs.length === 0
    ? html`<p>You hold no role in an organization yet.</p>`
    : html`<table>
<thead><tr><th scope="col">Organization</th><th scope="col">Your roles</th></tr></thead>
<tbody>${o.orgs.map(
        ({ org, roles }) => html`<tr><td>${roles.includes('orgAdmin') || o.isSiteAdmin ? html`<a href="/admin/orgs/${encodeURIComponent(org.id)}">${org.name}</a>` : org.name}</td><td>${roles.map(roleLabel).join(', ')}</td></tr>`,
      )}</tbody></table>`}
<p><a href="/me">My account and learning records</a></p>`;
}
