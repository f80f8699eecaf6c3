import type { JsonObject } from './types';

/** The statement's timestamp normalised to toISOString() form (so keys sort), else its stored time. */
export function timeOf(s: JsonObject): string {
  for (const k of ['timestamp', 'stored']) {
    const v = s[k];
    if (typeof v === 'string') {
      const t = Date.parse(v);
      if (!Number.isNaN(t)) return new Date(t).toISOString();
    }
  }
  return new Date(0).toISOString();
}
