/**
 * SCORM runtime events → xAPI statements following the ADL xAPI SCORM Profile
 * (https://w3id.org/xapi/scorm; adlnet/xAPI-SCORM-Profile): SCO object of type lesson, grouping =
 * [SCO attempt, course], category = the profile, registration, timestamp on every statement;
 * interactions, objectives and comments as their own statements with the SCO as parent.
 * Statement ids are derived from (attempt, SCO, commit seq, event), so a retried commit that gets
 * as far as the LRS again writes the same ids (the LRS accepts equal statements again).
 */
import { createHash } from 'node:crypto';
import { interactionIri, objectiveIri, scoAttemptIri, scoIri } from '../iris';
import { interactionsOf, isoDuration, scoStatus, type ScoStatus, type ScormVersion } from './cmi';
import { latencyDuration, learnerCommentsOf, objectivesOf, xapiResponse, type ObjectiveData } from './profile-cmi';

/** The profile activity placed in context.contextActivities.category. */
export const SCORM_PROFILE_IRI = 'https://w3id.org/xapi/scorm';
const ADL_VERB = 'http://adlnet.gov/expapi/verbs/';
const ADL_TYPE = 'http://adlnet.gov/expapi/activities/';

type Statement = Record<string, unknown>;

/** Where the statements of one commit belong. */
export interface ProfileContext {
  readonly version: ScormVersion;
  readonly actor: Record<string, unknown>;
  readonly registration: string;
  readonly attemptId: string;
  readonly courseActivityId: string;
  readonly courseTitle: string;
  readonly scoId: string;
  readonly scoTitle: string;
  readonly seq: number;
  readonly timestamp: string;
  /**
   * The SCO attempt activity IRI (see profile-documents scoAttemptFor); defaults to the first
   * SCO attempt of `attemptId`.
   */
  readonly scoAttemptIri?: string;
}

/** One commit, compared with what was stored before it. */
export interface CommitChange {
  readonly event: 'initialize' | 'commit' | 'terminate' | 'unload';
  readonly previous: Readonly<Record<string, unknown>> | undefined;
  readonly current: Readonly<Record<string, unknown>>;
}

/** RFC 4122 version-5-shaped UUID from a name (SHA-1), so ids are stable per event. */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

function verb(name: string): Record<string, unknown> {
  return { id: `${ADL_VERB}${name}`, display: { 'en-US': name } };
}

function scoActivity(ctx: ProfileContext): Record<string, unknown> {
  return {
    objectType: 'Activity',
    id: scoIri(ctx.courseActivityId, ctx.scoId),
    definition: { name: { und: ctx.scoTitle }, type: `${ADL_TYPE}lesson` },
  };
}

/** The SCO as the parent of an interaction or objective (the profile's templates want its lesson type). */
function scoParent(ctx: ProfileContext): Record<string, unknown> {
  return scoActivity(ctx);
}

function contextOf(ctx: ProfileContext, parent?: Record<string, unknown>): Record<string, unknown> {
  const sco = scoIri(ctx.courseActivityId, ctx.scoId);
  return {
    registration: ctx.registration,
    contextActivities: {
      ...(parent ? { parent: [parent] } : {}),
      grouping: [
        { objectType: 'Activity', id: ctx.scoAttemptIri ?? scoAttemptIri(sco, ctx.attemptId), definition: { type: `${ADL_TYPE}attempt` } },
        { objectType: 'Activity', id: ctx.courseActivityId, definition: { name: { und: ctx.courseTitle }, type: `${ADL_TYPE}course` } },
      ],
      category: [{ objectType: 'Activity', id: SCORM_PROFILE_IRI, definition: { type: 'http://adlnet.gov/expapi/activities/profile' } }],
    },
  };
}

