/**
 * Conformance data validation: Context (Data 2.4.6), contextAgents / contextGroups (xAPI 2.0
 * Data 2.4.6.3-4), StatementRefs and SubStatements (Data 2.4.4.3), as the ADL suite's contexts,
 * contextactivities, contextagents, contextgroups, statementrefs, substatements and uuids configs
 * check them. Rows that apply at statement level are repeated inside a SubStatement.
 */
import type { TestApp } from '../../helpers/test-app';
import {
  activity, agent, anonGroup, BAD_UUID_LETTER, BAD_UUID_LONG, context, identifiedGroup, inSub, neutralContext, result, runCases,
  statementRef, stmt, sub, uuid, verb, without, type Case, type Json,
} from './data-validation-builders';
import { openApp } from './support';

let t: TestApp;
beforeAll(async () => { t = await openApp(); });
afterAll(async () => { await t.close(); });
const app = (): TestApp => t;

/** The row at statement level and inside a SubStatement. */
function both(name: string, ctx: () => Json, expect: 200 | 400, versions?: Case['versions']): Case[] {
  return [
    { name: `context: ${name}`, build: () => stmt({ context: ctx() }), expect, ...(versions ? { versions } : {}) },
    { name: `SubStatement context: ${name}`, build: () => inSub({ context: ctx() }), expect, ...(versions ? { versions } : {}) },
  ];
}

const VALID_ACTIVITY = (): Json => ({ objectType: 'Activity', id: 'http://www.example.com/meetings/occurances/34534' });

/** Objects that are not Activities, for the revision/platform rule. */
const NON_ACTIVITY_OBJECTS: Readonly<Record<string, () => Json>> = {
  Agent: () => agent(),
  Group: () => identifiedGroup(),
  StatementRef: () => statementRef(),
};

const contextAgent = (over: Json = {}): Json => ({ objectType: 'contextAgent', agent: agent(), relevantTypes: ['http://example.org/types/coach'], ...over });
const contextGroup = (over: Json = {}): Json => ({ objectType: 'contextGroup', group: identifiedGroup(), relevantTypes: ['http://example.org/types/team'], ...over });

const cases: Case[] = [
  ...both('the full default context is accepted', () => context(), 200),
  // Data 2.4.6 table: registration is a UUID.
  ...both('registration {key} is 400', () => context({ registration: { key: 'should fail' } }), 400),
  ...both('registration "should fail" is 400', () => context({ registration: 'should fail' }), 400),
  ...both('registration 12345 is 400', () => context({ registration: 12345 }), 400),
  ...both('registration with too many digits is 400 (Data 4.1.1)', () => context({ registration: BAD_UUID_LONG }), 400),
  ...both('registration with a non-hex letter is 400 (Data 4.1.1)', () => context({ registration: BAD_UUID_LETTER }), 400),
  ...both('registration null is 400 (Data 2.2)', () => context({ registration: null }), 400),
  ...both('registration in upper case is accepted', () => context({ registration: uuid().toUpperCase() }), 200),
  // contextActivities (Data 2.4.6.2).
  ...both('contextActivities "should fail" is 400', () => context({ contextActivities: 'should fail' }), 400),
  // Issue 11: this row used to expect 400, which the spec does not support: Data 2.4.6.2 constrains
  // the keys and values present and asks for none (ADL's suites have no such case).
  ...both('contextActivities {} (no context type) is accepted', () => context({ contextActivities: {} }), 200),
  ...both('contextActivities.parent [] (an empty array of Activities) is accepted', () => context({ contextActivities: { parent: [] } }), 200),
  ...(['parent', 'grouping', 'category', 'other'] as const).flatMap((k) => [
    ...both(`contextActivities.${k} as one Activity is accepted`, () => context({ contextActivities: { [k]: VALID_ACTIVITY() } }), 200),
    ...both(`contextActivities.${k} as an array of Activities is accepted`, () => context({ contextActivities: { [k]: [VALID_ACTIVITY()] } }), 200),
    ...both(`contextActivities.${k} holding an Activity without id is 400`, () => context({ contextActivities: { [k]: [{ objectType: 'Activity' }] } }), 400),
  ]),
  ...both('contextActivities with an unknown key ("parents") is 400', () => context({ contextActivities: { parents: [VALID_ACTIVITY()] } }), 400),
  ...both('contextActivities.parent holding an Agent is 400', () => context({ contextActivities: { parent: [agent()] } }), 400),
  // revision / platform / language types.
  ...both('revision 12345 is 400', () => context({ revision: 12345 }), 400),
  ...both('revision {key} is 400', () => context({ revision: { key: 'should fail' } }), 400),
  ...both('platform 12345 is 400', () => context({ platform: 12345 }), 400),
  ...both('platform {key} is 400', () => context({ platform: { key: 'should fail' } }), 400),
  ...both('language 12345 is 400', () => context({ language: 12345 }), 400),
  ...both('language {key} is 400', () => context({ language: { key: 'should fail' } }), 400),
  ...both('language {a12345: …} is 400 (RFC 5646)', () => context({ language: { a12345: 'should fail' } }), 400),
  ...both('language "cmn" (three-letter code) is accepted', () => context({ language: 'cmn' }), 200),
  ...both('language "sr-Latn-RS" is accepted', () => context({ language: 'sr-Latn-RS' }), 200),
  // 2.0 formatting.js XAPI-00013: context.language "something" is not an RFC 5646 tag.
  ...both('language "something" (nine letters, not an RFC 5646 tag) is 400 (Data 2.4.6, XAPI-00013)', () => context({ language: 'something' }), 400),
  ...both('language "en_US" (underscore) is 400', () => context({ language: 'en_US' }), 400),
  // context.statement is a StatementRef.
  ...both('statement {objectType: "statementref"} (wrong case) is 400', () => context({ statement: { objectType: 'statementref', id: uuid() } }), 400),
  ...both('statement with a non-UUID id is 400', () => context({ statement: { objectType: 'StatementRef', id: 'should fail' } }), 400),
  ...both('statement with a too-long UUID is 400', () => context({ statement: statementRef({ id: BAD_UUID_LONG }) }), 400),
  ...both('statement with a numeric id is 400', () => context({ statement: statementRef({ id: 12345 }) }), 400),
  ...both('statement without objectType is 400', () => context({ statement: { id: uuid() } }), 400),
  // extensions.
  ...both('extensions with a null value are accepted (Data 2.2 exempts extensions)', () => context({ extensions: { 'http://example.com/null': null } }), 200),
  ...both('extensions "should fail" is 400', () => context({ extensions: 'should fail' }), 400),
  ...both('extensions keyed by a non-IRI is 400', () => context({ extensions: { notAnIri: 1 } }), 400),
  ...both('an unknown context property is 400', () => context({ dummy: 1 }), 400),
];

