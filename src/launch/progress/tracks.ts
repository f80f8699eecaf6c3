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

/**
 * What a store's memo knows of a registration named in statements, until `until` (ms):
 * - `track`: its progress track (only the track's fixed fields are used: who, which course, which
 *   activities; its status is never read from here);
 * - `registration` without a track: the player knows it but its course version is gone
 *   (untrackable: the progress subscriber does not look it up again for a while);
 * - neither: nobody launched it (an outside tool's registration), so its statements cost no read.
 * One memo per store, for its progress and report subscribers: a registration is looked up once
 * between them.
 */
interface Known {
  readonly until: number;
  readonly track?: ProgressTrack;
  readonly registration?: Registration;
}
const MEMO_TTL_MS = 60_000;

/** The registrations one store's lookups found (see memoOf). */
interface RegistrationMemo {
  readonly known: Map<string, Known>;
  /**
   * Bumped by forgetRegistrations (an erasure): a lookup that began before does not write its
   * results into the memo (they may name what the erasure deleted). Per memo, not per process: an
   * erasure deletes records of its own store only, so another store's memo and the lookups
   * running on it stay right.
   */
  generation: number;
}

/**
 * The memo of each store, keyed by its launch store (the port of the registrations it mirrors):
 * two stores in one process (tests, tools) each get their own memo, so a registration id both
 * name is answered from each store's records. Not keyed by the Store object, which a caller may
 * copy to replace another port (a test counting reads). A copy that replaces `launch` itself gets
 * a memo of its own, so test/store/registration-lookup.test.ts counts its reads with jest.spyOn,
 * which keeps the object.
 */
const memos = new WeakMap<Store['launch'], RegistrationMemo>();

/** The part of a store that names its memo. */
export type MemoStore = Pick<Store, 'launch'>;

function memoOf(store: MemoStore): RegistrationMemo {
  let m = memos.get(store.launch);
  if (m === undefined) {
    m = { known: new Map(), generation: 0 };
    memos.set(store.launch, m);
  }
  return m;
}

/**
 * Registrations remembered at most per store (a few hundred bytes each). When full, the expired
 * ones go first: a memo that emptied itself whenever full (it was 10,000) looked up again every
 * registration it knew, measured on bench/pipeline's 20,000 registrations as the pipeline's largest
 * item at batch 10 (the progress and report subscribers' registration reads).
 */
export const REGISTRATION_MEMO_MAX = 50_000;

function remember(memo: RegistrationMemo, registration: string, known: Omit<Known, 'until'>, now: number): void {
  const m = memo.known;
  if (m.size >= REGISTRATION_MEMO_MAX) {
    for (const [r, k] of m) if (k.until < now) m.delete(r);
    // Still mostly live: start again rather than scan the whole memo at the next few inserts.
    if (m.size >= (REGISTRATION_MEMO_MAX * 3) / 4) m.clear();
  }
  m.set(registration, { ...known, until: now + MEMO_TTL_MS });
}

/** What one lookup found: tracks, and registrations the player knows that have none. */
export interface RegistrationsFound {
  readonly tracks: Map<string, ProgressTrack>;
  readonly untracked: Map<string, Registration>;
}

/**
 * The registrations named by a batch of statements (lower case), looked up once for the progress
 * and report subscribers: first the memo, then one read of the missing tracks and one read of the
 * registrations still missing (LaunchStore.findRegistrationsByIds). Registrations nobody launched
 * are remembered as such for a minute, found tracks too (a track's fixed fields never change; an
 * erasure, which deletes tracks, empties the memo: forgetRegistrations). `freshTracks`: remembered
 * tracks are read again (the progress subscriber, whose rows hang off the track: after an erasure
 * on another instance, which empties only that instance's memo, it must not write rows for a
 * track that is gone); the report subscribers take them from the memo (their rows are the
 * learner's, which their erasure event deletes whole).
 */
