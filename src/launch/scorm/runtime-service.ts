/**
 * The SCORM runtime behind /api/runtime/sessions/:id: the launcher's seed (the attempt's stored
 * data, the SCOs with their content-origin URLs, the sequencing tree) and commits (stored
 * idempotently by sequence number, rolled up into the attempt, mirrored as xAPI statements).
 */
import type { AppServices } from '../../deps';
import { badRequest, conflict, notFound } from '../../errors';
import type { ScormCourseModel } from '../../packages/course-model';
import { toScormAgainSequencing } from '../../packages/manifest';
import type { Attempt, AttemptPatch, LaunchSession, ScoRuntime, User } from '../../store/ports';
import type { AuthContext } from '../../xapi/auth/auth-context';
import { agentKey } from '../../xapi/model/agent-key';
import { storeStatements } from '../../xapi/statements/write-service';
import { xapiActor } from '../../accounts/identity';
import { courseIri, scoAttemptIri, scoIri } from '../iris';
import { scoStatus, seedCmi, seedItemOf, type ScoStatus, type ScormVersion } from './cmi';
import { courseStatus, rollupInputsChanged } from './course-rollup';
import { courseMeasure } from './measure-rollup';
import { createAgentProfileMemo } from './agent-profile-memo';
import { attemptStateOf } from './profile-cmi';
import { readAgentPreferences, writeProfileDocuments } from './profile-documents';
import { profileStatements } from './profile-statements';
import { scormVersionFacts, type ScormVersionFacts } from './version-facts';
import { scoAttemptsAfter, startsNewScoAttempt } from './sco-tracking';

/** A SCO as the launcher receives it. */
export interface SeedSco {
  readonly id: string;
  readonly title: string;
  readonly launchUrl: string;
  readonly scormType: 'sco' | 'asset';
  readonly isVisible: boolean;
  /** The object the launcher passes to loadFromJSON for this SCO. */
  readonly cmi: Record<string, unknown>;
  /** Highest stored commit sequence number (0 when none). */
  readonly seq: number;
  /** SCO attempts so far in this attempt (0 when no data); the launcher counts on from it. */
  readonly scoAttempts: number;
  /** SCORM 1.2 `adlcp:prerequisites` (AICC script) that gates navigation to this SCO. */
  readonly prerequisites?: string;
}

/** GET /api/runtime/sessions/:id. */
export interface LauncherSeed {
  readonly sessionId: string;
  readonly mode: LaunchSession['mode'];
  readonly format: ScormVersion;
  readonly registration: string;
  readonly attempt: { readonly id: string; readonly number: number };
  readonly learner: { readonly id: string; readonly name: string };
  readonly course: { readonly id: string; readonly title: string; readonly activityId: string };
  readonly startScoId: string;
  /**
   * True when startScoId was picked by the launch (a chosen SCO) or is the SCO to resume (1.2: the
   * SCO launched last; 2004: the SCO the attempt was suspended at); false
   * when it is only the first SCO, and the sequencing's start request decides.
   */
  readonly startChosen: boolean;
  readonly scos: readonly SeedSco[];
  readonly sequencing: unknown;
  readonly attemptState: Readonly<Record<string, unknown>> | null;
}

/** A parsed commit request. */
export interface CommitRequest {
  readonly scoId: string;
  readonly seq: number;
  readonly cmi: Record<string, unknown>;
  readonly event: 'initialize' | 'commit' | 'terminate' | 'unload';
  readonly attemptState?: Record<string, unknown>;
}

/** POST /api/runtime/sessions/:id/commits answer. */
export interface CommitResult {
  readonly applied: boolean;
  readonly seq: number;
  readonly attempt: Pick<Attempt, 'completion' | 'success' | 'suspended'> & { readonly scoreScaled?: number };
}

const EVENTS = new Set(['initialize', 'commit', 'terminate', 'unload']);

/** Validates a commit body; messages name the property. */
export function parseCommit(body: unknown): CommitRequest {
  let b = body;
  if (typeof b === 'string' || Buffer.isBuffer(b)) {
    try {
      b = JSON.parse(b.toString()) as unknown;
    } catch {
      throw badRequest('body: must be a JSON object');
    }
  }
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw badRequest('body: must be a JSON object { scoId, seq, cmi, event }');
  const r = b as Record<string, unknown>;
  if (typeof r['scoId'] !== 'string' || r['scoId'] === '') throw badRequest('scoId: must be a non-empty string');
  const seq = r['seq'];
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) throw badRequest(`seq: must be a positive whole number, got ${JSON.stringify(seq)}`);
  const cmi = r['cmi'];
  if (typeof cmi !== 'object' || cmi === null || Array.isArray(cmi)) throw badRequest('cmi: must be the cmi JSON object');
  const event = r['event'] ?? 'commit';
  if (typeof event !== 'string' || !EVENTS.has(event)) throw badRequest(`event: must be one of ${[...EVENTS].join(', ')}`);
  const st = r['attemptState'];
  if (st !== undefined && (typeof st !== 'object' || st === null || Array.isArray(st))) throw badRequest('attemptState: must be an object');
  return {
    scoId: r['scoId'], seq, cmi: cmi as Record<string, unknown>, event: event as CommitRequest['event'],
    ...(st !== undefined ? { attemptState: st as Record<string, unknown> } : {}),
  };
}

