/**
 * Reading and seeding scorm-again cmi JSON (`{ cmi: {...} }`, as `renderCommitCMI(true)` gives
 * it) for SCORM 1.2 and 2004: the statuses, score, times and interactions the server needs, and
 * the object a relaunch loads with `loadFromJSON`. Pure functions.
 */
import type { ScormItem } from '../../packages/course-model';
import type { CompletionState, SuccessState } from '../../store/ports';
import { num, obj, str, type Obj } from './cmi-values';

/** The two SCORM runtimes. */
export type ScormVersion = 'scorm12' | 'scorm2004';


/** The inner cmi object of a commit (`{ cmi: {...} }` or the bare object). */
export function cmiRoot(data: Readonly<Record<string, unknown>>): Obj {
  return 'cmi' in data ? obj(data['cmi']) : { ...data };
}

/** A SCO's state as the server tracks it. */
export interface ScoStatus {
  readonly completion: CompletionState;
  readonly success: SuccessState;
  /** Scaled score -1..1 when known. */
  readonly scaled?: number;
  readonly raw?: number;
  readonly min?: number;
  readonly max?: number;
  /** cmi total time (including the session when the commit was rendered at terminate), seconds. */
  readonly totalSeconds: number;
  /** Session time, seconds. */
  readonly sessionSeconds: number;
  readonly exit: string;
  readonly entry: string;
  readonly location: string;
  readonly suspendData: string;
}

/** One interaction of the cmi data. */
export interface InteractionData {
  readonly index: number;
  readonly id: string;
  readonly type: string;
  readonly response: string;
  readonly result: string;
  readonly description: string;
  readonly correctResponses: readonly string[];
  readonly latency: string;
}

/** SCORM 1.2 CMITimespan HH:MM:SS(.SS) → seconds. */
export function timespanSeconds(v: string): number {
  const m = /^(\d{1,4}):(\d{2}):(\d{2}(?:\.\d{1,2})?)$/.exec(v.trim());
  if (!m) return 0;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** ISO 8601 duration (SCORM 2004 timeinterval) → seconds; 0 when unparseable. */
export function durationSeconds(v: string): number {
  const m = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(v.trim());
  if (!m) return 0;
  const [, y, mo, d, h, mi, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return (y ?? 0) * 31536000 + (mo ?? 0) * 2592000 + (d ?? 0) * 86400 + (h ?? 0) * 3600 + (mi ?? 0) * 60 + (s ?? 0);
}

/** Seconds → ISO 8601 duration with centisecond precision (xAPI result.duration). */
export function isoDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds * 100) / 100);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = Math.round((total % 60) * 100) / 100;
  return `PT${h}H${m}M${s}S`;
}

function scaledFrom(raw: number | undefined, min: number | undefined, max: number | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const lo = min ?? 0;
  const hi = max ?? 100;
  if (hi <= lo) return undefined;
  return Math.max(-1, Math.min(1, (raw - lo) / (hi - lo)));
}

/** The status of a SCO from its cmi data. */
export function scoStatus(version: ScormVersion, data: Readonly<Record<string, unknown>>): ScoStatus {
  const cmi = cmiRoot(data);
  if (version === 'scorm12') {
    const core = obj(cmi['core']);
    const score = obj(core['score']);
    const status = str(core['lesson_status']);
    const completion: CompletionState =
      status === 'passed' || status === 'completed' ? 'completed'
        : status === 'incomplete' || status === 'failed' || status === 'browsed' ? 'incomplete'
          : status === 'not attempted' ? 'not attempted' : 'unknown';
    const success: SuccessState = status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : 'unknown';
    const raw = num(score['raw']);
    const min = num(score['min']);
    const max = num(score['max']);
    const scaled = scaledFrom(raw, min, max);
    return {
      completion, success, ...(scaled !== undefined ? { scaled } : {}),
      ...(raw !== undefined ? { raw } : {}), ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}),
      totalSeconds: timespanSeconds(str(core['total_time'])), sessionSeconds: timespanSeconds(str(core['session_time'])),
      exit: str(core['exit']), entry: str(core['entry']), location: str(core['lesson_location']), suspendData: str(cmi['suspend_data']),
    };
  }
  const score = obj(cmi['score']);
  const c = str(cmi['completion_status']);
  const sc = str(cmi['success_status']);
  const raw = num(score['raw']);
  const min = num(score['min']);
  const max = num(score['max']);
  const scaled = num(score['scaled']) ?? (raw !== undefined && max !== undefined ? scaledFrom(raw, min, max) : undefined);
  return {
    completion: c === 'completed' || c === 'incomplete' || c === 'not attempted' ? c : 'unknown',
    success: sc === 'passed' || sc === 'failed' ? sc : 'unknown',
    ...(scaled !== undefined ? { scaled } : {}),
    ...(raw !== undefined ? { raw } : {}), ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}),
    totalSeconds: durationSeconds(str(cmi['total_time'])), sessionSeconds: durationSeconds(str(cmi['session_time'])),
    exit: str(cmi['exit']), entry: str(cmi['entry']), location: str(cmi['location']), suspendData: str(cmi['suspend_data']),
  };
}

