/**
 * The `format` parameter of GET /statements (Communication 2.1.3): `exact` is the stored JSON,
 * `ids` keeps only what identifies Agents, Groups, Activities and Verbs, `canonical` reduces the
 * Language Maps of Activities and Verbs to the one language the client prefers.
 */
import { IFI_KEYS } from '../validate/agents';
import { copyJson } from './copy-json';
import { isJsonObject, JsonObject, JsonValue, StatementInput } from './types';

function idsActor(actor: JsonValue | undefined): JsonValue | undefined {
  if (!isJsonObject(actor)) return actor;
  const out: JsonObject = { objectType: actor.objectType === 'Group' ? 'Group' : 'Agent' };
  let identified = false;
  for (const k of IFI_KEYS) {
    const v = actor[k];
    if (v !== undefined) {
      out[k] = copyJson(v);
      identified = true;
    }
  }
  // An anonymous Group is identified by its members.
  if (!identified && Array.isArray(actor.member)) out.member = actor.member.map((m) => idsActor(m) ?? null);
  return out;
}

function idsActivity(a: JsonValue): JsonValue {
  // An Activity is identified by its id alone; objectType is optional for activities and the
  // conformance suite expects format=ids to drop it.
  return isJsonObject(a) ? { id: a.id ?? null } : a;
}

function idsBody(s: JsonObject): JsonObject {
  const out = copyJson(s);
  if (s.actor !== undefined) out.actor = idsActor(s.actor) ?? null;
  if (isJsonObject(s.verb)) out.verb = { id: s.verb.id ?? null };
  const o = s.object;
  if (isJsonObject(o)) {
    if (o.objectType === 'Agent' || o.objectType === 'Group') out.object = idsActor(o) ?? null;
    else if (o.objectType === 'SubStatement') out.object = idsBody(o);
    else if (o.objectType === undefined || o.objectType === 'Activity') out.object = idsActivity(o);
  }
  if (s.authority !== undefined) out.authority = idsActor(s.authority) ?? null;
  const ctx = s.context;
  if (isJsonObject(ctx)) {
    const c = out.context as JsonObject;
    if (ctx.instructor !== undefined) c.instructor = idsActor(ctx.instructor) ?? null;
    if (ctx.team !== undefined) c.team = idsActor(ctx.team) ?? null;
    if (Array.isArray(ctx.contextAgents)) {
      c.contextAgents = ctx.contextAgents.map((ca) => (isJsonObject(ca) ? { ...copyJson(ca), agent: idsActor(ca.agent) ?? null } : ca));
    }
    if (Array.isArray(ctx.contextGroups)) {
      c.contextGroups = ctx.contextGroups.map((cg) => (isJsonObject(cg) ? { ...copyJson(cg), group: idsActor(cg.group) ?? null } : cg));
    }
    if (isJsonObject(ctx.contextActivities)) {
      const ca: JsonObject = {};
      for (const [k, v] of Object.entries(ctx.contextActivities)) ca[k] = Array.isArray(v) ? v.map(idsActivity) : idsActivity(v);
      c.contextActivities = ca;
    }
  }
  return out;
}

/** format=ids: Agents/Groups reduced to objectType + IFI (anonymous Groups to their members), Activities to objectType + id, Verbs to id; also inside SubStatements and context. */
export function toIdsFormat(statement: StatementInput): JsonObject {
  return idsBody(statement as JsonObject);
}

/**
 * Parses an Accept-Language header into tags ordered by preference (q-values, then order);
 * tags with q=0 are dropped.
 */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((x) => x.tag !== '' && x.q > 0 && !Number.isNaN(x.q))
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((x) => x.tag);
}

/** The key of `map` that best fits the preferences: exact, then prefix either way, then `*`, then en, then the first. */
export function pickLanguage(keys: readonly string[], prefs: readonly string[]): string | undefined {
  if (keys.length === 0) return undefined;
  const lower = keys.map((k) => k.toLowerCase());
  for (const pref of prefs) {
    const p = pref.toLowerCase();
    if (p === '*') return keys[0];
    const exact = lower.indexOf(p);
    if (exact >= 0) return keys[exact];
    const broader = lower.findIndex((k) => p.startsWith(`${k}-`));
    if (broader >= 0) return keys[broader];
    const narrower = lower.findIndex((k) => k.startsWith(`${p}-`));
    if (narrower >= 0) return keys[narrower];
  }
  const fallback = ['en-us', 'en', 'und'].map((t) => lower.indexOf(t)).find((i) => i >= 0);
  if (fallback !== undefined) return keys[fallback];
  const anyEnglish = lower.findIndex((k) => k.startsWith('en-'));
  return keys[anyEnglish >= 0 ? anyEnglish : 0];
}

function reduceMap(map: JsonValue | undefined, prefs: readonly string[]): JsonValue | undefined {
  if (!isJsonObject(map)) return map;
  const key = pickLanguage(Object.keys(map), prefs);
  return key === undefined ? {} : { [key]: map[key] ?? '' };
}

function canonicalActivity(a: JsonValue, prefs: readonly string[]): JsonValue {
  if (!isJsonObject(a) || !isJsonObject(a.definition)) return a;
  const def = a.definition;
  if (def.name !== undefined) def.name = reduceMap(def.name, prefs) ?? null;
  if (def.description !== undefined) def.description = reduceMap(def.description, prefs) ?? null;
  for (const list of ['choices', 'scale', 'source', 'target', 'steps']) {
    const items = def[list];
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      if (isJsonObject(item) && item.description !== undefined) item.description = reduceMap(item.description, prefs) ?? null;
    }
  }
  return a;
}

function canonicalBody(s: JsonObject, prefs: readonly string[]): void {
  if (isJsonObject(s.verb) && s.verb.display !== undefined) s.verb.display = reduceMap(s.verb.display, prefs) ?? null;
  const o = s.object;
  if (isJsonObject(o)) {
    if (o.objectType === 'SubStatement') canonicalBody(o, prefs);
    else if (o.objectType === undefined || o.objectType === 'Activity') canonicalActivity(o, prefs);
  }
  const ctx = s.context;
  if (isJsonObject(ctx) && isJsonObject(ctx.contextActivities)) {
    for (const v of Object.values(ctx.contextActivities)) {
      if (Array.isArray(v)) v.forEach((a) => canonicalActivity(a, prefs));
      else canonicalActivity(v, prefs);
    }
  }
}

/**
 * format=canonical: every Language Map of Activities (name, description, interaction component
 * descriptions) and Verbs (display) reduced to the single entry that best fits `acceptLanguages`
 * (ordered preferences, e.g. from {@link parseAcceptLanguage}); Agents are returned as stored.
 */
export function toCanonicalFormat(statement: StatementInput, acceptLanguages: readonly string[]): JsonObject {
  const out = copyJson(statement as JsonObject);
  canonicalBody(out, acceptLanguages);
  return out;
}
