/**
 * Conformance data validation: statement formatting (Data 2.2), Activities and interaction
 * definitions (Data 2.4.4.1), verbs and Language Maps (Data 2.4.3, 4.2), results and durations
 * (Data 2.4.5, 4.6), timestamps (Data 4.5), version (Data 2.4.10) and attachments (Data 2.4.11), as
 * the ADL suite's statements/formatting, activities, verbs, languages, results, durations,
 * timestamps, uuids, version, extensions and attachments configs check them.
 */
import type { TestApp } from '../../helpers/test-app';
import {
  activity, agent, attachment, BAD_UUID_LETTER, BAD_UUID_LONG, context, inSub, interaction, result, runCases, stmt, sub, uuid, verb,
  without, type Case, type Json,
} from './data-validation-builders';
import { openApp } from './support';

let t: TestApp;
beforeAll(async () => { t = await openApp(); });
afterAll(async () => { await t.close(); });
const app = (): TestApp => t;

/** The row as the statement's object and as the object of a SubStatement. */
function obj(name: string, make: () => Json, expect: 200 | 400): Case[] {
  return [
    { name: `object: ${name}`, build: () => stmt({ object: make() }), expect },
    { name: `SubStatement object: ${name}`, build: () => inSub({ object: make() }), expect },
  ];
}
function res(name: string, make: () => Json, expect: 200 | 400, versions?: Case['versions']): Case[] {
  return [
    { name: `result: ${name}`, build: () => stmt({ result: make() }), expect, ...(versions ? { versions } : {}) },
    { name: `SubStatement result: ${name}`, build: () => inSub({ result: make() }), expect, ...(versions ? { versions } : {}) },
  ];
}
const def = (d: Json): Json => activity(d);
const score = (s: Json): Json => result({ score: s });

const formatting: Case[] = [
  { name: 'a complete statement with a timestamp is accepted', build: () => stmt({ timestamp: '2013-05-18T05:32:34.804Z', result: result(), context: context() }), expect: 200 },
  { name: 'no actor is 400 (XAPI-00003)', build: () => without(stmt(), 'actor'), expect: 400 },
  { name: 'no verb is 400 (XAPI-00004)', build: () => without(stmt(), 'verb'), expect: 400 },
  { name: 'no object is 400 (XAPI-00005)', build: () => without(stmt(), 'object'), expect: 400 },
  { name: 'verb.display {"en-US": null} is 400 (XAPI-00001)', build: () => stmt({ verb: verb({ display: { 'en-US': null } }) }), expect: 400 },
  { name: 'definition.moreInfo null is 400 (XAPI-00001)', build: () => stmt({ object: def({ moreInfo: null }) }), expect: 400 },
  { name: 'activity extensions with a null value are accepted', build: () => stmt({ object: def({ extensions: { 'http://example.com/null': null } }) }), expect: 200 },
  { name: 'SubStatement activity extensions with a null value are accepted', build: () => inSub({ object: def({ extensions: { 'http://example.com/null': null } }) }), expect: 200 },
  ...res('extensions with a null value are accepted', () => result({ extensions: { 'http://example.com/null': null } }), 200),
  ...res('score.max "one hundred" is 400 (XAPI-00006)', () => score({ max: 'one hundred' }), 400),
  ...res('score.max "100" is 400 (XAPI-00006)', () => score({ max: '100' }), 400),
  ...res('success "true" (string) is 400 (XAPI-00074)', () => result({ success: 'true' }), 400),
  ...res('success "false" (string) is 400', () => result({ success: 'false' }), 400),
  ...res('completion "true" (string) is 400 (XAPI-00075)', () => result({ completion: 'true' }), 400),
  ...res('completion "false" (string) is 400', () => result({ completion: 'false' }), 400),
  ...res('response 12345 is 400 (XAPI-00076)', () => result({ response: 12345 }), 400),
  ...res('response {key} is 400', () => result({ response: { key: 'invalid' } }), 400),
  ...res('extensions "should fail" is 400 (XAPI-00078)', () => result({ extensions: 'should fail' }), 400),
  ...res('score 12345 is 400 (XAPI-00079)', () => result({ score: 12345 }), 400),
  ...res('score "should fail" is 400', () => result({ score: 'should fail' }), 400),
  { name: 'id 12345 is 400 (XAPI-00007)', build: () => stmt({ id: 12345 }), expect: 400 },
  { name: 'id {key} is 400', build: () => stmt({ id: { key: 'should fail' } }), expect: 400 },
  { name: 'id with too many digits is 400 (Data 4.1.1)', build: () => stmt({ id: BAD_UUID_LONG }), expect: 400 },
  { name: 'id with a non-hex letter is 400 (Data 4.1.1)', build: () => stmt({ id: BAD_UUID_LETTER }), expect: 400 },
  { name: 'id "" (empty string) is 400', build: () => stmt({ id: '' }), expect: 400 },
  { name: 'id in upper case is accepted', build: () => stmt({ id: uuid().toUpperCase() }), expect: 200 },
  // XAPI-00008: keys are case-sensitive.
  ...([
    ['iD', () => uuid()], ['Actor', () => agent()], ['veRb', () => verb()], ['oBject', () => activity()], ['RESULT', () => result()],
    ['conText', () => context()], ['timeStamp', () => '1776-07-04T16:00:45.123Z'], ['STOred', () => '1787-09-17T09:33:32.111Z'],
    ['auTHORity', () => agent()], ['Version', () => '1.0.0'], ['attachmentS', () => [attachment()]],
  ] as const).map(([key, value]): Case => ({ name: `a top-level key "${key}" in the wrong case is 400 (XAPI-00008)`, build: () => stmt({ [key]: value() }), expect: 400 })),
  // XAPI-00014 (Miscellaneous): an objectType that is itself a JSON fragment is 400.
  { name: 'actor.objectType "\\"objectType\\": \\"Agent\\"" is 400 (XAPI-00014)', build: () => stmt({ actor: agent({ objectType: '"objectType": "Agent"' }) }), expect: 400 },
];