export { scormLeaves } from './version-facts';

function contentUrl(s: AppServices, fileSetId: string, launchUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(launchUrl)) return launchUrl;
  return `${s.config.contentUrl}/content/${encodeURIComponent(fileSetId)}/${launchUrl}`;
}

interface Loaded {
  readonly session: LaunchSession;
  readonly model: ScormCourseModel;
  readonly facts: ScormVersionFacts;
  readonly fileSetId: string;
  readonly courseTitle: string;
  readonly attempt: Attempt;
  readonly user: Pick<User, 'id' | 'name'>;
}

async function load(s: AppServices, session: LaunchSession): Promise<Loaded> {
  const [found, course, attempt, user] = await Promise.all([
    scormVersionFacts(s.store, session.versionId),
    s.store.courses.findCourse(session.courseId),
    s.store.launch.findAttempt(session.attemptId),
    s.store.accounts.findUser(session.userId),
  ]);
  if (!found || !course || !attempt || !user) throw notFound(`launch session ${session.id} points at records that no longer exist`);
  const { version, facts } = found;
  if (!facts) throw conflict(`launch session ${session.id} is a ${version.model.format} course, not SCORM`);
  return { session, model: facts.model, facts, fileSetId: version.fileSetId, courseTitle: course.title, attempt, user: { id: user.id, name: user.name } };
}

/** The learner's SCORM Agent Profile preferences; {} when none or unreadable (a launch never fails on them). */
async function learnerPreferences(s: AppServices, user: Pick<User, 'id' | 'name'>): Promise<Record<string, unknown>> {
  const key = agentKey({ ...xapiActor(user, s.config) });
  if (key === undefined) return {};
  try {
    return await readAgentPreferences(s.store.documents, key);
  } catch (err) {
    s.logger.error({ err, userId: user.id }, 'launch: reading the SCORM agent profile failed');
    return {};
  }
}

/** The launcher's seed for a session. */
export async function launcherSeed(s: AppServices, session: LaunchSession): Promise<LauncherSeed> {
  const l = await load(s, session);
  const runtime = new Map((await s.store.launch.findRuntime(session.attemptId)).map((r) => [r.scoId, r]));
  const items = l.facts.leaves;
  const review = session.mode === 'review';
  const preferences = await learnerPreferences(s, l.user);
  const scos: SeedSco[] = items.map((it) => {
    const stored = runtime.get(it.identifier);
    return {
      id: it.identifier,
      title: it.title,
      launchUrl: contentUrl(s, l.fileSetId, it.launchUrl ?? ''),
      scormType: it.scormType ?? 'sco',
      isVisible: it.isVisible,
      seq: stored?.seq ?? 0,
      scoAttempts: stored ? Math.max(1, stored.scoAttempts ?? 1) : 0,
      ...(it.prerequisites !== undefined ? { prerequisites: it.prerequisites } : {}),
      cmi: seedCmi(l.model.format, stored?.cmi, {
        learnerId: l.user.id, learnerName: l.user.name, review, item: seedItemOf(l.model.format, it), preferences,
      }),
    };
  });
  const first = scos[0];
  if (!first) throw conflict(`course ${session.courseId} has no launchable item`);
  // Resume: SCORM 1.2 reopens the SCO launched last; SCORM 2004 resumes the SCO left suspended
  // (resumeAll), and otherwise lets the sequencing's start request decide.
  const resumable = l.model.format === 'scorm12' || l.attempt.suspended ? l.attempt.lastScoId : undefined;
  const start = session.scoId ?? resumable;
  const known = start !== undefined && scos.some((x) => x.id === start);
  return {
    sessionId: session.id,
    mode: session.mode,
    format: l.model.format,
    registration: session.registrationId,
    attempt: { id: l.attempt.id, number: l.attempt.number },
    learner: { id: l.user.id, name: l.user.name },
    course: { id: session.courseId, title: l.courseTitle, activityId: courseIri(s.config, session.courseId) },
    startScoId: known ? start : first.id,
    startChosen: known,
    scos,
    sequencing: l.model.format === 'scorm2004' ? toScormAgainSequencing(l.model) : null,
    attemptState: l.attempt.state ?? null,
  };
}

