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

/** SCORM 2004 cmi JSON → engine input. */
export function trackingFromCmi2004(data: Readonly<Record<string, unknown>>): ScoTracking {
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
  };
}
