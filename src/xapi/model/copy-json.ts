import type { JsonValue } from './types';

/**
 * A deep copy of parsed JSON (objects, arrays, strings, numbers, booleans, null). Several times
 * cheaper than structuredClone for statements, which is on the hot path of every write and read.
 * Own enumerable keys only, as JSON.parse produces them; `__proto__` is copied as a plain key.
 */
export function copyJson<T extends JsonValue | undefined>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array<JsonValue>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copyJson(v[i] as JsonValue);
    return out as T;
  }
  const out: Record<string, JsonValue> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, JsonValue>)[k] as JsonValue;
    if (k === '__proto__') Object.defineProperty(out, k, { value: copyJson(x), enumerable: true, writable: true, configurable: true });
    else out[k] = copyJson(x);
  }
  return out as T;
}