/**
 * Course-level rollup of the SCO statuses: completed when every SCO is, passed when every judged
 * SCO passed, failed when every SCO has finished and one failed; score = mean scaled score, time =
 * sum. SCORM 1.2 uses it whole; for SCORM 2004 completion and success come from the manifest's
 * sequencing (course-rollup.ts) and the score from its measure rollup (measure-rollup.ts) instead.
 */
export function rollup(statuses: readonly ScoStatus[], scoCount: number): Pick<AttemptPatch, 'completion' | 'success' | 'scoreScaled' | 'totalSeconds'> {
  const completedAll = statuses.length >= scoCount && statuses.every((x) => x.completion === 'completed');
  const anyStarted = statuses.some((x) => x.completion !== 'not attempted' && x.completion !== 'unknown');
  const judged = statuses.filter((x) => x.success !== 'unknown');
  const allSatisfied = statuses.length >= scoCount && statuses.every((x) => x.completion === 'completed' || x.success === 'passed');
  // A course is failed once every SCO has finished and one failed: a quiz failed half way through
  // a multi-SCO course must not end the attempt (the learner would lose Resume to a new attempt).
  const allFinished = statuses.length >= scoCount && statuses.every((x) => x.completion === 'completed' || x.success !== 'unknown');
  const success = judged.some((x) => x.success === 'failed') && allFinished ? 'failed' : judged.length > 0 && allSatisfied ? 'passed' : 'unknown';
  const scores = statuses.map((x) => x.scaled).filter((x): x is number => x !== undefined);
  return {
    completion: completedAll ? 'completed' : anyStarted ? 'incomplete' : 'not attempted',
    success,
    scoreScaled: scores.length > 0 ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10000) / 10000 : null,
    totalSeconds: statuses.reduce((a, x) => a + x.totalSeconds, 0),
  };
}

/** The LRS caller the player writes as: the learner's organization, the player as authority. */
function playerAuth(s: AppServices, session: LaunchSession, orgId: string | undefined): AuthContext {
  return {
    credentialKey: `player:${session.id}`,
    name: 'LearnHQ player',
    scopes: new Set(['statements/write', 'state']),
    authority: { objectType: 'Agent', name: 'LearnHQ player', account: { homePage: s.config.publicUrl, name: 'learnhq-player' } },
    ...(orgId !== undefined ? { orgId } : {}),
    lmsWriter: true,
  };
}

// Which commits of a session still owe the learner's Agent Profile a write (see the module).
const agentProfiles = createAgentProfileMemo();

function preferencesOf(attemptState: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const p = attemptState['preferences'];
  return typeof p === 'object' && p !== null && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
}

/** State ids of the ADL SCORM profile (the documents are written by ./profile-documents). */
export { ACTIVITY_STATE_ID, ATTEMPT_STATE_ID } from './profile-documents';

/**
 * Stores a commit when its seq is new, updates the attempt (rollup, time, suspend, last SCO) and
 * writes the profile statements and State documents. Review sessions never change anything.
 */
