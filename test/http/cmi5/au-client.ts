/** A minimal cmi5 AU over supertest: reads the launch URL, fetches the token, builds statements from the context template. */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { PlayerHarness } from './harness';

export const V = { 'X-Experience-API-Version': '1.0.3' };
export const CMI5_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
export const MOVEON_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
export const SESSION_EXT = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
export const MASTERY_EXT = 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore';
export const VERBS = {
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  initialized: 'http://adlnet.gov/expapi/verbs/initialized',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  terminated: 'http://adlnet.gov/expapi/verbs/terminated',
  abandoned: 'https://w3id.org/xapi/adl/verbs/abandoned',
  waived: 'https://w3id.org/xapi/adl/verbs/waived',
  satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
} as const;

type Json = Record<string, unknown>;

/** The AU side of one launch. */
export interface Au {
  readonly url: URL;
  readonly endpoint: string;
  readonly fetchUrl: string;
  readonly actor: Json;
  readonly registration: string;
  readonly activityId: string;
  auth: string;
  launchData: Json;
  sessionId: string;
}

/** Reads the launch URL of a player frame. */
export function auOf(frameUrl: string): Au {
  const url = new URL(frameUrl);
  const p = (k: string): string => url.searchParams.get(k) ?? '';
  return {
    url, endpoint: p('endpoint'), fetchUrl: p('fetch'), actor: JSON.parse(p('actor')) as Json, registration: p('registration'),
    activityId: p('activityId'), auth: '', launchData: {}, sessionId: '',
  };
}

/** POSTs the fetch URL (path on the app) and returns the answer body. */
export async function postFetch(h: PlayerHarness, au: Au): Promise<{ status: number; body: Json; type: string }> {
  const u = new URL(au.fetchUrl);
  const res = await request(h.app).post(`${u.pathname}${u.search}`);
  return { status: res.status, body: res.body as Json, type: String(res.headers['content-type']) };
}

/**
 * Launches, fetches the token, reads LMS.LaunchData and the learner preferences, as an AU starts
 * (`preferences: false` leaves the preferences unread, as a faulty AU would).
 */
export async function startAu(h: PlayerHarness, courseId: string, body: Json = {}, opts: { preferences?: boolean } = {}): Promise<Au> {
  const l = await h.launch(courseId, body);
  const au = auOf(l.frameUrl);
  const f = await postFetch(h, au);
  au.auth = `Basic ${String(f.body['auth-token'])}`;
  const state = await request(h.app).get('/xapi/activities/state')
    .query({ activityId: au.activityId, agent: JSON.stringify(au.actor), registration: au.registration, stateId: 'LMS.LaunchData' })
    .set(V).set('Authorization', au.auth);
  if (state.status !== 200) throw new Error(`LaunchData: ${state.status} ${state.text}`);
  au.launchData = JSON.parse(state.text) as Json;
  const ext = ((au.launchData['contextTemplate'] as Json)['extensions'] as Json);
  au.sessionId = String(ext[SESSION_EXT]);
  if (opts.preferences !== false) await readLearnerPreferences(h, au);
  return au;
}

/** GETs the cmi5LearnerPreferences Agent Profile document, as an AU must on startup (cmi5 11.0); returns the status. */
export async function readLearnerPreferences(h: PlayerHarness, au: Au): Promise<number> {
  const res = await request(h.app).get('/xapi/agents/profile')
    .query({ agent: JSON.stringify(au.actor), profileId: 'cmi5LearnerPreferences' }).set(V).set('Authorization', au.auth);
  return res.status;
}

/** A cmi5 defined statement (or allowed, when `defined` is false) from the context template. */
export function cmi5Statement(au: Au, verb: string, opts: { result?: Json; defined?: boolean; moveOn?: boolean; mastery?: number } = {}): Json {
  const template = structuredClone(au.launchData['contextTemplate']) as Json;
  const ca = (template['contextActivities'] ?? {}) as Json;
  const defined = opts.defined ?? true;
  const judged = opts.result !== undefined && ('success' in opts.result || 'completion' in opts.result);
  const category = [...(defined ? [{ id: CMI5_CATEGORY }] : []), ...((opts.moveOn ?? (defined && judged)) ? [{ id: MOVEON_CATEGORY }] : [])];
  if (category.length > 0) ca['category'] = category;
  template['contextActivities'] = ca;
  template['registration'] = au.registration;
  if (opts.mastery !== undefined) (template['extensions'] as Json)[MASTERY_EXT] = opts.mastery;
  return {
    id: randomUUID(),
    actor: au.actor,
    verb: { id: verb },
    object: { objectType: 'Activity', id: au.activityId },
    ...(opts.result !== undefined ? { result: opts.result } : {}),
    context: template,
    timestamp: new Date().toISOString(),
  };
}

/** Standard results of the AU verbs. */
export const R = {
  completed: (): Json => ({ completion: true, duration: 'PT20S' }),
  passed: (scaled?: number): Json => ({ success: true, duration: 'PT20S', ...(scaled !== undefined ? { score: { scaled } } : {}) }),
  failed: (scaled?: number): Json => ({ success: false, duration: 'PT20S', ...(scaled !== undefined ? { score: { scaled } } : {}) }),
  terminated: (): Json => ({ duration: 'PT1M' }),
};

/** PUTs one statement with the AU's token; returns the status. */
export async function send(h: PlayerHarness, au: Au, st: Json): Promise<number> {
  const res = await request(h.app).put('/xapi/statements').query({ statementId: String(st['id']) }).set(V).set('Authorization', au.auth).send(st);
  return res.status;
}
