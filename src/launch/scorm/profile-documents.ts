/**
 * The xAPI documents of the ADL xAPI SCORM Profile (https://w3id.org/xapi/scorm), kept in our own
 * LRS document store as a SCO runs:
 * - Activity Profile `https://w3id.org/xapi/scorm/activity-profile` on the SCO activity: the
 *   values that are the same for every learner (launch data, passing score, time limits), taken
 *   from the manifest — never from the commit, which the content could have tampered with.
 * - Activity State `https://w3id.org/xapi/scorm/activity-state` on the SCO activity, per learner:
 *   `{ attempts: [...] }`, the SCO's attempt IRIs from first to latest.
 * - Attempt State `https://w3id.org/xapi/scorm/attempt-state` on the attempt activity, per
 *   learner: credit, mode, location, preferences, total time.
 * - Agent Profile `https://w3id.org/xapi/scorm/agent-profile` on the learner: learner id and name
 *   (from the account, never from the commit) and the learner's preferences, which belong to the
 *   learner rather than to one SCO, so every SCO's commit updates the same document.
 * The profile's queries name no registration, so the State documents are stored without one.
 * Every write is compare-and-set and skipped when the content would not change, so a retried
 * commit neither duplicates an attempt nor rewrites a document.
 */
import { createHash } from 'node:crypto';
import type { ScormItem } from '../../packages/course-model';
import type { DocumentKey, DocumentStore } from '../../store/ports/documents';
import { durationSeconds, timespanSeconds, type ScormVersion } from './cmi';

/** Profile id of the SCORM Activity Profile document. */
export const ACTIVITY_PROFILE_ID = 'https://w3id.org/xapi/scorm/activity-profile';
/** State id of the SCORM Activity State document (the attempts list). */
export const ACTIVITY_STATE_ID = 'https://w3id.org/xapi/scorm/activity-state';
/** State id of the SCORM Activity Attempt State document. */
export const ATTEMPT_STATE_ID = 'https://w3id.org/xapi/scorm/attempt-state';
/** Profile id of the SCORM Agent Profile document (learner preferences). */
export const AGENT_PROFILE_ID = 'https://w3id.org/xapi/scorm/agent-profile';

const PREFERENCE_KEYS = ['audio_level', 'language', 'delivery_speed', 'audio_captioning'] as const;

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * The next SCORM Agent Profile document: the stored one (only the properties the profile's schema
 * allows are kept, since it forbids others), the learner's id and name, and the commit's
 * preferences (schema-checked already, see attemptStateOf) over the stored ones — a SCO that
 * reports no value for a preference leaves the one another SCO set.
 */
export function agentProfileOf(
  current: unknown,
  learner: { readonly id: string; readonly name: string },
  preferences: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const stored = record(record(current)['preferences']);
  const merged: Record<string, unknown> = {};
  for (const k of PREFERENCE_KEYS) {
    const v = preferences[k] !== undefined ? preferences[k] : stored[k];
    if (v !== undefined) merged[k] = v;
  }
  return {
    learner_id: learner.id,
    ...(learner.name !== '' ? { learner_name: learner.name } : {}),
    ...(Object.keys(merged).length > 0 ? { preferences: merged } : {}),
  };
}

/** The SCORM Activity Profile document of a SCO, from its manifest item. */
export function activityProfileOf(version: ScormVersion, item: ScormItem): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (item.completionThreshold?.completedByMeasure) out['completion_threshold'] = item.completionThreshold.minProgressMeasure;
  if (item.dataFromLms !== undefined) out['launch_data'] = item.dataFromLms;
  const limit = item.maxTimeAllowed ?? item.sequencing?.limitConditions.attemptAbsoluteDurationLimit;
  if (limit !== undefined) {
    // The profile keeps max_time_allowed as a number of seconds.
    const seconds = limit.includes(':') ? timespanSeconds(limit) : durationSeconds(limit);
    if (seconds > 0) out['max_time_allowed'] = seconds;
  }
  if (version === 'scorm12' && item.masteryScore !== undefined) out['scaled_passing_score'] = Math.round(item.masteryScore) / 100;
  const primary = item.sequencing?.objectives.primary;
  if (version === 'scorm2004' && primary?.satisfiedByMeasure) out['scaled_passing_score'] = primary.minNormalizedMeasure;
  if (item.timeLimitAction !== undefined) out['time_limit_action'] = item.timeLimitAction;
  return out;
}

function etagOf(content: Buffer): string {
  return `"${createHash('sha1').update(content).digest('hex')}"`;
}