export async function commitRuntime(s: AppServices, session: LaunchSession, req: CommitRequest): Promise<CommitResult> {
  const l = await load(s, session);
  const items = l.facts.leaves;
  const item = items.find((i) => i.identifier === req.scoId);
  if (!item) throw badRequest(`scoId: "${req.scoId}" is not a launchable item of this course`);
  const summary = (a: Attempt): CommitResult['attempt'] => ({
    completion: a.completion, success: a.success, suspended: a.suspended, ...(a.scoreScaled !== undefined ? { scoreScaled: a.scoreScaled } : {}),
  });
  if (session.mode === 'review') {
    const stored = await s.store.launch.findRuntime(session.attemptId, req.scoId);
    return { applied: false, seq: stored[0]?.seq ?? 0, attempt: summary(l.attempt) };
  }
  // One read of the attempt's runtime rows serves the diff (previous) and the rollup (the others).
  const before = await s.store.launch.findRuntime(session.attemptId);
  const previous = before.find((r) => r.scoId === req.scoId);
  const at = s.now().toISOString();
  const now = scoStatus(l.model.format, req.cmi);
  const startsNew = startsNewScoAttempt(req.event, previous !== undefined, now.entry);
  const runtime: ScoRuntime = {
    attemptId: session.attemptId, scoId: req.scoId, seq: req.seq, cmi: req.cmi, scoAttempts: scoAttemptsAfter(previous, startsNew), updatedAt: at,
  };
  const outcome = await s.store.launch.commitRuntime(runtime);
  if (!outcome.applied) return { applied: false, seq: outcome.seq, attempt: summary(l.attempt) };

  const known = [...before.filter((r) => r.scoId !== req.scoId && items.some((i) => i.identifier === r.scoId)), runtime];
  const statuses = known.map((r) => (r === runtime ? now : scoStatus(l.model.format, r.cmi)));
  let roll: Partial<ReturnType<typeof rollup>> = rollup(statuses, l.facts.scoCount);
  if (l.model.format === 'scorm2004') {
    const scaled = new Map(known.flatMap((r, i) => {
      const v = statuses[i]?.scaled;
      return v !== undefined ? [[r.scoId, v] as const] : [];
    }));
    roll = { ...roll, scoreScaled: courseMeasure(l.model, scaled) ?? null };
  }
  const plan = l.facts.rollupPlan;
  if (plan && !rollupInputsChanged(previous, runtime)) {
    // Nothing the sequencing rollup reads changed: the status it gave at an earlier commit stands,
    // so the engine does not run and the patch leaves the stored completion and success alone
    // (writing the attempt's old values back could undo a concurrent commit of another SCO).
    const { completion: _c, success: _s, ...rest } = roll;
    roll = rest;
  } else if (plan) {
    try {
      roll = { ...roll, ...courseStatus(plan, known) };
    } catch (err) {
      // Keep the simple rollup rather than lose the commit when the engine cannot run.
      s.logger.error({ err, sessionId: session.id }, 'launch: SCORM 2004 sequencing rollup failed; using the simple rollup');
    }
  }
  const completion = roll.completion ?? l.attempt.completion;
  const success = roll.success ?? l.attempt.success;
  const done = completion === 'completed' || success === 'passed' || success === 'failed';
  const patch: AttemptPatch = {
    ...roll,
    lastScoId: req.scoId,
    ...(req.event === 'terminate' ? { suspended: now.exit === 'suspend' } : {}),
    ...(req.attemptState !== undefined ? { state: req.attemptState } : {}),
    ...(done && l.attempt.completedAt === undefined ? { completedAt: at } : {}),
    updatedAt: at,
  };
  const updated = (await s.store.launch.updateAttempt(session.attemptId, patch)) ?? l.attempt;

  const registration = await s.store.launch.findRegistration(session.registrationId);
  const actor = { ...xapiActor(l.user, s.config) };
  const courseActivityId = courseIri(s.config, session.courseId);
  const scoActivityId = scoIri(courseActivityId, req.scoId);
  let scoAttempt = scoAttemptIri(scoActivityId, session.attemptId);
  try {
    // The profile's documents first: they decide which SCO attempt the statements belong to.
    const key = agentKey(actor);
    if (key !== undefined) {
      const attemptState = attemptStateOf(l.model.format, req.cmi);
      const preferences = preferencesOf(attemptState);
      const writeAgentProfile = agentProfiles.due(session.id, req.event, preferences);
      scoAttempt = await writeProfileDocuments(s.store.documents, {
        version: l.model.format, item, scoActivityId, baseAttemptIri: scoAttempt, agentKey: key, at,
        startsNewAttempt: startsNew, writeActivityProfile: previous === undefined || req.event === 'initialize',
        attemptState, learner: { id: l.user.id, name: l.user.name }, writeAgentProfile,
      });
      if (writeAgentProfile) agentProfiles.written(session.id, req.event, preferences);
    }
  } catch (err) {
    s.logger.error({ err, sessionId: session.id, scoId: req.scoId }, 'launch: writing SCORM profile documents failed');
  }
  const statements = profileStatements({
    version: l.model.format, actor, registration: session.registrationId, attemptId: session.attemptId,
    courseActivityId, courseTitle: l.courseTitle, scoId: req.scoId, scoTitle: item.title,
    seq: req.seq, timestamp: at, scoAttemptIri: scoAttempt,
  }, { event: req.event, previous: previous?.cmi, current: req.cmi });
  try {
    if (statements.length > 0) {
      await storeStatements(s, {
        body: { json: statements, parts: new Map(), multipart: false }, version: '2.0.0', auth: playerAuth(s, session, registration?.orgId),
      });
    }
  } catch (err) {
    // The runtime data is safe; a failed mirror to the LRS must not make the SCO lose its commit.
    s.logger.error({ err, sessionId: session.id, scoId: req.scoId }, 'launch: writing SCORM profile statements failed');
  }
  return { applied: true, seq: outcome.seq, attempt: summary(updated) };
}