const timestamps: Case[] = [
  ...['should fail', '01/011/2015', '2008-09-15T15:53:00.601-00', '2008-09-15T15:53:00.601-0000', '2008-09-15T15:53:00.601-00:00', '2013-13-01T00:00:00Z', '2013-02-30T00:00:00Z']
    .flatMap((ts): Case[] => [
      { name: `timestamp "${ts}" is 400 (Data 4.5, XAPI-00123)`, build: () => stmt({ timestamp: ts }), expect: 400 },
      { name: `SubStatement timestamp "${ts}" is 400`, build: () => inSub({ timestamp: ts }), expect: 400 },
    ]),
  { name: 'timestamp "2008-09-15 15:53:00.601+00:00" (RFC 3339 space) is accepted', versions: ['2.0.0'], build: () => stmt({ timestamp: '2008-09-15 15:53:00.601+00:00' }), expect: 200 },
  { name: 'SubStatement timestamp "2008-09-15 15:53:00.601+00:00" is accepted', versions: ['2.0.0'], build: () => inSub({ timestamp: '2008-09-15 15:53:00.601+00:00' }), expect: 200 },
  { name: 'timestamp with a +05:30 offset is accepted', build: () => stmt({ timestamp: '2013-05-18T11:02:34.804+05:30' }), expect: 200 },
  { name: 'timestamp 12345 is 400', build: () => stmt({ timestamp: 12345 }), expect: 400 },
];

const versions: Case[] = [
  ...['1.0', '1.0.0', '1.0.3', '1.0.9'].map((v): Case => ({ name: `version "${v}" is accepted (Data 2.4.10, XAPI-00101)`, build: () => stmt({ version: v }), expect: 200 })),
  ...['should fail', '0.9.9', '1.1.0', '0.95', '1'].map((v): Case => ({ name: `version "${v}" is 400 (XAPI-00101)`, build: () => stmt({ version: v }), expect: 400 })),
  { name: 'version "2.0.0" is accepted by a 2.0 LRS', versions: ['2.0.0'], build: () => stmt({ version: '2.0.0' }), expect: 200 },
  { name: 'version "2.0.0" is 400 on a 1.0.3 request (only 1.0.x)', versions: ['1.0.3'], build: () => stmt({ version: '2.0.0' }), expect: 400 },
  { name: 'version 1.0 (a number) is 400', build: () => stmt({ version: 1.0 }), expect: 400 },
];

