import { AppError } from '../../../src/errors';
import type { JsonObject, JsonValue, XapiVersion } from '../../../src/xapi/model/types';
import { validateStatement } from '../../../src/xapi/validate';
import { ACTIVITY, AGENT, AGENT2, ANON_GROUP, baseStatement, fullStatement, ID_GROUP, OPENID_AGENT, subStatement, UUID1, withValue } from './fixtures';

function messageOf(stmt: unknown, version: XapiVersion = '2.0.0'): string | undefined {
  try {
    validateStatement(stmt, { version });
    return undefined;
  } catch (err) {
    if (err instanceof AppError && err.status === 400) return err.message;
    throw err;
  }
}

const ctx = (context: JsonValue): JsonObject => withValue(baseStatement(), 'context', context);
const res = (result: JsonValue): JsonObject => withValue(baseStatement(), 'result', result);
const sub = (patch: (s: JsonObject) => JsonObject = (s) => s): JsonObject => withValue(baseStatement(), 'object', patch(subStatement()));
const att = (patch: Record<string, JsonValue | undefined>): JsonObject => {
  const base: Record<string, JsonValue | undefined> = {
    usageType: 'http://example.com/attachment-usage/test',
    display: { 'en-US': 'A test attachment' },
    contentType: 'text/plain',
    length: 27,
    sha2: '495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a',
    ...patch,
  };
  const clean = Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as JsonObject;
  return withValue(baseStatement(), 'attachments', [clean]);
};
const def = (definition: JsonValue): JsonObject => withValue(baseStatement(), 'object.definition', definition);

describe('versions', () => {
  test('the full 2.0 statement needs 2.0.0 because of contextAgents/contextGroups', () => {
    expect(messageOf(fullStatement(), '2.0.0')).toBeUndefined();
    expect(messageOf(fullStatement(), '1.0.3')).toContain('statement.context.contextAgents: is not an allowed property');
    const s = withValue(withValue(fullStatement(), 'context.contextAgents', undefined), 'context.contextGroups', undefined);
    expect(messageOf(s, '1.0.3')).toBeUndefined();
  });
  test.each([
    ['1.0', '1.0.3', true],
    ['1.0.0', '1.0.3', true],
    ['1.0.3', '1.0.3', true],
    ['1.0.9', '1.0.3', true],
    ['2.0.0', '1.0.3', false],
    ['1.1.0', '1.0.3', false],
    ['0.9.5', '1.0.3', false],
    ['2.0', '2.0.0', true],
    ['2.0.0', '2.0.0', true],
    ['2.0.1', '2.0.0', true],
    ['1.0.3', '2.0.0', true],
    ['2.1.0', '2.0.0', false],
    ['2.0.0-rc1', '2.0.0', false],
  ] as const)('statement version %s under %s: valid=%s', (v, version, ok) => {
    const m = messageOf(withValue(baseStatement(), 'version', v), version);
    if (ok) expect(m).toBeUndefined();
    else expect(m).toContain('statement.version');
  });
  test('a timestamp without a zone is accepted in 1.0.3 only', () => {
    const s = withValue(baseStatement(), 'timestamp', '2013-05-18T05:32:34.804');
    expect(messageOf(s, '1.0.3')).toBeUndefined();
    expect(messageOf(s, '2.0.0')).toContain('time zone');
  });
});

