import { statementRefs, statementTargetId, voidedTargetId } from '../../../src/xapi/model/refs';
import type { JsonObject } from '../../../src/xapi/model/types';
import { ACCOUNT_AGENT, AGENT, AGENT2, ANON_GROUP, baseStatement, fullStatement, ID_GROUP, REGISTRATION, subStatement, UUID1, withValue } from './fixtures';

const ADA = 'mbox:mailto:ada@example.com';
const SHA = 'mbox_sha1sum:cd9b00a5611f94eaa7b1661edab976068e364975';
const ACC = 'account:http://www.example.com|user-42';
const OPENID = 'openid:http://openid.example.org/12345';
const TEAM = 'mbox:mailto:team@example.com';
const ACT = 'http://www.example.com/meetings/occurances/34534';

describe('statementRefs', () => {
  test('a minimal statement', () => {
    expect(statementRefs(baseStatement()).sort()).toEqual([`A|${ADA}`, `O|${ACT}`, `a|${ADA}`, `o|${ACT}`, 'v|http://adlnet.gov/expapi/verbs/attended'].sort());
  });

  test('the credential key is added', () => {
    expect(statementRefs(baseStatement(), { credentialKey: 'key-1' })).toContain('k|key-1');
    expect(statementRefs(baseStatement()).some((r) => r.startsWith('k|'))).toBe(false);
  });

  test('a full statement relates every agent and activity of its context', () => {
    const s = withValue(fullStatement(), 'authority', AGENT2);
    const refs = statementRefs(s);
    expect(new Set(refs).size).toBe(refs.length);
    expect(refs).toEqual(
      expect.arrayContaining([
        `r|${REGISTRATION}`,
        `a|${ACC}`, // instructor
        `a|${SHA}`, // anonymous team member, and authority
        `a|${OPENID}`, // contextAgents
        `a|${TEAM}`, // contextGroups group
        'o|http://www.example.com/meetings/series/267',
        'o|http://www.example.com/meetings/categories/teammeeting',
        'o|http://www.example.com/meetings/occurances/34257',
      ]),
    );
    expect(refs.filter((r) => r.startsWith('A|'))).toEqual([`A|${ADA}`]);
    expect(refs.filter((r) => r.startsWith('O|'))).toEqual([`O|${ACT}`]);
  });

  test('registration is lower-cased', () => {
    const s = withValue(baseStatement(), 'context.registration', REGISTRATION.toUpperCase());
    expect(statementRefs(s)).toContain(`r|${REGISTRATION}`);
  });

  test('a Group actor: the identified group is direct, members only related', () => {
    const refs = statementRefs(withValue(baseStatement(), 'actor', ID_GROUP));
    expect(refs).toEqual(expect.arrayContaining([`A|${TEAM}`, `a|${TEAM}`, `a|${ACC}`]));
    expect(refs).not.toContain(`A|${ACC}`);
  });

  test('an anonymous Group actor has no direct key, its members are related', () => {
    const refs = statementRefs(withValue(baseStatement(), 'actor', ANON_GROUP));
    expect(refs.filter((r) => r.startsWith('A|'))).toEqual([]);
    expect(refs).toEqual(expect.arrayContaining([`a|${ADA}`, `a|${SHA}`]));
  });

  test('an Agent object is direct', () => {
    const refs = statementRefs(withValue(baseStatement(), 'object', { objectType: 'Agent', ...ACCOUNT_AGENT }));
    expect(refs).toEqual(expect.arrayContaining([`A|${ADA}`, `A|${ACC}`, `a|${ACC}`]));
    expect(refs.some((r) => r.startsWith('O|') || r.startsWith('o|'))).toBe(false);
  });

  test('a SubStatement contributes related keys only', () => {
    const sub = withValue(subStatement(), 'context.registration', UUID1);
    const refs = statementRefs(withValue(baseStatement(), 'object', sub));
    expect(refs).toEqual(expect.arrayContaining([`a|${SHA}`, `o|${ACT}`, 'o|http://example.com/sub/parent', `a|${ADA}`]));
    expect(refs).not.toContain(`A|${SHA}`);
    expect(refs).not.toContain(`O|${ACT}`);
    expect(refs).not.toContain('v|http://example.com/verbs/will-visit');
    expect(refs).not.toContain(`r|${UUID1}`);
  });

  test('a StatementRef object adds no activity key', () => {
    const refs = statementRefs(withValue(baseStatement(), 'object', { objectType: 'StatementRef', id: UUID1 }));
    expect(refs.some((r) => r.startsWith('o|') || r.startsWith('O|'))).toBe(false);
  });
});

describe('statementTargetId / voidedTargetId', () => {
  const ref: JsonObject = withValue(baseStatement(), 'object', { objectType: 'StatementRef', id: UUID1.toUpperCase() });
  test('StatementRef target', () => {
    expect(statementTargetId(ref)).toBe(UUID1);
    expect(statementTargetId(baseStatement())).toBeUndefined();
    expect(voidedTargetId(ref)).toBeUndefined();
  });
  test('voiding target', () => {
    const voiding = withValue(ref, 'verb', { id: 'http://adlnet.gov/expapi/verbs/voided' });
    expect(voidedTargetId(voiding)).toBe(UUID1);
    expect(statementTargetId(voiding)).toBe(UUID1);
    expect(voidedTargetId(withValue(voiding, 'verb.id', 'http://adlnet.gov/expapi/verbs/voided/'))).toBeUndefined();
    expect(voidedTargetId(withValue(baseStatement(), 'verb.id', 'http://adlnet.gov/expapi/verbs/voided'))).toBeUndefined();
  });
});