/** Interactions in index order (scorm-again keeps them as an object keyed by index, or childArray). */
export function interactionsOf(version: ScormVersion, data: Readonly<Record<string, unknown>>): InteractionData[] {
  const container = cmiRoot(data)['interactions'];
  const entries: [number, Obj][] = Array.isArray(container)
    ? container.map((v, i) => [i, obj(v)])
    : Object.entries(obj(container)).filter(([k]) => /^\d+$/.test(k)).map(([k, v]) => [Number(k), obj(v)]);
  const childArray = obj(container)['childArray'];
  if (Array.isArray(childArray)) childArray.forEach((v, i) => entries.push([i, obj(v)]));
  entries.sort((a, b) => a[0] - b[0]);
  return entries
    .filter(([, v]) => str(v['id']) !== '')
    .map(([index, v]) => ({
      index,
      id: str(v['id']),
      type: str(v['type']),
      response: str(version === 'scorm12' ? v['student_response'] : v['learner_response']),
      result: str(v['result']),
      description: str(v['description']),
      correctResponses: Object.values(obj(v['correct_responses'])).map((p) => str(obj(p)['pattern'])).filter((p) => p !== ''),
      latency: str(v['latency']),
    }));
}

/** What the launcher knows about a SCO from the manifest, for seeding read-only elements. */
export interface SeedItem {
  /** launch_data (1.2 and 2004). */
  readonly dataFromLms?: string;
  /** SCORM 1.2 student_data.mastery_score (0–100). */
  readonly masteryScore?: number;
  /** max_time_allowed: a CMITimespan (1.2) or an ISO 8601 duration (2004). */
  readonly maxTimeAllowed?: string;
  readonly timeLimitAction?: string;
  /** SCORM 2004 completion_threshold (0–1). */
  readonly completionThreshold?: number;
  /** SCORM 2004 scaled_passing_score (-1–1). */
  readonly scaledPassingScore?: number;
}

/**
 * The manifest values a SCO's read-only cmi elements start from (SCORM 2004 RTE 4.2: launch_data
 * ← adlcp:dataFromLMS, completion_threshold ← adlcp:completionThreshold when completedByMeasure,
 * max_time_allowed ← imsss:attemptAbsoluteDurationLimit, time_limit_action ← adlcp:timeLimitAction,
 * scaled_passing_score ← the primary objective's minNormalizedMeasure when satisfiedByMeasure;
 * SCORM 1.2: adlcp:datafromlms, masteryscore, maxtimeallowed, timelimitaction).
 */
export function seedItemOf(version: ScormVersion, item: ScormItem): SeedItem {
  const out: { -readonly [K in keyof SeedItem]: SeedItem[K] } = {};
  if (item.dataFromLms !== undefined) out.dataFromLms = item.dataFromLms;
  if (item.timeLimitAction !== undefined) out.timeLimitAction = item.timeLimitAction;
  if (version === 'scorm12') {
    if (item.masteryScore !== undefined) out.masteryScore = item.masteryScore;
    if (item.maxTimeAllowed !== undefined) out.maxTimeAllowed = item.maxTimeAllowed;
    return out;
  }
  const limit = item.sequencing?.limitConditions.attemptAbsoluteDurationLimit ?? item.maxTimeAllowed;
  if (limit !== undefined) out.maxTimeAllowed = limit;
  if (item.completionThreshold?.completedByMeasure) out.completionThreshold = item.completionThreshold.minProgressMeasure;
  const primary = item.sequencing?.objectives.primary;
  if (primary?.satisfiedByMeasure) out.scaledPassingScore = primary.minNormalizedMeasure;
  return out;
}

/**
 * Agent Profile preferences as cmi.learner_preference (2004) or cmi.student_preference (1.2)
 * strings; undefined when there are none. SCORM 1.2 has audio (-1..100), language and text
 * (-1, 0, 1); its speed is not the 2004 multiplier, so delivery_speed is not carried over.
 */