describe('result', () => {
  test.each<[JsonValue, string | undefined]>([
    [{}, undefined],
    [{ score: { scaled: 1 } }, undefined],
    [{ score: { scaled: -1 } }, undefined],
    [{ score: { scaled: 0 } }, undefined],
    [{ score: { scaled: 1.01 } }, 'statement.result.score.scaled: must be between -1 and 1'],
    [{ score: { scaled: -1.5 } }, 'statement.result.score.scaled'],
    [{ score: { raw: 5, min: 0, max: 10 } }, undefined],
    [{ score: { raw: 0, min: 0, max: 10 } }, undefined],
    [{ score: { raw: 10, min: 0, max: 10 } }, undefined],
    [{ score: { raw: 11, min: 0, max: 10 } }, 'statement.result.score.raw: must not be greater than max'],
    [{ score: { raw: -1, min: 0 } }, 'statement.result.score.raw: must not be less than min'],
    [{ score: { min: 10, max: 10 } }, 'statement.result.score.min: must be less than max'],
    [{ score: { min: 11, max: 10 } }, 'statement.result.score.min'],
    [{ score: { max: 'one hundred' } }, 'statement.result.score.max: must be a number'],
    [{ score: { max: '100' } }, 'statement.result.score.max: must be a number'],
    [{ score: { raw: null } }, 'statement.result.score.raw: must not be null'],
    [{ score: { Raw: 1 } }, 'statement.result.score.Raw'],
    [{ score: 1 }, 'statement.result.score: must be an object'],
    [{ success: true, completion: false }, undefined],
    [{ success: 'We regret to inform you that your effort was unsuccessful.' }, 'statement.result.success: must be a boolean'],
    [{ completion: 'false' }, 'statement.result.completion: must be a boolean'],
    [{ response: 'a[,]b' }, undefined],
    [{ response: 5 }, 'statement.result.response: must be a string'],
    [{ duration: 'PT1H0M0.1S' }, undefined],
    [{ duration: 'PT4H35M59.14S' }, undefined],
    [{ duration: 'PT16559.14S' }, undefined],
    [{ duration: 'P3Y1M29DT4H35M59.14S' }, undefined],
    [{ duration: 'P3Y' }, undefined],
    [{ duration: 'P4W' }, undefined],
    [{ duration: 'PT0S' }, undefined],
    [{ duration: 'P1DT12H' }, undefined],
    [{ duration: 'PT1,5S' }, undefined],
    [{ duration: 'P4W1D' }, 'statement.result.duration: must be an ISO 8601 duration'],
    [{ duration: 'PA1H0M0S' }, 'statement.result.duration'],
    [{ duration: 'should fail' }, 'statement.result.duration'],
    [{ duration: 'P' }, 'statement.result.duration'],
    [{ duration: 'PT' }, 'statement.result.duration'],
    [{ duration: 'P1DT' }, 'statement.result.duration'],
    [{ duration: 'PT1S1M' }, 'statement.result.duration'],
    [{ duration: 'PT1.5M30S' }, 'statement.result.duration'],
    [{ duration: 'P0001-02-03T04:05:06' }, 'statement.result.duration'],
    [{ duration: 'pt1s' }, 'statement.result.duration'],
    [{ duration: 12345 }, 'statement.result.duration: must be a string'],
    [{ duration: { key: 'invalid' } }, 'statement.result.duration: must be a string'],
    [{ extensions: { 'http://example.com/e': [1, 2] } }, undefined],
    [{ extensions: { e: 1 } }, 'statement.result.extensions["e"]: extension keys must be absolute IRIs'],
    [{ extensions: 'x' }, 'statement.result.extensions: must be an object'],
    [{ other: 1 }, 'statement.result.other: is not an allowed property'],
    ['passed', 'statement.result: must be an object'],
  ])('result %j', (result, fragment) => {
    const m = messageOf(res(result));
    if (fragment === undefined) expect(m).toBeUndefined();
    else expect(m).toContain(fragment);
  });
});

