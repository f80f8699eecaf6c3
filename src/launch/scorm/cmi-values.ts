/** Readers of loosely typed cmi values (scorm-again sends strings, numbers and nested objects). */

export type Obj = Record<string, unknown>;

/** The value as an object; {} for anything else. */
export function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

/** The value as a string (numbers written out); '' for anything else. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** The value as a finite number (from a number or a numeric string); undefined otherwise. */
export function num(v: unknown): number | undefined {
  const s = str(v).trim();
  if (s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}
