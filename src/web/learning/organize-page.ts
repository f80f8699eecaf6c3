/**
 * /organize: the way in to the organizers' pages (issue 18): for each organization where the
 * person publishes (author, administrator) or assigns (administrator, manager), links to its
 * opportunities and assignments. Lists only the person's own organizations.
 */
import type { Router } from 'express';
import { requireUser } from '../../accounts/guards';
import { hasRole } from '../../accounts/user-context';
import type { AppServices } from '../../deps';
import { sendPage, signedIn } from '../accounts/render';
import { html } from '../html';

export function mountOrganizePage(pages: Router, s: AppServices): void {
  pages.get('/organize', requireUser(), async (_req, res) => {
    const user = signedIn(res);
    const orgIds = user.isSiteAdmin ? (await s.store.accounts.findOrganizations()).map((o) => o.id) : [...user.roles.keys()];
    const rows = [];
    for (const id of orgIds) {
      const publishes = hasRole(user, id, 'author', 'orgAdmin');
      const assigns = hasRole(user, id, 'orgAdmin', 'manager');
      if (!publishes && !assigns) continue;
      const org = await s.store.accounts.findOrganization(id);
      if (org) rows.push({ org, publishes, assigns });
    }
    rows.sort((a, b) => a.org.name.localeCompare(b.org.name));
    sendPage(res, 200, {
      title: 'Organize learning',
      body: html`<h1>Organize learning</h1>
${rows.length === 0
    ? html`<p>You do not publish or assign learning in any organization. Authors and administrators publish webinars, workshops and other opportunities; administrators and managers assign learning.</p>`
    : html`<ul>${rows.map((r) => {
      const base = `/orgs/${encodeURIComponent(r.org.id)}`;
      return html`<li><strong>${r.org.name}</strong>: ${r.publishes ? html`<a href="${base}/opportunities">Opportunities</a>` : ''}${r.publishes && r.assigns ? ' · ' : ''}${r.assigns ? html`<a href="${base}/assignments">Assignments</a>` : ''}</li>`;
    })}</ul>`}`,
    });
  });
}