describe('context', () => {
  test.each<[JsonValue, string | undefined]>([
    [{}, undefined],
    [{ registration: UUID1 }, undefined],
    [{ registration: 'AA97B177-9383-4934-8543-0F91A7A028368' }, 'statement.context.registration: must be a UUID'],
    [{ registration: 'MA97B177-9383-4934-8543-0F91A7A02836' }, 'statement.context.registration'],
    [{ registration: 12345 }, 'statement.context.registration: must be a string'],
    [{ registration: { key: 'x' } }, 'statement.context.registration'],
    [{ instructor: AGENT }, undefined],
    [{ instructor: ID_GROUP }, undefined],
    [{ instructor: { name: 'x' } }, 'statement.context.instructor'],
    [{ instructor: { objectType: 'Group' } }, 'statement.context.instructor.member: is required'],
    [{ instructor: { objectType: 'Group', member: AGENT } }, 'statement.context.instructor.member: must be an array'],
    [{ instructor: { account: { homePage: 'http://www.example.com', name: { key: 'x' } } } }, 'statement.context.instructor.account.name'],
    [{ team: ANON_GROUP }, undefined],
    [{ team: AGENT }, 'statement.context.team.objectType: must be "Group"'],
    [{ team: { objectType: 'Group' } }, 'statement.context.team.member'],
    [{ contextActivities: { parent: ACTIVITY } }, undefined],
    [{ contextActivities: { parent: [ACTIVITY], grouping: [ACTIVITY], category: [ACTIVITY], other: [ACTIVITY] } }, undefined],
    [{ contextActivities: { related: [ACTIVITY] } }, 'statement.context.contextActivities.related: is not an allowed property'],
    [{ contextActivities: { Parent: [ACTIVITY] } }, 'case-sensitive'],
    [{ contextActivities: { other: [ACTIVITY, { key: 'should fail' }] } }, 'statement.context.contextActivities.other[1]'],
    [{ contextActivities: { other: [{ key: 'should fail' }, ACTIVITY] } }, 'statement.context.contextActivities.other[0]'],
    [{ contextActivities: { parent: 'http://example.com/a' } }, 'statement.context.contextActivities.parent: must be an object'],
    [{ contextActivities: { parent: [AGENT] } }, 'statement.context.contextActivities.parent[0]'],
    [{ contextActivities: { parent: null } }, 'must not be null'],
    [{ contextActivities: [] }, 'statement.context.contextActivities: must be an object'],
    // Issue 11: Data 2.4.6.2 constrains the keys present and requires none.
    [{ contextActivities: {} }, undefined],
    [{ contextActivities: { grouping: [] } }, undefined],
    [{ revision: 'r1', platform: 'web' }, undefined],
    [{ revision: 1 }, 'statement.context.revision: must be a string'],
    [{ platform: true }, 'statement.context.platform: must be a string'],
    [{ language: 'de' }, undefined],
    [{ language: 'en-US' }, undefined],
    [{ language: 'en US' }, 'statement.context.language'],
    [{ language: 5 }, 'statement.context.language: must be a string'],
    [{ statement: { objectType: 'StatementRef', id: UUID1 } }, undefined],
    [{ statement: { id: UUID1 } }, 'statement.context.statement.objectType: must be "StatementRef"'],
    [{ statement: { objectType: 'StatementRef', id: 'AA97B177-9383-4934-8543-0F91A7A028368' } }, 'statement.context.statement.id: must be a UUID'],
    [{ statement: { objectType: 'StatementRef', id: 12345 } }, 'statement.context.statement.id: must be a string'],
    [{ statement: { objectType: 'StatementRef' } }, 'statement.context.statement.id: is required'],
    [{ extensions: { 'http://example.com/x': null } }, undefined],
    [{ extensions: { 'not an iri': 1 } }, 'extension keys must be absolute IRIs'],
    [{ unknown: 1 }, 'statement.context.unknown'],
    // 2.0 contextAgents / contextGroups
    [{ contextAgents: [{ objectType: 'contextAgent', agent: AGENT }] }, undefined],
    [{ contextAgents: [{ objectType: 'contextAgent', agent: AGENT, relevantTypes: ['http://example.com/t'] }] }, undefined],
    [{ contextAgents: [] }, undefined],
    [{ contextAgents: [{ objectType: 'Should fail', agent: AGENT }] }, 'statement.context.contextAgents[0].objectType: must be "contextAgent"'],
    [{ contextAgents: [{ agent: AGENT }] }, 'statement.context.contextAgents[0].objectType'],
    [{ contextAgents: [{ objectType: 'contextAgent', agent: { key: 'Should fail' } }] }, 'statement.context.contextAgents[0].agent'],
    [{ contextAgents: [{ objectType: 'contextAgent' }] }, 'statement.context.contextAgents[0].agent: is required'],
    [{ contextAgents: [{ objectType: 'contextAgent', agent: ID_GROUP }] }, 'statement.context.contextAgents[0].agent.objectType: must be "Agent"'],
    [{ contextAgents: [{ objectType: 'contextAgent', agent: AGENT, relevantTypes: [] }] }, 'relevantTypes: must not be empty'],
    [{ contextAgents: [{ objectType: 'contextAgent', agent: AGENT, relevantTypes: ['abc'] }] }, 'statement.context.contextAgents[0].relevantTypes[0]: must be an absolute IRI'],
    [{ contextAgents: [{ objectType: 'contextAgent', agent: AGENT, relevantTypes: 'http://example.com/t' }] }, 'relevantTypes: must be an array'],
    [{ contextAgents: [{ objectType: 'contextAgent', agent: AGENT, extra: 1 }] }, 'statement.context.contextAgents[0].extra'],
    [{ contextAgents: { objectType: 'contextAgent', agent: AGENT } }, 'statement.context.contextAgents: must be an array'],
    [{ contextGroups: [{ objectType: 'contextGroup', group: ANON_GROUP }] }, undefined],
    [{ contextGroups: [{ objectType: 'contextGroup', group: ID_GROUP, relevantTypes: ['http://example.com/t'] }] }, undefined],
    [{ contextGroups: [{ objectType: 'contextAgent', group: ID_GROUP }] }, 'statement.context.contextGroups[0].objectType: must be "contextGroup"'],
    [{ contextGroups: [{ objectType: 'contextGroup', group: AGENT }] }, 'statement.context.contextGroups[0].group.objectType: must be "Group"'],
    [{ contextGroups: [{ objectType: 'contextGroup', group: { objectType: 'Group' } }] }, 'statement.context.contextGroups[0].group.member'],
    [{ contextGroups: [{ objectType: 'contextGroup' }] }, 'statement.context.contextGroups[0].group: is required'],
    [{ contextGroups: [{ objectType: 'contextGroup', group: ID_GROUP, relevantTypes: [] }] }, 'must not be empty'],
    [{ contextGroups: [{ objectType: 'contextGroup', group: ID_GROUP, relevantTypes: ['abc'] }] }, 'relevantTypes[0]'],
  ])('context %j', (context, fragment) => {
    const m = messageOf(ctx(context));
    if (fragment === undefined) expect(m).toBeUndefined();
    else expect(m).toContain(fragment);
  });

  test.each([
    [{ objectType: 'Agent', mbox: 'mailto:a@example.com' }],
    [{ objectType: 'StatementRef', id: UUID1 }],
    [ANON_GROUP],
  ])('revision and platform are rejected when the object is %j', (object) => {
    for (const key of ['revision', 'platform']) {
      const s = withValue(withValue(baseStatement(), 'object', object), `context.${key}`, 'x');
      expect(messageOf(s)).toContain(`statement.context.${key}: is only allowed when the statement object is an Activity`);
    }
  });
  test('revision and platform are accepted for an Activity without objectType', () => {
    const s = withValue(withValue(baseStatement(), 'object', { id: 'http://example.com/a' }), 'context', { revision: 'x', platform: 'y' });
    expect(messageOf(s)).toBeUndefined();
  });
});

