/**
 * Progress tracks: which registrations the projection follows, and which of their activities
 * are the course and its units. A track is created when a registration is launched (the format
 * launchers call ensureProgressTrack) or, for registrations the player knows but has not tracked
 * yet (e.g. a SCORM launch), on the first statement that names them (tracksFor).
 */
import type { Config } from '../../config';
import type { CourseModel } from '../../packages/course-model';
import type { ProgressRecord, ProgressTrack, Registration, Store } from '../../store/ports';
import { allAus, cmi5AuIri, cmi5CourseIri } from '../cmi5/iris';
import { courseIri, scoIri } from '../iris';

type Deps = { readonly store: Store; readonly config: Config; readonly now: () => Date };

/** Course-level and unit activity ids of a course version, per format. */
export function trackedActivities(config: Pick<Config, 'publicUrl'>, courseId: string, model: CourseModel): { course: string[]; units: string[] } {
  const course = courseIri(config, courseId);
  switch (model.format) {
    case 'tincan': {
      const units = model.activities.map((a) => a.id);
      return { course: [course, model.mainActivityId], units };
    }
    case 'cmi5': {
      const aus = allAus(model.children).map((a) => cmi5AuIri(config, courseId, a.id));
      // A one-AU course's score and success are the AU's; with several AUs only satisfied counts.
      return { course: [cmi5CourseIri(config, courseId), ...(aus.length === 1 ? aus : [])], units: aus };
    }
    default: {
      const scos = model.launchables.map((l) => scoIri(course, l.id));
      return { course: [course, ...(scos.length === 1 ? scos : [])], units: scos };
    }
  }
}

/** Builds the track of a registration from its course version's model. */
export function trackOf(config: Pick<Config, 'publicUrl'>, reg: Registration, model: CourseModel, agentKey: string, createdAt: string): ProgressTrack {
  const a = trackedActivities(config, reg.courseId, model);
  return {
    registration: reg.id.toLowerCase(), courseId: reg.courseId, versionId: reg.versionId, userId: reg.userId, agentKey,
    ...(reg.orgId !== undefined ? { orgId: reg.orgId } : {}),
    courseActivityIds: a.course, unitActivityIds: a.units, createdAt,
  };
}

/** The agentKey of a LearnHQ person's actor (account on the site's home page, see accounts/identity.ts). */
export function personAgentKey(config: Pick<Config, 'publicUrl'>, userId: string): string {
  return `account:${config.publicUrl}|${userId}`;
}

/** Creates the track of a registration when missing (idempotent). */
export async function ensureProgressTrack(deps: Deps, reg: Registration, model: CourseModel): Promise<void> {
  await deps.store.progress.insertProgressTrack(trackOf(deps.config, reg, model, personAgentKey(deps.config, reg.userId), deps.now().toISOString()));
}

// Registrations seen in statements that the player does not know (outside tools): not looked up
// again for a while, so their writes cost one indexed read, not three.
const UNKNOWN_TTL_MS = 60_000;
const unknown = new Map<string, number>();
// Registrations whose course version is gone: not tracked, not looked up again for a while either.
const untrackable = new Map<string, number>();
/**
 * Registrations remembered at most (~100 bytes each). When full, the expired ones go first: a
 * memo that emptied itself whenever full (it was 10,000) looked up again every registration it
 * knew, measured on bench/pipeline's 20,000 registrations as the pipeline's largest item at
 * batch 10 (the progress and report subscribers' registration reads).
 */
export const REGISTRATION_MEMO_MAX = 50_000;

function remember(map: Map<string, number>, registration: string, now: number): void {
  if (map.size >= REGISTRATION_MEMO_MAX) {
    for (const [r, until] of map) if (until < now) map.delete(r);
    // Still mostly live: start again rather than scan the whole memo at the next few inserts.
    if (map.size >= (REGISTRATION_MEMO_MAX * 3) / 4) map.clear();
  }
  map.set(registration, now + UNKNOWN_TTL_MS);
}

/**
 * The tracks of these registrations, creating missing ones for registrations the launch store
 * knows. Registrations nobody launched are remembered as unknown for a minute.
 */
export async function tracksFor(deps: Deps, registrations: readonly string[]): Promise<Map<string, ProgressRecord>> {
  const now = Date.now();
  // A registration found unknown has no track: tracks are created at launch, and a launch
  // creates its registration (a fresh UUID) before any statement names it. So an outside tool's
  // statements cost no read at all while their registration is remembered as unknown.
  const wanted = [...new Set(registrations)].filter((r) => !isUnknownRegistration(r, now) && (untrackable.get(r) ?? 0) < now);
  if (wanted.length === 0) return new Map();
  const found = new Map((await deps.store.progress.findProgressTracks(wanted)).map((t) => [t.registration, t]));
  const missing = wanted.filter((r) => !found.has(r));
  for (const r of missing) {
    const reg = await deps.store.launch.findRegistration(r);
    const version = reg ? await deps.store.courses.findVersion(reg.versionId) : undefined;
    if (!reg || !version) {
      // Only a registration nobody launched is unknown to the report subscribers too.
      if (!reg) rememberUnknownRegistration(r, now);
      else remember(untrackable, r, now);
      continue;
    }
    await deps.store.progress.insertProgressTrack(trackOf(deps.config, reg, version.model, personAgentKey(deps.config, reg.userId), deps.now().toISOString()));
    const [t] = await deps.store.progress.findProgressTracks([r]);
    if (t) found.set(r, t);
  }
  return found;
}

/**
 * True while `registration` (lower case) is remembered as one nobody launched: the progress and
 * report subscribers then skip its lookups (each would otherwise read the store for it again).
 */
export function isUnknownRegistration(registration: string, now = Date.now()): boolean {
  return (unknown.get(registration) ?? 0) >= now;
}

/** Remembers for a minute that no launch created `registration` (lower case). */
export function rememberUnknownRegistration(registration: string, now = Date.now()): void {
  remember(unknown, registration, now);
}

/** Forgets that a registration was unknown (a launch just created it). */
export function forgetUnknownRegistration(registration: string): void {
  unknown.delete(registration.toLowerCase());
  untrackable.delete(registration.toLowerCase());
}
