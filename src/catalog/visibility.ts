/**
 * Who may see a catalog entry (issue 18): the publishing organization always; every organization
 * for visibility 'all'; the selected organizations for 'orgs'. Only published entries reach
 * anyone outside the publisher; the site administrator sees every published entry.
 */
import type { UserContext } from '../accounts/user-context';
import type { CatalogEntry, CatalogViewer, Course, Store } from '../store/ports';

/** The viewer of a signed-in person: the organizations they belong to. */
export function viewerOf(user: UserContext): CatalogViewer {
  return { orgIds: [...user.roles.entries()].filter(([, rs]) => rs.size > 0).map(([org]) => org), everything: user.isSiteAdmin };
}

/** Whether the entry is visible to the viewer: the same rule as CatalogStore.searchCatalog. */
export function visibleTo(viewer: CatalogViewer, e: CatalogEntry): boolean {
  if (e.state !== 'published') return false;
  if (viewer.everything || e.visibility === 'all') return true;
  if (viewer.orgIds.includes(e.orgId)) return true;
  return e.visibility === 'orgs' && e.visibleOrgIds.some((o) => viewer.orgIds.includes(o));
}

/**
 * Whether a course's catalog visibility lets the person open it (its state is the caller's
 * check). A course without an entry was stored before visibility existed: open to everyone.
 */
export async function courseVisibleTo(s: { readonly store: Store }, user: UserContext, course: Course): Promise<boolean> {
  const e = await s.store.catalog.findCatalogEntry(course.id);
  if (!e) return true;
  return visibleTo(viewerOf(user), { ...e, state: 'published' });
}