describe('SubStatement', () => {
  test('a SubStatement with result, context and timestamp is valid', () => {
    expect(messageOf(sub())).toBeUndefined();
  });
  test.each(['id', 'stored', 'version', 'authority'])('a SubStatement must not have %s', (key) => {
    const value: JsonValue = key === 'authority' ? AGENT : key === 'id' ? UUID1 : key === 'version' ? '1.0.0' : '2013-05-18T05:32:34.804Z';
    expect(messageOf(sub((s) => withValue(s, key, value)))).toContain(`statement.object.${key}: is not an allowed property`);
  });
  test('nested SubStatements are rejected', () => {
    expect(messageOf(sub((s) => withValue(s, 'object', subStatement())))).toContain('statement.object.object.objectType: a SubStatement must not contain another SubStatement');
  });
  test.each<[string, JsonValue | undefined, string]>([
    ['actor', undefined, 'statement.object.actor: is required'],
    ['verb', undefined, 'statement.object.verb: is required'],
    ['object', undefined, 'statement.object.object: is required'],
    ['actor', { objectType: 'Group' }, 'statement.object.actor.member'],
    ['verb.display', { 'de-419-DE': 'besucht' }, 'statement.object.verb.display'],
    ['object.definition.description', { 'de-419-DE': 'x' }, 'statement.object.object.definition.description'],
    ['context.language', 'not a tag', 'statement.object.context.language'],
    ['context.instructor', { account: { homePage: 'http://www.example.com', name: { key: 'x' } } }, 'statement.object.context.instructor.account.name'],
    ['context.contextAgents', [{ objectType: 'Should fail', agent: AGENT }], 'statement.object.context.contextAgents[0].objectType'],
    ['context.contextAgents', [{ objectType: 'contextAgent', agent: AGENT, relevantTypes: [] }], 'statement.object.context.contextAgents[0].relevantTypes'],
    ['timestamp', '2008-09-15T15:53:00.601-00:00', 'statement.object.timestamp'],
    ['timestamp', 'should fail', 'statement.object.timestamp'],
    ['result.duration', 'P4W1D', 'statement.object.result.duration'],
    ['object', { objectType: 'StatementRef', id: 'MA97B177-9383-4934-8543-0F91A7A02836' }, 'statement.object.object.id: must be a UUID'],
    ['object', { objectType: 'StatementRef', id: { key: 'x' } }, 'statement.object.object.id: must be a string'],
    ['objectType', 'substatement', 'statement.object.objectType: must be one of'],
  ])('SubStatement %s = %j is rejected', (path, value, fragment) => {
    expect(messageOf(sub((s) => withValue(s, path, value)))).toContain(fragment);
  });
  test('SubStatement contextAgents are valid in 2.0.0 only', () => {
    const s = sub((x) => withValue(x, 'context.contextAgents', [{ objectType: 'contextAgent', agent: OPENID_AGENT }]));
    expect(messageOf(s, '2.0.0')).toBeUndefined();
    expect(messageOf(s, '1.0.3')).toContain('statement.object.context.contextAgents');
  });
});

