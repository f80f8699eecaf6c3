/** The identity of an Agent or identified Group, as used by index keys and document scopes. */
import { badRequest } from '../../errors';
import { assertJsonDepth } from '../../http/json-depth';
import { validateIdentifiedActor } from '../validate/agents';
import { isJsonObject, JsonObject, XapiVersion } from './types';

/**
 * The key of an Agent or identified Group: `mbox:<mailto:..., lower-cased>`,
 * `mbox_sha1sum:<hex, lower-cased>`, `openid:<uri>` or `account:<homePage>|<name>`.
 * Undefined for an anonymous Group or anything without an IFI.
 */
export function agentKey(agentOrGroup: unknown): string | undefined {
  if (!isJsonObject(agentOrGroup)) return undefined;
  const a = agentOrGroup;
  if (typeof a.mbox === 'string') return `mbox:${a.mbox.toLowerCase()}`;
  if (typeof a.mbox_sha1sum === 'string') return `mbox_sha1sum:${a.mbox_sha1sum.toLowerCase()}`;
  if (typeof a.openid === 'string') return `openid:${a.openid}`;
  const acc = a.account;
  if (isJsonObject(acc) && typeof acc.homePage === 'string' && typeof acc.name === 'string') {
    return `account:${acc.homePage}|${acc.name}`;
  }
  return undefined;
}

/** A parsed `agent` query parameter. */
export interface AgentParam {
  /** The Agent or identified Group as sent. */
  readonly agent: JsonObject;
  /** Its {@link agentKey}. */
  readonly key: string;
}

/**
 * Parses and validates the `agent` parameter of the State, Agent Profile and Agents resources:
 * JSON of an Agent or an identified Group with exactly one IFI. Throws AppError('bad_request').
 * `version` is accepted for symmetry with the statement validator; both versions share the rules.
 */
export function parseAgentParam(json: string, version: XapiVersion): AgentParam {
  void version;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw badRequest('agent: must be a JSON object (an Agent or identified Group)');
  }
  assertJsonDepth(parsed, 'agent');
  const agent = validateIdentifiedActor(parsed, 'agent') as JsonObject;
  const key = agentKey(agent);
  if (key === undefined) throw badRequest('agent: must have an inverse functional identifier');
  return { agent, key };
}