export async function lookUpRegistrations(
  store: Pick<Store, 'launch' | 'progress'>, registrations: Iterable<string>, now = Date.now(), freshTracks = false,
): Promise<RegistrationsFound> {
  const memo = memoOf(store);
  const tracks = new Map<string, ProgressTrack>();
  const untracked = new Map<string, Registration>();
  const missing: string[] = [];
  for (const r of new Set(registrations)) {
    const k = memo.known.get(r);
    if (k === undefined || k.until < now || (freshTracks && k.track)) missing.push(r);
    else if (k.track) tracks.set(r, k.track);
    else if (k.registration) untracked.set(r, k.registration);
  }
  if (missing.length === 0) return { tracks, untracked };
  const gen = memo.generation;
  const found = await store.progress.findProgressTracks(missing);
  const rest = new Set(missing);
  for (const t of found) {
    const track = trackFields(t);
    tracks.set(t.registration, track);
    rest.delete(t.registration);
    if (gen === memo.generation) remember(memo, t.registration, { track }, now);
  }
  if (rest.size === 0) return { tracks, untracked };
  const regs = await store.launch.findRegistrationsByIds([...rest]);
  for (const reg of regs) {
    untracked.set(reg.id, reg);
    rest.delete(reg.id);
  }
  // Only a registration nobody launched is remembered here; one without a track is remembered by
  // the progress subscriber once it knows the track cannot be made (trackable ones get it now).
  if (gen === memo.generation) for (const r of rest) remember(memo, r, {}, now);
  return { tracks, untracked };
}

/** The fixed fields of a track (the memo keeps no status). */
function trackFields(t: ProgressTrack): ProgressTrack {
  return {
    registration: t.registration, courseId: t.courseId, versionId: t.versionId, userId: t.userId, agentKey: t.agentKey,
    ...(t.orgId !== undefined ? { orgId: t.orgId } : {}),
    courseActivityIds: t.courseActivityIds, unitActivityIds: t.unitActivityIds, createdAt: t.createdAt,
  };
}

/**
 * The tracks of these registrations, creating missing ones for registrations the launch store
 * knows (lookUpRegistrations). Registrations nobody launched are remembered as unknown for a minute.
 */
export async function tracksFor(deps: Deps, registrations: readonly string[]): Promise<Map<string, ProgressTrack>> {
  const now = Date.now();
  const memo = memoOf(deps.store);
  const gen = memo.generation;
  // A registration found unknown has no track: tracks are created at launch, and a launch
  // creates its registration (a fresh UUID) before any statement names it. So an outside tool's
  // statements cost no read at all while their registration is remembered as unknown.
  const { tracks, untracked } = await lookUpRegistrations(deps.store, registrations, now, true);
  for (const [r, reg] of untracked) {
    // Known untrackable: its course version was gone a moment ago.
    if ((memo.known.get(r)?.until ?? 0) >= now) continue;
    const version = await deps.store.courses.findVersion(reg.versionId);
    if (!version) {
      if (gen === memo.generation) remember(memo, r, { registration: reg }, now);
      continue;
    }
    await deps.store.progress.insertProgressTrack(trackOf(deps.config, reg, version.model, personAgentKey(deps.config, reg.userId), deps.now().toISOString()));
    // Read back: a racing insert (a launch) may have made it first.
    const [t] = await deps.store.progress.findProgressTracks([r]);
    if (!t) continue;
    const track = trackFields(t);
    tracks.set(r, track);
    if (gen === memo.generation) remember(memo, r, { track }, now);
  }
  return tracks;
}

/**
 * True while `registration` (lower case) is remembered in this store's memo as one nobody
 * launched: the progress and report subscribers then skip its lookups (each would otherwise read
 * the store for it again).
 */
export function isUnknownRegistration(store: MemoStore, registration: string, now = Date.now()): boolean {
  const k = memos.get(store.launch)?.known.get(registration);
  return k !== undefined && k.until >= now && k.track === undefined && k.registration === undefined;
}

/** Forgets what this store's memo holds of a registration (a launch just created it). */
export function forgetUnknownRegistration(store: MemoStore, registration: string): void {
  memos.get(store.launch)?.known.delete(registration.toLowerCase());
}

/**
 * Forgets every registration this store's memo holds (an erasure deleted tracks and registrations
 * of this store): called by the launch erasure step and by the progress and report subscribers
 * when they handle an erasure (which may have happened on another instance). Lookups of this
 * store running across it write nothing; other stores' memos are untouched.
 */
export function forgetRegistrations(store: MemoStore): void {
  const m = memoOf(store);
  m.generation++;
  m.known.clear();
}
