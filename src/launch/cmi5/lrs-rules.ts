/**
 * cmi5 enforcement in the LRS, through the LaunchSessionRules port the LRS declares (src/xapi/ports.ts;
 * issue 13: the LRS imports nothing of the launch area). cmi5 spec 6.3: the LMS SHOULD reject statements that conflict
 * with section 9). Applies only to statements written with the launch token of a cmi5 AU session
 * (the token the fetch URL handed out); every other writer is untouched.
 *
 * Status: 403. The spec names no code; its conformance suite (ADL CATAPULT, lts/) accepts only
 * 401 or 403 for a rejected cmi5 statement, and the request is well-formed xAPI, refused by policy.
 *
 * Side effects before the insert: the session's state (initialized, terminated) and the
 * once-only marks (cmi5 9.3 "MUST NOT be duplicated" per session and per registration). A mark
 * remembers its statement id, so a client that re-sends the same statement (a retry) passes.
 */
import { forbidden } from '../../errors';
import type { Cmi5Session, Cmi5SessionState } from '../../store/ports';
import type { AuthContext } from '../../xapi/auth/auth-context';
import type { XapiDeps } from '../../xapi/deps';
import { isJsonObject, type JsonObject } from '../../xapi/model/types';
import type { LaunchSessionRules } from '../../xapi/ports';
import { CMI5 } from './vocab';

/** Verbs an AU may use in cmi5 defined statements (launched, abandoned, waived, satisfied are the LMS's). */
const AU_VERBS: ReadonlySet<string> = new Set([CMI5.verb.initialized, CMI5.verb.completed, CMI5.verb.passed, CMI5.verb.failed, CMI5.verb.terminated]);
/** cmi5 10.0 launchMode Browse/Review: only initialized and terminated among the cmi5 defined statements. */
const BROWSE_VERBS: ReadonlySet<string> = new Set([CMI5.verb.initialized, CMI5.verb.terminated]);

/** The launch token id of a launch-token caller; undefined for every other caller. */
function tokenIdOf(auth: AuthContext): string | undefined {
  return auth.restriction && auth.credentialKey.startsWith('launch:') ? auth.credentialKey.slice('launch:'.length) : undefined;
}

/** The cmi5 session a caller's launch token belongs to; undefined when it is not a cmi5 session's token. */
export async function cmi5SessionOf(deps: Pick<XapiDeps, 'store'>, auth: AuthContext): Promise<Cmi5Session | undefined> {
  const tokenId = tokenIdOf(auth);
  return tokenId !== undefined ? deps.store.cmi5.findCmi5SessionByToken(tokenId) : undefined;
}

/**
 * True when a launch token belongs to a cmi5 session that has ended (terminated or abandoned):
 * cmi5 8.2.1 limits the token to the session, so the auth layer should refuse it for every
 * resource. Provided for src/xapi/auth/launch-auth.ts.
 */
export async function isEndedCmi5Token(deps: Pick<XapiDeps, 'store'>, tokenId: string): Promise<boolean> {
  const s = await deps.store.cmi5.findCmi5SessionByToken(tokenId);
  return s !== undefined && (s.state === 'terminated' || s.state === 'abandoned');
}

function ids(list: unknown): string[] {
  return Array.isArray(list) ? list.flatMap((a) => (isJsonObject(a) && typeof a['id'] === 'string' ? [a['id']] : [])) : [];
}

interface Parsed {
  readonly path: string;
  readonly id: string;
  readonly verb: string;
  readonly defined: boolean;
  readonly s: JsonObject;
}

