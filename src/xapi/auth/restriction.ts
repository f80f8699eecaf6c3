/**
 * Data boundaries on top of the xAPI scopes (issue 4): what a launch token and an organization's
 * credential may touch. `authorize()` (scopes.ts) decides which resources a caller may use at all;
 * these functions narrow that to the records the caller may see.
 *
 * - Launch token: writes only statements whose actor is its learner and whose
 *   context.registration is its registration, never voiding; reads only that learner's statements
 *   in that registration; State only of that learner in that registration; Agent Profile
 *   read-only, of its learner only; Activity Profile readable, and writable for the activities of
 *   its registration's course (those the registration's progress track lists: a TinCan game keeps
 *   its high-score table there; issue 17); /agents of its learner only; /activities not at all.
 *   Refusals are 403 (the credential is valid, the request outside it).
 * - Basic credential of an organization: reads only statements with `g|<orgId>`; a single
 *   statement outside it is 404, like an unknown id, so ids cannot be probed.
 * - Site credentials (no organization): no narrowing.
 */
import type { Config } from '../../config';
import { forbidden } from '../../errors';
import type { Store } from '../../store/ports';
import { assertOrgMayAccessAgent } from '../org-scope';
import { agentKey } from '../model/agent-key';
import { isJsonObject, VOIDED_VERB_ID, type JsonObject } from '../model/types';
import type { AuthContext } from './auth-context';

/** Index keys every statement read by this caller must carry (added to each query and checked on single reads). */
export function readRestrictionRefs(auth: AuthContext): string[] {
  const r = auth.restriction;
  if (r) return [`A|${r.agentKey}`, `r|${r.registration}`];
  if (auth.orgId !== undefined) return [`g|${auth.orgId}`];
  return [];
}

/** 403 unless every statement of a launch-token write is its learner's, in its registration, and not voiding. */
export function checkStatementWrites(auth: AuthContext, statements: readonly JsonObject[], paths: readonly string[]): void {
  const r = auth.restriction;
  if (!r) return;
  statements.forEach((s, i) => {
    const path = paths[i] ?? `statements[${i}]`;
    if (agentKey(s['actor']) !== r.agentKey) {
      throw forbidden(`${path}.actor: a launch token may only write statements whose actor is its learner`);
    }
    const ctx = s['context'];
    const reg = isJsonObject(ctx) && typeof ctx['registration'] === 'string' ? ctx['registration'].toLowerCase() : undefined;
    if (reg !== r.registration) {
      throw forbidden(`${path}.context.registration: a launch token may only write statements of its registration ${r.registration}`);
    }
    const verb = s['verb'];
    if (isJsonObject(verb) && verb['id'] === VOIDED_VERB_ID) {
      throw forbidden(`${path}.verb: a launch token may not void statements`);
    }
  });
}

/** Which document resource a request is about, as the routes parsed it. */
export interface DocumentTarget {
  readonly kind: 'state' | 'activityProfile' | 'agentProfile';
  /** The activityId parameter ('' for Agent Profile). */
  readonly activityId?: string;
  /** agentKey() of the agent parameter ('' for Activity Profile). */
  readonly agentKey: string;
  /** Registration parameter (lower case), when given. */
  readonly registration?: string;
  /** stateId / profileId; undefined for list and bulk-delete requests. */
  readonly docId?: string;
}

/** The State document the LMS writes for a cmi5 AU (cmi5 10.0: the AU must not change it). */
const CMI5_LAUNCH_DATA = 'LMS.LaunchData';

/**
 * 403 when a launch token asks for a document outside its learner and registration (see file
 * comment). `courseActivity`: the target's activity is one of the registration's course.
 */
export function checkDocumentAccess(auth: AuthContext, target: DocumentTarget, access: 'read' | 'write', courseActivity = false): void {
  const r = auth.restriction;
  if (!r) return;
  if (target.kind === 'activityProfile') {
    if (access === 'write' && !courseActivity) {
      throw forbidden(`activityId: a launch token may change the Activity Profiles of its course's own activities only, not of ${target.activityId ?? 'this activity'}`);
    }
    return;
  }
  if (target.agentKey !== r.agentKey) throw forbidden('agent: a launch token may only use the documents of its learner');
  if (target.kind === 'agentProfile') {
    if (access === 'write') throw forbidden('a launch token may read its learner\'s Agent Profile but not change it');
    return;
  }
  if (target.registration !== r.registration) {
    throw forbidden(`registration: a launch token may only use State of its registration ${r.registration} (send it as the registration parameter)`);
  }
  if (access === 'write' && target.docId === undefined) {
    throw forbidden('a launch token may delete State documents one by one (stateId), not all at once');
  }
  if (access === 'write' && target.docId === CMI5_LAUNCH_DATA) {
    throw forbidden(`stateId: ${CMI5_LAUNCH_DATA} is written by the LMS; content may read it but not change it (cmi5 10.0)`);
  }
}

/** 403 when a launch token asks the Agents resource about anyone but its learner. */
export function checkAgentsAccess(auth: AuthContext, key: string): void {
  const r = auth.restriction;
  if (r && key !== r.agentKey) throw forbidden('agent: a launch token may only ask about its learner');
}

/** 403 for launch tokens: the Activities resource is outside a launch. */
export function checkActivitiesAccess(auth: AuthContext): void {
  if (auth.restriction) throw forbidden('a launch token may not use the Activities resource');
}

/**
 * Every boundary of a document request: the launch-token rules above, then the organization rule
 * (src/xapi/org-scope.ts assertOrgMayAccessAgent) for documents of an agent. Outside the
 * organization the answer is 404; a read of one document gets exactly the answer of a document
 * that does not exist (documentNotFoundMessage), so it tells nothing.
 */
export async function checkDocumentBoundaries(
  deps: { readonly store: Store; readonly config: Pick<Config, 'publicUrl'> },
  auth: AuthContext,
  target: DocumentTarget,
  access: 'read' | 'write',
): Promise<void> {
  const r = auth.restriction;
  const courseActivity = r !== undefined && target.kind === 'activityProfile' && access === 'write' && target.activityId !== undefined
    && (await registrationActivities(deps.store, r.registration)).has(target.activityId);
  checkDocumentAccess(auth, target, access, courseActivity);
  if (target.agentKey === '') return;
  const message = access === 'read' && target.docId !== undefined
    ? documentNotFoundMessage(target.kind, target.docId)
    : 'agent: no documents of this agent are within this credential\'s reach';
  await assertOrgMayAccessAgent(deps, auth, target.agentKey, message);
}

/** The 404 message of a document that is not stored (the routes use it too). */
export function documentNotFoundMessage(kind: DocumentTarget['kind'], docId: string): string {
  return `${kind === 'state' ? 'stateId' : 'profileId'}: no document "${docId}" in this context`;
}

/** The activities of a registration's course (course and unit activities of its progress track); empty when it has none. */
async function registrationActivities(store: Store, registration: string): Promise<ReadonlySet<string>> {
  const [track] = await store.progress.findProgressTracks([registration]);
  return new Set(track ? [...track.courseActivityIds, ...track.unitActivityIds] : []);
}
