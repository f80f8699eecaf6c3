/**
 * What follows a statement insert (issue 6), called by src/xapi/statements/write-service.ts:
 * the progress projection, then, for a cmi5 AU session's statements, the moveOn evaluation.
 * A failure here is logged, never returned: the statements are stored and acknowledged.
 */
import type { Cmi5Session } from '../../store/ports';
import type { XapiDeps } from '../../xapi/deps';
import type { JsonObject } from '../../xapi/model/types';
import type { storeStatements } from '../../xapi/statements/write-service';
import { lmsWriterOf } from '../cmi5/lms-statements';
import { cmi5ModelOf } from '../cmi5/model';
import { evaluateMoveOn } from '../cmi5/move-on';
import { CMI5 } from '../cmi5/vocab';
import { updateProgress } from './project';

const MOVE_ON_VERBS: ReadonlySet<string> = new Set([CMI5.verb.completed, CMI5.verb.passed]);

export async function afterStatementsStored(
  deps: XapiDeps,
  statements: readonly JsonObject[],
  cmi5: Cmi5Session | undefined,
  store: typeof storeStatements,
): Promise<void> {
  try {
    await updateProgress(deps, statements);
  } catch (err) {
    deps.logger.error({ err }, 'progress projection: update after a statement write failed');
  }
  if (!cmi5) return;
  const relevant = statements.some((s) => {
    const v = s['verb'];
    return typeof v === 'object' && v !== null && !Array.isArray(v) && MOVE_ON_VERBS.has(String(v['id']));
  });
  if (!relevant) return;
  try {
    const model = await cmi5ModelOf(deps.store, cmi5.versionId);
    if (model) await evaluateMoveOn(deps, lmsWriterOf(store), cmi5, model, cmi5.id);
  } catch (err) {
    deps.logger.error({ err, session: cmi5.id }, 'cmi5 moveOn: evaluation after a statement write failed');
  }
}
