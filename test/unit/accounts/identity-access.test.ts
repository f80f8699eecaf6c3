import { roleError } from '../../../src/accounts/access';
import { xapiActor, xapiIdentity } from '../../../src/accounts/identity';
import { parseEmail, parseNewPassword, parseRoles, slugify } from '../../../src/accounts/input';
import type { UserContext } from '../../../src/accounts/user-context';
import type { Role } from '../../../src/store/ports';

const config = { publicUrl: 'https://learn.example' };

describe('xapiIdentity', () => {
  it('is an account on the site home page named by the user id, with mbox only when shared and proven', () => {
    const user = { id: 'u-1', name: 'Ann', email: 'ann@example.org', shareEmail: false };
    const plain = { objectType: 'Agent', name: 'Ann', account: { homePage: 'https://learn.example', name: 'u-1' } };
    expect(xapiIdentity(user, config)).toEqual(plain);
    // Issue 11: an address nobody proved is not part of the identity, shared or not.
    expect(xapiIdentity({ ...user, shareEmail: true }, config)).toEqual(plain);
    expect(xapiIdentity({ ...user, emailVerifiedAt: '2030-01-01T00:00:00.000Z' }, config)).toEqual(plain);
    expect(xapiIdentity({ ...user, shareEmail: true, emailVerifiedAt: '2030-01-01T00:00:00.000Z' }, config)).toEqual({
      objectType: 'Agent', name: 'Ann', account: { homePage: 'https://learn.example', name: 'u-1' }, mbox: 'mailto:ann@example.org',
    });
    expect(xapiActor(user, config)).not.toHaveProperty('mbox');
  });
});

function ctx(roles: Record<string, Role[]>, isSiteAdmin = false): UserContext {
  return {
    userId: 'u', email: 'u@example.org', name: 'U', isSiteAdmin, sessionId: 's', csrfToken: 'c',
    roles: new Map(Object.entries(roles).map(([k, v]) => [k, new Set(v)])),
  };
}

describe('roleError', () => {
  it('passes the site admin and holders of the role', () => {
    expect(roleError(ctx({}, true), 'org', ['orgAdmin'])).toBeUndefined();
    expect(roleError(ctx({ org: ['analyst', 'orgAdmin'] }), 'org', ['orgAdmin'])).toBeUndefined();
    expect(roleError(ctx({ org: ['learner'] }), 'org', [])).toBeUndefined();
  });
  it('answers 403 to a member without the role and 404 to a non-member', () => {
    expect(roleError(ctx({ org: ['learner'] }), 'org', ['orgAdmin'])?.status).toBe(403);
    expect(roleError(ctx({ other: ['orgAdmin'] }), 'org', ['orgAdmin'])?.status).toBe(404);
    expect(roleError(ctx({ other: ['orgAdmin'] }), 'org', [])?.status).toBe(404);
  });
});

describe('input rules', () => {
  it('normalises emails and names the property of a bad one', () => {
    expect(parseEmail(' Ann@Example.ORG ')).toBe('ann@example.org');
    expect(() => parseEmail('ann@', 'invitee')).toThrow(/^invitee must be an email/);
  });
  it('checks password length', () => {
    expect(() => parseNewPassword('123456789')).toThrow(/at least 10/);
    expect(() => parseNewPassword('x'.repeat(201))).toThrow(/at most 200/);
    expect(parseNewPassword('1234567890')).toBe('1234567890');
  });
  it('dedupes roles and names the bad index', () => {
    expect(parseRoles(['learner', 'learner', 'author'])).toEqual(['learner', 'author']);
    expect(() => parseRoles(['learner', 'boss'])).toThrow(/^roles\[1\]/);
  });
  it('derives slugs', () => {
    expect(slugify('Riverside  Library — Main!')).toBe('riverside-library-main');
  });
});