function parse(s: JsonObject, raw: JsonObject, path: string): Parsed {
  // cmi5 9.1 and 9.7: the AU gives every statement its id and a UTC timestamp (checked on the
  // statement as sent, before the LRS fills either in).
  if (typeof raw['id'] !== 'string') throw forbidden(`${path}.id: an AU must give each cmi5 session statement its id (cmi5 9.1)`);
  const ts = raw['timestamp'];
  if (typeof ts !== 'string') throw forbidden(`${path}.timestamp: cmi5 session statements must carry a timestamp (cmi5 9.7)`);
  if (!/(?:Z|[+-]00:?00)$/i.test(ts)) throw forbidden(`${path}.timestamp: must be in UTC, got "${ts}" (cmi5 9.7)`);
  const ctx = isJsonObject(s['context']) ? s['context'] : {};
  const ca = isJsonObject(ctx['contextActivities']) ? ctx['contextActivities'] : {};
  const verb = isJsonObject(s['verb']) && typeof s['verb']['id'] === 'string' ? s['verb']['id'] : '';
  return { path, id: typeof s['id'] === 'string' ? s['id'] : '', verb, defined: ids(ca['category']).includes(CMI5.category), s };
}

/** The checks of one statement that need no stored state (cmi5 9.2, 9.4, 9.5, 9.6). Throws 403. */
function checkShape(session: Cmi5Session, p: Parsed): void {
  const { s, path, verb } = p;
  const ctx = isJsonObject(s['context']) ? s['context'] : undefined;
  if (!ctx) throw forbidden(`${path}.context: cmi5 statements must carry the contextTemplate of LMS.LaunchData (cmi5 9.6)`);
  const ext = isJsonObject(ctx['extensions']) ? ctx['extensions'] : {};
  if (ext[CMI5.ext.sessionId] !== session.id) {
    throw forbidden(`${path}.context.extensions["${CMI5.ext.sessionId}"]: must be the session id ${session.id} of this launch (cmi5 9.6.3.1)`);
  }
  const ca = isJsonObject(ctx['contextActivities']) ? ctx['contextActivities'] : {};
  const hasMoveOn = ids(ca['category']).includes(CMI5.moveOnCategory);
  const result = isJsonObject(s['result']) ? s['result'] : undefined;
  const judged = result !== undefined && ('success' in result || 'completion' in result);
  if (!p.defined) {
    if (hasMoveOn) throw forbidden(`${path}.context.contextActivities.category: the moveOn category is only for cmi5 defined statements with success or completion (cmi5 9.6.2.2)`);
    return;
  }
  const actor = s['actor'];
  if (!isJsonObject(actor) || (actor['objectType'] !== undefined && actor['objectType'] !== 'Agent') || !isJsonObject(actor['account'])) {
    throw forbidden(`${path}.actor: cmi5 defined statements need an Agent identified by an account (cmi5 9.2)`);
  }
  if (!AU_VERBS.has(verb)) throw forbidden(`${path}.verb.id: "${verb}" is not a verb an AU may use in a cmi5 defined statement (cmi5 9.3)`);
  const obj = s['object'];
  if (!isJsonObject(obj) || obj['id'] !== session.auActivityId) {
    throw forbidden(`${path}.object.id: must be the activityId of the launch, ${session.auActivityId} (cmi5 9.4)`);
  }
  if (session.launchMode !== 'Normal' && !BROWSE_VERBS.has(verb)) {
    throw forbidden(`${path}.verb.id: launchMode is ${session.launchMode}, where an AU sends no cmi5 defined statement but initialized and terminated (cmi5 10.0)`);
  }
  if (hasMoveOn !== judged) {
    throw forbidden(judged
      ? `${path}.context.contextActivities.category: a cmi5 defined statement with result success or completion must carry the moveOn category (cmi5 9.6.2.2)`
      : `${path}.context.contextActivities.category: the moveOn category is only for statements with result success or completion (cmi5 9.6.2.2)`);
  }
  const r = result ?? {};
  const needs = (cond: boolean, msg: string): void => {
    if (!cond) throw forbidden(`${path}.result: ${msg}`);
  };
  const isJudge = verb === CMI5.verb.passed || verb === CMI5.verb.failed;
  if (verb === CMI5.verb.completed) needs(r['completion'] === true, 'completed needs completion true (cmi5 9.5.3)');
  else needs(!('completion' in r), `${verb} must not carry completion (cmi5 9.5.3)`);
  if (verb === CMI5.verb.passed) needs(r['success'] === true, 'passed needs success true (cmi5 9.5.2)');
  else if (verb === CMI5.verb.failed) needs(r['success'] === false, 'failed needs success false (cmi5 9.5.2)');
  else needs(!('success' in r), `${verb} must not carry success (cmi5 9.5.2)`);
  if (!isJudge) needs(!('score' in r), `${verb} must not carry a score; only passed and failed may (cmi5 9.5.1)`);
  if (verb !== CMI5.verb.initialized) needs(typeof r['duration'] === 'string', `${verb} needs a duration (cmi5 9.5.4.1)`);
  const score = isJsonObject(r['score']) ? r['score'] : undefined;
  if (score && 'raw' in score) needs('min' in score && 'max' in score, 'a raw score needs min and max (cmi5 9.5.1)');
  if (isJudge && session.masteryScore !== undefined) {
    // cmi5 9.6.3.2: the AU includes masteryScore in passed/failed statements "it makes based on
    // the masteryScore" — those with a score. A judgement without a score (ADL LMS tests 001,
    // 005-2) needs no extension, but one it carries must be the right value (test 005-1).
    const m = session.masteryScore;
    const scaled = score?.['scaled'];
    const sent = ext[CMI5.ext.masteryScore];
    if ((score !== undefined || sent !== undefined) && sent !== m) {
      throw forbidden(`${path}.context.extensions["${CMI5.ext.masteryScore}"]: ${verb} with a score must carry the masteryScore ${m} of LMS.LaunchData${sent !== undefined ? `, not ${JSON.stringify(sent)}` : ''} (cmi5 9.6.3.2)`);
    }
    if (typeof scaled === 'number') {
      if (verb === CMI5.verb.passed && scaled < m) needs(false, `passed with score.scaled ${scaled} below the masteryScore ${m} (cmi5 9.3.4)`);
      if (verb === CMI5.verb.failed && scaled >= m) needs(false, `failed with score.scaled ${scaled} at or above the masteryScore ${m} (cmi5 9.3.5)`);
    }
  }
}

