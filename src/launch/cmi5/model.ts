import type { Cmi5CourseModel } from '../../packages/course-model';
import type { Store } from '../../store/ports';

// Course versions never change once stored, so their parsed models can be kept; bounded so a
// long-running instance with many courses does not grow without limit.
const cache = new Map<string, Cmi5CourseModel>();
const LIMIT = 200;

/** The cmi5 model of a course version; undefined when the version is missing or not cmi5. */
export async function cmi5ModelOf(store: Store, versionId: string): Promise<Cmi5CourseModel | undefined> {
  const hit = cache.get(versionId);
  if (hit) return hit;
  const v = await store.courses.findVersion(versionId);
  if (!v || v.model.format !== 'cmi5') return undefined;
  if (cache.size >= LIMIT) cache.clear();
  cache.set(versionId, v.model);
  return v.model;
}
