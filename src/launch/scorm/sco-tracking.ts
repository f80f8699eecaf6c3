/**
 * A SCO's stored cmi JSON (scorm-again `renderCommitCMI(true)` shape) → the sequencing engine's
 * input. Pure; shared by the launcher (live statuses) and the server (course rollup).
 */
import type { ScoTracking } from './sequencing-engine';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
function num(v: unknown): number | undefined {
  const s = str(v).trim();
  const n = s === '' ? NaN : Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Entries of a scorm-again list (an object keyed by index, or `childArray`). */
function list(v: unknown): Obj[] {
  const o = obj(v);
  const child = o['childArray'];
  if (Array.isArray(child)) return child.map(obj);
  return Object.keys(o).filter((k) => /^\d+$/.test(k)).sort((a, b) => Number(a) - Number(b)).map((k) => obj(o[k]));
}

/**
 * SCO attempts after a commit of a SCO (the count stored with it): the first commit opens attempt
 * 1; an Initialize that does not resume a suspended attempt (entry ≠ resume) after earlier data
 * opens the next one; any other commit keeps the count. Data stored before counts existed is 1.
 */
export function scoAttemptsAfter(previous: { readonly scoAttempts?: number } | undefined, startsNewAttempt: boolean): number {
  if (!previous) return 1;
  const before = Math.max(1, previous.scoAttempts ?? 1);
  return startsNewAttempt ? before + 1 : before;
}

/**
 * True when a commit opens a new SCO attempt: an Initialize after earlier data of the SCO, not
 * resuming it (cmi entry is set by the launcher's seed, read-only to the content).
 */
export function startsNewScoAttempt(event: string, hasPrevious: boolean, entry: string): boolean {
  return event === 'initialize' && hasPrevious && entry !== 'resume';
}

/** cmi entry of a rendered commit, SCORM 1.2 (`core.entry`) or 2004 (`entry`). */
export function entryOf(data: Readonly<Record<string, unknown>>): string {
  const root = 'cmi' in data ? obj(data['cmi']) : { ...data };
  return str(root['entry'] ?? obj(root['core'])['entry']);
}

/**
 * The launcher's live count, the same rule as {@link scoAttemptsAfter}: `before` is the count
 * known so far (0 when the SCO has no data), `entry` the running SCO's cmi entry at Initialize.
 */
export function scoAttemptsOnInitialize(before: number, entry: string): number {
  return before > 0 && entry === 'resume' ? before : before + 1;
}

/**
 * SCORM 2004 cmi JSON → engine input. `scoAttempts` is the stored SCO attempt count (limit
 * conditions compare it with attemptLimit); without it the engine assumes one attempt.
 */
export function trackingFromCmi2004(data: Readonly<Record<string, unknown>>, scoAttempts?: number): ScoTracking {
  const root = 'cmi' in data ? obj(data['cmi']) : { ...data };
  const score = obj(root['score']);
  const scaled = num(score['scaled']);
  const progress = num(root['progress_measure']);
  const objectives = list(root['objectives']).flatMap((o) => {
    const id = str(o['id']);
    if (id === '') return [];
    const s = num(obj(o['score'])['scaled']);
    return [{ id, success: str(o['success_status']) || 'unknown', ...(s !== undefined ? { scaled: s } : {}) }];
  });
  return {
    completion: str(root['completion_status']) || 'unknown',
    success: str(root['success_status']) || 'unknown',
    ...(scaled !== undefined ? { scaled } : {}),
    ...(progress !== undefined ? { progressMeasure: progress } : {}),
    ...(objectives.length > 0 ? { objectives } : {}),
    ...(str(root['exit']) === 'suspend' ? { suspended: true } : {}),
    ...(scoAttempts !== undefined && scoAttempts > 0 ? { attempts: scoAttempts } : {}),
  };
}
