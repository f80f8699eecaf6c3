/**
 * Conformance data validation: Agents, Groups and authority (Data 2.4.2, 2.4.9, 4.1.2), as the ADL
 * suite's agents/groups/authorities/ifis configs check them: each row POSTs one statement built
 * in code and expects 200 or 400, in every place an actor can appear.
 */
import type { TestApp } from '../../helpers/test-app';
import {
  agent, agentNoIfi, anonGroup, identifiedGroup, inSub, neutralContext, runCases, SHA1, stmt, type Case, type Json,
} from './data-validation-builders';
import { openApp } from './support';

let t: TestApp;
beforeAll(async () => { t = await openApp(); });
afterAll(async () => { await t.close(); });
const app = (): TestApp => t;

/** Every place an Agent may stand, as a statement builder. */
const agentPlaces: Readonly<Record<string, (a: Json) => Json>> = {
  actor: (a) => stmt({ actor: a }),
  authority: (a) => stmt({ authority: a }),
  'context.instructor': (a) => stmt({ context: neutralContext({ instructor: a }) }),
  'object (Agent)': (a) => stmt({ object: a }),
  'SubStatement actor': (a) => inSub({ actor: a }),
  'SubStatement context.instructor': (a) => inSub({ context: neutralContext({ instructor: a }) }),
};

/** Every place a Group may stand (authority has its own rules, below). */
const groupPlaces: Readonly<Record<string, (g: Json) => Json>> = {
  actor: (g) => stmt({ actor: g }),
  'context.instructor': (g) => stmt({ context: neutralContext({ instructor: g }) }),
  'context.team': (g) => stmt({ context: neutralContext({ team: g }) }),
  'object (Group)': (g) => stmt({ object: g }),
  'SubStatement actor': (g) => inSub({ actor: g }),
  'SubStatement context.instructor': (g) => inSub({ context: neutralContext({ instructor: g }) }),
  'SubStatement context.team': (g) => inSub({ context: neutralContext({ team: g }) }),
};

const IFIS: Readonly<Record<string, Json>> = {
  mbox: { mbox: 'mailto:xapi@adlnet.gov' },
  mbox_sha1sum: { mbox_sha1sum: SHA1 },
  openid: { openid: 'http://openid.example.org/12345' },
  account: { account: { homePage: 'http://www.example.com', name: 'xAPI account name' } },
};

function forPlaces(places: Readonly<Record<string, (x: Json) => Json>>, what: string, make: () => Json, expect: 200 | 400): Case[] {
  return Object.entries(places).map(([place, put]) => ({ name: `${place}: ${what}`, build: () => put(make()), expect }));
}