describe('StatementRef and voiding', () => {
  const ref = (o: JsonValue): JsonObject => withValue(baseStatement(), 'object', o);
  test.each<[JsonValue, string | undefined]>([
    [{ objectType: 'StatementRef', id: UUID1 }, undefined],
    [{ objectType: 'StatementRef', id: 'AA97B177-9383-4934-8543-0F91A7A028368' }, 'statement.object.id: must be a UUID'],
    [{ objectType: 'StatementRef', id: 12345 }, 'statement.object.id: must be a string'],
    [{ objectType: 'StatementRef' }, 'statement.object.id: is required'],
    [{ objectType: 'StatementRef', id: UUID1, definition: {} }, 'statement.object.definition'],
  ])('%j', (o, fragment) => {
    const m = messageOf(ref(o));
    if (fragment === undefined) expect(m).toBeUndefined();
    else expect(m).toContain(fragment);
  });
  test('a voiding statement must reference a statement', () => {
    const voided = { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } };
    expect(messageOf(withValue(ref({ objectType: 'StatementRef', id: UUID1 }), 'verb', voided))).toBeUndefined();
    expect(messageOf(withValue(baseStatement(), 'verb', voided))).toContain('statement.object.objectType: must be "StatementRef"');
  });
});

describe('interaction activities', () => {
  const comps = (...ids: string[]): JsonValue => ids.map((id) => ({ id, description: { 'en-US': `Choice ${id}` } }));
  test.each<[JsonValue, string | undefined]>([
    [{ interactionType: 'true-false', correctResponsesPattern: ['true'] }, undefined],
    [{ interactionType: 'choice', choices: comps('a', 'b'), correctResponsesPattern: ['a[,]b'] }, undefined],
    [{ interactionType: 'choice' }, undefined],
    [{ interactionType: 'fill-in', correctResponsesPattern: ['{case_matters=false}Bob'] }, undefined],
    [{ interactionType: 'long-fill-in' }, undefined],
    [{ interactionType: 'matching', source: comps('1', '2'), target: comps('a', 'b') }, undefined],
    [{ interactionType: 'performance', steps: comps('s1') }, undefined],
    [{ interactionType: 'sequencing', choices: comps('x', 'y') }, undefined],
    [{ interactionType: 'likert', scale: comps('likert_0', 'likert_1') }, undefined],
    [{ interactionType: 'numeric', correctResponsesPattern: ['4[:]'] }, undefined],
    [{ interactionType: 'other', correctResponsesPattern: [] }, undefined],
    [{ interactionType: 'choice', scale: comps('a') }, 'statement.object.definition.scale: is not allowed for interactionType "choice"'],
    [{ interactionType: 'likert', choices: comps('a') }, 'statement.object.definition.choices: is not allowed for interactionType "likert"'],
    [{ interactionType: 'true-false', choices: comps('a') }, 'statement.object.definition.choices'],
    [{ interactionType: 'matching', steps: comps('a') }, 'statement.object.definition.steps'],
    [{ interactionType: 'performance', source: comps('a') }, 'statement.object.definition.source'],
    [{ interactionType: 'numeric', target: comps('a') }, 'statement.object.definition.target'],
    [{ interactionType: 'choice', choices: comps('a', 'a') }, 'statement.object.definition.choices[1].id: duplicates'],
    [{ interactionType: 'choice', choices: [{ description: { en: 'x' } }] }, 'statement.object.definition.choices[0].id: is required'],
    [{ interactionType: 'choice', choices: [{ id: 5 }] }, 'statement.object.definition.choices[0].id: must be a string'],
    [{ interactionType: 'choice', choices: [{ id: '' }] }, 'statement.object.definition.choices[0].id: must not be empty'],
    [{ interactionType: 'choice', choices: [{ id: 'a', description: 'x' }] }, 'statement.object.definition.choices[0].description: must be an object'],
    [{ interactionType: 'choice', choices: [{ id: 'a', description: { 'de-419-DE': 'x' } }] }, 'statement.object.definition.choices[0].description["de-419-DE"]'],
    [{ interactionType: 'choice', choices: [{ id: 'a', name: 'x' }] }, 'statement.object.definition.choices[0].name'],
    [{ interactionType: 'choice', choices: { id: 'a' } }, 'statement.object.definition.choices: must be an array'],
    [{ interactionType: 'choice', correctResponsesPattern: 'a' }, 'statement.object.definition.correctResponsesPattern: must be an array'],
    [{ interactionType: 'choice', correctResponsesPattern: [1] }, 'statement.object.definition.correctResponsesPattern[0]: must be a string'],
    [{ interactionType: 'likert', scale: comps('a'), correctResponsesPattern: [null] }, 'correctResponsesPattern[0]'],
  ])('definition %j', (definition, fragment) => {
    const m = messageOf(def(definition));
    if (fragment === undefined) expect(m).toBeUndefined();
    else expect(m).toContain(fragment);
  });
});

