import { parseAcceptLanguage, parseQueryTime, parseStatementsQuery } from '../../../src/xapi/statements/query-params';

const ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

describe('parseStatementsQuery', () => {
  test('defaults of a bare query', () => {
    expect(parseStatementsQuery({})).toEqual({
      kind: 'query', format: 'exact', attachments: false, limit: 0, ascending: false,
      filter: { relatedActivities: false, relatedAgents: false },
    });
  });

  test('every filter parameter', () => {
    const r = parseStatementsQuery({
      agent: '{"mbox":"mailto:a@b.c"}', verb: 'http://v.x/y', activity: 'http://a.x/y', registration: ID.toUpperCase(),
      related_activities: 'true', related_agents: 'false', since: '2024-01-01T00:00:00+01:00', until: '2024-01-02T00:00:00Z',
      limit: '10', format: 'canonical', attachments: 'true', ascending: 'true',
    });
    expect(r).toEqual({
      kind: 'query', format: 'canonical', attachments: true, limit: 10, ascending: true,
      filter: {
        agent: '{"mbox":"mailto:a@b.c"}', verb: 'http://v.x/y', activity: 'http://a.x/y', registration: ID,
        relatedActivities: true, relatedAgents: false, since: '2023-12-31T23:00:00.000Z', until: '2024-01-02T00:00:00.000Z',
      },
    });
  });

  test('single statement requests', () => {
    expect(parseStatementsQuery({ statementId: ID.toUpperCase(), format: 'ids' })).toEqual({ kind: 'single', id: ID, voided: false, format: 'ids', attachments: false });
    expect(parseStatementsQuery({ voidedStatementId: ID, attachments: 'true' })).toEqual({ kind: 'single', id: ID, voided: true, format: 'exact', attachments: true });
  });

  test.each([
    [{ statementId: ID, voidedStatementId: ID }, /together/],
    [{ statementId: ID, limit: '1' }, /cannot be used with statementId/],
    [{ voidedStatementId: ID, agent: '{}' }, /cannot be used with voidedStatementId/],
    [{ statementId: 'x' }, /UUID/],
    [{ Verb: 'http://x.y' }, /unknown query parameter "Verb"/],
    [{ verb: ['http://a.b', 'http://c.d'] }, /once/],
    [{ verb: 'not an iri' }, /IRI/],
    [{ limit: '-1' }, /limit/],
    [{ limit: '1.5' }, /limit/],
    [{ ascending: 'TRUE' }, /true or false/],
    [{ format: 'all' }, /format/],
    [{ since: '2024-01-01T00:00:00' }, /time zone/],
    [{ until: 'yesterday' }, /until/],
    [{ registration: '123' }, /registration/],
    [{ more: 'abc', limit: '1' }, /more cannot be combined/],
  ])('rejects %j', (q, message) => {
    expect(() => parseStatementsQuery(q)).toThrow(message);
  });

  test('more alone', () => {
    expect(parseStatementsQuery({ more: 'tok' })).toEqual({ kind: 'more', token: 'tok' });
  });
});

describe('parseQueryTime', () => {
  test('accepts offsets with or without colon', () => {
    expect(parseQueryTime('2024-06-01T12:00:00.5-0230', 'since')).toBe('2024-06-01T14:30:00.500Z');
    expect(parseQueryTime('2024-06-01T12:00Z', 'since')).toBe('2024-06-01T12:00:00.000Z');
  });
});

describe('parseAcceptLanguage', () => {
  test('orders by q, keeps header order on ties, drops q=0', () => {
    expect(parseAcceptLanguage('fr;q=0.5, en-GB, de;q=0, en;q=0.8, es')).toEqual(['en-GB', 'es', 'en', 'fr']);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
  });
});