const activities: Case[] = [
  ...obj('an Activity with an IRI id is accepted', () => activity(), 200),
  ...obj('an Activity without id is 400 (XAPI-00047)', () => without(activity(), 'id'), 400),
  ...obj('an Activity id "ab=c://should.fail.com" is 400', () => activity({}, { id: 'ab=c://should.fail.com' }), 400),
  ...obj('an Activity without objectType is accepted (the LRS fills in Activity)', () => without(activity(), 'objectType'), 200),
  ...obj('objectType "activity" (wrong case) is 400', () => activity({}, { objectType: 'activity' }), 400),
  ...obj('definition "should error" is 400 (XAPI-00048)', () => ({ ...activity(), definition: 'should error' }), 400),
  ...obj('definition 12345 is 400', () => ({ ...activity(), definition: 12345 }), 400),
  ...obj('definition.name "should error" is 400 (XAPI-00056)', () => def({ name: 'should error' }), 400),
  ...obj('definition.name 12345 is 400', () => def({ name: 12345 }), 400),
  ...obj('definition.description "should error" is 400 (XAPI-00059)', () => def({ description: 'should error' }), 400),
  ...obj('definition.type "should error" is 400 (XAPI-00060)', () => def({ type: 'should error' }), 400),
  ...obj('definition.moreInfo "should error" is 400 (XAPI-00061)', () => def({ moreInfo: 'should error' }), 400),
  ...obj('definition.extensions "should error" is 400 (XAPI-00057)', () => def({ extensions: 'should error' }), 400),
  ...obj('definition.extensions {id, description} (keys not IRIs) is 400', () => def({ extensions: { id: 'valid', description: { 'en-US': 'valid' } } }), 400),
  ...Object.entries(interaction).flatMap(([type, make]) => [
    ...obj(`interactionType "${type}" with its components is accepted (XAPI-00049)`, () => def(make()), 200),
    ...obj(`interactionType "${type}" in the wrong case is 400 (XAPI-00009)`, () => def({ ...make(), interactionType: type.replace(/.$/, (c) => c.toUpperCase()) }), 400),
  ]),
  ...obj('interactionType "http://adlnet.gov/expapi/activities/cmi.interaction" (an IRI) is 400', () => def({ interactionType: 'http://adlnet.gov/expapi/activities/cmi.interaction' }), 400),
  ...obj('interactionType 12345 is 400', () => def({ interactionType: 12345 }), 400),
  ...obj('interactionType {key} is 400', () => def({ interactionType: { key: 'x' } }), 400),
  ...obj('interactionType "should error" is 400', () => def({ interactionType: 'should error' }), 400),
  ...obj('choices on a true-false interaction is 400', () => def({ ...interaction['true-false']!(), choices: [{ id: 'a' }] }), 400),
  ...obj('correctResponsesPattern that is a string is 400', () => def({ ...interaction['fill-in']!(), correctResponsesPattern: 'Bob' }), 400),
  ...obj('an interaction component without id is 400', () => def({ ...interaction.choice!(), choices: [{ description: { 'en-US': 'x' } }] }), 400),
  ...obj('interaction components with the same id are 400', () => def({ ...interaction.choice!(), choices: [{ id: 'a' }, { id: 'a' }] }), 400),
  ...obj('an interaction component description with a bad language tag is 400', () => def({ ...interaction.likert!(), scale: [{ id: 'a', description: { something: 'x' } }] }), 400),
];

