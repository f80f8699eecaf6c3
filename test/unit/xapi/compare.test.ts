import { statementsEquivalent } from '../../../src/xapi/model/compare';
import { prepareStatement } from '../../../src/xapi/model/normalize';
import type { JsonObject } from '../../../src/xapi/model/types';
import { AGENT, AGENT2, baseStatement, fullStatement, subStatement, UUID1, UUID2, withValue } from './fixtures';

const AUTH: JsonObject = { objectType: 'Agent', account: { homePage: 'http://lrs.example', name: 'c' } };

describe('statementsEquivalent: differences the spec ignores', () => {
  const a = withValue(fullStatement(), 'object', fullStatement().object ?? null);
  test.each<[string, (s: JsonObject) => JsonObject]>([
    ['id', (s) => withValue(s, 'id', UUID2)],
    ['authority', (s) => withValue(s, 'authority', AGENT2)],
    ['stored', (s) => withValue(s, 'stored', '2030-01-01T00:00:00Z')],
    ['timestamp', (s) => withValue(s, 'timestamp', '2030-01-01T00:00:00Z')],
    ['version', (s) => withValue(s, 'version', '1.0.3')],
    ['attachments', (s) => withValue(s, 'attachments', undefined)],
    ['activity definition', (s) => withValue(s, 'object.definition', { name: { en: 'other' } })],
    ['activity definition removed', (s) => withValue(s, 'object.definition', undefined)],
    ['context activity definition', (s) => withValue(s, 'context.contextActivities.parent[0].definition', { name: { en: 'x' } })],
    ['case of an mbox', (s) => withValue(s, 'actor.mbox', 'mailto:ADA@example.com')],
    ['case of a UUID', (s) => withValue(s, 'context.registration', String((s.context as JsonObject).registration).toUpperCase())],
    ['order of group members', (s) => withValue(s, 'context.team.member', [...(((s.context as JsonObject).team as JsonObject).member as JsonObject[])].reverse())],
    ['order of object keys', (s) => Object.fromEntries(Object.entries(s).reverse()) as JsonObject],
    ['single context activity vs array', (s) => withValue(s, 'context.contextActivities.category', [{ id: 'http://www.example.com/meetings/categories/teammeeting' }])],
    ['objectType Activity omitted', (s) => withValue(s, 'object.objectType', undefined)],
    ['objectType Agent omitted', (s) => withValue(s, 'actor.objectType', undefined)],
    ['duration stored truncated', (s) => withValue(s, 'result.duration', 'PT1H0M0.0012S')],
  ])('%s', (_name, change) => {
    const base = withValue(a, 'result.duration', 'PT1H0M0.001S');
    expect(statementsEquivalent(base, change(base))).toBe(true);
    expect(statementsEquivalent(change(base), base)).toBe(true);
  });

  test('a re-sent statement matches what was stored from it', () => {
    const sent = withValue(withValue(fullStatement(), 'object', subStatement()), 'id', UUID1);
    const stored = prepareStatement(sent, { version: '2.0.0', authority: AUTH, stored: '2024-01-01T00:00:00.000Z' });
    expect(statementsEquivalent(sent, stored)).toBe(true);
  });
});

describe('statementsEquivalent: real differences', () => {
  test.each<[string, (s: JsonObject) => JsonObject]>([
    ['actor', (s) => withValue(s, 'actor', AGENT2)],
    ['verb id', (s) => withValue(s, 'verb.id', 'http://example.com/verbs/other')],
    ['verb display', (s) => withValue(s, 'verb.display', { en: 'other' })],
    ['object id', (s) => withValue(s, 'object.id', 'http://example.com/other')],
    ['result score', (s) => withValue(s, 'result.score.raw', 96)],
    ['result added', (s) => withValue(s, 'result.success', false)],
    ['context registration', (s) => withValue(s, 'context.registration', UUID2)],
    ['context removed', (s) => withValue(s, 'context', undefined)],
    ['group member', (s) => withValue(s, 'context.team.member[0]', AGENT2)],
    ['extension value', (s) => withValue(s, 'context.extensions', { 'http://example.com/profiles/meetings/contextextensions/topic': 'Other' })],
    ['substatement timestamp is ignored but its verb is not', (s) => withValue(withValue(s, 'object', subStatement()), 'object.verb.id', 'http://example.com/v2')],
    ['contextActivities order', (s) => withValue(s, 'context.contextActivities.parent', [{ id: 'http://a.example/1' }, { id: 'http://a.example/2' }])],
  ])('%s', (_name, change) => {
    const base = withValue(fullStatement(), 'object', fullStatement().object ?? null);
    const withSub = _name.startsWith('substatement') ? withValue(base, 'object', subStatement()) : base;
    expect(statementsEquivalent(withSub, change(base))).toBe(false);
  });

  test('substatement timestamps are ignored', () => {
    const s = withValue(baseStatement(), 'object', subStatement());
    expect(statementsEquivalent(s, withValue(s, 'object.timestamp', '2031-01-01T00:00:00Z'))).toBe(true);
  });

  test('an Agent object is not equivalent to an Activity', () => {
    const a = withValue(baseStatement(), 'object', { objectType: 'Agent', mbox: 'mailto:x@example.com' });
    const b = withValue(baseStatement(), 'object', { objectType: 'Group', mbox: 'mailto:x@example.com' });
    expect(statementsEquivalent(a, b)).toBe(false);
  });

  test('an agent is not equivalent to the same agent with a name added', () => {
    expect(statementsEquivalent(baseStatement(), withValue(baseStatement(), 'actor', { ...AGENT, name: 'Other' }))).toBe(false);
  });
});
