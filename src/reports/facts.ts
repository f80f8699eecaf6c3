/**
 * The pure part of the report projections: what one stored statement of a known registration
 * adds to the learning-day rows, the attempts and the interactions. No I/O.
 *
 * Rules (ADR 0023):
 * - Only statements whose context.registration is a LearnHQ registration and whose actor is its
 *   learner count; an outside tool's statements are in the explorer, not in the rollups.
 * - Launches: initialized, attempted, and launched except the cmi5 LMS's (its AU's initialized
 *   follows), so a sitting counts once in every format.
 * - Completions, passes, failures: completed / passed / failed verbs or result.completion /
 *   result.success on a course-level activity of the registration (the progress track's); for a
 *   registration without a track, on any activity that is not a question.
 * - Time: result.duration of statements that end a sitting (as the progress projection counts it).
 * - Attempts: course-level statements with an outcome (score, success, completion), and sitting
 *   ends with a duration. Interactions: `answered` (xAPI), `responded` (ADL SCORM profile), or any
 *   statement about a cmi.interaction activity.
 */
import type { LearningDayDelta, ReportAttempt, ReportFactBase, ReportInteraction } from '../store/ports';
import { durationMs } from '../launch/progress/derive';
import { isJsonObject, type JsonObject } from '../xapi/model/types';
import { timeOf } from '../xapi/model/statement-time';

/** Who and what a registration is about, resolved once per batch. */
export interface RegistrationFacts {
  readonly registration: string;
  readonly userId: string;
  readonly courseId: string;
  readonly providerOrgId: string;
  /** The learner's organization of the registration; '' when none. */
  readonly orgId: string;
  /** The learner's actor key: only statements of this actor count. */
  readonly agentKey: string;
  /** Course-level activity ids; empty when unknown (then every non-question activity counts). */
  readonly courseActivityIds: readonly string[];
}

const ADL = 'http://adlnet.gov/expapi/verbs/';
const CMI5_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const INTERACTION_TYPE = 'http://adlnet.gov/expapi/activities/cmi.interaction';
const SITTING_ENDS = new Set([`${ADL}terminated`, `${ADL}suspended`, `${ADL}exited`, 'https://w3id.org/xapi/adl/verbs/abandoned']);
const QUESTION_VERBS = new Set([`${ADL}answered`, `${ADL}responded`]);

const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});

function verbOf(s: JsonObject): string {
  const id = obj(s['verb'])['id'];
  return typeof id === 'string' ? id : '';
}