const languageMaps: Case[] = [
  { name: 'verb without display is accepted', build: () => stmt({ verb: { id: 'http://adlnet.gov/expapi/verbs/attended' } }), expect: 200 },
  { name: 'verb.id "should fail" is 400', build: () => stmt({ verb: verb({ id: 'should fail' }) }), expect: 400 },
  { name: 'verb without id is 400', build: () => stmt({ verb: without(verb(), 'id') }), expect: 400 },
  { name: 'verb.display "should error" is 400', build: () => stmt({ verb: verb({ display: 'should error' }) }), expect: 400 },
  { name: 'verb.display {a12345: …} is 400 (XAPI-00121)', build: () => stmt({ verb: verb({ display: { a12345: 'x' } }) }), expect: 400 },
  { name: 'verb.display {de} is accepted', build: () => stmt({ verb: verb({ display: { de: 'besucht' } }) }), expect: 200 },
  { name: 'verb.display {something} is 400 (XAPI-00013)', build: () => stmt({ verb: verb({ display: { something: 'besucht' } }) }), expect: 400 },
  { name: 'SubStatement verb.display {sr-Cyrl} is accepted', build: () => inSub({ verb: verb({ display: { 'sr-Cyrl': 'x' } }) }), expect: 200 },
  { name: 'SubStatement verb.display {something} is 400', build: () => inSub({ verb: verb({ display: { something: 'x' } }) }), expect: 400 },
  ...obj('definition.name {de-DE} is accepted', () => def({ name: { 'de-DE': 'x' } }), 200),
  ...obj('definition.description {zh-Hant} is accepted', () => def({ description: { 'zh-Hant': 'x' } }), 200),
  ...obj('definition.name {zh-Hans-CN} is accepted', () => def({ name: { 'zh-Hans-CN': 'x' } }), 200),
  ...obj('definition.description {ase} is accepted', () => def({ description: { ase: 'x' } }), 200),
  ...obj('definition.name {zh-z-aaa-z-bbb-c-ccc} (repeated extension singleton) is 400', () => def({ name: { 'zh-z-aaa-z-bbb-c-ccc': 'x' } }), 400),
  ...obj('definition.name {a12345} is 400', () => def({ name: { a12345: 'x' } }), 400),
  ...obj('definition.description {something} is 400', () => def({ description: { something: 'x' } }), 400),
  // v1_0_3 languages.js: "A Language Map … has at least 1 entry". The spec text sets no minimum
  // (Data 4.2 / 2.0.0 Data 4.2.2), so 2.0.0 accepts an empty map (issue 11); these rows used to
  // expect 400 for both versions.
  ...emptyMaps(),
];

/** Empty Language Maps everywhere one may appear: 400 in 1.0.3 (ADL suite), accepted in 2.0.0 (spec). */
function emptyMaps(): Case[] {
  const rows: [string, () => unknown][] = [
    ['verb.display {}', () => stmt({ verb: verb({ display: {} }) })],
    ['SubStatement verb.display {}', () => inSub({ verb: verb({ display: {} }) })],
    ['object definition.name {}', () => stmt({ object: def({ name: {} }) })],
    ['SubStatement object definition.description {}', () => inSub({ object: def({ description: {} }) })],
    ['attachment display {}', () => stmt({ attachments: [attachment({ display: {} })] })],
    ['attachment description {}', () => stmt({ attachments: [attachment({ description: {} })] })],
  ];
  return rows.flatMap(([name, build]): Case[] => [
    { name: `${name} (empty Language Map) is 400`, versions: ['1.0.3'], build, expect: 400 },
    { name: `${name} (empty Language Map) is accepted`, versions: ['2.0.0'], build, expect: 200 },
  ]);
}

const durations: Case[] = [
  ...['PT1H0M0.1S', 'PT4H35M59.14S', 'PT16559.14S', 'P3Y1M29DT4H35M59.14S', 'P3Y', 'P4W', 'PT0S'].flatMap((d) => res(`duration "${d}" is accepted (Data 4.6)`, () => result({ duration: d }), 200)),
  ...['PA1H0M0S', 'should fail', 'P4W1D', 'PT1H0.5M30S', 'P', 'PT'].flatMap((d) => res(`duration "${d}" is 400 (XAPI-00124)`, () => result({ duration: d }), 400)),
  ...res('duration 12345 is 400', () => result({ duration: 12345 }), 400),
  ...res('duration {key} is 400', () => result({ duration: { key: 'invalid' } }), 400),
];

const scores: Case[] = [
  ...res('scaled 0.6767676 is accepted', () => score({ scaled: 0.6767676 }), 200),
  ...res('scaled 1.0 is accepted', () => score({ scaled: 1.0 }), 200),
  ...res('scaled -1.0 is accepted', () => score({ scaled: -1.0 }), 200),
  ...res('scaled 1.01 is 400 (XAPI-00083)', () => score({ scaled: 1.01 }), 400),
  ...res('scaled -1.00001 is 400', () => score({ scaled: -1.00001 }), 400),
  ...res('raw alone (any number) is accepted', () => score({ raw: 0.6767676 }), 200),
  ...res('raw above max is 400 (XAPI-00082)', () => score({ raw: 0.6767676, max: 0.6567676 }), 400),
  ...res('raw below min is 400', () => score({ raw: 0.6767676, min: 1.4067676 }), 400),
  ...res('min alone is accepted', () => score({ min: 0.6767676 }), 200),
  ...res('min above max is 400 (XAPI-00081)', () => score({ min: 0.6767676, max: 0.6767355, raw: 0.6767643 }), 400),
  ...res('max alone is accepted', () => score({ max: 100.6767676 }), 200),
  ...res('max below min is 400 (XAPI-00080)', () => score({ max: 100.6767676, min: 104.6767676, raw: 101.6767676 }), 400),
  ...res('min equal to max is 400 (min must be less than max)', () => score({ min: 5, max: 5 }), 400),
  ...res('an unknown score property is 400', () => score({ percent: 5 }), 400),
];

