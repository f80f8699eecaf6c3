/**
 * The catalog's rules (issue 18): what a person may see and find, and who sets an entry's
 * visibility. Pages (src/web/catalog) and the JSON API call these, so both follow one rule.
 */
import { recordAudit } from '../accounts/audit';
import { hasRole, type UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { badRequest, forbidden, notFound } from '../errors';
import type { CatalogEntry, CatalogVisibility, Course, Organization } from '../store/ports';
import { ensureCoursesIndexed, entryById } from './course-entries';
import { searchCatalogFor, type CatalogResult, type CatalogSearch } from './search';
import { viewerOf, visibleTo } from './visibility';

/** A search result with the Course records of its course entries (what course cards show). */
export interface CatalogAnswer extends CatalogResult {
  readonly courses: readonly Course[];
}

/** Searches what the person may see. */
export async function searchForUser(s: AppServices, user: UserContext, search: CatalogSearch): Promise<CatalogAnswer> {
  await ensureCoursesIndexed(s);
  const result = await searchCatalogFor(s.store, viewerOf(user), search, s.now());
  const courses: Course[] = [];
  for (const e of result.items) {
    if (e.kind !== 'course') continue;
    const c = await s.store.courses.findCourse(e.id);
    if (c) courses.push(c);
  }
  return { ...result, courses };
}

/** An entry the person may see; 404 otherwise (another organization's private entry is unknown). */
export async function visibleEntry(s: AppServices, user: UserContext, id: string): Promise<CatalogEntry> {
  const e = await entryById(s, id);
  const member = e !== undefined && (user.isSiteAdmin || (user.roles.get(e.orgId)?.size ?? 0) > 0);
  if (!e || !(member || visibleTo(viewerOf(user), e))) throw notFound(`no catalog entry ${id}`);
  return e;
}

/** What an author may change of an entry's catalog side. */
export interface VisibilityChange {
  readonly visibility: CatalogVisibility;
  readonly visibleOrgIds: readonly string[];
  readonly keywords?: readonly string[];
}

const VISIBILITIES: readonly CatalogVisibility[] = ['org', 'orgs', 'all'];

/** Parses `{ visibility, visibleOrgIds?, keywords? }` from JSON or a form (orgs and keywords comma-separated or repeated). */
export function parseVisibilityChange(body: unknown): VisibilityChange {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body must be an object with visibility');
  const b = body as Record<string, unknown>;
  const v = b['visibility'];
  if (typeof v !== 'string' || !(VISIBILITIES as readonly string[]).includes(v)) throw badRequest(`visibility: one of ${VISIBILITIES.join(', ')}`);
  const list = (name: string): string[] | undefined => {
    const x = b[name];
    if (x === undefined) return undefined;
    const items = Array.isArray(x) ? x : typeof x === 'string' ? x.split(',') : undefined;
    if (!items || !items.every((i): i is string => typeof i === 'string')) throw badRequest(`${name}: a list of strings`);
    const out = [...new Set(items.map((i) => i.trim()).filter((i) => i !== ''))];
    if (out.length > 200 || out.some((i) => i.length > 200)) throw badRequest(`${name}: at most 200 items of 200 characters`);
    return out;
  };
  const orgs = list('visibleOrgIds') ?? [];
  if (v === 'orgs' && orgs.length === 0) throw badRequest('visibleOrgIds: name at least one organization for visibility orgs');
  const keywords = list('keywords');
  return { visibility: v as CatalogVisibility, visibleOrgIds: v === 'orgs' ? orgs : [], ...(keywords !== undefined ? { keywords } : {}) };
}

/**
 * Sets who sees an entry: authors (or administrators) of its organization. Another
 * organization's entry that the person cannot see is 404; one they see but do not author is 403.
 */
export async function setEntryVisibility(s: AppServices, user: UserContext, id: string, change: VisibilityChange): Promise<CatalogEntry> {
  const e = await entryById(s, id);
  const member = e !== undefined && (user.isSiteAdmin || (user.roles.get(e.orgId)?.size ?? 0) > 0);
  if (!e || !(member || visibleTo(viewerOf(user), e))) throw notFound(`no catalog entry ${id}`);
  if (!hasRole(user, e.orgId, 'author', 'orgAdmin')) throw forbidden(`this needs the role author in organization ${e.orgId}`);
  for (const org of change.visibleOrgIds) {
    if (!(await s.store.accounts.findOrganization(org))) throw badRequest(`visibleOrgIds: no organization ${org}`);
  }
  const updated: CatalogEntry = {
    ...e,
    visibility: change.visibility,
    visibleOrgIds: change.visibleOrgIds.filter((o) => o !== e.orgId),
    ...(change.keywords !== undefined ? { keywords: change.keywords } : {}),
  };
  await s.store.catalog.upsertCatalogEntry(updated);
  await recordAudit(s, user, { action: 'catalog.visibility', orgId: e.orgId, target: id, details: { visibility: updated.visibility, visibleOrgIds: [...updated.visibleOrgIds] } });
  return updated;
}

/** Organizations an author may name for visibility 'orgs' (every organization of the site, by name). */
export async function organizationChoices(s: AppServices): Promise<Organization[]> {
  return s.store.accounts.findOrganizations();
}
