/**
 * What the SCORM runtime derives from a course version, kept per version in memory: course
 * versions never change once stored (a new upload is a new version), and reading one means parsing
 * its whole manifest model, which every commit needed before.
 */
import type { ScormCourseModel, ScormItem } from '../../packages/course-model';
import type { CourseVersion, Store } from '../../store/ports';
import { courseRollupPlan, type CourseRollupPlan } from './course-rollup';

/** A SCORM course version and what the runtime derives from it once. */
export interface ScormVersionFacts {
  readonly version: CourseVersion;
  readonly model: ScormCourseModel;
  /** Launchable leaves of the default organization, in manifest order. */
  readonly leaves: readonly ScormItem[];
  /** SCOs the simple rollup waits for (assets do not count, unless there are only assets). */
  readonly scoCount: number;
  /** SCORM 2004: how the course status is rolled up; undefined for SCORM 1.2. */
  readonly rollupPlan?: CourseRollupPlan;
}

function leavesOf(items: readonly ScormItem[], out: ScormItem[] = []): ScormItem[] {
  for (const it of items) {
    if (it.children.length > 0) leavesOf(it.children, out);
    else if (it.launchUrl !== undefined) out.push(it);
  }
  return out;
}

/** The launchable leaves of the default organization, in manifest order. */
export function scormLeaves(model: ScormCourseModel): ScormItem[] {
  const org = model.organizations.find((o) => o.identifier === model.defaultOrganization) ?? model.organizations[0];
  return org ? leavesOf(org.items) : [];
}

/** Derives the facts of a SCORM version; undefined for another format. */
export function factsOf(version: CourseVersion): ScormVersionFacts | undefined {
  const model = version.model;
  if (model.format !== 'scorm12' && model.format !== 'scorm2004') return undefined;
  const leaves = scormLeaves(model);
  return {
    version, model, leaves,
    scoCount: leaves.filter((i) => i.scormType !== 'asset').length || leaves.length,
    ...(model.format === 'scorm2004' ? { rollupPlan: courseRollupPlan(model) } : {}),
  };
}

// Per store (tests open many), bounded: the oldest version read is dropped first.
const MAX_VERSIONS = 100;
const cache = new WeakMap<Store, Map<string, ScormVersionFacts>>();

/**
 * The version with its facts (facts undefined for a version that is not SCORM): a SCORM version is
 * read from the store once and then served from memory. Undefined when the store has no such version.
 */
export async function scormVersionFacts(store: Store, versionId: string): Promise<{ version: CourseVersion; facts?: ScormVersionFacts } | undefined> {
  let perStore = cache.get(store);
  if (!perStore) cache.set(store, (perStore = new Map()));
  const hit = perStore.get(versionId);
  if (hit) return { version: hit.version, facts: hit };
  const version = await store.courses.findVersion(versionId);
  if (!version) return undefined;
  const facts = factsOf(version);
  if (!facts) return { version };
  if (perStore.size >= MAX_VERSIONS) {
    const oldest = perStore.keys().next();
    if (!oldest.done) perStore.delete(oldest.value);
  }
  perStore.set(versionId, facts);
  return { version, facts };
}