function scoreOf(st: ScoStatus): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  if (st.scaled !== undefined) out['scaled'] = Math.round(st.scaled * 10000) / 10000;
  // xAPI requires min <= raw <= max; SCORM does not, so keep the raw score only when it fits.
  const fits = st.raw !== undefined && (st.min === undefined || st.raw >= st.min) && (st.max === undefined || st.raw <= st.max) &&
    (st.min === undefined || st.max === undefined || st.min <= st.max);
  if (fits && st.raw !== undefined) {
    out['raw'] = st.raw;
    if (st.min !== undefined) out['min'] = st.min;
    if (st.max !== undefined) out['max'] = st.max;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function overallResult(st: ScoStatus, withDuration: boolean): Record<string, unknown> {
  const score = scoreOf(st);
  return {
    ...(st.success !== 'unknown' ? { success: st.success === 'passed' } : {}),
    ...(st.completion === 'completed' ? { completion: true } : st.completion === 'incomplete' ? { completion: false } : {}),
    ...(score ? { score } : {}),
    ...(withDuration ? { duration: isoDuration(st.sessionSeconds) } : {}),
  };
}

const INTERACTION_TYPES = new Set(['true-false', 'choice', 'fill-in', 'long-fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric', 'other']);

/** A comment's own time when it is a full ISO 8601 time with a zone, else undefined. */
function commentTime(v: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function objectiveScore(o: ObjectiveData): Record<string, number> | undefined {
  return scoreOf({ completion: 'unknown', success: 'unknown', totalSeconds: 0, sessionSeconds: 0, exit: '', entry: '', location: '', suspendData: '',
    ...(o.scaled !== undefined ? { scaled: o.scaled } : {}), ...(o.raw !== undefined ? { raw: o.raw } : {}),
    ...(o.min !== undefined ? { min: o.min } : {}), ...(o.max !== undefined ? { max: o.max } : {}) });
}

/** Builds the statements one commit stands for; [] when nothing meaningful changed. */
export function profileStatements(ctx: ProfileContext, change: CommitChange): Statement[] {
  const out: Statement[] = [];
  const now = scoStatus(ctx.version, change.current);
  const before = change.previous ? scoStatus(ctx.version, change.previous) : undefined;
  const idOf = (key: string): string => stableUuid(`${ctx.attemptId}|${ctx.scoId}|${ctx.seq}|${key}`);
  const make = (name: string, extra: Partial<Statement> = {}, key = name): void => {
    out.push({
      id: idOf(key),
      actor: ctx.actor,
      verb: verb(name),
      object: scoActivity(ctx),
      context: contextOf(ctx),
      timestamp: ctx.timestamp,
      ...extra,
    });
  };
  if (change.event === 'initialize') make(now.entry === 'resume' ? 'resumed' : 'initialized');

  if (now.completion === 'completed' && before?.completion !== 'completed') make('completed', { result: { completion: true } });
  if (now.success !== 'unknown' && now.success !== before?.success) {
    const score = scoreOf(now);
    make(now.success, { result: { success: now.success === 'passed', ...(score ? { score } : {}) } });
  }
  const score = scoreOf(now);
  const scoreBefore = before ? scoreOf(before) : undefined;
  if (score && JSON.stringify(score) !== JSON.stringify(scoreBefore)) make('scored', { result: { score } });

  // Learner comments (cmi.comments_from_learner / cmi.comments): `commented` with the text as the response.
  const prevComments = new Map((change.previous ? learnerCommentsOf(ctx.version, change.previous) : []).map((c) => [c.index, c]));
  for (const c of learnerCommentsOf(ctx.version, change.current)) {
    const p = prevComments.get(c.index);
    if (p && p.comment === c.comment) continue;
    // SCORM 1.2 appends to one text: report what was added when the old text is kept in front.
    const response = ctx.version === 'scorm12' && p && c.comment.startsWith(p.comment) ? c.comment.slice(p.comment.length).trim() : c.comment;
    if (response === '') continue;
    make('commented', { result: { response }, timestamp: commentTime(c.timestamp) ?? ctx.timestamp }, `commented|${c.index}`);
  }

  // Objectives: their own activities (<sco>/objectives/<id>) with the SCO as parent.
  const prevObjectives = new Map((change.previous ? objectivesOf(ctx.version, change.previous) : []).map((o) => [o.id, o]));
  for (const o of objectivesOf(ctx.version, change.current)) {
    const p = prevObjectives.get(o.id);
    const objective = {
      objectType: 'Activity',
      id: objectiveIri(scoIri(ctx.courseActivityId, ctx.scoId), o.id),
      definition: { name: { und: o.id }, ...(o.description ? { description: { und: o.description } } : {}), type: `${ADL_TYPE}objective` },
    };
    const emit = (name: string, result: Record<string, unknown>): void => {
      out.push({
        id: idOf(`objective|${o.id}|${name}`), actor: ctx.actor, verb: verb(name), object: objective, result,
        context: contextOf(ctx, scoParent(ctx)), timestamp: ctx.timestamp,
      });
    };
    const oScore = objectiveScore(o);
    if (o.completion === 'completed' && p?.completion !== 'completed') emit('completed', { completion: true });
    if (o.success !== 'unknown' && o.success !== p?.success) emit(o.success, { success: o.success === 'passed', ...(oScore ? { score: oScore } : {}) });
    if (oScore && JSON.stringify(oScore) !== JSON.stringify(p ? objectiveScore(p) : undefined)) emit('scored', { score: oScore });
  }

  const prevInteractions = new Map((change.previous ? interactionsOf(ctx.version, change.previous) : []).map((i) => [i.index, i]));
  const sco = scoActivity(ctx);
  for (const it of interactionsOf(ctx.version, change.current)) {
    const p = prevInteractions.get(it.index);
    if (it.response === '' && it.result === '') continue;
    if (p && p.id === it.id && p.response === it.response && p.result === it.result) continue;
    const type = INTERACTION_TYPES.has(it.type) ? it.type : 'other';
    const definition: Record<string, unknown> = {
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      interactionType: type,
      ...(it.description ? { description: { und: it.description } } : {}),
      ...(it.correctResponses.length > 0 ? { correctResponsesPattern: it.correctResponses.map((r) => xapiResponse(ctx.version, it.type, r)) } : {}),
    };
    const success = it.result === 'correct' ? true : it.result === 'wrong' || it.result === 'incorrect' ? false : undefined;
    const duration = latencyDuration(ctx.version, it.latency);
    out.push({
      id: idOf(`responded|${it.index}`),
      actor: ctx.actor,
      verb: verb('responded'),
      object: { objectType: 'Activity', id: interactionIri(String(sco['id']), it.id), definition },
      result: { response: xapiResponse(ctx.version, it.type, it.response), ...(success !== undefined ? { success } : {}), ...(duration ? { duration } : {}) },
      context: contextOf(ctx, scoParent(ctx)),
      timestamp: ctx.timestamp,
    });
  }

  // The profile ends a session either way, never both: suspended keeps the attempt open for a
  // later `resumed`, terminated closes it (its pattern: initialized … (suspended resumed …)* terminated).
  if (change.event === 'terminate') make(now.exit === 'suspend' ? 'suspended' : 'terminated', { result: overallResult(now, true) });
  return out;
}
