/**
 * Names and facts reports show beside ids: course titles, owners and formats, organization names.
 * Cached per process for a minute (a report page asks for hundreds at once; titles change rarely).
 */
import type { Store } from '../store/ports';

export interface CourseMeta { readonly id: string; readonly title: string; readonly orgId: string; readonly format: string }

const TTL_MS = 60_000;
const courses = new WeakMap<Store, { at: number; byId: Map<string, CourseMeta> }>();
const orgs = new WeakMap<Store, { at: number; byId: Map<string, string> }>();

/** Every course's title, owner and format (of its current version), by id. */
export async function courseMetas(store: Store, now = Date.now()): Promise<Map<string, CourseMeta>> {
  const cached = courses.get(store);
  if (cached && now - cached.at < TTL_MS) return cached.byId;
  const byId = new Map<string, CourseMeta>();
  const list = await store.courses.findCourses({ limit: 100_000 });
  const formats = await Promise.all(list.map(async (c) => (await store.courses.findVersions(c.id)).find((v) => v.id === c.currentVersionId)?.format ?? ''));
  list.forEach((c, i) => byId.set(c.id, { id: c.id, title: c.title, orgId: c.orgId, format: formats[i] ?? '' }));
  courses.set(store, { at: now, byId });
  return byId;
}

/** Course facts, reloaded once when one of `ids` is not known yet (a course published a moment ago). */
export async function courseMetasFor(store: Store, ids: Iterable<string>): Promise<Map<string, CourseMeta>> {
  let byId = await courseMetas(store);
  for (const id of ids) {
    if (id !== '' && !byId.has(id)) {
      courses.delete(store);
      byId = await courseMetas(store);
      break;
    }
  }
  return byId;
}

/** Every organization's name, by id. */
export async function orgNames(store: Store, now = Date.now()): Promise<Map<string, string>> {
  const cached = orgs.get(store);
  if (cached && now - cached.at < TTL_MS) return cached.byId;
  const byId = new Map((await store.accounts.findOrganizations()).map((o) => [o.id, o.name]));
  orgs.set(store, { at: now, byId });
  return byId;
}

/** Forgets the cached names (tests that add courses between requests). */
export function forgetReportNames(store: Store): void {
  courses.delete(store);
  orgs.delete(store);
}
