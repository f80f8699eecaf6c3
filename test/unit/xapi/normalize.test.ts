import { prepareStatement } from '../../../src/xapi/model/normalize';
import type { JsonObject } from '../../../src/xapi/model/types';
import { AGENT2, baseStatement, fullStatement, subStatement, UUID1, withValue } from './fixtures';

const AUTHORITY: JsonObject = { objectType: 'Agent', account: { homePage: 'http://lrs.example', name: 'cred-1' } };
const STORED = '2024-03-01T10:00:00.123Z';
const prep = (s: JsonObject, version: '2.0.0' | '1.0.3' = '2.0.0', extra: { id?: string } = {}): JsonObject =>
  prepareStatement(s, { version, stored: STORED, authority: AUTHORITY, ...extra });

describe('prepareStatement', () => {
  test('fills id, stored, timestamp, version and authority', () => {
    const out = prep(baseStatement());
    expect(out.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(out.stored).toBe(STORED);
    expect(out.timestamp).toBe(STORED);
    expect(out.version).toBe('2.0.0');
    expect(out.authority).toEqual(AUTHORITY);
  });
  test('two statements without id get different ids', () => {
    expect(prep(baseStatement()).id).not.toBe(prep(baseStatement()).id);
  });
  test('keeps and lower-cases a given id; uses opts.id when the statement has none', () => {
    expect(prep(withValue(baseStatement(), 'id', UUID1.toUpperCase())).id).toBe(UUID1);
    expect(prep(baseStatement(), '2.0.0', { id: UUID1.toUpperCase() }).id).toBe(UUID1);
  });
  test('version: 1.0.3 requests default to 1.0.0, given versions are kept', () => {
    expect(prep(baseStatement(), '1.0.3').version).toBe('1.0.0');
    expect(prep(withValue(baseStatement(), 'version', '1.0.3'), '2.0.0').version).toBe('1.0.3');
    expect(prep(withValue(baseStatement(), 'version', '1.0'), '1.0.3').version).toBe('1.0');
  });
  test('authority is always overwritten', () => {
    expect(prep(withValue(baseStatement(), 'authority', AGENT2)).authority).toEqual(AUTHORITY);
  });
  test('stored defaults to now', () => {
    const out = prepareStatement(baseStatement(), { version: '2.0.0', authority: AUTHORITY, now: new Date('2020-01-02T03:04:05.006Z') });
    expect(out.stored).toBe('2020-01-02T03:04:05.006Z');
    expect(out.timestamp).toBe('2020-01-02T03:04:05.006Z');
  });
  test.each([
    ['2013-05-18T05:32:34.804+02:00', '2013-05-18T03:32:34.804Z'],
    ['2013-05-18T05:32:34.804123+02:00', '2013-05-18T03:32:34.804123Z'],
    ['2013-05-18T00:30:00-01:00', '2013-05-18T01:30:00Z'],
    ['2013-05-18T00:30:00+01:00', '2013-05-17T23:30:00Z'],
    ['2013-05-18T05:32:34Z', '2013-05-18T05:32:34Z'],
    ['2013-05-18 05:32:34.5+00:00', '2013-05-18T05:32:34.5Z'],
    ['2013-05-18T05:32:34', '2013-05-18T05:32:34Z'],
  ])('timestamp %s is stored as %s', (ts, utc) => {
    expect(prep(withValue(baseStatement(), 'timestamp', ts), '1.0.3').timestamp).toBe(utc);
  });
  test.each([
    ['PT1.2369S', 'PT1.23S'],
    ['P1DT2H3M4.56789S', 'P1DT2H3M4.56S'],
    ['PT1.2S', 'PT1.2S'],
    ['PT1H', 'PT1H'],
  ])('result.duration %s is stored as %s', (d, out) => {
    expect((prep(withValue(baseStatement(), 'result.duration', d)).result as JsonObject).duration).toBe(out);
  });
  test('contextActivities single objects become arrays (statement and SubStatement)', () => {
    const out = prep(withValue(fullStatement(), 'object', subStatement()));
    const ca = (out.context as JsonObject).contextActivities as JsonObject;
    expect(Array.isArray(ca.category)).toBe(true);
    expect(ca.category).toEqual([{ id: 'http://www.example.com/meetings/categories/teammeeting' }]);
    expect(ca.parent).toHaveLength(1);
    const sub = out.object as JsonObject;
    expect(((sub.context as JsonObject).contextActivities as JsonObject).parent).toEqual([{ id: 'http://example.com/sub/parent' }]);
    expect((sub.result as JsonObject).duration).toBe('PT1.23S');
    expect(sub.timestamp).toBe('2020-01-01T09:00:00Z');
    expect(sub.id).toBeUndefined();
  });
  test('does not mutate its input', () => {
    const input = withValue(fullStatement(), 'object', subStatement());
    const copy = structuredClone(input);
    prep(input);
    expect(input).toEqual(copy);
  });
  test('objectType Activity is added to an object that omits it, also in a SubStatement', () => {
    const out = prep(withValue(baseStatement(), 'object', { id: 'http://example.com/a' }));
    expect(out.object).toEqual({ objectType: 'Activity', id: 'http://example.com/a' });
    const sub = prep(withValue(baseStatement(), 'object', withValue(subStatement(), 'object', { id: 'http://example.com/b' })));
    expect((sub.object as JsonObject).object).toEqual({ objectType: 'Activity', id: 'http://example.com/b' });
    expect(prep(withValue(baseStatement(), 'object', { objectType: 'StatementRef', id: UUID1 })).object).toEqual({ objectType: 'StatementRef', id: UUID1 });
    expect(prep(baseStatement()).actor).toEqual(baseStatement().actor);
  });
});
