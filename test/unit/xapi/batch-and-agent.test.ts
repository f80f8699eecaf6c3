import { AppError } from '../../../src/errors';
import { agentKey, parseAgentParam } from '../../../src/xapi/model/agent-key';
import { validateStatementBatch } from '../../../src/xapi/validate';
import { AGENT, ANON_GROUP, baseStatement, ID_GROUP, UUID1, UUID2, withValue } from './fixtures';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return `${err.status} ${err.message}`;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('validateStatementBatch', () => {
  test('a single statement becomes a batch of one', () => {
    const s = baseStatement();
    expect(validateStatementBatch(s, '2.0.0')).toEqual([s]);
  });
  test('an array is validated item by item with indexed paths', () => {
    const ok = [withValue(baseStatement(), 'id', UUID1), withValue(baseStatement(), 'id', UUID2), baseStatement()];
    expect(validateStatementBatch(ok, '1.0.3')).toHaveLength(3);
    const bad = [baseStatement(), withValue(baseStatement(), 'verb.id', 'nope')];
    expect(message(() => validateStatementBatch(bad, '2.0.0'))).toBe('400 statements[1].verb.id: must be an absolute IRI (with a scheme, no spaces)');
  });
  test('an empty array is a valid empty batch', () => {
    expect(validateStatementBatch([], '2.0.0')).toEqual([]);
  });
  test('duplicate ids in one batch are rejected, ignoring case', () => {
    const batch = [withValue(baseStatement(), 'id', UUID1), baseStatement(), withValue(baseStatement(), 'id', UUID1.toUpperCase())];
    expect(message(() => validateStatementBatch(batch, '2.0.0'))).toContain('statements[2].id: duplicates the id of statements[0]');
  });
  test.each([null, 'x', 5, true])('body %p is rejected', (body) => {
    expect(message(() => validateStatementBatch(body, '2.0.0'))).toMatch(/^400 statement/);
  });
});

describe('agentKey', () => {
  test.each([
    [{ mbox: 'mailto:Ada@Example.COM' }, 'mbox:mailto:ada@example.com'],
    [{ objectType: 'Agent', name: 'x', mbox_sha1sum: 'CD9B00A5611F94EAA7B1661EDAB976068E364975' }, 'mbox_sha1sum:cd9b00a5611f94eaa7b1661edab976068e364975'],
    [{ openid: 'http://openid.example.org/ABC' }, 'openid:http://openid.example.org/ABC'],
    [{ account: { homePage: 'http://www.example.com', name: 'User-42' } }, 'account:http://www.example.com|User-42'],
    [ID_GROUP, 'mbox:mailto:team@example.com'],
  ])('%j -> %s', (agent, key) => expect(agentKey(agent)).toBe(key));
  test.each([ANON_GROUP, {}, null, 'mailto:a@b.c', { account: { homePage: 'http://x' } }])('no key for %j', (v) => expect(agentKey(v)).toBeUndefined());
});

describe('parseAgentParam', () => {
  test('parses an Agent and an identified Group', () => {
    expect(parseAgentParam(JSON.stringify(AGENT), '1.0.3')).toEqual({ agent: AGENT, key: 'mbox:mailto:ada@example.com' });
    expect(parseAgentParam('{"objectType":"Group","openid":"http://o.example/g"}', '2.0.0').key).toBe('openid:http://o.example/g');
  });
  test.each([
    ['not json', 'agent: must be a JSON object'],
    ['[]', 'agent: must be an object'],
    ['{}', 'agent: an Agent must have exactly one inverse functional identifier'],
    ['{"mbox":"mailto:a@example.com","openid":"http://o.example/1"}', 'found 2'],
    ['{"mbox":"a@example.com"}', 'agent.mbox: must be a "mailto:" IRI'],
    [JSON.stringify(ANON_GROUP), 'agent: must be an Agent or an identified Group'],
    ['{"objectType":"Activity","id":"http://x.example"}', 'agent.objectType'],
    ['{"mbox":"mailto:a@example.com","extra":1}', 'agent.extra: is not an allowed property'],
  ])('%s is rejected', (json, fragment) => {
    expect(message(() => parseAgentParam(json, '2.0.0'))).toContain(fragment);
  });
});
