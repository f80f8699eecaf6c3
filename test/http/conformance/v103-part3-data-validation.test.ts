/**
 * Conformance data validation, part 3: rows the ADL suite's v1_0_3 configs (verbs, extensions,
 * ifis, objects, accountobjects, voiding, groups) and v2_0 configs (scores, groups) check that the
 * other data-validation files do not: IRIs with an illegal scheme character, every JSON type as an
 * extension value, extension keys, malformed mbox values in every actor place, lower-case
 * objectTypes, account objects, voiding statements and score ranges. Each row POSTs one
 * statement built in code and expects 200 or 400.
 */
import type { TestApp } from '../../helpers/test-app';
import {
  activity, agent, anonGroup, context, inSub, neutralContext, result, runCases, stmt, statementRef, sub, verb, without,
  type Case, type Json,
} from './data-validation-builders';
import { openApp } from './support';

let t: TestApp;
beforeAll(async () => { t = await openApp(); });
afterAll(async () => { await t.close(); });
const app = (): TestApp => t;

/** RFC 3987 scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ): "=" makes this no IRI. */
const BAD_SCHEME_IRI = 'ab=c://should.fail.com';
const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';

// ---------------------------------------------------------------- verbs / voiding (Data 2.4.3, 2.3.2)
const verbCases: Case[] = [
  { name: 'Data 2.4.3: verb.id with an illegal scheme character (ab=c://…) is 400 (XAPI-00044)', build: () => stmt({ verb: verb({ id: BAD_SCHEME_IRI }) }), expect: 400 },
  { name: 'Data 2.4.3: SubStatement verb.id with an illegal scheme character is 400', build: () => inSub({ verb: verb({ id: BAD_SCHEME_IRI }) }), expect: 400 },
  { name: 'Data 2.4.3: SubStatement verb that is a bare IRI string, not an object, is 400', build: () => inSub({ verb: BAD_SCHEME_IRI }), expect: 400 },
  { name: 'Data 2.4.3: verb without id is 400 inside a SubStatement too (XAPI-00044)', build: () => inSub({ verb: without(verb(), 'id') }), expect: 400 },
  { name: 'Data 2.4.3: verb.display {a12345} inside a SubStatement is 400 (XAPI-00045)', build: () => inSub({ verb: verb({ display: { a12345: 'attended' } }) }), expect: 400 },
  { name: 'Data 2.3.2: a voiding statement whose object is a StatementRef is accepted, even when the target is unknown (XAPI-00019/00020)', build: () => stmt({ verb: { id: VOIDED, display: { 'en-US': 'voided' } }, object: statementRef() }), expect: 200 },
  { name: 'Data 2.3.2: a voiding statement whose object is an Activity is 400 (XAPI-00017)', build: () => stmt({ verb: { id: VOIDED, display: { 'en-US': 'voided' } }, object: activity() }), expect: 400 },
  { name: 'Data 2.3.2: a voiding statement whose object is an Agent is 400 (XAPI-00017)', build: () => stmt({ verb: { id: VOIDED }, object: agent() }), expect: 400 },
];

// ---------------------------------------------------------------- extensions (Data 4.1)
const EXT = 'http://example.com/ex';
const extensionValues: readonly [string, unknown][] = [['boolean', true], ['number', 12345], ['object', { key: 'valid' }], ['string', 'valid']];

/** Where an "extensions" map can sit, as a builder taking the map. */
const extensionPlaces: Readonly<Record<string, (e: Json) => Json>> = {
  'activity definition': (e) => stmt({ object: activity({ extensions: e }) }),
  result: (e) => stmt({ result: result({ extensions: e }) }),
  context: (e) => stmt({ context: neutralContext({ extensions: e }) }),
  'SubStatement activity definition': (e) => inSub({ object: activity({ extensions: e }) }),
  'SubStatement result': (e) => inSub({ result: result({ extensions: e }) }),
  'SubStatement context': (e) => inSub({ context: neutralContext({ extensions: e }) }),
};

const extensionCases: Case[] = Object.entries(extensionPlaces).flatMap(([place, put]): Case[] => [
  ...extensionValues.map(([kind, value]): Case => ({ name: `Data 4.1: ${place} extension with a ${kind} value is accepted`, build: () => put({ [EXT]: value }), expect: 200 })),
  { name: `Data 4.1: ${place} extensions {} (empty) is accepted`, build: () => put({}), expect: 200 },
  { name: `Data 4.1: ${place} extension key "should fail" (not an IRI) is 400`, build: () => put({ 'should fail': true }), expect: 400 },
  { name: `Data 4.1: ${place} extensions that is an array is 400`, build: () => put([{ [EXT]: 1 }] as unknown as Json), expect: 400 },
]);

