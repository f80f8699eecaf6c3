/**
 * The sweep after a crash (issue 11): an import killed mid-extraction (kill -9, power loss) leaves
 * a file set no course version names, and a killed upload leaves its temp zip. At start, and
 * then every so often, LearnHQ deletes what is older than a grace period, logging each. The grace
 * period (LEARNHQ_ORPHAN_GRACE_SECONDS) keeps imports and uploads in progress on other instances
 * safe. Until it is swept, such a file set is never served: the content origin serves only file
 * sets a committed version names (src/packages/content-app.ts).
 */
import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { FileStore, Store } from '../store/ports';
import { NON_PACKAGE_FILE_SETS } from '../store/files/paths';
import { removeStaleTempFiles } from './upload';

/** What one sweep removed. */
export interface SweepResult {
  readonly fileSets: readonly string[];
  readonly tempUploads: readonly string[];
  /** Pieces of interrupted file writes (staged files, GridFS chunks). */
  readonly abandonedWrites: number;
}

/** What the sweep needs. */
export interface SweepServices {
  readonly store: Pick<Store, 'courses'>;
  readonly files: FileStore;
  readonly logger: Logger;
  readonly config: Pick<Config, 'dataDir' | 'orphanGraceSeconds'>;
  readonly now: () => Date;
}

/** Where uploads are streamed to while they arrive (src/packages/routes.ts writes there). */
export function uploadTmpDir(services: { readonly config: Pick<Config, 'dataDir'> }): string {
  return path.join(services.config.dataDir, 'uploads');
}

/** Deletes uncommitted file sets, interrupted writes and temp uploads older than the grace period. */
export async function sweepOrphans(s: SweepServices): Promise<SweepResult> {
  const before = s.now().getTime() - s.config.orphanGraceSeconds * 1000;
  const sets = (await s.files.findFileSets()).filter((f) => Date.parse(f.modifiedAt) < before && !NON_PACKAGE_FILE_SETS.includes(f.id));
  const committed = new Set(await s.store.courses.findFileSetIds(sets.map((f) => f.id)));
  const fileSets: string[] = [];
  for (const set of sets) {
    if (committed.has(set.id)) continue;
    // Asked again just before deleting: a slow import elsewhere may have committed it meanwhile.
    if ((await s.store.courses.findFileSetIds([set.id])).length > 0) continue;
    await s.files.deleteTree(set.id);
    fileSets.push(set.id);
    s.logger.warn({ fileSetId: set.id, lastWritten: set.modifiedAt }, 'sweep: deleted a file set no course version names (an interrupted import)');
  }
  const abandonedWrites = await s.files.deleteAbandonedWrites(new Date(before).toISOString());
  const tempUploads = await removeStaleTempFiles(uploadTmpDir(s), before);
  for (const name of tempUploads) s.logger.warn({ file: name }, 'sweep: deleted a temp upload left by an interrupted upload');
  if (abandonedWrites > 0) s.logger.warn({ abandonedWrites }, 'sweep: deleted pieces of interrupted file writes');
  return { fileSets, tempUploads, abandonedWrites };
}

/**
 * Sweeps now and then every grace period (at least every minute) until the returned stop is
 * called; a failed sweep is logged and retried at the next turn.
 */
export function startOrphanSweeps(s: SweepServices): () => void {
  const run = (): void => {
    sweepOrphans(s).then(
      (r) => s.logger.info({ fileSets: r.fileSets.length, tempUploads: r.tempUploads.length, abandonedWrites: r.abandonedWrites }, 'sweep: orphaned package files checked'),
      (err: unknown) => s.logger.error({ err }, 'sweep: could not sweep orphaned package files'),
    );
  };
  run();
  const timer = setInterval(run, Math.max(60_000, s.config.orphanGraceSeconds * 1000));
  timer.unref();
  return () => clearInterval(timer);
}