/** The mark that a session's AU read its learner preferences (a read that found none counts). */
function preferencesMark(sessionId: string): string {
  return `prefs|${sessionId}`;
}

/**
 * Notes that the caller read an Agent Profile document; when it is a cmi5 session's launch token
 * reading cmi5LearnerPreferences, the session may now send initialized (cmi5 11.0: "On startup,
 * the AU MUST retrieve the Learner Preferences document"; ADL LMS test 005-1 checks that an
 * initialized sent before is refused). Called by the Agent Profile GET route.
 */
export async function noteAgentProfileRead(deps: Pick<XapiDeps, 'store'>, auth: AuthContext, profileId: string | undefined): Promise<void> {
  if (profileId !== CMI5.learnerPreferencesProfileId || !auth.restriction) return;
  const session = await cmi5SessionOf(deps, auth);
  if (session && session.state === 'launched') await deps.store.cmi5.insertCmi5Mark(session.registration, preferencesMark(session.id), session.id);
}

/**
 * Enforces the cmi5 rules on a batch written with a launch token. Returns the cmi5 session when
 * the token is one (the write path then evaluates moveOn after the insert), else undefined.
 */
export async function enforceCmi5Rules(
  deps: Pick<XapiDeps, 'store'>,
  auth: AuthContext,
  batch: { readonly raws: readonly JsonObject[]; readonly prepared: readonly JsonObject[]; readonly paths: readonly string[] },
): Promise<Cmi5Session | undefined> {
  const session = await cmi5SessionOf(deps, auth);
  if (!session) return undefined;
  if (session.state === 'terminated' || session.state === 'abandoned') {
    throw forbidden(`cmi5 session ${session.id} has ${session.state === 'terminated' ? 'terminated' : 'been abandoned'}: no statement may follow (cmi5 9.3.6, 9.3.8)`);
  }
  const parsed = batch.prepared.map((s, i) => parse(s, batch.raws[i] ?? s, batch.paths[i] ?? `statements[${i}]`));
  const marks = new Set(await deps.store.cmi5.findCmi5Marks(session.registration));
  // State and shape, in batch order, before any side effect.
  let state: Cmi5SessionState = session.state;
  for (const p of parsed) {
    if (state === 'terminated') throw forbidden(`${p.path}: the session terminated earlier in this batch; no statement may follow terminated (cmi5 9.3.8)`);
    if (state === 'launched' && !(p.defined && p.verb === CMI5.verb.initialized)) {
      throw forbidden(`${p.path}.verb.id: the first statement of a cmi5 session must be initialized (cmi5 7.1.1, 9.3.2)`);
    }
    checkShape(session, p);
    if (p.defined && p.verb === CMI5.verb.initialized) {
      if (state !== 'launched') throw forbidden(`${p.path}.verb.id: initialized was already sent in session ${session.id} (cmi5 9.3)`);
      if (!marks.has(preferencesMark(session.id))) {
        throw forbidden(`${p.path}.verb.id: an AU retrieves the learner preferences (Agent Profile "${CMI5.learnerPreferencesProfileId}") on startup, before it sends initialized (cmi5 11.0)`);
      }
      state = 'initialized';
    }
    if (p.defined && p.verb === CMI5.verb.terminated) state = 'terminated';
  }
  // Once-only rules, race-safe through unique marks.
  const once = async (mark: string, p: Parsed, why: string): Promise<void> => {
    const first = await deps.store.cmi5.insertCmi5Mark(session.registration, mark, p.id);
    if (first !== undefined && first !== p.id) throw forbidden(`${p.path}.verb.id: ${why}`);
  };
  for (const p of parsed.filter((x) => x.defined)) {
    await once(`s|${session.id}|${p.verb}`, p, `verb ${p.verb} was already used in session ${session.id} (cmi5 9.3)`);
    if (p.verb === CMI5.verb.passed || p.verb === CMI5.verb.failed) {
      await once(`s|${session.id}|judged`, p, `a session sends one of passed and failed, not both (cmi5 9.3)`);
    }
    if (p.verb === CMI5.verb.completed) await once(`completed|${session.auId}`, p, 'completed was already sent for this AU in this registration (cmi5 9.3)');
    if (p.verb === CMI5.verb.passed) await once(`passed|${session.auId}`, p, 'passed was already sent for this AU in this registration (cmi5 9.3)');
    if (p.verb === CMI5.verb.failed && marks.has(`passed|${session.auId}`)) {
      throw forbidden(`${p.path}.verb.id: failed must not follow passed for this AU in this registration (cmi5 9.3)`);
    }
  }
  const last = parsed[parsed.length - 1];
  const lastTime = last && typeof last.s['timestamp'] === 'string' ? new Date(Date.parse(last.s['timestamp'])).toISOString() : undefined;
  if (state !== session.state || lastTime !== undefined) {
    const updated = await deps.store.cmi5.updateCmi5Session(session.id, {
      ...(state !== session.state ? { state } : {}),
      ...(lastTime !== undefined ? { lastStatementAt: lastTime } : {}),
      ...(state === 'terminated' ? { endedAt: new Date().toISOString() } : {}),
    }, [session.state]);
    // Another request moved the session on meanwhile (e.g. a relaunch abandoned it).
    if (!updated) throw forbidden(`cmi5 session ${session.id} changed state while this request ran; it may have been abandoned`);
    return updated;
  }
  return session;
}

/** The launch area's implementation of the LRS's LaunchSessionRules port (plugged in by src/compose.ts). */
export function cmi5SessionRules(deps: Pick<XapiDeps, 'store'>): LaunchSessionRules {
  return {
    async checkStatements(auth, batch) {
      if (auth.restriction) await enforceCmi5Rules(deps, auth, batch);
    },
    isEndedToken: (tokenId) => isEndedCmi5Token(deps, tokenId),
    noteAgentProfileRead: (auth, profileId) => noteAgentProfileRead(deps, auth, profileId),
  };
}