// ---------------------------------------------------------------- IFIs (Data 2.4.2.3) and accounts (2.4.2.4)
const agentPlaces: Readonly<Record<string, (a: Json) => Json>> = {
  actor: (a) => stmt({ actor: a }),
  authority: (a) => stmt({ authority: a }),
  'context.instructor': (a) => stmt({ context: neutralContext({ instructor: a }) }),
  'object (Agent)': (a) => stmt({ object: a }),
  'SubStatement actor': (a) => inSub({ actor: a }),
  'SubStatement context.instructor': (a) => inSub({ context: neutralContext({ instructor: a }) }),
};
const groupPlaces: Readonly<Record<string, (g: Json) => Json>> = {
  actor: (g) => stmt({ actor: g }),
  'context.instructor': (g) => stmt({ context: neutralContext({ instructor: g }) }),
  'context.team': (g) => stmt({ context: neutralContext({ team: g }) }),
  'object (Group)': (g) => stmt({ object: g }),
  'SubStatement actor': (g) => inSub({ actor: g }),
  'SubStatement context.team': (g) => inSub({ context: neutralContext({ team: g }) }),
};
const ag = (ifi: Json): Json => ({ objectType: 'Agent', name: 'xAPI agent', ...ifi });
const gr = (ifi: Json): Json => ({ objectType: 'Group', name: 'xAPI group', ...ifi });

function everywhere(what: string, ifi: () => Json, expect: 200 | 400): Case[] {
  return [
    ...Object.entries(agentPlaces).map(([p, put]): Case => ({ name: `${p}: Agent ${what}`, build: () => put(ag(ifi())), expect })),
    ...Object.entries(groupPlaces).map(([p, put]): Case => ({ name: `${p}: identified Group ${what}`, build: () => put(gr(ifi())), expect })),
  ];
}

const ifiCases: Case[] = [
  ...everywhere('mbox "http://should.fail.com" (not mailto:) is 400 (XAPI-00038)', () => ({ mbox: 'http://should.fail.com' }), 400),
  ...everywhere('mbox "mailto:should.fail.com" (no address) is 400 (XAPI-00038)', () => ({ mbox: 'mailto:should.fail.com' }), 400),
  ...everywhere('mbox_sha1sum that is an object is 400 (XAPI-00039)', () => ({ mbox_sha1sum: { key: 'value' } }), 400),
  ...everywhere('openid that is an object is 400 (XAPI-00040)', () => ({ openid: { key: 'value' } }), 400),
  ...everywhere('account without homePage is 400 (XAPI-00042)', () => ({ account: { name: 'xAPI account name' } }), 400),
  ...everywhere(`account.homePage "${BAD_SCHEME_IRI}" is 400 (XAPI-00042)`, () => ({ account: { homePage: BAD_SCHEME_IRI, name: 'n' } }), 400),
  ...everywhere('account without name is 400 (XAPI-00043)', () => ({ account: { homePage: 'http://www.example.com' } }), 400),
  ...everywhere('account.name 12345 is 400 (XAPI-00043)', () => ({ account: { homePage: 'http://www.example.com', name: 12345 } }), 400),
  ...everywhere('with a valid account is accepted', () => ({ account: { homePage: 'http://www.example.com', name: 'xAPI account name' } }), 200),
];

// ---------------------------------------------------------------- objectType vocabulary (Data 2.4.4)
const objectCases: Case[] = [
  { name: 'Data 2.4.4: object objectType "activity" (lower case) is 400 (XAPI-00046)', build: () => stmt({ object: activity({}, { objectType: 'activity' }) }), expect: 400 },
  { name: 'Data 2.4.4: SubStatement object objectType "activity" is 400', build: () => inSub({ object: activity({}, { objectType: 'activity' }) }), expect: 400 },
  { name: 'Data 2.4.4: object objectType "agent" is 400', build: () => stmt({ object: agent({ objectType: 'agent' }) }), expect: 400 },
  { name: 'Data 2.4.4: SubStatement object objectType "agent" is 400', build: () => inSub({ object: agent({ objectType: 'agent' }) }), expect: 400 },
  { name: 'Data 2.4.4: object objectType "group" is 400', build: () => stmt({ object: anonGroup({ objectType: 'group' }) }), expect: 400 },
  { name: 'Data 2.4.4: SubStatement object objectType "group" is 400', build: () => inSub({ object: anonGroup({ objectType: 'group' }) }), expect: 400 },
  { name: 'Data 2.4.4: object objectType "statementref" is 400', build: () => stmt({ object: statementRef({ objectType: 'statementref' }) }), expect: 400 },
  { name: 'Data 2.4.4: SubStatement object objectType "statementref" is 400', build: () => inSub({ object: statementRef({ objectType: 'statementref' }) }), expect: 400 },
  { name: 'Data 2.4.4: object objectType "substatement" is 400', build: () => stmt({ object: sub({ objectType: 'substatement' }) }), expect: 400 },
  { name: 'Data 2.4.4: object objectType 123 is 400', build: () => stmt({ object: activity({}, { objectType: 123 }) }), expect: 400 },
];

