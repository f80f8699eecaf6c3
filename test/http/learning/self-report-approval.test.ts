/**
 * The self-report approval page (issue 18) as its users and its attackers: organization
 * administrators see their organization's pending reports, managers those of the people of their
 * units and the units below (not a sibling unit's), each with the note and the attached file, and
 * approve or reject (with a reason) by form. A learner (even the reporter), an author, an analyst,
 * another organization's administrator and a sibling unit's manager get 403/404 and change nothing;
 * a post without the CSRF token changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import request from 'supertest';
import { fileStoreOf } from '../../../src/catalog/self-report-files';
import type { SelfReport, User } from '../../../src/store/ports';
import { cachedSessions, createWorld, type World } from '../security/fixture';

jest.setTimeout(90_000);

describe('self-report approval page', () => {
  let w: World;
  let north: User; // manages North (and North children below it)
  let south: User; // manages South, North's sibling
  let childLearner: User; // in North children
  let southLearner: User; // in South
  const as = cachedSessions(() => w);
  const queue = async (u: User) => request(w.app).get('/self-reports/approvals').set('Cookie', (await as(u)).cookie);
  const decide = async (u: User, id: string, form: Record<string, string>, withCsrf = true) => {
    const s = await as(u);
    return request(w.app).post(`/self-reports/${encodeURIComponent(id)}/decision`).set('Cookie', s.cookie).type('form')
      .send({ ...(withCsrf ? { _csrf: s.csrf } : {}), ...form });
  };
  const pending = async (u: User, title: string, o: { note?: string; file?: boolean } = {}): Promise<SelfReport> => {
    const id = randomUUID();
    const at = new Date().toISOString();
    let attachment: SelfReport['attachment'];
    if (o.file) {
      const path = `self-reports/${id}/f/file`;
      const bytes = Buffer.from('%PDF-1.4\n%%EOF\n');
      await (await fileStoreOf(w.services)).put(path, Readable.from([bytes]), 'application/pdf');
      attachment = { path, fileName: `${title.toLowerCase().replace(/\W+/g, '-')}.pdf`, contentType: 'application/pdf', size: bytes.length, attachedAt: at };
    }
    const r: SelfReport = {
      id, userId: u.id, orgId: w.orgA.id, title, provider: 'State Library', kind: 'workshop', completedOn: '2026-10-01', hours: 2,
      note: o.note ?? '', state: 'pending', createdAt: at, ...(attachment ? { attachment } : {}),
    };
    await w.store.learning.insertSelfReport(r);
    return r;
  };
  const stateOf = async (id: string) => (await w.store.learning.findSelfReport(id))?.state;

  beforeAll(async () => {
    w = await createWorld();
    const at = new Date().toISOString();
    const org = w.orgA.id;
    const ids = { root: randomUUID(), north: randomUUID(), child: randomUUID(), south: randomUUID() };
    await w.store.careers.insertUnit({ id: ids.root, orgId: org, name: 'Library', createdAt: at });
    await w.store.careers.insertUnit({ id: ids.north, orgId: org, name: 'North', parentId: ids.root, createdAt: at });
    await w.store.careers.insertUnit({ id: ids.child, orgId: org, name: 'North children', parentId: ids.north, createdAt: at });
    await w.store.careers.insertUnit({ id: ids.south, orgId: org, name: 'South', parentId: ids.root, createdAt: at });
    north = await w.person([{ orgId: org, role: 'learner' }, { orgId: org, role: 'manager' }]);
    south = await w.person([{ orgId: org, role: 'learner' }, { orgId: org, role: 'manager' }]);
    childLearner = await w.person([{ orgId: org, role: 'learner' }]);
    southLearner = await w.person([{ orgId: org, role: 'learner' }]);
    const row = (unitId: string, userId: string, kind: 'member' | 'manager') => w.store.careers.insertUnitPerson({ orgId: org, unitId, userId, kind, createdAt: at });
    await row(ids.north, north.id, 'manager');
    await row(ids.south, south.id, 'manager');
    await row(ids.child, childLearner.id, 'member');
    await row(ids.south, southLearner.id, 'member');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('the administrator sees every pending report of the organization with note and file, and approves one', async () => {
    const a = await pending(childLearner, 'Library Law 2026', { note: 'Two days; certificate attached', file: true });
    const b = await pending(southLearner, 'Storytime skills');
    const page = await queue(w.people.orgAdminA);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Library Law 2026');
    expect(page.text).toContain('Two days; certificate attached');
    expect(page.text).toContain(`href="/api/self-reports/${a.id}/attachment"`);
    expect(page.text).toContain('Storytime skills');
    expect(page.text).toContain(`action="/self-reports/${b.id}/decision"`);
    // The file the queue links to downloads for the administrator.
    const file = await request(w.app).get(`/api/self-reports/${a.id}/attachment`).set('Cookie', (await as(w.people.orgAdminA)).cookie);
    expect(file.status).toBe(200);

    const res = await decide(w.people.orgAdminA, a.id, { decision: 'approve' });
    expect(res.status).toBe(303);
    expect(res.headers['location']).toBe('/self-reports/approvals?done=approved');
    expect(await stateOf(a.id)).toBe('approved');
    const after = await queue(w.people.orgAdminA);
    expect(after.text).not.toContain('Library Law 2026');
    expect(after.text).toContain('Storytime skills');
  });

  it('a manager sees and decides the reports of their units and below only; a rejection carries its reason to the person', async () => {
    const mine = await pending(childLearner, 'Conference on cataloguing', { note: 'No certificate given' });
    const sibling = await pending(southLearner, 'Outreach webinar');
    const page = await queue(north);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Conference on cataloguing');
    expect(page.text).not.toContain('Outreach webinar');
    // The API twin answers the same queue.
    const api = await request(w.app).get('/api/self-reports/approvals').set('Cookie', (await as(north)).cookie);
    expect(api.status).toBe(200);
    const ids = (api.body as { selfReports: SelfReport[] }).selfReports.map((r) => r.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(sibling.id);

    // North's manager cannot decide a South report by guessing its id.
    const denied = await decide(north, sibling.id, { decision: 'approve' });
    expect(denied.status).toBe(403);
    expect(await stateOf(sibling.id)).toBe('pending');

    const res = await decide(north, mine.id, { decision: 'reject', reason: 'Please attach the programme' });
    expect(res.status).toBe(303);
    const stored = await w.store.learning.findSelfReport(mine.id);
    expect(stored?.state).toBe('rejected');
    expect(stored?.decisionReason).toBe('Please attach the programme');
    const own = await request(w.app).get('/self-reports').set('Cookie', (await as(childLearner)).cookie);
    expect(own.text).toContain('Please attach the programme');
  });

  it('turns away everyone else and changes nothing', async () => {
    const r = await pending(childLearner, 'Digital literacy course', { note: 'online' });
    for (const u of [w.people.learnerA, w.people.authorA, w.people.analystA, childLearner]) {
      expect((await queue(u)).status).toBe(403);
      expect((await request(w.app).get('/api/self-reports/approvals').set('Cookie', (await as(u)).cookie)).status).toBe(403);
    }
    // Another organization's administrator and the sibling unit's manager: their queue lacks it.
    for (const u of [w.people.orgAdminB, south]) {
      const page = await queue(u);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('Digital literacy course');
    }
    const attempts: [User, number][] = [
      [childLearner, 403], [w.people.learnerA, 403], [w.people.authorA, 403], [w.people.analystA, 403], [w.people.orgAdminB, 404], [south, 403],
    ];
    for (const [u, status] of attempts) {
      for (const decision of ['approve', 'reject']) {
        const res = await decide(u, r.id, { decision, reason: 'x' });
        expect([u.id, decision, res.status]).toEqual([u.id, decision, status]);
      }
    }
    // The administrator without the form's CSRF token: refused too.
    expect((await decide(w.people.orgAdminA, r.id, { decision: 'approve' }, false)).status).toBe(403);
    // An unknown report is unknown.
    expect((await decide(w.people.orgAdminA, randomUUID(), { decision: 'approve' })).status).toBe(404);
    expect(await w.store.learning.findSelfReport(r.id)).toEqual(r);
    // Decided once: a second decision is a conflict and keeps the first.
    expect((await decide(w.people.orgAdminA, r.id, { decision: 'approve' })).status).toBe(303);
    expect((await decide(w.people.orgAdminA, r.id, { decision: 'reject', reason: 'changed my mind' })).status).toBe(409);
    expect(await stateOf(r.id)).toBe('approved');
  });
});
