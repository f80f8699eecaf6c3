/**
 * The organizers' opportunity pages (issue 18) over HTTP, as every role and as another
 * organization: the list of an organization's opportunities and its API twin, the form that
 * publishes one, and the CSV attendance upload of the opportunity page.
 */
import request from 'supertest';
import type { CatalogEntry, User } from '../../../src/store/ports';
import { cachedSessions, createWorld, type World } from '../security/fixture';

jest.setTimeout(60_000);

describe('the organizers\' opportunity pages', () => {
  let w: World;
  const as = cachedSessions(() => w);
  const get = async (u: User, path: string) => request(w.app).get(path).set('Cookie', (await as(u)).cookie);
  const form = async (u: User, path: string, fields: Record<string, string>, csrf = true) => {
    const s = await as(u);
    return request(w.app).post(path).set('Cookie', s.cookie).type('form').send({ ...(csrf ? { _csrf: s.csrf } : {}), ...fields });
  };
  const ours = async (): Promise<CatalogEntry[]> => w.store.catalog.findOrgCatalogEntries({ orgId: w.orgA.id });
  const valid = { kind: 'webinar', title: 'Weeding the collection', description: 'CREW method', startsAt: '2099-03-01T15:00', endsAt: '2099-03-01T16:00', joinUrl: 'https://meet.example.org/crew', capacity: '25', ceCredits: '1', durationMinutes: '60', visibility: 'all' };

  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('refuses everyone but the organizers: learners and analysts 403, another organization 404, no CSRF 403; nothing is created', async () => {
    const A = `/orgs/${w.orgA.id}`;
    for (const u of [w.people.learnerA, w.people.analystA]) {
      expect((await get(u, `${A}/opportunities`)).status).toBe(403);
      expect((await get(u, `/api${A}/opportunities`)).status).toBe(403);
      expect((await get(u, `${A}/opportunities/new`)).status).toBe(403);
      expect((await form(u, `${A}/opportunities`, valid)).status).toBe(403);
    }
    for (const u of [w.people.orgAdminB, w.people.learnerB]) {
      // The same answer as for an organization that does not exist.
      expect((await get(u, `${A}/opportunities`)).status).toBe(404);
      expect((await get(u, `/api${A}/opportunities`)).status).toBe(404);
      expect((await get(u, `${A}/opportunities/new`)).status).toBe(404);
      expect((await form(u, `${A}/opportunities`, valid)).status).toBe(404);
    }
    expect((await get(w.people.orgAdminA, '/orgs/no-such-org/opportunities')).status).toBe(404);
    expect((await form(w.people.authorA, `${A}/opportunities`, valid, false)).status).toBe(403);
    expect(await ours()).toEqual([]);
  });

  it('an author publishes from the form (dates in UTC, visibility, seats, credits), finds it in the list and its API twin', async () => {
    const A = `/orgs/${w.orgA.id}`;
    const page = await get(w.people.authorA, `${A}/opportunities/new`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="_csrf"');
    expect(page.text).not.toMatch(/<script(?![^>]*src=)/);
    const res = await form(w.people.authorA, `${A}/opportunities`, valid);
    expect(res.status).toBe(303);
    const [e] = await ours();
    expect(res.headers['location']).toBe(`/opportunities/${e!.id}`);
    expect(e).toMatchObject({
      kind: 'webinar', title: 'Weeding the collection', startsAt: '2099-03-01T15:00:00.000Z', endsAt: '2099-03-01T16:00:00.000Z',
      joinUrl: 'https://meet.example.org/crew', capacity: 25, ceCredits: 1, durationMinutes: 60, visibility: 'all', state: 'published', orgId: w.orgA.id,
    });
    // Wrong input: the form again with the message and what was typed; nothing published.
    const bad = await form(w.people.orgAdminA, `${A}/opportunities`, { ...valid, title: 'Backwards', endsAt: '2099-02-01T10:00' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('endsAt: before startsAt');
    expect(bad.text).toContain('value="Backwards"');
    expect((await ours()).length).toBe(1);

    const list = await get(w.people.orgAdminA, `${A}/opportunities`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(`href="/opportunities/${e!.id}"`);
    const api = await get(w.people.authorA, `/api${A}/opportunities`);
    expect(api.status).toBe(200);
    expect(api.body.opportunities).toEqual([{ entry: e, registered: 0, attended: 0, absent: 0 }]);
    // The opportunity page leads organizers back to the list, and assigners to their own organization's assignments.
    expect((await get(w.people.authorA, `/opportunities/${e!.id}`)).text).toContain(`href="${A}/opportunities"`);
    expect((await get(w.people.orgAdminA, `/opportunities/${e!.id}`)).text).toContain(`href="${A}/assignments?entry=${e!.id}"`);
    const seenFromB = (await get(w.people.orgAdminB, `/opportunities/${e!.id}`)).text;
    expect(seenFromB).toContain(`href="/orgs/${w.orgB.id}/assignments?entry=${e!.id}"`);
    expect(seenFromB).not.toContain(`${A}/assignments`);
    expect(seenFromB).not.toContain(`${A}/opportunities`);
    expect((await get(w.people.learnerA, `/opportunities/${e!.id}`)).text).not.toContain('/assignments?entry=');
  });

  it('publishes to selected organizations: they see it, others do not; none ticked or an unknown one is refused with nothing stored', async () => {
    const A = `/orgs/${w.orgA.id}`;
    const before = (await ours()).length;
    const none = await form(w.people.authorA, `${A}/opportunities`, { ...valid, title: 'Shared workshop', visibility: 'orgs' });
    expect(none.status).toBe(400);
    expect(none.text).toContain('name at least one organization');
    expect((await form(w.people.authorA, `${A}/opportunities`, { ...valid, title: 'Shared workshop', visibility: 'orgs', visibleOrgIds: 'org-nowhere' })).status).toBe(400);
    expect((await ours()).length).toBe(before);
    const page = await get(w.people.authorA, `${A}/opportunities/new`);
    expect(page.text).toContain(`value="${w.orgB.id}"`);
    expect(page.text).not.toContain(`name="visibleOrgIds" value="${w.orgA.id}"`);
    const res = await form(w.people.authorA, `${A}/opportunities`, { ...valid, title: 'Shared workshop', visibility: 'orgs', visibleOrgIds: w.orgB.id });
    expect(res.status).toBe(303);
    const id = String(res.headers['location']).split('/').pop()!;
    expect(await w.store.catalog.findCatalogEntry(id)).toMatchObject({ visibility: 'orgs', visibleOrgIds: [w.orgB.id], title: 'Shared workshop' });
    expect((await get(w.people.learnerB, `/api/catalog/entries/${id}`)).status).toBe(200);
    const outsider = await w.person([]);
    expect((await get(outsider, `/api/catalog/entries/${id}`)).status).toBe(404);
  });

  it('records attendance from a pasted CSV with a row-level report; others cannot', async () => {
    const e = (await ours()).find((x) => x.title === 'Weeding the collection');
    const s = await as(w.people.learnerB);
    expect((await request(w.app).post(`/api/opportunities/${e!.id}/registration`).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf)).status).toBe(201);
    const csv = `email,attended\n${w.people.learnerB.email},yes\nnobody@example.org,yes\n`;
    for (const u of [w.people.learnerA, w.people.analystA, w.people.orgAdminB, w.people.learnerB]) {
      expect((await form(u, `/opportunities/${e!.id}/attendance-csv`, { csv })).status).toBe(403);
    }
    expect((await form(w.people.authorA, `/opportunities/${e!.id}/attendance-csv`, { csv }, false)).status).toBe(403);
    expect((await w.store.learning.findOpportunityRegistrations({ entryId: e!.id }))[0]!.state).toBe('registered');
    const res = await form(w.people.authorA, `/opportunities/${e!.id}/attendance-csv`, { csv });
    expect(res.status).toBe(200);
    expect(res.text).toContain('1 attended, 0 absent, 1 not recorded');
    expect(res.text).toContain('nobody@example.org');
    expect((await w.store.learning.findOpportunityRegistrations({ entryId: e!.id }))[0]!.state).toBe('attended');
    const api = await get(w.people.authorA, `/api/orgs/${w.orgA.id}/opportunities`);
    expect(api.body.opportunities.find((o: { entry: { id: string } }) => o.entry.id === e!.id)).toMatchObject({ registered: 0, attended: 1 });
  });
});