const attachments: Case[] = [
  { name: 'attachments [valid, with fileUrl] is accepted', build: () => stmt({ attachments: [attachment()] }), expect: 200 },
  { name: 'attachments that is an object, not an array, is 400 (XAPI-00025)', build: () => stmt({ attachments: attachment() }), expect: 400 },
  { name: 'attachments [12345] is 400', build: () => stmt({ attachments: [12345] }), expect: 400 },
  { name: 'attachments ["should fail"] is 400', build: () => stmt({ attachments: ['should fail'] }), expect: 400 },
  { name: 'attachment usageType "should fail" is 400 (XAPI-00107)', build: () => stmt({ attachments: [attachment({ usageType: 'should fail' })] }), expect: 400 },
  { name: 'attachment without usageType is 400', build: () => stmt({ attachments: [without(attachment(), 'usageType')] }), expect: 400 },
  { name: 'attachment contentType "should fail" is 400 (XAPI-00105)', build: () => stmt({ attachments: [attachment({ contentType: 'should fail' })] }), expect: 400 },
  { name: 'attachment length "should fail" is 400 (XAPI-00102)', build: () => stmt({ attachments: [attachment({ length: 'should fail' })] }), expect: 400 },
  { name: 'attachment length 2.5 is 400', build: () => stmt({ attachments: [attachment({ length: 2.5 })] }), expect: 400 },
  { name: 'attachment sha2 12345 is 400 (XAPI-00103)', build: () => stmt({ attachments: [attachment({ sha2: 12345 })] }), expect: 400 },
  { name: 'attachment fileUrl "should fail" is 400 (XAPI-00104)', build: () => stmt({ attachments: [attachment({ fileUrl: 'should fail' })] }), expect: 400 },
  { name: 'attachment display "should error" is 400 (XAPI-00106)', build: () => stmt({ attachments: [attachment({ display: 'should error' })] }), expect: 400 },
  { name: 'attachment without display is 400', build: () => stmt({ attachments: [without(attachment(), 'display')] }), expect: 400 },
  { name: 'attachment description 12345 is 400', build: () => stmt({ attachments: [attachment({ description: 12345 })] }), expect: 400 },
  { name: 'attachment description "should error" is 400', build: () => stmt({ attachments: [attachment({ description: 'should error' })] }), expect: 400 },
  { name: 'attachment display {en-US, es} is accepted', build: () => stmt({ attachments: [attachment({ display: { 'en-US': 'A', es: 'Un' } })] }), expect: 200 },
  { name: 'attachment display {something} is 400', build: () => stmt({ attachments: [attachment({ display: { 'en-US': 'A', something: 'Un' } })] }), expect: 400 },
  { name: 'attachment description {es-MX} is accepted', build: () => stmt({ attachments: [attachment({ description: { 'es-MX': 'Una' } })] }), expect: 200 },
  { name: 'attachment description {something} is 400', build: () => stmt({ attachments: [attachment({ description: { something: 'Una' } })] }), expect: 400 },
  { name: 'SubStatement attachments [valid] is accepted', build: () => inSub({ attachments: [attachment()] }), expect: 200 },
  { name: 'a SubStatement as the statement object with a bad attachment is 400', build: () => stmt({ object: sub({ attachments: [attachment({ length: 'x' })] }) }), expect: 400 },
];

runCases(app, 'Data 2.2: formatting', formatting);
runCases(app, 'Data 4.5: timestamps', timestamps);
runCases(app, 'Data 2.4.10: version', versions);
runCases(app, 'Data 2.4.4.1: Activities and interaction definitions', activities);
runCases(app, 'Data 2.4.3 / 4.2: verbs and Language Maps', languageMaps);
runCases(app, 'Data 2.4.5 / 4.6: result and duration', durations);
runCases(app, 'Data 2.4.5.1: score', scores);
runCases(app, 'Data 2.4.11: attachments', attachments);
