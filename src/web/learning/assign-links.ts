import { orgsWithRole, type UserContext } from '../../accounts/user-context';
import type { AppServices } from '../../deps';
import { html, type HtmlValue } from '../html';

/**
 * "Assign this … in <organization>" links for a catalog entry, one per organization where the
 * person assigns learning (administrator or manager); '' for everyone else. The assignments page
 * checks again that the organization may take the entry.
 */
export async function assignLinks(s: AppServices, user: UserContext, entryId: string, what: string): Promise<HtmlValue> {
  const items = [];
  for (const orgId of orgsWithRole(user, 'orgAdmin', 'manager')) {
    const org = await s.store.accounts.findOrganization(orgId);
    if (org) items.push(html`<li><a href="/orgs/${encodeURIComponent(org.id)}/assignments?entry=${encodeURIComponent(entryId)}">Assign this ${what} in ${org.name}</a></li>`);
  }
  return items.length > 0 ? html`<ul class="plain">${items}</ul>` : '';
}
