import { AppError } from '../../../src/errors';
import type { JsonObject, JsonValue, XapiVersion } from '../../../src/xapi/model/types';
import { validateStatement } from '../../../src/xapi/validate';
import {
  ACCOUNT_AGENT,
  ACTIVITY,
  AGENT,
  AGENT2,
  ANON_GROUP,
  baseStatement,
  fullStatement,
  ID_GROUP,
  OPENID_AGENT,
  subStatement,
  UUID1,
  withValue,
} from './fixtures';

type Base = 'base' | 'full' | 'sub' | 'ref';

function make(base: Base): JsonObject {
  switch (base) {
    case 'base':
      return baseStatement();
    case 'full':
      return fullStatement();
    case 'sub':
      return withValue(baseStatement(), 'object', subStatement());
    case 'ref':
      return withValue(baseStatement(), 'object', { objectType: 'StatementRef', id: UUID1 });
  }
}

function errorOf(stmt: unknown, version: XapiVersion): AppError | undefined {
  try {
    validateStatement(stmt, { version });
    return undefined;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

const INVALID_UUIDS = ['AA97B177-9383-4934-8543-0F91A7A028368', 'MA97B177-9383-4934-8543-0F91A7A02836', '', 12345, { key: 'x' }];
const SIG = 'http://adlnet.gov/expapi/attachments/signature';

/** [base, path, value, message fragment] — each must be rejected with 400 naming the path. */
const invalid: Array<[Base, string, JsonValue | undefined, string]> = [
  // Data 2.2 formatting: required properties, case of keys, nulls, wrong types
  ['base', 'actor', undefined, 'statement.actor: is required'],
  ['base', 'verb', undefined, 'statement.verb: is required'],
  ['base', 'object', undefined, 'statement.object: is required'],
  ['base', 'Actor', AGENT, 'statement.Actor: is not an allowed property'],
  ['base', 'iD', UUID1, 'case-sensitive'],
  ['base', 'veRb', { id: 'http://x.example/v' }, 'statement.veRb'],
  ['base', 'oBject', ACTIVITY, 'statement.oBject'],
  ['full', 'RESULT', {}, 'statement.RESULT'],
  ['full', 'conText', {}, 'statement.conText'],
  ['base', 'timeStamp', '2013-05-18T05:32:34.804Z', 'statement.timeStamp'],
  ['base', 'STOred', '2013-05-18T05:32:34.804Z', 'statement.STOred'],
  ['base', 'auTHORity', AGENT, 'statement.auTHORity'],
  ['base', 'Version', '1.0.3', 'statement.Version'],
  ['full', 'attachmentS', [], 'statement.attachmentS'],
  ['base', 'extra', 'x', 'statement.extra: is not an allowed property'],
  ['base', 'actor.name', null, 'statement.actor.name: must not be null'],
  ['base', 'verb.display.en-US', null, 'statement.verb.display["en-US"]: must be a string'],
  ['full', 'context.language', 'something', 'statement.context.language: must be an RFC 5646 language tag'],
  ['full', 'context.registration', null, 'statement.context.registration: must not be null'],
  ['base', 'object.definition.moreInfo', null, 'statement.object.definition.moreInfo: must not be null'],
  ['base', 'result', null, 'statement.result: must not be null'],
  ['base', 'actor', 'mailto:a@b.c', 'statement.actor: must be an object'],
  ['base', 'actor', [AGENT], 'statement.actor: must be an object, got an array'],
  // statement id and version
  ...INVALID_UUIDS.map((v): [Base, string, JsonValue, string] => ['base', 'id', v, 'statement.id']),
  ['base', 'version', 'should fail', 'statement.version'],
  ['base', 'version', '0.9.9', 'statement.version'],
  ['base', 'version', '1.1.0', 'statement.version'],
  ['base', 'version', '3.0.0', 'statement.version'],
  ['base', 'version', 1, 'statement.version: must be a string'],
  // actors and IFIs
  ['base', 'actor', {}, 'exactly one inverse functional identifier'],
  ['base', 'actor', { name: 'nobody' }, 'found 0'],
  ['base', 'actor', { mbox: 'mailto:a@example.com', openid: 'http://openid.example.org/1' }, 'found 2'],
  ['base', 'actor.mbox', 'a@example.com', 'statement.actor.mbox: must be a "mailto:" IRI'],
  ['base', 'actor.mbox', 'mailto:', 'statement.actor.mbox'],
  ['base', 'actor.mbox', 'http://a@example.com', 'statement.actor.mbox'],
  ['base', 'actor.mbox', 7, 'statement.actor.mbox: must be a string'],
  ['base', 'actor', { mbox_sha1sum: 'abc' }, 'statement.actor.mbox_sha1sum: must be a SHA-1'],
  ['base', 'actor', { mbox_sha1sum: 'zd9b00a5611f94eaa7b1661edab976068e364975' }, 'statement.actor.mbox_sha1sum'],
  ['base', 'actor', { openid: 'not a uri' }, 'statement.actor.openid: must be an absolute URI'],
  ['base', 'actor', { account: { homePage: 'http://www.example.com' } }, 'statement.actor.account.name: is required'],
  ['base', 'actor', { account: { name: 'x' } }, 'statement.actor.account.homePage: is required'],
  ['base', 'actor', { account: { homePage: 'www.example.com', name: 'x' } }, 'statement.actor.account.homePage: must be an absolute IRL'],
  ['base', 'actor', { account: { homePage: 'http://www.example.com', name: { key: 'x' } } }, 'statement.actor.account.name: must be a string'],
  ['base', 'actor', { account: { homePage: 'http://www.example.com', name: 'x', extra: 1 } }, 'statement.actor.account.extra'],
  ['base', 'actor', { account: 'user' }, 'statement.actor.account: must be an object'],
  ['base', 'actor.objectType', 'agent', 'statement.actor.objectType: must be "Agent" or "Group"'],
  ['base', 'actor.objectType', 'Activity', 'statement.actor.objectType'],
  ['base', 'actor.member', [AGENT2], 'statement.actor.member: is not an allowed property'],
  ['base', 'actor.name', 5, 'statement.actor.name: must be a string'],
  // groups
  ['base', 'actor', { objectType: 'Group' }, 'statement.actor.member: is required for an anonymous Group'],
  ['base', 'actor', { objectType: 'Group', member: [] }, 'at least one member'],
  ['base', 'actor', { objectType: 'Group', member: AGENT }, 'statement.actor.member: must be an array'],
  ['base', 'actor', { objectType: 'Group', member: [ANON_GROUP] }, 'statement.actor.member[0].objectType: group members must be Agents'],
  ['base', 'actor', { objectType: 'Group', member: [{ name: 'x' }] }, 'statement.actor.member[0]'],
  ['base', 'actor', { objectType: 'Group', mbox: 'mailto:g@example.com', openid: 'http://o.example/1' }, 'at most one'],
  ['base', 'actor', { objectType: 'Group', member: [AGENT], mbox: 'g@example.com' }, 'statement.actor.mbox'],
  // verb
  ['base', 'verb', {}, 'statement.verb.id: is required'],
  ['base', 'verb.id', 'attended', 'statement.verb.id: must be an absolute IRI'],
  ['base', 'verb.id', 'ab=c://should.fail.com', 'statement.verb.id'],
  ['base', 'verb.id', 'http://example.com/has space', 'statement.verb.id'],
  ['base', 'verb.display', 'attended', 'statement.verb.display: must be an object'],
  ['base', 'verb.display', { 'de-419-DE': 'besucht' }, 'RFC 5646'],
  ['base', 'verb.display', { a12345: 'attended' }, 'RFC 5646'],
  ['base', 'verb.display', { 'a-DE': 'attended' }, 'RFC 5646'],
  ['base', 'verb.display', { 'ar-a-aaa-b-bbb-a-ccc': 'x' }, 'RFC 5646'],
  ['base', 'verb.display', { en: 5 }, 'statement.verb.display["en"]: must be a string'],
  ['base', 'verb.extra', 1, 'statement.verb.extra'],
  // objects
  ['base', 'object.objectType', 'activity', 'statement.object.objectType: must be one of'],
  ['base', 'object.objectType', 'Statement', 'statement.object.objectType'],
  ['base', 'object.id', undefined, 'statement.object.id: is required'],
  ['base', 'object.id', 'not-an-iri', 'statement.object.id: must be an absolute IRI'],
  ['base', 'object.name', 'x', 'statement.object.name: is not an allowed property'],
  ['base', 'object', {}, 'statement.object.id: is required'],
  ['base', 'object', { objectType: 'Agent' }, 'statement.object'],
  ['base', 'object', { objectType: 'Agent', mbox: 'mailto:a@example.com', member: [] }, 'statement.object.member'],
  ['base', 'object', { objectType: 'Group', member: [{ objectType: 'Group', member: [AGENT] }] }, 'statement.object.member[0].objectType'],
  // activity definitions
  ['base', 'object.definition', 'x', 'statement.object.definition: must be an object'],
  ['base', 'object.definition.name', 'example', 'statement.object.definition.name: must be an object'],
  ['base', 'object.definition.name', 5, 'statement.object.definition.name'],
  ['base', 'object.definition.name', { 'de-419-DE': 'x' }, 'statement.object.definition.name["de-419-DE"]'],
  ['base', 'object.definition.description', { 'de-419-DE': 'x' }, 'statement.object.definition.description'],
  ['base', 'object.definition.description', 'x', 'statement.object.definition.description'],
  ['base', 'object.definition.type', 'meeting', 'statement.object.definition.type'],
  ['base', 'object.definition.moreInfo', 'example.com', 'statement.object.definition.moreInfo: must be an absolute IRL'],
  ['base', 'object.definition.extensions', { room: 1 }, 'extension keys must be absolute IRIs'],
  ['base', 'object.definition.extensions', [], 'statement.object.definition.extensions: must be an object'],
  ['base', 'object.definition.Name', {}, 'statement.object.definition.Name'],
  ['base', 'object.definition.interactionType', 'true-faLse', 'statement.object.definition.interactionType: must be one of'],
  ['base', 'object.definition.interactionType', 'Other', 'statement.object.definition.interactionType'],
  ['base', 'object.definition.interactionType', 5, 'statement.object.definition.interactionType: must be a string'],
  ['base', 'object.definition.interactionType', { a: 1 }, 'statement.object.definition.interactionType'],
  ['base', 'object.definition.interactionType', 'http://example.com/choice', 'statement.object.definition.interactionType'],
  ['base', 'object.definition.choices', [{ id: 'a' }], 'statement.object.definition.choices: is only allowed together with an interactionType'],
  ['base', 'object.definition.correctResponsesPattern', ['a'], 'only allowed together with an interactionType'],
  // timestamps
  ...['should fail', '01/011/2015', '2008-09-15T15:53:00.601-00', '2008-09-15T15:53:00.601-0000', '2008-09-15T15:53:00.601-00:00',
    '2008-13-15T15:53:00Z', '2008-02-30T15:53:00Z', '2008-09-15T25:53:00Z', '2008-09-15T15:60:00Z', '2008-09-15', '2008-09-15T15:53:00+25:00',
    '2008-09-15T15:53:00 Z', ''].map((v): [Base, string, JsonValue, string] => ['base', 'timestamp', v, 'statement.timestamp: must be an ISO 8601']),
  ['base', 'timestamp', 20080915, 'statement.timestamp: must be a string'],
  ['base', 'timestamp', '2008-09-15T15:53:00.601', 'statement.timestamp: must include a time zone'],
  ['base', 'stored', 'yesterday', 'statement.stored'],
  // authority
  ['base', 'authority', { name: 'x' }, 'statement.authority'],
  ['base', 'authority', { objectType: 'Group', member: [AGENT] }, 'statement.authority.member: an authority Group must have exactly two Agents'],
  ['base', 'authority', { objectType: 'Group', member: [AGENT, AGENT2, ACCOUNT_AGENT] }, 'exactly two'],
  ['base', 'authority', { ...ANON_GROUP, mbox: 'mailto:bob@example.com' }, 'statement.authority: an authority Group must be anonymous'],
  ['base', 'authority', { ...ANON_GROUP, openid: 'http://openid.example.org/12345' }, 'must be anonymous'],
  ['base', 'authority', { objectType: 'Group' }, 'statement.authority.member'],
];

/** [base, path, value] — each must be accepted. */
const valid: Array<[Base, string, JsonValue | undefined]> = [
  ['base', 'id', UUID1],
  ['base', 'id', UUID1.toUpperCase()],
  ['base', 'id', '00000000-0000-0000-0000-000000000000'],
  ['base', 'version', '1.0.0'],
  ['base', 'version', '1.0'],
  ['base', 'version', '1.0.9'],
  ['base', 'version', '2.0.0'],
  ['base', 'actor', AGENT2],
  ['base', 'actor', ACCOUNT_AGENT],
  ['base', 'actor', OPENID_AGENT],
  ['base', 'actor', { mbox: 'mailto:Upper.Case@Example.COM' }],
  ['base', 'actor', ANON_GROUP],
  ['base', 'actor', ID_GROUP],
  ['base', 'actor', { objectType: 'Group', openid: 'http://openid.example.org/g' }],
  ['base', 'actor', { objectType: 'Group', mbox: 'mailto:g@example.com', member: [] }],
  ['base', 'actor.objectType', undefined],
  ['base', 'verb.display', undefined],
  ['base', 'verb.display', { 'en-GB': 'attended', 'fr': 'a assisté' }],
  ...['de', 'ine', 'zh-Hant', 'sr-Latn', 'zh-cmn-Hans-CN', 'sr-Latn-RS', 'sl-rozaj-biske', 'de-CH-1901', 'hy-Latn-IT-arevela', 'de-DE',
    'az-Arab-x-AZE-derbend', 'x-whatever', 'i-enochian', 'es-419', 'en-GB-oed', 'und'].map((t): [Base, string, JsonValue] => [
    'base',
    'verb.display',
    { [t]: 'label' },
  ]),
  ['base', 'verb.id', 'urn:example:verb:1'],
  ['base', 'object', { id: 'http://example.com/activity' }],
  ['base', 'object.definition', undefined],
  ['base', 'object.definition', {}],
  ['base', 'object.definition.extensions', { 'http://example.com/null': null, 'http://example.com/obj': { any: [1, null] } }],
  ['base', 'object', { objectType: 'Agent', mbox: 'mailto:a@example.com' }],
  ['base', 'object', ID_GROUP],
  ['base', 'object', ANON_GROUP],
  ['ref', 'object.id', UUID1.toUpperCase()],
  ['sub', 'object.object', { objectType: 'StatementRef', id: UUID1 }],
  ['sub', 'object.object', AGENT],
  ['sub', 'object.context', { revision: '1', platform: 'web' }],
  ...['2013-05-18T05:32:34.804Z', '2013-05-18T05:32:34Z', '2013-05-18T05:32Z', '2013-05-18T05:32:34.804123456+02:00', '2013-05-18T05:32:34+0530',
    '2013-05-18T05:32:34-05', '20130518T053234Z', '20130518T053234.5+0100', '2008-09-15 15:53:00.601+00:00', '2008-09-15T15:53:00.601+00:00',
    '2012-02-29T00:00:00Z', '2013-05-18t05:32:34z'].map((v): [Base, string, JsonValue] => ['base', 'timestamp', v]),
  ['base', 'stored', '2013-05-18T05:32:34.804Z'],
  ['base', 'authority', AGENT],
  ['base', 'authority', ANON_GROUP],
  ['full', 'context.contextActivities.grouping', []],
  ['full', 'context.language', 'zh-Hant-TW'],
  ['full', 'context.team', ID_GROUP],
  ['full', 'context.instructor', ANON_GROUP],
  ['full', 'context.extensions', { 'http://example.com/null': null }],
  ['full', 'result.extensions', { 'http://example.com/null': null }],
  ['full', 'attachments', []],
];

describe('validateStatement: invalid statements are rejected with a path and a rule', () => {
  test.each(invalid)('%s with %s = %j', (base, path, value, fragment) => {
    const stmt = withValue(make(base), path, value);
    const err = errorOf(stmt, '2.0.0');
    expect(err).toBeDefined();
    expect(err?.status).toBe(400);
    expect(err?.code).toBe('bad_request');
    expect(err?.message).toContain(fragment);
  });
});

describe('validateStatement: valid statements are accepted', () => {
  test.each(valid)('%s with %s = %j', (base, path, value) => {
    const stmt = withValue(make(base), path, value);
    expect(errorOf(stmt, '2.0.0')?.message).toBeUndefined();
  });

  test.each(['base', 'full', 'sub', 'ref'] as Base[])('%s fixture is valid in 2.0.0', (base) => {
    expect(errorOf(make(base), '2.0.0')).toBeUndefined();
  });

  test('returns the statement itself', () => {
    const stmt = baseStatement();
    expect(validateStatement(stmt, { version: '1.0.3' })).toBe(stmt);
  });

  test('non-objects are rejected', () => {
    for (const v of [null, 'x', 1, [], true]) {
      expect(errorOf(v, '2.0.0')?.message).toMatch(/^statement: must be an object/);
    }
  });

  test('path prefix is configurable', () => {
    const err = errorOf(undefined, '2.0.0');
    expect(err?.message).toContain('statement');
    expect(() => validateStatement({}, { version: '2.0.0', path: 'statements[3]' })).toThrow('statements[3].actor: is required');
  });
});

describe('Language Maps: empty ones by version (issue 11)', () => {
  test.each([
    ['base', 'verb.display'],
    ['base', 'object.definition.name'],
    ['base', 'object.definition.description'],
  ] as const)('%s %s = {} is refused in 1.0.3 (ADL suite) and accepted in 2.0.0 (spec text sets no minimum)', (base, path) => {
    const stmt = withValue(make(base), path, {});
    expect(errorOf(stmt, '1.0.3')?.message).toContain(`statement.${path}: must contain at least one language tag entry`);
    expect(errorOf(stmt, '2.0.0')).toBeUndefined();
  });
});
