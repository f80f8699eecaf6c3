import type { ActivityRecord } from '../../store/ports';
import type { XapiDeps } from '../deps';
import { isJsonObject, type JsonObject, type JsonValue } from '../model/types';

const LANGUAGE_MAPS = new Set(['name', 'description']);
/** Per store: definitions already merged by this process, activity id → JSON of the last one seen. */
const seenByStore = new WeakMap<object, Map<string, string>>();
const SEEN_MAX = 20_000;

/** Every Activity with a definition in a statement: object, context activities, SubStatement too. */
export function definedActivities(s: JsonObject, out: Map<string, JsonObject[]> = new Map()): Map<string, JsonObject[]> {
  const add = (a: JsonValue | undefined) => {
    if (!isJsonObject(a) || typeof a['id'] !== 'string' || !isJsonObject(a['definition'])) return;
    if (a['objectType'] !== undefined && a['objectType'] !== 'Activity') return;
    const list = out.get(a['id']) ?? [];
    list.push(a['definition']);
    out.set(a['id'], list);
  };
  const o = s['object'];
  if (isJsonObject(o) && o['objectType'] === 'SubStatement') definedActivities(o, out);
  else add(o);
  const ctx = s['context'];
  if (isJsonObject(ctx) && isJsonObject(ctx['contextActivities'])) {
    for (const v of Object.values(ctx['contextActivities'])) for (const a of Array.isArray(v) ? v : [v]) add(a);
  }
  return out;
}

/**
 * Canonical definition merge: language maps (name, description) merge key by key with the newer
 * value winning; every other property of the newer definition replaces the older one.
 */
export function mergeDefinition(old: Readonly<Record<string, unknown>>, next: JsonObject): Record<string, unknown> {
  const out: Record<string, unknown> = { ...old };
  for (const [k, v] of Object.entries(next)) {
    const prev = out[k];
    out[k] = LANGUAGE_MAPS.has(k) && isJsonObject(prev) && isJsonObject(v) ? { ...prev, ...v } : v;
  }
  return out;
}

/**
 * Updates the canonical definitions of the activities these statements define (the caller may
 * define). Best effort: a failure is logged, never returned, because the statements are stored.
 * Definitions this process already merged unchanged are skipped, so repeated statements cost nothing.
 */
export async function updateActivityDefinitions(deps: XapiDeps, statements: readonly JsonObject[]): Promise<void> {
  let seen = seenByStore.get(deps.store);
  if (!seen) {
    seen = new Map();
    seenByStore.set(deps.store, seen);
  }
  try {
    const byId = new Map<string, JsonObject[]>();
    for (const s of statements) definedActivities(s, byId);
    const changed = new Map<string, JsonObject[]>();
    for (const [id, defs] of byId) {
      // Every definition here the same as the one last merged: nothing can change.
      const last = seen.get(id);
      if (last !== undefined && defs.every((d) => JSON.stringify(d) === last)) continue;
      changed.set(id, defs);
    }
    if (changed.size === 0) return;
    const current = await deps.store.activities.findActivities([...changed.keys()]);
    const known = new Map(current.map((r) => [r.id, r.definition]));
    const updated = deps.now().toISOString();
    const records: ActivityRecord[] = [];
    for (const [id, defs] of changed) {
      let def: Record<string, unknown> = known.get(id) ?? {};
      for (const d of defs) def = mergeDefinition(def, d);
      records.push({ id, definition: def, updated });
    }
    await deps.store.activities.upsertActivities(records);
    if (seen.size > SEEN_MAX) seen.clear();
    for (const [id, defs] of changed) seen.set(id, JSON.stringify(defs[defs.length - 1]));
  } catch (err) {
    deps.logger.warn({ err }, 'activity definitions were not updated');
  }
}
