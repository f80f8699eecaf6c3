/**
 * What the player does once a SCO has ended, and the words a learner reads when a navigation
 * cannot happen. Pure (no DOM), unit-tested in test/unit/launch/after-end.test.ts.
 */

/** A navigation request as the launcher handles it. */
export interface NavRequest {
  /** continue, previous, choice, jump, exit, exitAll, suspendAll, abandon, abandonAll; `auto`: go on if the course flows on, else end. */
  readonly request: string;
  readonly target?: string;
}

/** Requests that end the whole course session (SCORM 2004 SN: they end the sequencing session). */
const SESSION_ENDING = new Set(['exitAll', 'suspendAll', 'abandonAll']);
/** cmi exit values that mean the learner is leaving the course, not just this part. */
const LEAVING_EXITS = new Set(['suspend', 'logout', 'time-out']);

/** True when the request ends the course session. */
export function endsSession(request: string): boolean {
  return SESSION_ENDING.has(request);
}

/**
 * The request to process after a SCO ended itself (SCORM 1.2 LMSFinish, 2004 Terminate):
 * - the SCO's own `adl.nav.request` (2004) — `{target=id}choice` / `{target=id}jump` included;
 * - none (or a plain `exit`/`abandon` of this SCO): a SCO left suspended, logged out or timed out
 *   ends the course session (the learner is leaving); otherwise the course goes on by itself
 *   (`auto`: the next SCO where the sequencing flows on, else the end of the course).
 */
export function requestAfterSelfEnd(navRequest: string, exit: string): NavRequest {
  const m = /^\{target=([^}]+)\}(choice|jump)$/.exec(navRequest);
  if (m?.[1] && m[2]) return { request: m[2], target: m[1] };
  if (navRequest !== '_none_' && navRequest !== '' && navRequest !== 'exit' && navRequest !== 'abandon') return { request: navRequest };
  return LEAVING_EXITS.has(exit) ? { request: 'suspendAll' } : { request: 'auto' };
}

/**
 * What a learner reads when a navigation is not possible now. `ended`: the SCO has already ended
 * (it asked for the navigation itself), so the learner needs to know how to go on.
 */
export function unavailableMessage(request: string, ended: boolean): string {
  const what = request === 'continue' ? 'This course does not move on to a next part from here.'
    : request === 'previous' ? 'This course does not go back to an earlier part from here.'
      : request === 'choice' || request === 'jump' ? 'That part is not open yet: finish the parts before it first.'
        : 'That step is not possible in this course.';
  return ended ? `${what} This part has ended: choose a part from the contents, or press Exit to save and leave.` : what;
}