// Data 2.4.6: revision and platform only when the object is an Activity.
for (const key of ['revision', 'platform'] as const) {
  const only = (): Json => ({ ...neutralContext(), [key]: key === 'revision' ? 'rev_10_3_2' : 'Example platform' });
  for (const [kind, make] of Object.entries(NON_ACTIVITY_OBJECTS)) {
    cases.push({ name: `context.${key} with a ${kind} object is 400`, build: () => stmt({ object: make(), context: only() }), expect: 400 });
    cases.push({ name: `SubStatement context.${key} with a ${kind} object is 400`, build: () => inSub({ object: make(), context: only() }), expect: 400 });
  }
  cases.push({ name: `context.${key} with a SubStatement object is 400`, build: () => stmt({ object: sub(), context: only() }), expect: 400 });
  cases.push({
    name: `context.${key} with an Activity object without objectType is accepted`,
    build: () => stmt({ object: without(activity(), 'objectType'), context: only() }),
    expect: 200,
  });
}

// xAPI 2.0 Data 2.4.6.3-4: contextAgents / contextGroups.
const V2: Case['versions'] = ['2.0.0'];
cases.push(
  ...both('contextAgents with valid contextAgent objects is accepted', () => neutralContext({ contextAgents: [contextAgent(), contextAgent({ relevantTypes: undefined })].map((c) => JSON.parse(JSON.stringify(c)) as Json) }), 200, V2),
  ...both('contextAgents objectType "Should fail" is 400', () => neutralContext({ contextAgents: [contextAgent({ objectType: 'Should fail' })] }), 400, V2),
  ...both('contextAgents agent {key} is 400', () => neutralContext({ contextAgents: [contextAgent({ agent: { key: 'Should fail' } })] }), 400, V2),
  ...both('contextAgents agent that is a Group is 400', () => neutralContext({ contextAgents: [contextAgent({ agent: identifiedGroup() })] }), 400, V2),
  ...both('contextAgents relevantTypes [] is 400', () => neutralContext({ contextAgents: [contextAgent({ relevantTypes: [] })] }), 400, V2),
  ...both('contextAgents relevantTypes ["abc"] is 400', () => neutralContext({ contextAgents: [contextAgent({ relevantTypes: ['abc'] })] }), 400, V2),
  ...both('contextAgents that is an object, not an array, is 400', () => neutralContext({ contextAgents: contextAgent() }), 400, V2),
  ...both('contextGroups with valid contextGroup objects is accepted', () => neutralContext({ contextGroups: [contextGroup(), contextGroup({ group: anonGroup() })] }), 200, V2),
  ...both('contextGroups objectType "Should fail" is 400', () => neutralContext({ contextGroups: [{ objectType: 'Should fail', group: identifiedGroup() }] }), 400, V2),
  ...both('contextGroups group {key} is 400', () => neutralContext({ contextGroups: [contextGroup({ group: { key: 'Should fail' } })] }), 400, V2),
  ...both('contextGroups relevantTypes [] is 400', () => neutralContext({ contextGroups: [contextGroup({ relevantTypes: [] })] }), 400, V2),
  ...both('contextGroups relevantTypes ["abc"] is 400', () => neutralContext({ contextGroups: [contextGroup({ relevantTypes: ['abc'] })] }), 400, V2),
  // 1.0.3 does not define them: an unknown property.
  ...both('contextAgents (not defined in 1.0.3) is 400', () => neutralContext({ contextAgents: [contextAgent()] }), 400, ['1.0.3']),
  ...both('contextGroups (not defined in 1.0.3) is 400', () => neutralContext({ contextGroups: [contextGroup()] }), 400, ['1.0.3']),
);

