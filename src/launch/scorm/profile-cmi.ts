/**
 * The parts of scorm-again cmi JSON that only the xAPI SCORM profile needs: objectives, learner
 * comments, the learner-specific attempt values (credit, mode, location, preferences, total time)
 * and SCORM 1.2 → xAPI interaction response formats. Pure functions, both SCORM versions.
 */
import { cmiRoot, isoDuration, timespanSeconds, type ScormVersion } from './cmi';
import { num, obj, str, type Obj } from './cmi-values';


/** scorm-again keeps collections as objects keyed by index, as arrays, or with a childArray. */
function indexed(container: unknown): [number, Obj][] {
  const entries: [number, Obj][] = Array.isArray(container)
    ? container.map((v, i): [number, Obj] => [i, obj(v)])
    : Object.entries(obj(container)).filter(([k]) => /^\d+$/.test(k)).map(([k, v]): [number, Obj] => [Number(k), obj(v)]);
  const childArray = obj(container)['childArray'];
  if (Array.isArray(childArray)) childArray.forEach((v, i) => entries.push([i, obj(v)]));
  return entries.sort((a, b) => a[0] - b[0]);
}

/** One cmi.objectives.n entry, in SCORM 2004 terms. */
export interface ObjectiveData {
  readonly id: string;
  readonly completion: 'completed' | 'incomplete' | 'unknown';
  readonly success: 'passed' | 'failed' | 'unknown';
  readonly scaled?: number;
  readonly raw?: number;
  readonly min?: number;
  readonly max?: number;
  readonly description: string;
}

/** The objectives with an id, in index order; SCORM 1.2 `status` is split into completion and success. */
export function objectivesOf(version: ScormVersion, data: Readonly<Record<string, unknown>>): ObjectiveData[] {
  return indexed(cmiRoot(data)['objectives'])
    .filter(([, v]) => str(v['id']) !== '')
    .map(([, v]) => {
      const score = obj(v['score']);
      const raw = num(score['raw']);
      const min = num(score['min']);
      const max = num(score['max']);
      let completion: ObjectiveData['completion'];
      let success: ObjectiveData['success'];
      let scaled = version === 'scorm2004' ? num(score['scaled']) : undefined;
      if (version === 'scorm12') {
        const status = str(v['status']);
        completion = status === 'passed' || status === 'completed' ? 'completed' : status === 'incomplete' || status === 'failed' ? 'incomplete' : 'unknown';
        success = status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : 'unknown';
        // The profile reports a SCORM 1.2 raw score as scaled = raw / 100 (0..100 unless min/max say otherwise).
        if (raw !== undefined) {
          const lo = min ?? 0;
          const hi = max ?? 100;
          if (hi > lo) scaled = Math.max(-1, Math.min(1, (raw - lo) / (hi - lo)));
        }
      } else {
        const c = str(v['completion_status']);
        const sc = str(v['success_status']);
        completion = c === 'completed' || c === 'incomplete' ? c : 'unknown';
        success = sc === 'passed' || sc === 'failed' ? sc : 'unknown';
      }
      return {
        id: str(v['id']), completion, success, description: str(v['description']),
        ...(scaled !== undefined ? { scaled } : {}), ...(raw !== undefined ? { raw } : {}),
        ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}),
      };
    });
}

/** One learner comment: SCORM 2004 comments_from_learner.n, or the whole SCORM 1.2 cmi.comments text (index 0). */
export interface CommentData {
  readonly index: number;
  readonly comment: string;
  readonly location: string;
  readonly timestamp: string;
}

/** Learner comments with text, in index order. */
export function learnerCommentsOf(version: ScormVersion, data: Readonly<Record<string, unknown>>): CommentData[] {
  const cmi = cmiRoot(data);
  if (version === 'scorm12') {
    const text = str(cmi['comments']);
    return text === '' ? [] : [{ index: 0, comment: text, location: '', timestamp: '' }];
  }
  return indexed(cmi['comments_from_learner'])
    .filter(([, v]) => str(v['comment']) !== '')
    .map(([index, v]) => ({ index, comment: str(v['comment']), location: str(v['location']), timestamp: str(v['timestamp']) }));
}

