/**
 * Keeps the progress projection up to date from the statement write path (called after every
 * insert, whoever wrote): one indexed read of the batch's registrations' tracks, then one delta
 * write. Statements without a registration cost nothing.
 */
import type { Config } from '../../config';
import type { Store } from '../../store/ports';
import type { JsonObject } from '../../xapi/model/types';
import { progressDeltas, registrationOf } from './derive';
import { tracksFor } from './tracks';

/** Applies the deltas of freshly stored statements. */
export async function updateProgress(deps: { readonly store: Store; readonly config: Config; readonly now: () => Date }, statements: readonly JsonObject[]): Promise<void> {
  const regs = statements.flatMap((s) => {
    const r = registrationOf(s);
    return r !== undefined ? [r] : [];
  });
  if (regs.length === 0) return;
  const tracks = await tracksFor(deps, regs);
  if (tracks.size === 0) return;
  await deps.store.progress.applyProgress(progressDeltas(statements, tracks, deps.now().toISOString()));
}
