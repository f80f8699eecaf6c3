/**
 * The catalog entry of an uploaded course: the course's catalog fields copied, the visibility
 * and keywords kept from the entry (they belong to the catalog). packages/service.ts calls
 * syncCourseEntry after every change of a course; courses stored before the catalog existed (or
 * by seeds writing to the store) get their entry on the first catalog use of a process.
 */
import type { AppServices } from '../deps';
import type { CatalogEntry, Course, Store } from '../store/ports';

/** The entry of a course, keeping the catalog's own fields of `previous`. */
export function entryOfCourse(course: Course, format: string | undefined, previous?: CatalogEntry): CatalogEntry {
  return {
    id: course.id,
    kind: 'course',
    orgId: course.orgId,
    provider: course.provider,
    title: course.title,
    description: course.description,
    keywords: previous?.keywords ?? [],
    competencies: [...course.competencies],
    language: course.language,
    ...(format !== undefined ? { format } : {}),
    ...(course.estimatedMinutes !== undefined ? { durationMinutes: course.estimatedMinutes } : {}),
    ...(course.ceCredits !== undefined ? { ceCredits: course.ceCredits } : {}),
    state: course.state,
    // Courses were open to every organization before visibility existed: that stays the default.
    visibility: previous?.visibility ?? 'all',
    visibleOrgIds: previous?.visibleOrgIds ?? [],
    createdAt: course.createdAt,
    updatedAt: course.updatedAt,
  };
}

async function formatOf(store: Store, course: Course): Promise<string | undefined> {
  if (course.currentVersionId === undefined) return undefined;
  return (await store.courses.findVersion(course.currentVersionId))?.format;
}

/** Writes the entry of a course (after it changed). */
export async function syncCourseEntry(s: Pick<AppServices, 'store'>, course: Course): Promise<void> {
  const previous = await s.store.catalog.findCatalogEntry(course.id);
  await s.store.catalog.upsertCatalogEntry(entryOfCourse(course, await formatOf(s.store, course), previous));
}

const indexed = new WeakMap<Store, Promise<void>>();

/** Once per store and process: every course without an up-to-date entry gets one. */
export function ensureCoursesIndexed(s: Pick<AppServices, 'store'>): Promise<void> {
  let done = indexed.get(s.store);
  if (!done) {
    done = (async () => {
      const courses = await s.store.courses.findCourses({});
      const entries = new Map((await s.store.catalog.findCatalogEntries(courses.map((c) => c.id))).map((e) => [e.id, e]));
      for (const c of courses) {
        const e = entries.get(c.id);
        if (!e || e.updatedAt !== c.updatedAt || e.state !== c.state) await syncCourseEntry(s, c);
      }
    })();
    done.catch(() => indexed.delete(s.store));
    indexed.set(s.store, done);
  }
  return done;
}

/** The entry of this id; a course stored without one (by a seed, or since this process indexed) gets it now. undefined when neither exists. */
export async function entryById(s: Pick<AppServices, 'store'>, id: string): Promise<CatalogEntry | undefined> {
  const e = await s.store.catalog.findCatalogEntry(id);
  if (e) return e;
  const course = await s.store.courses.findCourse(id);
  if (!course) return undefined;
  await syncCourseEntry(s, course);
  return s.store.catalog.findCatalogEntry(id);
}

/** The entries of these ids, syncing courses that have none yet (see entryById); in no particular order. */
export async function entriesByIds(s: Pick<AppServices, 'store'>, ids: readonly string[]): Promise<CatalogEntry[]> {
  const found = await s.store.catalog.findCatalogEntries(ids);
  const have = new Set(found.map((e) => e.id));
  for (const id of ids) {
    if (have.has(id)) continue;
    const e = await entryById(s, id);
    if (e) {
      found.push(e);
      have.add(id);
    }
  }
  return found;
}
