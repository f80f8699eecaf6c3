/**
 * Index keys ("refs") of a statement: the opaque strings the store answers GET /statements
 * filters from. See src/store/ports/statements.ts and the helper brief for the key grammar.
 */
import { agentKey } from './agent-key';
import { isJsonObject, JsonObject, JsonValue, StatementInput, VOIDED_VERB_ID } from './types';

/** Extra keys that do not come from the statement itself. */
export interface RefExtras {
  /** Key of the credential that wrote the statement: adds `k|<key>`. */
  readonly credentialKey?: string;
}

function asArray(v: JsonValue | undefined): JsonValue[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function isActor(v: JsonValue | undefined): v is JsonObject {
  return isJsonObject(v) && (v.objectType === 'Agent' || v.objectType === 'Group');
}

function isActivity(v: JsonValue | undefined): v is JsonObject {
  return isJsonObject(v) && (v.objectType === undefined || v.objectType === 'Activity') && typeof v.id === 'string';
}

/** Adds `a|` keys for an Agent/Group and for every member of a Group. */
function addRelatedActor(refs: Set<string>, actor: JsonValue | undefined): void {
  if (!isJsonObject(actor)) return;
  const key = agentKey(actor);
  if (key) refs.add(`a|${key}`);
  for (const m of asArray(actor.member)) {
    const mk = agentKey(m);
    if (mk) refs.add(`a|${mk}`);
  }
}

/** Keys of a statement body (also used for a SubStatement with `direct` false). */
function addBody(refs: Set<string>, s: JsonObject, direct: boolean): void {
  const actor = s.actor;
  if (direct && isJsonObject(actor)) {
    const key = agentKey(actor);
    if (key) refs.add(`A|${key}`);
  }
  addRelatedActor(refs, actor);

  const object = s.object;
  if (isActor(object)) {
    const key = agentKey(object);
    if (direct && key) refs.add(`A|${key}`);
    addRelatedActor(refs, object);
  } else if (isActivity(object)) {
    const id = object.id as string;
    if (direct) refs.add(`O|${id}`);
    refs.add(`o|${id}`);
  } else if (isJsonObject(object) && object.objectType === 'SubStatement' && direct) {
    addBody(refs, object, false);
  }

  if (direct) {
    const verb = s.verb;
    if (isJsonObject(verb) && typeof verb.id === 'string') refs.add(`v|${verb.id}`);
  }

  const ctx = s.context;
  if (isJsonObject(ctx)) {
    if (direct && typeof ctx.registration === 'string') refs.add(`r|${ctx.registration.toLowerCase()}`);
    addRelatedActor(refs, ctx.instructor);
    addRelatedActor(refs, ctx.team);
    for (const ca of asArray(ctx.contextAgents)) if (isJsonObject(ca)) addRelatedActor(refs, ca.agent);
    for (const cg of asArray(ctx.contextGroups)) if (isJsonObject(cg)) addRelatedActor(refs, cg.group);
    const activities = ctx.contextActivities;
    if (isJsonObject(activities)) {
      for (const key of ['parent', 'grouping', 'category', 'other']) {
        for (const a of asArray(activities[key])) if (isJsonObject(a) && typeof a.id === 'string') refs.add(`o|${a.id}`);
      }
    }
  }
  if (direct) addRelatedActor(refs, s.authority);
}

/**
 * The statement's own index keys, deduplicated: `v|` verb, `r|` registration (lower-cased),
 * `A|`/`a|` agents (direct/related), `O|`/`o|` activities (direct/related), `k|` credential.
 * Keys of a StatementRef target are not included (the store inherits them).
 */
export function statementRefs(statement: StatementInput, extra: RefExtras = {}): string[] {
  const refs = new Set<string>();
  addBody(refs, statement as JsonObject, true);
  if (extra.credentialKey !== undefined) refs.add(`k|${extra.credentialKey}`);
  return [...refs];
}

/** The id (lower-cased) of the statement this one's object references, when it is a StatementRef. */
export function statementTargetId(statement: StatementInput): string | undefined {
  const o = statement.object;
  if (isJsonObject(o) && o.objectType === 'StatementRef' && typeof o.id === 'string') return o.id.toLowerCase();
  return undefined;
}

/** The id (lower-cased) of the statement voided by this one, when it is a voiding statement. */
export function voidedTargetId(statement: StatementInput): string | undefined {
  const verb = statement.verb;
  if (!isJsonObject(verb) || verb.id !== VOIDED_VERB_ID) return undefined;
  return statementTargetId(statement);
}
