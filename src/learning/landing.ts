/**
 * Where a person lands after signing in (issue 18), by the work their roles do: the site
 * administrator → /admin; an organization administrator → that organization; an analyst → the
 * reports (once the reports area registers its page; My learning until then); an author → the
 * author console; everyone else → My learning.
 */
import type { UserContext } from '../accounts/user-context';
import { landingPage } from '../catalog/extension-points';

export function landingFor(user: Pick<UserContext, 'isSiteAdmin' | 'roles'>): string {
  if (user.isSiteAdmin) return '/admin';
  const orgWith = (role: 'orgAdmin' | 'analyst' | 'author'): string | undefined =>
    [...user.roles.entries()].find(([, rs]) => rs.has(role))?.[0];
  const adminOrg = orgWith('orgAdmin');
  if (adminOrg !== undefined) return `/admin/orgs/${encodeURIComponent(adminOrg)}`;
  if (orgWith('analyst') !== undefined) {
    const reports = landingPage('analyst');
    if (reports !== undefined) return reports;
  }
  if (orgWith('author') !== undefined) return '/author';
  return '/my-learning';
}