/** The last path segment of a verb IRI ("passed"). */
export function verbWord(verbId: string): string {
  const tail = verbId.split(/[/#]/).pop() ?? verbId;
  return tail === '' ? verbId : tail;
}

function hasCmi5Category(s: JsonObject): boolean {
  const cats = obj(obj(s['context'])['contextActivities'])['category'];
  return Array.isArray(cats) && cats.some((c) => isJsonObject(c) && c['id'] === CMI5_CATEGORY);
}

function isQuestion(s: JsonObject, verb: string): boolean {
  return QUESTION_VERBS.has(verb) || obj(obj(s['object'])['definition'])['type'] === INTERACTION_TYPE;
}

/** A language map's first value, '' when none. */
function firstText(map: unknown): string {
  if (!isJsonObject(map)) return '';
  const v = Object.values(map).find((x) => typeof x === 'string');
  return typeof v === 'string' ? v : '';
}

function scaledScore(result: JsonObject): number | undefined {
  const score = obj(result['score']);
  const { scaled, raw, min, max } = score;
  if (typeof scaled === 'number') return scaled;
  if (typeof raw === 'number' && typeof min === 'number' && typeof max === 'number' && max > min) return (raw - min) / (max - min);
  return undefined;
}

/** What a statement adds to the learning-day row of its day, or undefined when it does not count. `sign` -1 undoes it. */
export function learningDayOf(s: JsonObject, seq: number, reg: RegistrationFacts, sign: 1 | -1 = 1): LearningDayDelta {
  const verb = verbOf(s);
  const result = obj(s['result']);
  const objectId = obj(s['object'])['id'];
  const question = isQuestion(s, verb);
  const courseLevel = !question && (reg.courseActivityIds.length === 0 || (typeof objectId === 'string' && reg.courseActivityIds.includes(objectId)));
  const launch = verb === `${ADL}initialized` || verb === `${ADL}attempted` || (verb === `${ADL}launched` && !hasCmi5Category(s));
  const completed = courseLevel && (verb === `${ADL}completed` || result['completion'] === true);
  const passed = courseLevel && (verb === `${ADL}passed` || (verb !== `${ADL}failed` && result['success'] === true));
  const failed = courseLevel && !passed && (verb === `${ADL}failed` || result['success'] === false);
  const time = SITTING_ENDS.has(verb) ? durationMs(result['duration']) : 0;
  return {
    day: timeOf(s).slice(0, 10), courseId: reg.courseId, providerOrgId: reg.providerOrgId, orgId: reg.orgId, userId: reg.userId, seq,
    launches: sign * (launch ? 1 : 0), completions: sign * (completed ? 1 : 0), passes: sign * (passed ? 1 : 0),
    failures: sign * (failed ? 1 : 0), timeMs: sign * time, statements: sign,
  };
}

function baseOf(id: string, seq: number, s: JsonObject, reg: RegistrationFacts): ReportFactBase {
  const at = timeOf(s);
  return {
    id, seq, registration: reg.registration, courseId: reg.courseId, providerOrgId: reg.providerOrgId, orgId: reg.orgId,
    userId: reg.userId, day: at.slice(0, 10), at,
  };
}

/** The attempt row of a statement, or undefined when it carries no outcome. */
export function attemptOf(id: string, seq: number, s: JsonObject, reg: RegistrationFacts): ReportAttempt | undefined {
  const verb = verbOf(s);
  if (isQuestion(s, verb)) return undefined;
  const result = obj(s['result']);
  const objectId = obj(s['object'])['id'];
  const courseLevel = reg.courseActivityIds.length === 0 || (typeof objectId === 'string' && reg.courseActivityIds.includes(objectId));
  const score = scaledScore(result);
  const success = verb === `${ADL}passed` ? true : verb === `${ADL}failed` ? false : typeof result['success'] === 'boolean' ? result['success'] : undefined;
  const completed = verb === `${ADL}completed` ? true : typeof result['completion'] === 'boolean' ? result['completion'] : undefined;
  const ends = SITTING_ENDS.has(verb) && typeof result['duration'] === 'string';
  const outcome = courseLevel && (score !== undefined || success !== undefined || completed !== undefined);
  if (!outcome && !ends) return undefined;
  const duration = typeof result['duration'] === 'string' ? durationMs(result['duration']) : undefined;
  return {
    ...baseOf(id, seq, s, reg), verb: verbWord(verb),
    ...(outcome && score !== undefined ? { scoreScaled: score } : {}),
    ...(outcome && success !== undefined ? { success } : {}),
    ...(outcome && completed !== undefined ? { completed } : {}),
    ...(duration !== undefined ? { durationMs: duration } : {}),
  };
}

/** The response as text: xAPI responses are strings; anything else is kept as its JSON. */
function responseText(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The interaction row of a statement, or undefined when it is not an answer to a question. */
export function interactionOf(id: string, seq: number, s: JsonObject, reg: RegistrationFacts): ReportInteraction | undefined {
  const verb = verbOf(s);
  if (!isQuestion(s, verb)) return undefined;
  const object = obj(s['object']);
  const activityId = object['id'];
  if (typeof activityId !== 'string') return undefined;
  const def = obj(object['definition']);
  const result = obj(s['result']);
  const type = def['interactionType'];
  return {
    ...baseOf(id, seq, s, reg), activityId,
    name: firstText(def['name']) || firstText(def['description']),
    interactionType: typeof type === 'string' ? type : '',
    response: responseText(result['response']),
    ...(typeof result['success'] === 'boolean' ? { correct: result['success'] } : {}),
    ...(typeof result['duration'] === 'string' ? { durationMs: durationMs(result['duration']) } : {}),
  };
}
