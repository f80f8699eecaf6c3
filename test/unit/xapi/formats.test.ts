import { parseAcceptLanguage, pickLanguage, toCanonicalFormat, toIdsFormat } from '../../../src/xapi/model/formats';
import type { JsonObject } from '../../../src/xapi/model/types';
import { ACTIVITY, ANON_GROUP, fullStatement, ID_GROUP, subStatement, withValue } from './fixtures';

const get = (o: JsonObject, path: string): unknown =>
  path.split('.').reduce<unknown>((cur, k) => (cur === undefined || cur === null ? undefined : (cur as Record<string, unknown>)[k]), o);

describe('toIdsFormat', () => {
  const stmt = withValue(withValue(fullStatement(), 'authority', ANON_GROUP), 'actor', ID_GROUP);
  const ids = toIdsFormat(stmt);

  test('actors keep objectType and their IFI only', () => {
    expect(ids.actor).toEqual({ objectType: 'Group', mbox: 'mailto:team@example.com' });
    expect(get(ids, 'context.instructor')).toEqual({ objectType: 'Agent', account: { homePage: 'http://www.example.com', name: 'user-42' } });
    expect(get(ids, 'context.contextAgents')).toEqual([
      { objectType: 'contextAgent', agent: { objectType: 'Agent', openid: 'http://openid.example.org/12345' }, relevantTypes: ['http://example.com/types/coach'] },
    ]);
    expect(get(ids, 'context.contextGroups')).toEqual([{ objectType: 'contextGroup', group: { objectType: 'Group', mbox: 'mailto:team@example.com' } }]);
  });
  test('anonymous groups are reduced to identified members', () => {
    const expected = {
      objectType: 'Group',
      member: [
        { objectType: 'Agent', mbox: 'mailto:ada@example.com' },
        { objectType: 'Agent', mbox_sha1sum: 'cd9b00a5611f94eaa7b1661edab976068e364975' },
      ],
    };
    expect(ids.authority).toEqual(expected);
    expect(get(ids, 'context.team')).toEqual(expected);
  });
  test('verbs and activities keep only their id', () => {
    expect(ids.verb).toEqual({ id: 'http://adlnet.gov/expapi/verbs/attended' });
    expect(ids.object).toEqual({ id: ACTIVITY.id });
    expect(get(ids, 'context.contextActivities.category')).toEqual({ id: 'http://www.example.com/meetings/categories/teammeeting' });
    expect(get(ids, 'context.contextActivities.parent')).toEqual([{ id: 'http://www.example.com/meetings/series/267' }]);
  });
  test('other properties are kept', () => {
    expect(ids.result).toEqual(stmt.result);
    expect(ids.attachments).toEqual(stmt.attachments);
    expect(ids.id).toBe(stmt.id);
    expect(get(ids, 'context.registration')).toBe(get(stmt, 'context.registration'));
  });
  test('SubStatements are reduced too', () => {
    const out = toIdsFormat(withValue(fullStatement(), 'object', subStatement()));
    expect(get(out, 'object.objectType')).toBe('SubStatement');
    expect(get(out, 'object.actor')).toEqual({ objectType: 'Agent', mbox_sha1sum: 'cd9b00a5611f94eaa7b1661edab976068e364975' });
    expect(get(out, 'object.object')).toEqual({ id: ACTIVITY.id });
    expect(get(out, 'object.context.instructor.member')).toHaveLength(2);
    expect(get(out, 'object.context.contextActivities.parent')).toEqual({ id: 'http://example.com/sub/parent' });
  });
  test('Agent objects and StatementRefs', () => {
    const agentObj = toIdsFormat(withValue(fullStatement(), 'object', { objectType: 'Agent', name: 'N', mbox: 'mailto:n@example.com' }));
    expect(agentObj.object).toEqual({ objectType: 'Agent', mbox: 'mailto:n@example.com' });
    const ref = { objectType: 'StatementRef', id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0' };
    expect(toIdsFormat(withValue(fullStatement(), 'object', ref)).object).toEqual(ref);
  });
  test('does not mutate its input', () => {
    const copy = structuredClone(stmt);
    toIdsFormat(stmt);
    expect(stmt).toEqual(copy);
  });
});

describe('toCanonicalFormat', () => {
  const interaction = {
    id: 'http://example.com/q1',
    definition: {
      name: { 'en-US': 'Question', 'de-DE': 'Frage' },
      interactionType: 'choice',
      choices: [{ id: 'a', description: { 'en-US': 'Yes', 'de-DE': 'Ja' } }],
    },
  };
  const stmt = withValue(withValue(fullStatement(), 'context.contextActivities.other', [interaction]), 'object', subStatement());

  test('reduces verb and activity language maps to one preferred entry', () => {
    const out = toCanonicalFormat(stmt, ['de']);
    expect(get(out, 'verb.display')).toEqual({ de: 'besuchte' });
    const other = (get(out, 'context.contextActivities.other') as JsonObject[])[0] as JsonObject;
    expect(get(other, 'definition.name')).toEqual({ 'de-DE': 'Frage' });
    expect(get(other, 'definition.choices')).toEqual([{ id: 'a', description: { 'de-DE': 'Ja' } }]);
    // SubStatement activity: no German entry, so English is the fallback.
    expect(get(out, 'object.object.definition.name')).toEqual({ 'en-US': 'example meeting' });
    expect(get(toCanonicalFormat(stmt, ['fr']), 'object.object.definition.name')).toEqual({ 'fr-FR': 'réunion' });
  });
  test('falls back to English then to the first entry', () => {
    const out = toCanonicalFormat(stmt, ['ja']);
    expect(get(out, 'verb.display')).toEqual({ 'en-US': 'attended' });
    const only = toCanonicalFormat(withValue(stmt, 'verb.display', { 'fr-FR': 'a assisté', 'it-IT': 'ha frequentato' }), []);
    expect(get(only, 'verb.display')).toEqual({ 'fr-FR': 'a assisté' });
  });
  test('agents and attachments are returned as stored', () => {
    const out = toCanonicalFormat(stmt, ['de']);
    expect(out.actor).toEqual(stmt.actor);
    expect(out.attachments).toEqual(stmt.attachments);
  });
  test('does not mutate its input', () => {
    const copy = structuredClone(stmt);
    toCanonicalFormat(stmt, ['de']);
    expect(stmt).toEqual(copy);
  });
});

describe('pickLanguage / parseAcceptLanguage', () => {
  test.each<[string[], string[], string | undefined]>([
    [['en-US', 'de'], ['de'], 'de'],
    [['en-US', 'de-DE'], ['de'], 'de-DE'],
    [['en', 'de'], ['de-AT'], 'de'],
    [['en-US', 'DE'], ['de'], 'DE'],
    [['fr', 'de'], ['it', 'de'], 'de'],
    [['fr', 'de'], ['*'], 'fr'],
    [['fr', 'en'], ['ja'], 'en'],
    [['fr', 'en-GB'], [], 'en-GB'],
    [['fr', 'it'], [], 'fr'],
    [[], ['en'], undefined],
  ])('keys %j, prefs %j -> %s', (keys, prefs, out) => expect(pickLanguage(keys, prefs)).toBe(out));

  test.each<[string | undefined, string[]]>([
    [undefined, []],
    ['', []],
    ['de', ['de']],
    ['da, en-gb;q=0.8, en;q=0.7', ['da', 'en-gb', 'en']],
    ['en;q=0.5, fr;q=0.9, de', ['de', 'fr', 'en']],
    ['fr;q=0, en', ['en']],
    ['*;q=0.1, it', ['it', '*']],
  ])('parseAcceptLanguage(%p)', (header, out) => expect(parseAcceptLanguage(header)).toEqual(out));
});