const LANGUAGE = /^[a-z]{2,3}(?:-[A-Z]{2,3}(?:-[a-zA-Z]{4})?)?$/;
const ISO_DURATION = /^P(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?D)?(?:T(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$/;
/** An ISO 8601 duration with at least one component (the bare `P` and `PT` match the pattern only). */
function isDuration(v: string): boolean {
  return ISO_DURATION.test(v) && v !== 'P' && !v.endsWith('T');
}

/**
 * The SCORM Activity Attempt State document (https://w3id.org/xapi/scorm/attempt-state) of a
 * SCO attempt. Only values the profile's schema allows are kept (it forbids other properties):
 * credit, mode, location, preferences and total_time as an ISO 8601 duration.
 */
export function attemptStateOf(version: ScormVersion, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const cmi = cmiRoot(data);
  const core = obj(cmi['core']);
  const v12 = version === 'scorm12';
  const credit = str(v12 ? core['credit'] : cmi['credit']);
  const mode = str(v12 ? core['lesson_mode'] : cmi['mode']);
  const location = str(v12 ? core['lesson_location'] : cmi['location']);
  const totalRaw = str(v12 ? core['total_time'] : cmi['total_time']);
  const total = v12 ? (totalRaw === '' ? '' : isoDuration(timespanSeconds(totalRaw))) : isDuration(totalRaw) ? totalRaw : '';

  const pref = obj(v12 ? cmi['student_preference'] : cmi['learner_preference']);
  const preferences: Record<string, unknown> = {};
  const audio = num(v12 ? pref['audio'] : pref['audio_level']);
  if (audio !== undefined && audio >= 0) preferences['audio_level'] = audio;
  const language = str(pref['language']);
  if (LANGUAGE.test(language)) preferences['language'] = language;
  // SCORM 1.2 speed is -100..100 around 0 = normal, not the 2004 multiplier; it has no faithful mapping.
  const speed = v12 ? undefined : num(pref['delivery_speed']);
  if (speed !== undefined && speed >= 0) preferences['delivery_speed'] = speed;
  const captions = num(v12 ? pref['text'] : pref['audio_captioning']);
  if (captions === -1 || captions === 0 || captions === 1) preferences['audio_captioning'] = captions;

  return {
    ...(credit === 'credit' || credit === 'no-credit' ? { credit } : {}),
    ...(mode === 'browse' || mode === 'normal' || mode === 'review' ? { mode } : {}),
    ...(location !== '' ? { location } : {}),
    ...(Object.keys(preferences).length > 0 ? { preferences } : {}),
    ...(total !== '' ? { total_time: total } : {}),
  };
}

/** SCORM 1.2 `true-false` values t/f/1/0 → the xAPI response `true`/`false`. */
function trueFalse(v: string): string {
  const t = v.trim().toLowerCase();
  return t === 't' || t === '1' || t === 'true' ? 'true' : t === 'f' || t === '0' || t === 'false' ? 'false' : v;
}

/**
 * A SCORM 1.2 response or correct-response pattern in xAPI's format (SCORM 2004 already uses
 * it): choice and sequencing lists `a,b` → `a[,]b`, matching `1.a,2.b` → `1[.]a[,]2[.]b`.
 */
export function xapiResponse(version: ScormVersion, type: string, value: string): string {
  if (version !== 'scorm12') return value;
  switch (type) {
    case 'true-false':
      return trueFalse(value);
    case 'choice':
    case 'sequencing':
      return value.split(',').map((x) => x.trim()).join('[,]');
    case 'matching':
      return value.split(',').map((pair) => pair.trim().split('.').map((x) => x.trim()).join('[.]')).join('[,]');
    default:
      return value;
  }
}

/** Interaction latency as an xAPI duration, or undefined when not given or unparseable. */
export function latencyDuration(version: ScormVersion, latency: string): string | undefined {
  const v = latency.trim();
  if (v === '') return undefined;
  if (version === 'scorm12') return /^\d{1,4}:\d{2}:\d{2}(?:\.\d{1,2})?$/.test(v) ? isoDuration(timespanSeconds(v)) : undefined;
  return isDuration(v) ? v : undefined;
}