function preferencesFor(version: ScormVersion, prefs: Readonly<Record<string, unknown>> | undefined): Obj | undefined {
  if (!prefs) return undefined;
  const out: Obj = {};
  const audio = num(prefs['audio_level']);
  const language = typeof prefs['language'] === 'string' ? prefs['language'] : undefined;
  const captions = num(prefs['audio_captioning']);
  const speed = num(prefs['delivery_speed']);
  if (version === 'scorm12') {
    if (audio !== undefined && audio <= 100) out['audio'] = String(Math.round(audio));
    if (language !== undefined) out['language'] = language;
    if (captions !== undefined) out['text'] = String(captions);
  } else {
    if (audio !== undefined) out['audio_level'] = String(audio);
    if (language !== undefined) out['language'] = language;
    if (speed !== undefined) out['delivery_speed'] = String(speed);
    if (captions !== undefined) out['audio_captioning'] = String(captions);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The object a launch passes to scorm-again's `loadFromJSON`: the stored data (when any) with
 * entry set from the previous exit (suspend → resume, else a fresh start), exit and session time
 * cleared, and learner, mode, credit and manifest values filled in.
 */
export function seedCmi(
  version: ScormVersion,
  stored: Readonly<Record<string, unknown>> | undefined,
  ctx: {
    readonly learnerId: string; readonly learnerName: string; readonly review: boolean; readonly item: SeedItem;
    /** The learner's SCORM Agent Profile preferences (audio_level, language, delivery_speed, audio_captioning). */
    readonly preferences?: Readonly<Record<string, unknown>>;
  },
): Obj {
  const cmi: Obj = stored ? (JSON.parse(JSON.stringify(cmiRoot(stored))) as Obj) : {};
  const prev = stored ? scoStatus(version, stored) : undefined;
  const resume = prev?.exit === 'suspend' || (ctx.review && stored !== undefined);
  if (version === 'scorm12') {
    const core = obj(cmi['core']);
    delete core['exit'];
    delete core['session_time'];
    core['entry'] = resume ? 'resume' : stored ? '' : 'ab-initio';
    core['student_id'] = ctx.learnerId;
    core['student_name'] = ctx.learnerName;
    core['lesson_mode'] = ctx.review ? 'review' : 'normal';
    core['credit'] = ctx.review ? 'no-credit' : 'credit';
    cmi['core'] = core;
    if (ctx.item.dataFromLms !== undefined) cmi['launch_data'] = ctx.item.dataFromLms;
    const sd = obj(cmi['student_data']);
    if (ctx.item.masteryScore !== undefined) sd['mastery_score'] = String(ctx.item.masteryScore);
    if (ctx.item.maxTimeAllowed !== undefined) sd['max_time_allowed'] = ctx.item.maxTimeAllowed;
    if (ctx.item.timeLimitAction !== undefined) sd['time_limit_action'] = ctx.item.timeLimitAction;
    cmi['student_data'] = sd;
    const pref = preferencesFor('scorm12', ctx.preferences);
    if (pref) cmi['student_preference'] = { ...obj(cmi['student_preference']), ...pref };
    return cmi;
  }
  delete cmi['exit'];
  delete cmi['session_time'];
  cmi['entry'] = resume ? 'resume' : 'ab-initio';
  cmi['learner_id'] = ctx.learnerId;
  cmi['learner_name'] = ctx.learnerName;
  cmi['mode'] = ctx.review ? 'review' : 'normal';
  cmi['credit'] = ctx.review ? 'no-credit' : 'credit';
  if (ctx.item.dataFromLms !== undefined) cmi['launch_data'] = ctx.item.dataFromLms;
  if (ctx.item.maxTimeAllowed !== undefined) cmi['max_time_allowed'] = ctx.item.maxTimeAllowed;
  if (ctx.item.timeLimitAction !== undefined) cmi['time_limit_action'] = ctx.item.timeLimitAction;
  if (ctx.item.completionThreshold !== undefined) cmi['completion_threshold'] = String(ctx.item.completionThreshold);
  if (ctx.item.scaledPassingScore !== undefined) cmi['scaled_passing_score'] = String(ctx.item.scaledPassingScore);
  const pref = preferencesFor('scorm2004', ctx.preferences);
  if (pref) cmi['learner_preference'] = { ...obj(cmi['learner_preference']), ...pref };
  return cmi;
}