// ---------------------------------------------------------------- groups (Data 2.4.2.2, v2_0 groups config)
const groupCases: Case[] = [
  ...Object.entries(groupPlaces).map(([p, put]): Case => ({
    name: `${p}: "member" that is one Agent object, not an array, is 400 (XAPI-00036)`,
    build: () => put({ objectType: 'Group', name: 'g', member: agent() }),
    expect: 400,
  })),
  {
    name: 'authority: a Group whose "member" is one Agent object, not an array, is 400 (XAPI-00036)',
    build: () => stmt({ authority: { objectType: 'Group', member: agent() } }),
    expect: 400,
  },
  ...Object.entries(groupPlaces).map(([p, put]): Case => ({
    name: `${p}: a member that is itself a Group is 400 (Data 2.4.2.2: members are Agents)`,
    build: () => put({ objectType: 'Group', member: [agent(), anonGroup()] }),
    expect: 400,
  })),
  ...Object.entries(groupPlaces).map(([p, put]): Case => ({
    name: `${p}: an identified Group with mbox_sha1sum is accepted (XAPI-00037)`,
    build: () => put(gr({ mbox_sha1sum: 'cd9b00a5611f94eaa7b1661edab976068e364975' })),
    expect: 200,
  })),
  ...Object.entries(groupPlaces).map(([p, put]): Case => ({
    name: `${p}: a Group with two IFIs (mbox and openid) is 400 (XAPI-00037)`,
    build: () => put(gr({ mbox: 'mailto:g@example.org', openid: 'http://openid.example.org/g' })),
    expect: 400,
  })),
];

// ---------------------------------------------------------------- score (Data 2.4.5.1, v2_0 scores config)
const D = 0.6767676;
const MAXD = 100.6767676;
function scoreRows(name: string, score: unknown, expect: 200 | 400): Case[] {
  return [
    { name: `result.score ${name}`, build: () => stmt({ result: { score } }), expect },
    { name: `SubStatement result.score ${name}`, build: () => inSub({ result: { score } }), expect },
  ];
}
const scoreCases: Case[] = [
  ...scoreRows('12345 (a number, not an object) is 400 (XAPI-00079)', 12345, 400),
  ...scoreRows('"should fail" (a string) is 400 (XAPI-00079)', 'should fail', 400),
  ...scoreRows('{scaled: 0.6767676} is accepted (XAPI-00083)', { scaled: D }, 200),
  ...scoreRows('{scaled: 1.0} is accepted', { scaled: 1.0 }, 200),
  ...scoreRows('{scaled: -1.0} is accepted', { scaled: -1.0 }, 200),
  ...scoreRows('{scaled: 1.01} is 400', { scaled: 1.01 }, 400),
  ...scoreRows('{scaled: -1.00001} is 400', { scaled: -1.00001 }, 400),
  ...scoreRows('{scaled: "0.5"} (a string) is 400', { scaled: '0.5' }, 400),
  ...scoreRows('{raw: 0.6767676} alone is accepted (XAPI-00082)', { raw: D }, 200),
  ...scoreRows('raw greater than max is 400', { raw: D, max: D - 0.02 }, 400),
  ...scoreRows('raw less than min is 400', { raw: D, min: D + 0.73 }, 400),
  ...scoreRows('{min: 0.6767676} alone is accepted (XAPI-00081)', { min: D }, 200),
  ...scoreRows('min greater than max is 400', { min: D, max: D - 0.0000321, raw: D - 0.0000033 }, 400),
  ...scoreRows('{max: 100.6767676} alone is accepted (XAPI-00080)', { max: MAXD }, 200),
  ...scoreRows('max less than min is 400', { max: MAXD, min: MAXD + 4, raw: MAXD + 1 }, 400),
  ...scoreRows('raw equal to min is accepted (inclusive)', { raw: 0, min: 0, max: 10 }, 200),
  ...scoreRows('raw equal to max is accepted (inclusive)', { raw: 10, min: 0, max: 10 }, 200),
  // "min: Decimal number less than max": equal bounds break the strict inequality.
  ...scoreRows('min equal to max is 400 (min must be less than max)', { min: 5, max: 5 }, 400),
  ...scoreRows('with an unknown property is 400', { raw: 1, foo: 2 }, 400),
];

// Context of a statement about an Agent object may not carry revision/platform (Data 2.4.6);
// the builders' default context holds them, so it is only used with Activity objects.
const contextSanity: Case[] = [
  { name: 'sanity: the default context with an Activity object is accepted', build: () => stmt({ context: context() }), expect: 200 },
];

runCases(app, 'Verbs and voiding statements (Data 2.4.3, 2.3.2)', verbCases);
runCases(app, 'Extensions (Data 4.1)', extensionCases);
runCases(app, 'Inverse functional identifiers and account objects (Data 2.4.2.3, 2.4.2.4)', ifiCases);
runCases(app, 'Object objectType vocabulary (Data 2.4.4)', objectCases);
runCases(app, 'Group members and identifiers (Data 2.4.2.2)', groupCases);
runCases(app, 'Result score (Data 2.4.5.1)', scoreCases);
runCases(app, 'Builder sanity', contextSanity);