const cases: Case[] = [
  // Data 2.4.2.1: an Agent is valid with or without objectType "Agent", in every place.
  ...forPlaces(agentPlaces, 'an Agent with objectType "Agent" is accepted', () => agent(), 200),
  ...forPlaces(
    Object.fromEntries(Object.entries(agentPlaces).filter(([k]) => k !== 'object (Agent)')),
    'an Agent without objectType is accepted',
    () => { const a = agent(); delete a.objectType; return a; },
    200,
  ),
  // Data 2.4.4.2: as the object, an Agent must say objectType "Agent" (absent means Activity).
  { name: 'object: an Agent without objectType is 400 (read as an Activity without id)', build: () => { const a = agent(); delete a.objectType; return stmt({ object: a }); }, expect: 400 },
  // Data 2.2 (case of enumerated values): "agent" / "group" in lower case is 400.
  ...forPlaces(agentPlaces, 'objectType "agent" (wrong case) is 400', () => agent({ objectType: 'agent' }), 400),
  ...forPlaces(agentPlaces, 'objectType "group" (wrong case) is 400', () => agent({ objectType: 'group' }), 400),
  // Data 2.4.2.1: exactly one inverse functional identifier.
  ...Object.entries(IFIS).flatMap(([first, a]) => Object.entries(IFIS).filter(([second]) => second !== first).flatMap(([second, b]) =>
    forPlaces(agentPlaces, `an Agent with both ${first} and ${second} is 400`, () => ({ objectType: 'Agent', ...a, ...b }), 400))),
  ...forPlaces(agentPlaces, 'an Agent with no identifier is 400', () => agentNoIfi(), 400),
  // Data 4.1.2.3 (XAPI-00038..): IFI formats.
  ...forPlaces(agentPlaces, 'mbox without "mailto:" is 400', () => agent({ mbox: 'xapi@adlnet.gov' }), 400),
  ...forPlaces(agentPlaces, 'mbox_sha1sum that is not a hex SHA-1 is 400', () => agentNoIfi({ mbox_sha1sum: 'should fail' }), 400),
  ...forPlaces(agentPlaces, 'openid that is not a URI is 400', () => agentNoIfi({ openid: 'should fail' }), 400),
  ...forPlaces(agentPlaces, 'account.name that is an object is 400', () => agentNoIfi({ account: { homePage: 'http://www.example.com', name: { key: 'should fail' } } }), 400),
  ...forPlaces(agentPlaces, 'account without homePage is 400', () => agentNoIfi({ account: { name: 'xAPI account name' } }), 400),
  ...forPlaces(agentPlaces, 'account without name is 400', () => agentNoIfi({ account: { homePage: 'http://www.example.com' } }), 400),
  ...forPlaces(agentPlaces, 'account.homePage that is not an IRL is 400', () => agentNoIfi({ account: { homePage: 'should fail', name: 'n' } }), 400),
  ...forPlaces(agentPlaces, 'name that is not a string is 400', () => agent({ name: 12345 }), 400),
  ...forPlaces(agentPlaces, 'name null is 400 (Data 2.2: no null values)', () => agent({ name: null }), 400),

  // Data 2.4.2.2: Groups.
  ...forPlaces(groupPlaces, 'an identified Group (openid) without members is accepted', () => identifiedGroup(), 200),
  ...forPlaces(groupPlaces, 'an identified Group with members is accepted', () => identifiedGroup({ member: [agent()] }), 200),
  ...forPlaces(groupPlaces, 'an anonymous Group with members is accepted', () => anonGroup(), 200),
  ...forPlaces(groupPlaces, 'an anonymous Group without "member" is 400 (XAPI-00035)', () => ({ objectType: 'Group', name: 'no members' }), 400),
  ...forPlaces(groupPlaces, 'an anonymous Group with "member": [] is 400', () => ({ objectType: 'Group', member: [] }), 400),
  ...forPlaces(groupPlaces, 'a Group member that is a Group is 400', () => anonGroup({ member: [identifiedGroup()] }), 400),
  ...forPlaces(groupPlaces, 'a Group member without an identifier is 400', () => anonGroup({ member: [agentNoIfi()] }), 400),
  ...forPlaces(groupPlaces, 'a Group "member" that is not an array is 400', () => identifiedGroup({ member: agent() }), 400),
  ...forPlaces(groupPlaces, 'an identified Group with two identifiers is 400', () => identifiedGroup({ mbox: 'mailto:team@example.org' }), 400),
  ...forPlaces(groupPlaces, 'account.name of a Group that is an object is 400', () => ({ objectType: 'Group', account: { homePage: 'http://www.example.com', name: { key: 'x' } } }), 400),
  {
    name: 'context.team that is an Agent is 400 (Data 2.4.6: team is a Group)',
    build: () => stmt({ context: neutralContext({ team: agent() }) }),
    expect: 400,
  },
  { name: 'context.team that is a string is 400', build: () => stmt({ context: neutralContext({ team: 'should fail' }) }), expect: 400 },
  { name: 'context.team that is {key} is 400', build: () => stmt({ context: neutralContext({ team: { key: 'should fail' } }) }), expect: 400 },
  { name: 'context.instructor that is {key} is 400', build: () => stmt({ context: neutralContext({ instructor: { key: 'should fail' } }) }), expect: 400 },
  { name: 'context.instructor that is a string is 400', build: () => stmt({ context: neutralContext({ instructor: 'should fail' }) }), expect: 400 },

  // Data 2.4.9: authority is an Agent, or an anonymous Group of exactly two Agents (OAuth).
  { name: 'authority: an anonymous Group of two Agents is accepted', build: () => stmt({ authority: anonGroup() }), expect: 200 },
  ...Object.entries(IFIS).map(([k, v]): Case => ({
    name: `authority: a Group of two Agents that also has ${k} (identified) is 400`,
    build: () => stmt({ authority: anonGroup(v) }),
    expect: 400,
  })),
  { name: 'authority: an identified Group (openid, no members) is 400', build: () => stmt({ authority: identifiedGroup() }), expect: 400 },
  { name: 'authority: an anonymous Group without members is 400', build: () => stmt({ authority: { objectType: 'Group' } }), expect: 400 },
  { name: 'authority: an anonymous Group of one Agent is 400', build: () => stmt({ authority: anonGroup({ member: [agent()] }) }), expect: 400 },
  {
    name: 'authority: an anonymous Group of three Agents is 400',
    build: () => stmt({ authority: anonGroup({ member: [agent(), agent(), agent()] }) }),
    expect: 400,
  },
  { name: 'authority with objectType "Activity" is 400', build: () => stmt({ authority: { objectType: 'Activity', id: 'http://example.org/a' } }), expect: 400 },
];

runCases(app, 'Data 2.4.2 / 2.4.9: Agents, Groups and authority', cases);
