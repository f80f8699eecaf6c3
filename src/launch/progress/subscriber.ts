/**
 * The progress projection as a pipeline subscriber (issue 13): every stored statement of a tracked
 * registration moves its rows; a voided statement's registration is replayed without it; an
 * erased person's rows go. Deltas carry their statement's seq, so a batch delivered again after
 * a crash changes nothing (src/store/ports/progress.ts).
 */
import type { Config } from '../../config';
import type { Subscriber, PipelineEvent, StoredEvent } from '../../pipeline/types';
import type { ProgressDelta, ProgressRecord, Store, StoredStatement } from '../../store/ports';
import type { JsonObject } from '../../xapi/model/types';
import { voidedIdOf } from '../../pipeline/events';
import { progressDeltas, registrationOf } from './derive';
import { forgetRegistrations, isUnknownRegistration, tracksFor, type MemoStore } from './tracks';
import { doneAtOf } from '../../store/progress-merge';

type Deps = { readonly store: Store; readonly config: Config; readonly now: () => Date };

/** Statements per page when a registration is replayed after a voiding. */
const REPLAY_PAGE = 500;

/** The deltas of stored statements, each tagged with its seq; voided statements give none. */
async function deltasOf(deps: Deps, statements: readonly StoredStatement[]): Promise<ProgressDelta[]> {
  const regs: string[] = [];
  for (const s of statements) {
    const r = s.voided ? undefined : registrationOf(s.statement as JsonObject);
    if (r !== undefined) regs.push(r);
  }
  if (regs.length === 0) return [];
  const tracks = await tracksFor(deps, regs);
  const out: ProgressDelta[] = [];
  if (tracks.size === 0) return out;
  const at = deps.now().toISOString();
  for (const s of statements) {
    if (s.voided) continue;
    for (const d of progressDeltas([s.statement as JsonObject], tracks, at)) out.push({ ...d, seq: s.seq });
  }
  return out;
}

/** One delta per row: counters add, completion and times take the maximum, flags or (the store's merge, done here first). */
function merged(deltas: readonly ProgressDelta[], seq: number): ProgressDelta[] {
  const rows = new Map<string, ProgressDelta>();
  const later = <T extends { readonly at: string }>(a: T | undefined, b: T | undefined): T | undefined => (!a ? b : !b ? a : b.at > a.at ? b : a);
  for (const d of deltas) {
    const key = `${d.registration} ${d.activityId}`;
    const m = rows.get(key);
    if (!m) {
      rows.set(key, { ...d, seq });
      continue;
    }
    const completion = m.completion === 'completed' || d.completion === 'completed' ? 'completed' : (m.completion ?? d.completion);
    const success = later(m.success, d.success);
    const score = later(m.score, d.score);
    const last = [m.lastActivityAt, d.lastActivityAt].filter((x): x is string => x !== undefined).sort().pop();
    // Merged deltas keep the earliest time the row became done (not the merged delta's latest time).
    const doneAt = [doneAtOf(m), doneAtOf(d)].filter((x): x is string => x !== undefined).sort()[0];
    rows.set(key, {
      registration: d.registration, activityId: d.activityId, seq, updatedAt: d.updatedAt,
      statements: m.statements + d.statements, attempts: m.attempts + d.attempts, timeMs: m.timeMs + d.timeMs,
      ...(completion !== undefined ? { completion } : {}), ...(success ? { success } : {}), ...(score ? { score } : {}),
      ...(last !== undefined ? { lastActivityAt: last } : {}),
      ...(doneAt !== undefined ? { doneAt } : {}),
      ...(m.satisfied || d.satisfied ? { satisfied: true as const } : {}), ...(m.waived || d.waived ? { waived: true as const } : {}),
    });
  }
  return [...rows.values()];
}

/**
 * Recomputes a registration's rows from its statements up to `upTo` (voided ones left out): the
 * rows are reset, then get one merged delta each, tagged `upTo` (so a repeated replay resets and
 * applies again, and later statements still apply once).
 */
async function replay(deps: Deps, track: ProgressRecord, upTo: number): Promise<void> {
  const deltas: ProgressDelta[] = [];
  let afterSeq: number | undefined;
  for (;;) {
    const page = await deps.store.statements.findStatements({
      allRefs: [`r|${track.registration}`], ascending: true, limit: REPLAY_PAGE, ...(afterSeq !== undefined ? { afterSeq } : {}),
    });
    const within = page.statements.filter((s) => s.seq <= upTo);
    if (within.length > 0) deltas.push(...(await deltasOf(deps, within)));
    if (page.nextAfterSeq === undefined || within.length < page.statements.length) break;
    afterSeq = page.nextAfterSeq;
  }
  await deps.store.progress.resetProgressStatus([track.registration]);
  if (deltas.length > 0) await deps.store.progress.applyProgress(merged(deltas, upTo));
}

async function voided(deps: Deps, voidedId: string, seq: number): Promise<void> {
  const [target] = await deps.store.statements.findStatementsByIds([voidedId]);
  const reg = target ? registrationOf(target.statement as JsonObject) : undefined;
  if (reg === undefined) return;
  const [track] = await deps.store.progress.findProgressTracks([reg]);
  if (track) await replay(deps, track, seq);
}

async function erased(deps: Deps, userId: string): Promise<void> {
  // The erasure (maybe on another instance) deleted the person's tracks and registrations.
  forgetRegistrations(deps.store);
  // The launch erasure step deletes the person's registrations' rows already; rows of
  // registrations it no longer knows go here.
  for (;;) {
    const rows = await deps.store.progress.findProgress({ userId, limit: 500 });
    if (rows.length === 0) return;
    await deps.store.progress.deleteProgress(rows.map((r) => r.registration));
  }
}

/**
 * Whether handling `s` may change a progress row: a voiding statement (its target's registration
 * is replayed), or a statement of a registration not known (in `store`'s memo) to be one nobody
 * launched (which has no track, and tracksFor skips it). A statement without a registration never
 * moves progress.
 */
export function mayMoveProgress(store: MemoStore, s: Readonly<Record<string, unknown>>): boolean {
  if (voidedIdOf(s) !== undefined) return true;
  const reg = registrationOf(s as JsonObject);
  return reg !== undefined && !isUnknownRegistration(store, reg);
}

/**
 * The progress projection subscriber; pages read it right after a write (read-your-writes), so a
 * write waits for it, but only when it holds a statement that may move progress: an outside tool's
 * statements (no registration, or one nobody launched) answer without waiting for it.
 */
export function progressSubscriber(deps: Deps): Subscriber {
  return {
    name: 'progress',
    readYourWrites: (s) => mayMoveProgress(deps.store, s),
    async handle(events: readonly PipelineEvent[]) {
      let run: StoredEvent[] = [];
      const flush = async (): Promise<void> => {
        if (run.length > 0) await deps.store.progress.applyProgress(await deltasOf(deps, run.map((e) => e.statement)));
        run = [];
      };
      for (const e of events) {
        if (e.kind === 'stored') {
          run.push(e);
          continue;
        }
        await flush();
        if (e.kind === 'voided') await voided(deps, e.voidedId, e.seq);
        else await erased(deps, e.userId);
      }
      await flush();
    },
    async reset() {
      await deps.store.progress.resetProgressStatus();
    },
  };
}
