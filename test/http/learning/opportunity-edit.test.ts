/**
 * Editing and withdrawing an opportunity (issue 18) over HTTP, as every role and as another
 * organization: only the organizers of the publishing organization change it; withdrawing keeps
 * the registrations (cancelled), mails the people registered through a real SMTP server, and takes
 * it out of the catalog.
 */
import request from 'supertest';
import type { UserContext } from '../../../src/accounts/user-context';
import { withdrawOpportunity } from '../../../src/catalog/opportunity-edit';
import type { CatalogEntry, Role, User } from '../../../src/store/ports';
import { startTestSmtp, type TestSmtp } from '../../helpers/smtp';
import { cachedSessions, createWorld, type World } from '../security/fixture';

jest.setTimeout(60_000);

describe('editing and withdrawing opportunities', () => {
  let w: World;
  let smtp: TestSmtp;
  const as = cachedSessions(() => w);
  const get = async (u: User, path: string) => request(w.app).get(path).set('Cookie', (await as(u)).cookie);
  const send = async (u: User, method: 'post' | 'put', path: string, body?: unknown) => {
    const s = await as(u);
    const r = request(w.app)[method](path).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);
    return body === undefined ? r : r.send(body as object);
  };
  const form = async (u: User, path: string, fields: Record<string, string>) => {
    const s = await as(u);
    return request(w.app).post(path).set('Cookie', s.cookie).type('form').send({ _csrf: s.csrf, ...fields });
  };
  const publish = async (title: string): Promise<CatalogEntry> => {
    const r = await send(w.people.authorA, 'post', `/api/orgs/${w.orgA.id}/opportunities`, {
      kind: 'workshop', title, visibility: 'all', startsAt: '2099-05-01T09:00:00Z', endsAt: '2099-05-01T12:00:00Z',
      location: 'Main library, room 2', capacity: 10, ceCredits: 3,
    });
    expect(r.status).toBe(201);
    return (r.body as { entry: CatalogEntry }).entry;
  };

  beforeAll(async () => {
    smtp = await startTestSmtp();
    w = await createWorld({ smtpUrl: smtp.url });
  });
  afterAll(async () => {
    await w?.close();
    await smtp?.close();
  });

  it('attackers change nothing: learners, analysts, another organization (403 when they see it, 404 when not)', async () => {
    const e = await publish('Book repair basics');
    const change = { startsAt: '2099-06-01T09:00:00Z', capacity: 1, location: 'elsewhere' };
    for (const u of [w.people.learnerA, w.people.analystA, w.people.orgAdminB, w.people.learnerB]) {
      expect((await send(u, 'put', `/api/opportunities/${e.id}`, change)).status).toBe(403);
      expect((await send(u, 'post', `/api/opportunities/${e.id}/withdrawal`, {})).status).toBe(403);
      expect((await get(u, `/opportunities/${e.id}/edit`)).status).toBe(403);
      expect((await form(u, `/opportunities/${e.id}/edit`, { title: 'Hacked' })).status).toBe(403);
      expect((await form(u, `/opportunities/${e.id}/withdraw`, {})).status).toBe(403);
    }
    // Private to A: B does not even learn that it exists.
    expect((await send(w.people.authorA, 'put', `/api/catalog/entries/${e.id}/visibility`, { visibility: 'org' })).status).toBe(200);
    for (const u of [w.people.orgAdminB, w.people.learnerB]) {
      expect((await send(u, 'put', `/api/opportunities/${e.id}`, change)).status).toBe(404);
      expect((await send(u, 'post', `/api/opportunities/${e.id}/withdrawal`, {})).status).toBe(404);
      expect((await get(u, `/opportunities/${e.id}/edit`)).status).toBe(404);
    }
    // Without a CSRF token nothing happens either.
    const s = await as(w.people.orgAdminA);
    expect((await request(w.app).put(`/api/opportunities/${e.id}`).set('Cookie', s.cookie).send(change)).status).toBe(403);
    const after = await w.store.catalog.findCatalogEntry(e.id);
    expect(after).toEqual({ ...e, visibility: 'org', updatedAt: after!.updatedAt });
    expect(after!.state).toBe('published');
  });

  it('organizers change dates, place, join link, seats and credits (API and form), with checks', async () => {
    const e = await publish('Grant writing');
    const put = await send(w.people.orgAdminA, 'put', `/api/opportunities/${e.id}`, {
      startsAt: '2099-07-01T13:00:00Z', endsAt: '2099-07-01T15:30:00Z', location: null, joinUrl: 'https://meet.example.org/grants', capacity: 2, ceCredits: 2.5,
    });
    expect(put.status).toBe(200);
    const got = (await get(w.people.learnerB, `/api/catalog/entries/${e.id}`)).body as { entry: CatalogEntry };
    expect(got.entry).toMatchObject({ startsAt: '2099-07-01T13:00:00.000Z', endsAt: '2099-07-01T15:30:00.000Z', joinUrl: 'https://meet.example.org/grants', capacity: 2, ceCredits: 2.5, title: 'Grant writing' });
    expect(got.entry.location).toBeUndefined();

    expect((await send(w.people.authorA, 'put', `/api/opportunities/${e.id}`, { endsAt: '2099-06-30T00:00:00Z' })).status).toBe(400);
    expect((await send(w.people.authorA, 'put', `/api/opportunities/${e.id}`, { joinUrl: 'javascript:alert(1)' })).status).toBe(400);
    expect((await send(w.people.authorA, 'put', `/api/opportunities/${e.id}`, { orgId: w.orgB.id })).status).toBe(400);
    // Seats below the people registered: refused.
    expect((await send(w.people.learnerA, 'post', `/api/opportunities/${e.id}/registration`)).status).toBe(201);
    expect((await send(w.people.learnerB, 'post', `/api/opportunities/${e.id}/registration`)).status).toBe(201);
    expect((await send(w.people.authorA, 'put', `/api/opportunities/${e.id}`, { capacity: 1 })).status).toBe(409);

    // The page form: the author sees it filled in, a bad value comes back with the message.
    const page = await get(w.people.authorA, `/opportunities/${e.id}/edit`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="2099-07-01T13:00"');
    const bad = await form(w.people.authorA, `/opportunities/${e.id}/edit`, { title: 'Grant writing', startsAt: '2099-07-02T10:00', endsAt: '2099-07-01T10:00' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('endsAt: before startsAt');
    const ok = await form(w.people.authorA, `/opportunities/${e.id}/edit`, { title: 'Grant writing 2', startsAt: '2099-07-02T10:00', endsAt: '2099-07-02T12:00', location: 'Branch library', capacity: '', ceCredits: '1' });
    expect(ok.status).toBe(303);
    const saved = await w.store.catalog.findCatalogEntry(e.id);
    expect(saved).toMatchObject({ title: 'Grant writing 2', startsAt: '2099-07-02T10:00:00.000Z', location: 'Branch library', ceCredits: 1 });
    expect(saved!.capacity).toBeUndefined();
    expect(saved!.joinUrl).toBeUndefined();
  });

  it('withdrawing cancels the registrations, mails the people registered and leaves the catalog', async () => {
    const e = await publish('Makerspace safety');
    const learner2 = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    const gone = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    for (const u of [w.people.learnerA, w.people.learnerB, learner2, gone]) {
      expect((await send(u, 'post', `/api/opportunities/${e.id}/registration`)).status).toBe(201);
    }
    // One cancelled before: no mail for them.
    expect((await request(w.app).delete(`/api/opportunities/${e.id}/registration`).set('Cookie', (await as(gone)).cookie).set('X-CSRF-Token', (await as(gone)).csrf)).status).toBe(204);
    const before = smtp.mails.length;

    const r = await send(w.people.authorA, 'post', `/api/opportunities/${e.id}/withdrawal`, { reason: 'The trainer is ill.' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ cancelled: 3, notified: 3, entry: { state: 'retired' } });
    const mails = smtp.mails.slice(before);
    expect(mails.map((m) => m.to[0]).sort()).toEqual([w.people.learnerA.email, w.people.learnerB.email, learner2.email].map((x) => x.toLowerCase()).sort());
    for (const m of mails) {
      expect(m.subject).toBe('Cancelled: Makerspace safety');
      expect(m.text).toContain('The trainer is ill.');
    }
    // Registrations are kept, marked cancelled.
    const regs = await w.store.learning.findOpportunityRegistrations({ entryId: e.id });
    expect(regs).toHaveLength(4);
    expect(regs.every((x) => x.state === 'cancelled')).toBe(true);
    // Out of the catalog for everyone; nobody can register again; it cannot be withdrawn or changed again.
    for (const u of [w.people.learnerA, w.people.learnerB]) {
      expect(JSON.stringify((await get(u, '/api/catalog?q=makerspace')).body)).not.toContain(e.id);
      expect((await get(u, '/catalog?q=makerspace')).text).not.toContain('Makerspace safety');
    }
    expect((await get(w.people.learnerB, `/api/catalog/entries/${e.id}`)).status).toBe(404);
    expect((await send(w.people.learnerB, 'post', `/api/opportunities/${e.id}/registration`)).status).toBe(404);
    expect((await send(w.people.learnerA, 'post', `/api/opportunities/${e.id}/registration`)).status).toBe(409);
    expect((await send(w.people.authorA, 'post', `/api/opportunities/${e.id}/withdrawal`, {})).status).toBe(409);
    expect((await send(w.people.authorA, 'put', `/api/opportunities/${e.id}`, { capacity: 20 })).status).toBe(409);
    const page = await get(w.people.learnerA, `/opportunities/${e.id}`);
    expect(page.text).toContain('This opportunity was withdrawn');
    expect(page.text).not.toContain('>Register</button>');
    expect(smtp.mails.length).toBe(before + 3);
  });

  it('two withdrawals at the same moment (a double click, two instances) mail each person once', async () => {
    const e = await publish('Podcasting 101');
    const people = [await w.person([{ orgId: w.orgA.id, role: 'learner' }]), await w.person([{ orgId: w.orgA.id, role: 'learner' }])];
    for (const u of people) expect((await send(u, 'post', `/api/opportunities/${e.id}/registration`)).status).toBe(201);
    const organizer = (u: User): UserContext => ({
      userId: u.id, email: u.email, name: u.name, isSiteAdmin: false, roles: new Map([[w.orgA.id, new Set<Role>(['author'])]]), sessionId: 'x', csrfToken: 'x',
    });
    const before = smtp.mails.length;
    const results = await Promise.allSettled([withdrawOpportunity(w.services, organizer(w.people.authorA), e.id), withdrawOpportunity(w.services, organizer(w.people.authorA), e.id)]);
    expect(results.some((x) => x.status === 'fulfilled')).toBe(true);
    const mails = smtp.mails.slice(before);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(people.map((u) => u.email.toLowerCase()).sort());
  });
});
