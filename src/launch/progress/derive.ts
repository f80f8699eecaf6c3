/**
 * Pure part of the progress projection: which row(s) a stored statement moves and how. No I/O.
 *
 * Rules (decided for issue 6; see docs/adr/0009-progress-projection-and-cmi5.md):
 * - Only statements whose context.registration has a progress track and whose actor is the
 *   track's learner count (others, e.g. an outside tool reusing the registration, are ignored).
 * - Every counted statement moves the course row: statements +1, lastActivityAt = its timestamp.
 * - Time: result.duration of statements that end a sitting (terminated, suspended, exited,
 *   abandoned) only; summing every duration would count a sitting twice (cmi5 completed/passed
 *   carry the time to completion as well).
 * - Attempts (sittings): verbs initialized, attempted and resumed (the ADL SCORM profile's start of
 *   a resumed sitting).
 * - Status (completion, success, score, satisfied, waived) moves the course row when the object
 *   is one of the track's course activities, and a unit row when it is one of its units.
 */
import type { ProgressDelta, ProgressTrack } from '../../store/ports';
import { agentKey } from '../../xapi/model/agent-key';
import { isJsonObject, type JsonObject } from '../../xapi/model/types';
import { timeOf } from '../../xapi/model/statement-time';

export const VERB = {
  initialized: 'http://adlnet.gov/expapi/verbs/initialized',
  attempted: 'http://adlnet.gov/expapi/verbs/attempted',
  resumed: 'http://adlnet.gov/expapi/verbs/resumed',
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  terminated: 'http://adlnet.gov/expapi/verbs/terminated',
  suspended: 'http://adlnet.gov/expapi/verbs/suspended',
  exited: 'http://adlnet.gov/expapi/verbs/exited',
  abandoned: 'https://w3id.org/xapi/adl/verbs/abandoned',
  waived: 'https://w3id.org/xapi/adl/verbs/waived',
  satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
} as const;

const SITTING_ENDS: ReadonlySet<string> = new Set([VERB.terminated, VERB.suspended, VERB.exited, VERB.abandoned]);
const SITTING_STARTS: ReadonlySet<string> = new Set([VERB.initialized, VERB.attempted, VERB.resumed]);

/** Milliseconds of an ISO 8601 duration (years and months as 365 and 30 days); 0 when unreadable. */
export function durationMs(value: unknown): number {
  if (typeof value !== 'string') return 0;
  const m = /^P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/.exec(value);
  if (!m) return 0;
  const n = (i: number): number => Number((m[i] ?? '0').replace(',', '.'));
  const days = n(1) * 365 + n(2) * 30 + n(3) * 7 + n(4);
  return Math.round(((days * 24 + n(5)) * 60 + n(6)) * 60_000 + n(7) * 1000);
}

/** context.registration in lower case, when any. */
export function registrationOf(s: JsonObject): string | undefined {
  const ctx = s['context'];
  return isJsonObject(ctx) && typeof ctx['registration'] === 'string' ? ctx['registration'].toLowerCase() : undefined;
}

type Status = Pick<ProgressDelta, 'completion' | 'success' | 'score' | 'satisfied' | 'waived'>;

function statusOf(s: JsonObject, verb: string, at: string): Status {
  const result = isJsonObject(s['result']) ? s['result'] : {};
  const out: { -readonly [K in keyof Status]: Status[K] } = {};
  if (verb === VERB.completed || verb === VERB.satisfied || verb === VERB.waived || result['completion'] === true) out.completion = 'completed';
  else out.completion = 'incomplete';
  if (verb === VERB.passed || verb === VERB.waived || result['success'] === true) out.success = { value: 'passed', at };
  else if (verb === VERB.failed || result['success'] === false) out.success = { value: 'failed', at };
  const score = result['score'];
  if (isJsonObject(score)) {
    const { scaled, raw, min, max } = score;
    if (typeof scaled === 'number') out.score = { scaled, at };
    else if (typeof raw === 'number' && typeof min === 'number' && typeof max === 'number' && max > min) {
      out.score = { scaled: Math.round(((raw - min) / (max - min)) * 10000) / 10000, at };
    }
  }
  if (verb === VERB.satisfied) out.satisfied = true;
  if (verb === VERB.waived) {
    out.waived = true;
    out.satisfied = true;
  }
  return out;
}

/**
 * The deltas a batch of stored statements makes, given the tracks of their registrations.
 * Statements of untracked registrations or of another actor give none.
 */
export function progressDeltas(statements: readonly JsonObject[], tracks: ReadonlyMap<string, ProgressTrack>, updatedAt: string): ProgressDelta[] {
  const out: ProgressDelta[] = [];
  for (const s of statements) {
    const reg = registrationOf(s);
    const track = reg !== undefined ? tracks.get(reg) : undefined;
    if (!track || agentKey(s['actor']) !== track.agentKey) continue;
    const verb = isJsonObject(s['verb']) && typeof s['verb']['id'] === 'string' ? s['verb']['id'] : '';
    const obj = s['object'];
    const objectId = isJsonObject(obj) && (obj['objectType'] === undefined || obj['objectType'] === 'Activity') && typeof obj['id'] === 'string'
      ? obj['id'] : undefined;
    const at = timeOf(s);
    const result = isJsonObject(s['result']) ? s['result'] : {};
    const timeMs = SITTING_ENDS.has(verb) ? durationMs(result['duration']) : 0;
    const attempts = SITTING_STARTS.has(verb) ? 1 : 0;
    const status = objectId !== undefined ? statusOf(s, verb, at) : {};
    const base = { registration: track.registration, statements: 1, attempts, timeMs, lastActivityAt: at, updatedAt };
    const isCourse = objectId !== undefined && track.courseActivityIds.includes(objectId);
    out.push({ ...base, activityId: '', ...(isCourse ? status : {}) });
    if (objectId !== undefined && track.unitActivityIds.includes(objectId)) out.push({ ...base, activityId: objectId, ...status });
  }
  return out;
}
