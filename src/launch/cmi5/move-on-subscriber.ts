/**
 * cmi5 moveOn as a pipeline subscriber (issue 13): a completed or passed statement of an AU
 * session makes the LMS evaluate the registration's moveOn and write the satisfied statements
 * now due. Evaluation is idempotent (once-only marks claim each satisfied statement), so a batch
 * delivered again writes nothing twice.
 */
import type { AppServices } from '../../deps';
import type { PipelineEvent, Subscriber } from '../../pipeline/types';
import { isJsonObject } from '../../xapi/model/types';
import { writeAsLms } from './lms-writer';
import { cmi5ModelOf } from './model';
import { evaluateMoveOn } from './move-on';
import { CMI5 } from './vocab';

const MOVE_ON_VERBS: ReadonlySet<string> = new Set([CMI5.verb.completed, CMI5.verb.passed]);

/** The cmi5 session id of an AU's completed or passed statement; undefined for any other. */
function sessionOf(s: Readonly<Record<string, unknown>>): string | undefined {
  const verb = isJsonObject(s['verb']) ? s['verb']['id'] : undefined;
  if (typeof verb !== 'string' || !MOVE_ON_VERBS.has(verb)) return undefined;
  const ctx = isJsonObject(s['context']) ? s['context'] : undefined;
  const ext = ctx && isJsonObject(ctx['extensions']) ? ctx['extensions'] : undefined;
  const id = ext?.[CMI5.ext.sessionId];
  return typeof id === 'string' ? id : undefined;
}

/** The moveOn subscriber; the AU's write answers once its satisfied statements are stored (read-your-writes). */
export function cmi5MoveOnSubscriber(deps: AppServices): Subscriber {
  return {
    name: 'cmi5-move-on',
    // Only an AU's completed or passed makes the write wait (for its satisfied statements).
    readYourWrites: (s) => sessionOf(s) !== undefined,
    async handle(events: readonly PipelineEvent[]) {
      const sessions = new Set<string>();
      for (const e of events) {
        if (e.kind !== 'stored' || e.statement.voided) continue;
        const id = sessionOf(e.statement.statement);
        if (id !== undefined) sessions.add(id);
      }
      for (const id of sessions) {
        const session = await deps.store.cmi5.findCmi5Session(id);
        if (!session) continue;
        const model = await cmi5ModelOf(deps.store, session.versionId);
        if (model) await evaluateMoveOn(deps, writeAsLms, session, model, session.id);
      }
    },
  };
}
