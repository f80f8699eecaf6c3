/** Agent, Group and authority rules (Data 2.4.2, 2.4.9). */
import { checkIri, checkProperties, checkString, fail, kindOf, Obj, requireArray, requireObject } from './checks';
import { isIri, isMailtoIri, isSha1Hex } from './primitives';

export const IFI_KEYS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;
const AGENT_KEYS = ['objectType', 'name', ...IFI_KEYS];
const GROUP_KEYS = [...AGENT_KEYS, 'member'];

function checkIfiValues(obj: Obj, path: string): number {
  let count = 0;
  if (obj.mbox !== undefined) {
    count++;
    checkString(obj.mbox, `${path}.mbox`);
    if (!isMailtoIri(obj.mbox)) fail(`${path}.mbox`, 'must be a "mailto:" IRI with an email address');
  }
  if (obj.mbox_sha1sum !== undefined) {
    count++;
    checkString(obj.mbox_sha1sum, `${path}.mbox_sha1sum`);
    if (!isSha1Hex(obj.mbox_sha1sum)) fail(`${path}.mbox_sha1sum`, 'must be a SHA-1 hash as 40 hex digits');
  }
  if (obj.openid !== undefined) {
    count++;
    checkIri(obj.openid, `${path}.openid`, 'URI');
  }
  if (obj.account !== undefined) {
    count++;
    const account = requireObject(obj.account, `${path}.account`);
    checkProperties(account, `${path}.account`, ['homePage', 'name']);
    if (account.homePage === undefined) fail(`${path}.account.homePage`, 'is required');
    if (account.name === undefined) fail(`${path}.account.name`, 'is required');
    checkString(account.homePage, `${path}.account.homePage`);
    if (!isIri(account.homePage)) fail(`${path}.account.homePage`, 'must be an absolute IRL');
    checkString(account.name, `${path}.account.name`);
  }
  if (obj.name !== undefined) checkString(obj.name, `${path}.name`);
  return count;
}

/** An Agent: optional objectType "Agent", exactly one IFI. */
export function validateAgent(value: unknown, path: string): Obj {
  const agent = requireObject(value, path);
  if (agent.objectType !== undefined && agent.objectType !== 'Agent') {
    fail(`${path}.objectType`, `must be "Agent", got ${JSON.stringify(agent.objectType)}`);
  }
  checkProperties(agent, path, AGENT_KEYS);
  const n = checkIfiValues(agent, path);
  if (n !== 1) fail(path, `an Agent must have exactly one inverse functional identifier (mbox, mbox_sha1sum, openid or account), found ${n}`);
  return agent;
}

/** A Group: objectType "Group"; identified (one IFI, optional members) or anonymous (members, no IFI). */
export function validateGroup(value: unknown, path: string): Obj {
  const group = requireObject(value, path);
  if (group.objectType !== 'Group') fail(`${path}.objectType`, `must be "Group", got ${JSON.stringify(group.objectType ?? 'nothing')}`);
  checkProperties(group, path, GROUP_KEYS);
  const n = checkIfiValues(group, path);
  if (n > 1) fail(path, `a Group must have at most one inverse functional identifier, found ${n}`);
  if (group.member !== undefined) {
    const members = requireArray(group.member, `${path}.member`);
    members.forEach((m, i) => {
      const mpath = `${path}.member[${i}]`;
      if (typeof m === 'object' && m !== null && (m as Obj).objectType === 'Group') {
        fail(`${mpath}.objectType`, 'group members must be Agents, not Groups');
      }
      validateAgent(m, mpath);
    });
  }
  if (n === 0) {
    if (group.member === undefined) fail(`${path}.member`, 'is required for an anonymous Group (a Group without an identifier)');
    if ((group.member as unknown[]).length === 0) fail(`${path}.member`, 'an anonymous Group must list at least one member');
  }
  return group;
}

/** An Agent or a Group, chosen by objectType (absent means Agent). */
export function validateActor(value: unknown, path: string): Obj {
  const actor = requireObject(value, path);
  if (actor.objectType === 'Group') return validateGroup(actor, path);
  if (actor.objectType === undefined || actor.objectType === 'Agent') return validateAgent(actor, path);
  return fail(`${path}.objectType`, `must be "Agent" or "Group", got ${typeof actor.objectType === 'string' ? JSON.stringify(actor.objectType) : kindOf(actor.objectType)}`);
}

/** An Agent or an identified Group (document resources' `agent` parameter, context.instructor...). */
export function validateIdentifiedActor(value: unknown, path: string): Obj {
  const actor = validateActor(value, path);
  if (!IFI_KEYS.some((k) => actor[k] !== undefined)) fail(path, 'must be an Agent or an identified Group (with one inverse functional identifier)');
  return actor;
}

/**
 * Data 2.4.9: the authority is an Agent, or (OAuth 3-legged) an anonymous Group of exactly two
 * Agents: the application and the user.
 */
export function validateAuthority(value: unknown, path: string): Obj {
  const actor = validateActor(value, path);
  if (actor.objectType === 'Group') {
    if (IFI_KEYS.some((k) => actor[k] !== undefined)) fail(path, 'an authority Group must be anonymous (no identifier)');
    if ((actor.member as unknown[]).length !== 2) fail(`${path}.member`, 'an authority Group must have exactly two Agents');
  }
  return actor;
}