// Data 2.4.4.3: StatementRef and SubStatement objects.
cases.push(
  { name: 'object StatementRef is accepted', build: () => stmt({ object: statementRef() }), expect: 200 },
  { name: 'object StatementRef with a too-long UUID is 400', build: () => stmt({ object: statementRef({ id: BAD_UUID_LONG }) }), expect: 400 },
  { name: 'object StatementRef with a non-hex letter is 400', build: () => stmt({ object: statementRef({ id: BAD_UUID_LETTER }) }), expect: 400 },
  { name: 'object StatementRef with a numeric id is 400', build: () => stmt({ object: statementRef({ id: 12345 }) }), expect: 400 },
  { name: 'object StatementRef without id is 400', build: () => stmt({ object: { objectType: 'StatementRef' } }), expect: 400 },
  { name: 'object StatementRef with a definition is 400', build: () => stmt({ object: statementRef({ definition: {} }) }), expect: 400 },
  { name: 'SubStatement object StatementRef with a bad UUID is 400', build: () => inSub({ object: statementRef({ id: BAD_UUID_LETTER }) }), expect: 400 },
  { name: 'SubStatement object StatementRef with an object id is 400', build: () => inSub({ object: statementRef({ id: { key: 'x' } }) }), expect: 400 },
  { name: 'SubStatement with result and context is accepted', build: () => inSub({ result: result(), context: context() }), expect: 200 },
  { name: 'SubStatement with an Agent object is accepted', build: () => inSub({ object: agent() }), expect: 200 },
  { name: 'SubStatement with a Group object is accepted', build: () => inSub({ object: anonGroup() }), expect: 200 },
  { name: 'SubStatement with a StatementRef object is accepted', build: () => inSub({ object: statementRef() }), expect: 200 },
  { name: 'SubStatement with objectType "substatement" (wrong case) is 400', build: () => stmt({ object: sub({ objectType: 'substatement' }) }), expect: 400 },
  { name: 'SubStatement without actor is 400', build: () => stmt({ object: without(sub(), 'actor') }), expect: 400 },
  { name: 'SubStatement without verb is 400', build: () => stmt({ object: without(sub(), 'verb') }), expect: 400 },
  { name: 'SubStatement without object is 400', build: () => stmt({ object: without(sub(), 'object') }), expect: 400 },
  { name: 'SubStatement inside a SubStatement is 400 (XAPI-00071)', build: () => inSub({ object: sub() }), expect: 400 },
  { name: 'SubStatement with "id" is 400 (XAPI-00070)', build: () => inSub({ id: uuid() }), expect: 400 },
  { name: 'SubStatement with "stored" is 400 (XAPI-00069)', build: () => inSub({ stored: '2013-05-18T05:32:34.804Z' }), expect: 400 },
  { name: 'SubStatement with "version" is 400 (XAPI-00068)', build: () => inSub({ version: '1.0.0' }), expect: 400 },
  { name: 'SubStatement with "authority" is 400 (XAPI-00067)', build: () => inSub({ authority: agent() }), expect: 400 },
  { name: 'SubStatement with an invalid verb id is 400', build: () => inSub({ verb: verb({ id: 'should fail' }) }), expect: 400 },
);

runCases(app, 'Data 2.4.6 / 2.4.4.3: Context, StatementRef and SubStatement', cases);