describe('attachments', () => {
  test.each<[Record<string, JsonValue | undefined>, string | undefined]>([
    [{}, undefined],
    [{ description: { 'en-US': 'd', de: 'x' }, fileUrl: 'http://over.there.com/file.txt' }, undefined],
    [{ contentType: 'text/plain; charset=ascii' }, undefined],
    [{ length: 0 }, undefined],
    [{ usageType: undefined }, 'statement.attachments[0].usageType: is required'],
    [{ usageType: 'should fail' }, 'statement.attachments[0].usageType: must be an absolute IRI'],
    [{ display: undefined }, 'statement.attachments[0].display: is required'],
    [{ display: 12345 }, 'statement.attachments[0].display: must be an object'],
    [{ display: 'should fail' }, 'statement.attachments[0].display: must be an object'],
    [{ display: { 'de-419-DE': 'x' } }, 'statement.attachments[0].display["de-419-DE"]'],
    [{ description: 'should error' }, 'statement.attachments[0].description: must be an object'],
    [{ description: { 'de-419-DE': 'x' } }, 'statement.attachments[0].description'],
    [{ contentType: undefined }, 'statement.attachments[0].contentType: is required'],
    [{ contentType: 999 }, 'statement.attachments[0].contentType: must be a string'],
    [{ contentType: 'plain text' }, 'statement.attachments[0].contentType: must be an Internet media type'],
    [{ length: undefined }, 'statement.attachments[0].length: is required'],
    [{ length: 'should fail' }, 'statement.attachments[0].length: must be a non-negative integer'],
    [{ length: 1.5 }, 'statement.attachments[0].length'],
    [{ length: -1 }, 'statement.attachments[0].length'],
    [{ sha2: undefined }, 'statement.attachments[0].sha2: is required'],
    [{ sha2: 12345 }, 'statement.attachments[0].sha2: must be a string'],
    [{ sha2: 'not hex!' }, 'statement.attachments[0].sha2: must be a SHA-2 hash'],
    [{ fileUrl: 'should fail' }, 'statement.attachments[0].fileUrl: must be an absolute IRL'],
    [{ extra: 1 }, 'statement.attachments[0].extra'],
    [{ usageType: 'http://adlnet.gov/expapi/attachments/signature', contentType: 'application/octet-stream' }, undefined],
    [{ usageType: 'http://adlnet.gov/expapi/attachments/signature', contentType: 'application/json' }, 'must be "application/octet-stream" for a signature attachment'],
  ])('attachment patch %j', (patch, fragment) => {
    const m = messageOf(att(patch));
    if (fragment === undefined) expect(m).toBeUndefined();
    else expect(m).toContain(fragment);
  });
  test('attachments must be an array of objects', () => {
    const one = (att({}).attachments as JsonValue[])[0] as JsonValue;
    expect(messageOf(withValue(baseStatement(), 'attachments', one))).toContain('statement.attachments: must be an array');
    expect(messageOf(withValue(baseStatement(), 'attachments', [12345]))).toContain('statement.attachments[0]: must be an object');
    expect(messageOf(withValue(baseStatement(), 'attachments', ['should fail']))).toContain('statement.attachments[0]: must be an object');
  });
});

describe('agents in every position', () => {
  const positions = ['actor', 'object', 'authority', 'context.instructor', 'object.actor', 'object.context.instructor'];
  test.each(positions)('%s accepts every IFI and rejects a bad account name', (path) => {
    const base = path.startsWith('object.') ? sub() : baseStatement();
    for (const agent of [AGENT, AGENT2, OPENID_AGENT, { account: { homePage: 'http://www.example.com', name: 'x' } }]) {
      const a: JsonObject = path === 'object' ? { objectType: 'Agent', ...agent } : agent;
      expect(messageOf(withValue(base, path, a))).toBeUndefined();
    }
    const bad = { objectType: 'Agent', account: { homePage: 'http://www.example.com', name: { key: 'x' } } };
    expect(messageOf(withValue(base, path, bad))).toContain(`statement.${path}.account.name: must be a string`);
  });
});