function parse(content: Buffer): unknown {
  try {
    return JSON.parse(content.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Read-modify-write of one JSON document with compare-and-set, retried when another writer got
 * there first. `next` gets the stored JSON (undefined when none or not JSON) and returns the new
 * value, or undefined to leave the document alone.
 */
async function updateJson(docs: DocumentStore, key: DocumentKey, at: string, next: (current: unknown) => unknown): Promise<void> {
  for (let tries = 0; tries < 5; tries++) {
    const stored = await docs.findDocument(key);
    const value = next(stored ? parse(stored.content) : undefined);
    if (value === undefined) return;
    const content = Buffer.from(JSON.stringify(value), 'utf8');
    if (stored && stored.content.equals(content) && stored.contentType === 'application/json') return;
    const ok = await docs.upsertDocument(
      { key, contentType: 'application/json', content, etag: etagOf(content), updated: at },
      stored ? { etag: stored.etag } : { absent: true },
    );
    if (ok) return;
  }
  throw new Error(`SCORM profile document ${key.docId} on ${key.activityId}: kept changing under concurrent writes`);
}

/**
 * The learner's preferences from their SCORM Agent Profile document ({} when none), for seeding
 * cmi.learner_preference so that a preference set in one SCO holds in the next.
 */
export async function readAgentPreferences(docs: DocumentStore, agentKey: string): Promise<Record<string, unknown>> {
  const stored = await docs.findDocument({ kind: 'agentProfile', activityId: '', agentKey, registration: '', docId: AGENT_PROFILE_ID });
  const prefs = record(record(stored ? parse(stored.content) : undefined)['preferences']);
  const out: Record<string, unknown> = {};
  for (const k of PREFERENCE_KEYS) if (prefs[k] !== undefined) out[k] = prefs[k];
  return out;
}

/** The attempt IRIs of an Activity State document (other entries are dropped). */
export function attemptsIn(doc: unknown): string[] {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return [];
  const list = (doc as Record<string, unknown>)['attempts'];
  return Array.isArray(list) ? list.filter((a): a is string => typeof a === 'string') : [];
}

/**
 * Which SCO attempt a commit belongs to, given the SCO's attempt list. One LearnHQ attempt may
 * hold several SCO attempts (a SCO re-entered after a normal exit starts a new one, as in SCORM):
 * the first is `base`, later ones `base-2`, `base-3`…. Returns the attempt IRI and the list to
 * store, or the same list when it already names the attempt.
 */
export function scoAttemptFor(attempts: readonly string[], base: string, startsNew: boolean): { readonly attemptIri: string; readonly attempts: readonly string[] } {
  const mine = attempts.filter((a) => a === base || (a.startsWith(`${base}-`) && /^\d+$/.test(a.slice(base.length + 1))));
  const latest = mine[mine.length - 1];
  if (latest !== undefined && !startsNew) return { attemptIri: latest, attempts };
  const attemptIri = mine.length === 0 ? base : `${base}-${mine.length + 1}`;
  return { attemptIri, attempts: [...attempts, attemptIri] };
}

/** What {@link writeProfileDocuments} needs about one commit. */
export interface ProfileDocumentsInput {
  readonly version: ScormVersion;
  readonly item: ScormItem;
  /** The SCO activity IRI. */
  readonly scoActivityId: string;
  /** The IRI of the first SCO attempt of this LearnHQ attempt. */
  readonly baseAttemptIri: string;
  /** Canonical agent key of the learner. */
  readonly agentKey: string;
  /** True when this commit opens a new SCO attempt (Initialize without resume after an earlier session). */
  readonly startsNewAttempt: boolean;
  /** The Attempt State document (see attemptStateOf); its `preferences` also feed the Agent Profile. */
  readonly attemptState: Record<string, unknown>;
  /**
   * Write the Activity Profile (default true). It comes from the manifest alone, so one write per
   * SCO session (at Initialize, or the SCO's first commit) keeps it; later commits skip the read.
   */
  readonly writeActivityProfile?: boolean;
  /** The learner (account id and name) for the Agent Profile; without it that document is not written. */
  readonly learner?: { readonly id: string; readonly name: string };
  /**
   * Read and write the Agent Profile (default true when `learner` is given). The caller skips it
   * on commits whose preferences it already wrote (see agent-profile-memo.ts).
   */
  readonly writeAgentProfile?: boolean;
  readonly at: string;
}

/**
 * Writes the profile documents for one commit and returns the IRI of the SCO attempt the commit
 * belongs to (the attempt activity of its statements).
 */
export async function writeProfileDocuments(docs: DocumentStore, input: ProfileDocumentsInput): Promise<string> {
  if (input.writeActivityProfile ?? true) {
    const profile = activityProfileOf(input.version, input.item);
    await updateJson(docs, { kind: 'activityProfile', activityId: input.scoActivityId, agentKey: '', registration: '', docId: ACTIVITY_PROFILE_ID }, input.at,
      () => profile);
  }

  let attemptIri = input.baseAttemptIri;
  await updateJson(docs, { kind: 'state', activityId: input.scoActivityId, agentKey: input.agentKey, registration: '', docId: ACTIVITY_STATE_ID }, input.at,
    (current) => {
      const attempts = attemptsIn(current);
      const pick = scoAttemptFor(attempts, input.baseAttemptIri, input.startsNewAttempt);
      attemptIri = pick.attemptIri;
      return pick.attempts === attempts && current !== undefined ? undefined : { attempts: pick.attempts };
    });

  await updateJson(docs, { kind: 'state', activityId: attemptIri, agentKey: input.agentKey, registration: '', docId: ATTEMPT_STATE_ID }, input.at,
    () => input.attemptState);

  const learner = input.learner;
  if (learner && (input.writeAgentProfile ?? true)) {
    const preferences = record(input.attemptState['preferences']);
    await updateJson(docs, { kind: 'agentProfile', activityId: '', agentKey: input.agentKey, registration: '', docId: AGENT_PROFILE_ID }, input.at,
      (current) => agentProfileOf(current, learner, preferences));
  }
  return attemptIri;
}
