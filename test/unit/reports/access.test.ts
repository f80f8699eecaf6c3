import type { UserContext } from '../../../src/accounts/user-context';
import { MIN_GROUP, lensChoices, mayShowAggregate, mayShowPeopleOf, personScope, resolveLens } from '../../../src/reports/access';
import type { Organization, Role } from '../../../src/store/ports';

const org = (id: string, kind: Organization['kind']): Organization => ({ id, slug: id, name: id.toUpperCase(), kind, createdAt: '2030-01-01T00:00:00.000Z' });
const ORGS = [org('mem', 'member'), org('prov', 'provider'), org('both', 'both'), org('other', 'member')];
const user = (roles: [string, Role[]][], isSiteAdmin = false): UserContext => ({
  userId: 'u', email: 'u@example.org', name: 'U', isSiteAdmin, roles: new Map(roles.map(([o, r]) => [o, new Set(r)])), sessionId: 's', csrfToken: 'c',
});

describe('report access', () => {
  it("gives a member organization's analyst its people's learning, with their names", () => {
    const lens = resolveLens(user([['mem', ['analyst']]]), ORGS, {});
    expect(lens).toEqual({ view: 'people', orgId: 'mem', scope: { orgIds: ['mem'] }, personOrgIds: ['mem'], minGroup: 1 });
    expect(mayShowPeopleOf(lens, 'mem')).toBe(true);
    expect(mayShowPeopleOf(lens, 'other')).toBe(false);
    expect(mayShowAggregate(lens, 1)).toBe(true);
  });

  it("gives a provider's analyst its courses across organizations, names of its own people only, no group under 5", () => {
    const lens = resolveLens(user([['prov', ['analyst']]]), ORGS, { orgId: 'prov' });
    expect(lens).toMatchObject({ view: 'courses', scope: { providerOrgIds: ['prov'] }, personOrgIds: ['prov'], minGroup: MIN_GROUP });
    expect(mayShowPeopleOf(lens, 'other')).toBe(false);
    expect(personScope(lens, { courseIds: ['c'] })).toEqual({ courseIds: ['c'], orgIds: ['prov'] });
    expect(personScope(lens, { orgIds: ['other'] })).toEqual({ orgIds: [] });
    expect(mayShowAggregate(lens, 4)).toBe(false);
    expect(mayShowAggregate(lens, 5)).toBe(true);
    expect(mayShowAggregate(lens, 2, true)).toBe(true);
    expect(() => resolveLens(user([['prov', ['analyst']]]), ORGS, { orgId: 'prov', view: 'people' })).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('lets an organization of both kinds use either lens', () => {
    const u = user([['both', ['analyst']]]);
    expect(lensChoices(u, ORGS).map((c) => c.view)).toEqual(['people', 'courses']);
    expect(resolveLens(u, ORGS, { view: 'courses' }).scope).toEqual({ providerOrgIds: ['both'] });
    expect(resolveLens(u, ORGS, { orgId: 'both' }).view).toBe('people');
  });

  it('answers 404 for an organization the viewer has no role in (or none exists), 403 without the analyst role', () => {
    const u = user([['mem', ['analyst']], ['other', ['learner']]]);
    expect(() => resolveLens(u, ORGS, { orgId: 'prov' })).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => resolveLens(u, ORGS, { orgId: 'nowhere' })).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => resolveLens(u, ORGS, { orgId: 'other' })).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => resolveLens(user([['mem', ['learner', 'author']]]), ORGS, {})).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => resolveLens(u, ORGS, { view: 'site' })).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => resolveLens(u, ORGS, { view: 'x' })).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('gives the site administrator everything, and any organization', () => {
    const admin = user([], true);
    expect(resolveLens(admin, ORGS, {})).toEqual({ view: 'site', scope: {}, minGroup: 1 });
    expect(resolveLens(admin, ORGS, { orgId: 'prov' }).view).toBe('courses');
    expect(() => resolveLens(admin, ORGS, { orgId: 'nowhere' })).toThrow(expect.objectContaining({ status: 404 }));
    expect(lensChoices(admin, ORGS)).toHaveLength(1 + 5);
  });
});
