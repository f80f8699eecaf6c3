/**
 * ADR 0019 over HTTP: an author of A publishes a webinar, people register (capacity holds),
 * the organizer records attendance from a CSV with a row-level report, self-reported learning is
 * approved by A's administrator; each step writes its xAPI statement, My learning and the
 * transcript count them; B's people never see or touch A's private webinar.
 */
import request from 'supertest';
import type { CatalogEntry, User } from '../../../src/store/ports';
import { SELF_REPORTED_EXT } from '../../../src/catalog/opportunities';
import { cachedSessions, createWorld, queryIds, type World } from '../security/fixture';

jest.setTimeout(60_000);

describe('opportunities beyond packages', () => {
  let w: World;
  const as = cachedSessions(() => w);
  const get = async (u: User, path: string) => request(w.app).get(path).set('Cookie', (await as(u)).cookie);
  const post = async (u: User, path: string, body?: unknown, type?: string) => {
    const s = await as(u);
    const r = request(w.app).post(path).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);
    if (type) return r.set('Content-Type', type).send(body as string);
    return body === undefined ? r : r.send(body as object);
  };
  const statementsWith = async (verb: string): Promise<Record<string, unknown>[]> => {
    const res = await request(w.app).get('/xapi/statements').query({ verb }).set('Authorization', w.creds.orgA).set('X-Experience-API-Version', '1.0.3');
    return (res.body as { statements: Record<string, unknown>[] }).statements;
  };

  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('registration, capacity, CSV attendance with a row report, statements, My learning and the transcript', async () => {
    const learner2 = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    const learner3 = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    expect((await post(w.people.learnerA, `/api/orgs/${w.orgA.id}/opportunities`, { kind: 'webinar', title: 'x' })).status).toBe(403);
    expect((await post(w.people.orgAdminB, `/api/orgs/${w.orgA.id}/opportunities`, { kind: 'webinar', title: 'x' })).status).toBe(404);
    expect((await post(w.people.authorA, `/api/orgs/${w.orgA.id}/opportunities`, { kind: 'podcast', title: 'x' })).status).toBe(400);
    const created = await post(w.people.authorA, `/api/orgs/${w.orgA.id}/opportunities`, {
      kind: 'webinar', title: 'Weeding the collection', startsAt: '2099-03-01T15:00:00Z', endsAt: '2099-03-01T16:00:00Z',
      joinUrl: 'https://meet.example.org/weeding', capacity: 2, ceCredits: 1, durationMinutes: 60,
    });
    expect(created.status).toBe(201);
    const e = (created.body as { entry: CatalogEntry }).entry;
    expect(e).toMatchObject({ kind: 'webinar', visibility: 'org', capacity: 2, format: 'online' });

    // Private to A: B sees nothing and cannot register.
    expect((await get(w.people.learnerB, '/api/catalog?q=weeding')).body).toMatchObject({ total: 0 });
    expect((await post(w.people.learnerB, `/api/opportunities/${e.id}/registration`)).status).toBe(404);
    expect((await get(w.people.learnerB, `/opportunities/${e.id}`)).status).toBe(404);
    expect((await get(w.people.learnerA, '/api/catalog?q=weeding&upcoming=1')).body).toMatchObject({ total: 1 });

    expect((await post(w.people.learnerA, `/api/opportunities/${e.id}/registration`)).status).toBe(201);
    expect((await post(learner2, `/api/opportunities/${e.id}/registration`)).status).toBe(201);
    expect((await post(learner3, `/api/opportunities/${e.id}/registration`)).status).toBe(409);
    expect((await statementsWith('http://adlnet.gov/expapi/verbs/registered')).length).toBe(2);
    const before = (await get(learner2, '/api/my-learning')).body as { registered: { title: string }[] };
    expect(before.registered.map((r) => r.title)).toEqual(['Weeding the collection']);

    // Attendance: organizers only; a CSV with one unknown row.
    expect((await get(w.people.learnerA, `/api/opportunities/${e.id}/roster`)).status).toBe(403);
    expect((await get(w.people.authorA, `/api/opportunities/${e.id}/roster`)).body).toMatchObject({ roster: [{ state: 'registered' }, { state: 'registered' }] });
    const csv = `email,attended\n${learner2.email},yes\n${w.people.learnerA.email},no\nnobody@example.org,yes\n`;
    expect((await post(w.people.learnerA, `/api/opportunities/${e.id}/attendance`, csv, 'text/csv')).status).toBe(403);
    const att = await post(w.people.authorA, `/api/opportunities/${e.id}/attendance`, csv, 'text/csv');
    expect(att.status).toBe(200);
    expect((att.body as { report: unknown[] }).report).toEqual([
      { row: 1, who: learner2.email, outcome: 'attended' },
      { row: 2, who: w.people.learnerA.email, outcome: 'absent' },
      { row: 3, who: 'nobody@example.org', outcome: 'error', message: 'not registered for this opportunity' },
    ]);
    const attended = await statementsWith('http://adlnet.gov/expapi/verbs/attended');
    expect(attended.map((s) => (s['actor'] as { account: { name: string } }).account.name)).toEqual([learner2.id]);
    const d = (await get(learner2, '/api/my-learning')).body as { registered: unknown[]; completed: { title: string; ceCredits: number }[] };
    expect(d.registered).toEqual([]);
    expect(d.completed).toEqual([expect.objectContaining({ title: 'Weeding the collection', ceCredits: 1 })]);
    const tr = (await get(learner2, '/api/transcript')).body as { rows: { verifyUrl: string }[] };
    expect((await request(w.app).get(new URL(tr.rows[0]!.verifyUrl).pathname)).status).toBe(200);
    // The same CSV again writes no second attended statement.
    await post(w.people.authorA, `/api/opportunities/${e.id}/attendance`, csv, 'text/csv');
    expect((await statementsWith('http://adlnet.gov/expapi/verbs/attended')).length).toBe(1);
  });

  it('the page: register with the button, the organizer ticks who attended', async () => {
    const created = await post(w.people.orgAdminA, `/api/orgs/${w.orgA.id}/opportunities`, { kind: 'workshop', title: 'Storytime skills', location: 'Main branch, room 2', startsAt: '2099-05-01T09:00:00Z' });
    const e = (created.body as { entry: CatalogEntry }).entry;
    const person = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    const page = await get(person, `/opportunities/${e.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Main branch, room 2');
    expect(page.text).not.toContain('Who attended');
    const s = await as(person);
    const reg = await request(w.app).post(`/opportunities/${e.id}/register`).set('Cookie', s.cookie).type('form').send({ _csrf: s.csrf });
    expect(reg.status).toBe(303);
    expect((await get(person, `/opportunities/${e.id}`)).text).toContain('You are registered.');
    const org = await get(w.people.authorA, `/opportunities/${e.id}`);
    expect(org.text).toContain('Who attended');
    const a = await as(w.people.authorA);
    const saved = await request(w.app).post(`/opportunities/${e.id}/attendance`).set('Cookie', a.cookie).type('form').send({ _csrf: a.csrf, attended: person.id });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('1 attended, 0 absent');
    expect((await w.store.learning.findOpportunityRegistrations({ entryId: e.id, userId: person.id }))[0]?.state).toBe('attended');
    // A learner posting the checklist changes nothing.
    const l = await as(w.people.learnerA);
    expect((await request(w.app).post(`/opportunities/${e.id}/attendance`).set('Cookie', l.cookie).type('form').send({ _csrf: l.csrf })).status).toBe(403);
    expect((await w.store.learning.findOpportunityRegistrations({ entryId: e.id, userId: person.id }))[0]?.state).toBe('attended');
  });

  it('self-reported learning waits for approval by the organization administrator, then counts and is marked in its statement', async () => {
    const person = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    expect((await post(person, '/api/me/self-reports', { orgId: w.orgB.id, title: 'State conference', provider: 'State Library', completedOn: '2026-04-02', hours: 6, ceCredits: 3 })).status).toBe(400);
    const sent = await post(person, '/api/me/self-reports', { orgId: w.orgA.id, title: 'State conference', provider: 'State Library', completedOn: '2026-04-02', hours: 6, ceCredits: 3, note: 'Attended two days' });
    expect(sent.status).toBe(201);
    const id = (sent.body as { selfReport: { id: string } }).selfReport.id;
    expect(((await get(person, '/api/my-learning')).body as { pendingReports: unknown[] }).pendingReports).toHaveLength(1);
    expect((await get(w.people.orgAdminB, `/api/orgs/${w.orgA.id}/self-reports`)).status).toBe(404);
    expect((await get(w.people.orgAdminA, `/api/orgs/${w.orgA.id}/self-reports`)).body).toMatchObject({ selfReports: [{ id, state: 'pending' }] });
    expect((await post(w.people.orgAdminB, `/api/self-reports/${id}/decision`, { approve: true })).status).toBe(404);
    expect((await post(w.people.learnerA, `/api/self-reports/${id}/decision`, { approve: true })).status).toBe(403);
    expect((await post(person, `/api/self-reports/${id}/decision`, { approve: true })).status).toBe(403);
    expect((await post(w.people.orgAdminA, `/api/self-reports/${id}/decision`, { approve: true })).status).toBe(200);
    expect((await post(w.people.orgAdminA, `/api/self-reports/${id}/decision`, { approve: false })).status).toBe(409);
    const completed = (await statementsWith('http://adlnet.gov/expapi/verbs/completed')).filter((s) => (s['actor'] as { account: { name: string } }).account.name === person.id);
    expect(completed).toHaveLength(1);
    expect(((completed[0]!['context'] as { extensions: Record<string, unknown> }).extensions[SELF_REPORTED_EXT])).toMatchObject({ provider: 'State Library', ceCredits: 3 });
    const d = (await get(person, '/api/my-learning')).body as { completed: { title: string }[]; pendingReports: unknown[] };
    expect(d.completed.map((c) => c.title)).toEqual(['State conference']);
    expect(d.pendingReports).toEqual([]);
    // B's credential reads nothing of it.
    expect((await queryIds(w.app, w.creds.orgB, { verb: 'http://adlnet.gov/expapi/verbs/completed' })).ids).not.toContain(completed[0]!['id']);
  });
});
