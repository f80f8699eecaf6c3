/**
 * Issue 18 over HTTP: catalog visibility (pages, API and search), search facets and paging,
 * My learning (in progress, assigned with overdue first, completed, credits and hours against
 * the organization's target), assignments and targets as every role and as another
 * organization, and where each role lands after sign-in.
 */
import { randomUUID } from 'node:crypto';
import { decodePDFRawStream, PDFDocument, PDFRawStream } from 'pdf-lib';
import request from 'supertest';
import type { CatalogEntry, Course, User } from '../../../src/store/ports';
import { courseFixture, createWorld, PASSWORD, type Session, type World } from '../security/fixture';

jest.setTimeout(60_000);

describe('learner site (issue 18)', () => {
  let w: World;
  const sessions = new Map<string, Session>();
  const as = async (u: User): Promise<Session> => {
    let s = sessions.get(u.id);
    if (!s) {
      s = await w.session(u);
      sessions.set(u.id, s);
    }
    return s;
  };
  const get = async (u: User, path: string) => {
    const s = await as(u);
    return request(w.app).get(path).set('Cookie', s.cookie);
  };
  const send = async (u: User, method: 'post' | 'put' | 'delete', path: string, body?: unknown) => {
    const s = await as(u);
    const r = request(w.app)[method](path).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);
    return body === undefined ? r : r.send(body as object);
  };
  const published = async (orgId: string, title: string, extra: Partial<Course> = {}): Promise<Course> => {
    const { course, version } = courseFixture(orgId, 'published');
    const c = { ...course, title, ...extra };
    await w.store.courses.insertCourse(c, version);
    return c;
  };

  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  describe('visibility', () => {
    it('a private course of A never appears for B: catalog page, API, search, entry, course page and launch', async () => {
      const word = `priv${randomUUID().slice(0, 6)}`;
      const c = await published(w.orgA.id, `Internal ${word} training`);
      // The author of A makes it private to A.
      const set = await send(w.people.authorA, 'put', `/api/catalog/entries/${c.id}/visibility`, { visibility: 'org' });
      expect(set.status).toBe(200);
      expect((set.body as { entry: CatalogEntry }).entry.visibility).toBe('org');

      for (const u of [w.people.learnerA, w.people.analystA]) {
        const api = await get(u, `/api/catalog?q=${word}`);
        expect((api.body as { items: CatalogEntry[] }).items.map((e) => e.id)).toEqual([c.id]);
        expect((await get(u, `/catalog?q=${word}`)).text).toContain(`Internal ${word} training`);
        expect((await get(u, `/courses/${c.id}`)).status).toBe(200);
      }
      for (const u of [w.people.learnerB, w.people.orgAdminB]) {
        const api = await get(u, `/api/catalog?q=${word}`);
        expect(api.status).toBe(200);
        expect((api.body as { total: number }).total).toBe(0);
        const all = await get(u, '/api/catalog?perPage=100');
        expect(JSON.stringify(all.body)).not.toContain(c.id);
        expect((await get(u, '/catalog')).text).not.toContain(word);
        expect((await get(u, `/catalog?q=${word}`)).text).not.toContain(`Internal ${word}`);
        expect((await get(u, `/api/catalog/entries/${c.id}`)).status).toBe(404);
        expect((await get(u, `/courses/${c.id}`)).status).toBe(404);
        expect((await get(u, `/api/courses/${c.id}/me`)).status).toBe(404);
        expect((await send(u, 'post', `/api/courses/${c.id}/launch`, { mode: 'normal' })).status).toBe(404);
        // B cannot change it back either (unknown to B), and nothing changed.
        expect((await send(u, 'put', `/api/catalog/entries/${c.id}/visibility`, { visibility: 'all' })).status).toBe(404);
      }
      expect((await w.store.catalog.findCatalogEntry(c.id))?.visibility).toBe('org');
      // The site administrator sees everything published.
      expect((await get(w.people.siteAdmin, `/api/catalog?q=${word}`)).body).toMatchObject({ total: 1 });
    });

    it('selected organizations see it, others do not; only authors or administrators of the publisher change it', async () => {
      const word = `shared${randomUUID().slice(0, 6)}`;
      const c = await published(w.orgA.id, `Shared ${word}`);
      const orgC = { id: `org-c-${randomUUID().slice(0, 6)}`, slug: `c-${randomUUID().slice(0, 6)}`, name: 'C', kind: 'member' as const, createdAt: new Date().toISOString() };
      await w.store.accounts.insertOrganization(orgC);
      const learnerC = await w.person([{ orgId: orgC.id, role: 'learner' }]);
      expect((await send(w.people.learnerA, 'put', `/api/catalog/entries/${c.id}/visibility`, { visibility: 'org' })).status).toBe(403);
      expect((await send(w.people.analystA, 'put', `/api/catalog/entries/${c.id}/visibility`, { visibility: 'org' })).status).toBe(403);
      expect((await send(w.people.authorA, 'put', `/api/catalog/entries/${c.id}/visibility`, { visibility: 'orgs' })).status).toBe(400);
      expect((await send(w.people.authorA, 'put', `/api/catalog/entries/${c.id}/visibility`, { visibility: 'orgs', visibleOrgIds: ['no-such-org'] })).status).toBe(400);
      expect((await send(w.people.orgAdminA, 'put', `/api/catalog/entries/${c.id}/visibility`, { visibility: 'orgs', visibleOrgIds: [w.orgB.id] })).status).toBe(200);
      expect((await get(w.people.learnerB, `/api/catalog?q=${word}`)).body).toMatchObject({ total: 1 });
      expect((await get(learnerC, `/api/catalog?q=${word}`)).body).toMatchObject({ total: 0 });
      expect((await get(learnerC, `/courses/${c.id}`)).status).toBe(404);
      expect((await get(w.people.learnerB, `/courses/${c.id}`)).status).toBe(200);
    });
  });

  describe('search', () => {
    it('filters by facets, counts each facet over the other filters, sorts and pages', async () => {
      const tag = `fx${randomUUID().slice(0, 6)}`;
      const at = new Date().toISOString();
      const mk = (i: number, o: Partial<CatalogEntry>): CatalogEntry => ({
        id: `${tag}-${i}`, kind: 'webinar', orgId: w.orgA.id, provider: 'Regional Library Service', title: `${tag} topic ${String(i).padStart(2, '0')}`,
        description: 'About reference work', keywords: [], competencies: [], language: 'en', state: 'published', visibility: 'all', visibleOrgIds: [],
        createdAt: at, updatedAt: at, ...o,
      });
      const entries = [
        ...Array.from({ length: 12 }, (_, i) => mk(i, { ceCredits: i % 2 === 0 ? 1 : 0, durationMinutes: 20 })),
        mk(20, { kind: 'workshop', provider: 'State Association', language: 'fr', competencies: ['Reference interview'], durationMinutes: 180, startsAt: '2099-01-01T10:00:00.000Z', ceCredits: 5 }),
        mk(21, { kind: 'workshop', provider: 'State Association', state: 'draft' }),
      ];
      for (const e of entries) await w.store.catalog.upsertCatalogEntry(e);
      type R = { total: number; pages: number; items: CatalogEntry[]; facets: Record<string, { value: string; count: number }[]> };
      const q = async (query: string): Promise<R> => {
        const res = await get(w.people.learnerB, `/api/catalog?q=${tag}&${query}`);
        expect(res.status).toBe(200);
        return res.body as R;
      };
      const all = await q('perPage=5');
      expect(all.total).toBe(13);
      expect(all.pages).toBe(3);
      expect(all.items).toHaveLength(5);
      expect(all.facets['provider']).toEqual([{ value: 'Regional Library Service', count: 12 }, { value: 'State Association', count: 1 }]);
      expect(all.facets['kind']).toEqual([{ value: 'webinar', count: 12 }, { value: 'workshop', count: 1 }]);
      const page3 = await q('perPage=5&page=3&sort=title');
      expect(page3.items.map((e) => e.id)).toEqual([`${tag}-10`, `${tag}-11`, `${tag}-20`]);
      const state = await q('provider=State%20Association');
      expect(state.items.map((e) => e.id)).toEqual([`${tag}-20`]);
      // The provider facet still counts the other provider (it is not narrowed by its own choice).
      expect(state.facets['provider']).toEqual([{ value: 'Regional Library Service', count: 12 }, { value: 'State Association', count: 1 }]);
      expect(state.facets['kind']).toEqual([{ value: 'workshop', count: 1 }]);
      expect((await q('credits=1')).total).toBe(7);
      expect((await q('duration=long')).items.map((e) => e.id)).toEqual([`${tag}-20`]);
      expect((await q('upcoming=1')).items.map((e) => e.id)).toEqual([`${tag}-20`]);
      expect((await q('competency=Reference%20interview&language=fr')).total).toBe(1);
      expect((await q('sort=credits&perPage=1')).items[0]?.id).toBe(`${tag}-20`);
      expect((await get(w.people.learnerB, '/api/catalog?sort=nonsense')).status).toBe(400);
      // The page shows the same, with labelled filters and the count.
      const page = await get(w.people.learnerB, `/catalog?q=${tag}&kind=workshop`);
      expect(page.text).toContain('1 result');
      expect(page.text).toContain('State Association');
      expect(page.text).toMatch(/<label for="f-provider">Provider<\/label>/);
    });
  });

  describe('My learning', () => {
    it('shows in progress with Resume, assigned with overdue first, completed, and credits and hours against the target', async () => {
      const learner = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
      const started = await published(w.orgA.id, 'Started course');
      const finished = await published(w.orgA.id, 'Finished course', { ceCredits: 2.5 });
      const later = await published(w.orgA.id, 'Assigned later');
      const overdueCourse = await published(w.orgA.id, 'Assigned overdue');
      const year = new Date().getUTCFullYear();
      const thisYear = `${year}-01-02T10:00:00.000Z`;
      const track = async (c: Course, completion?: 'completed' | 'incomplete', seconds = 0): Promise<void> => {
        const registration = randomUUID();
        await w.store.progress.insertProgressTrack({
          registration, courseId: c.id, versionId: c.currentVersionId ?? '', userId: learner.id, agentKey: `k|${learner.id}`, orgId: w.orgA.id,
          courseActivityIds: [], unitActivityIds: [], createdAt: thisYear,
        });
        await w.store.progress.applyProgress([{ registration, activityId: '', statements: 3, attempts: 1, timeMs: seconds * 1000, lastActivityAt: thisYear, ...(completion ? { completion } : {}), updatedAt: thisYear }]);
      };
      await track(started, 'incomplete', 1800);
      await track(finished, 'completed', 5400);
      // The organization's target, set by its administrator (not by a learner or B's administrator).
      expect((await send(learner, 'put', `/api/orgs/${w.orgA.id}/learning-target`, { ceCredits: 10, hours: 20 })).status).toBe(403);
      expect((await send(w.people.orgAdminB, 'put', `/api/orgs/${w.orgA.id}/learning-target`, { ceCredits: 10, hours: 20 })).status).toBe(404);
      expect((await send(w.people.orgAdminA, 'put', `/api/orgs/${w.orgA.id}/learning-target`, { ceCredits: 10, hours: 20 })).status).toBe(200);
      // Assignments: to the person (future) and to the role learner (overdue); B's administrator cannot assign in A.
      expect((await send(w.people.orgAdminA, 'post', `/api/orgs/${w.orgA.id}/assignments`, { entryId: later.id, target: { kind: 'person', userId: learner.id }, dueAt: '2099-06-01' })).status).toBe(201);
      expect((await send(w.people.orgAdminA, 'post', `/api/orgs/${w.orgA.id}/assignments`, { entryId: overdueCourse.id, target: { kind: 'role', role: 'learner' }, dueAt: '2020-01-01' })).status).toBe(201);
      expect((await send(w.people.orgAdminA, 'post', `/api/orgs/${w.orgA.id}/assignments`, { entryId: finished.id, target: { kind: 'person', userId: learner.id } })).status).toBe(201);
      expect((await send(w.people.orgAdminB, 'post', `/api/orgs/${w.orgA.id}/assignments`, { entryId: later.id, target: { kind: 'person', userId: learner.id } })).status).toBe(404);
      expect((await send(w.people.learnerA, 'post', `/api/orgs/${w.orgA.id}/assignments`, { entryId: later.id, target: { kind: 'person', userId: learner.id } })).status).toBe(403);
      expect((await send(w.people.orgAdminA, 'post', `/api/orgs/${w.orgA.id}/assignments`, { entryId: later.id, target: { kind: 'person', userId: w.people.learnerB.id } })).status).toBe(400);
      expect((await get(w.people.orgAdminB, `/api/orgs/${w.orgA.id}/assignments`)).status).toBe(404);

      const res = await get(learner, '/api/my-learning');
      expect(res.status).toBe(200);
      const d = res.body as { assigned: { title: string; overdue: boolean }[]; inProgress: { title: string }[]; completed: { title: string }[]; credits: { earned: number; target: number }; hours: { earned: number; target: number } };
      expect(d.assigned.map((a) => [a.title, a.overdue])).toEqual([['Assigned overdue', true], ['Assigned later', false]]);
      expect(d.inProgress.map((i) => i.title)).toEqual(['Started course']);
      expect(d.completed.map((i) => i.title)).toEqual(['Finished course']);
      expect(d.credits).toEqual({ earned: 2.5, target: 10 });
      expect(d.hours).toEqual({ earned: 2, target: 20 });
      const page = await get(learner, '/my-learning');
      expect(page.status).toBe(200);
      expect(page.text).toContain('Resume');
      expect(page.text.indexOf('Assigned overdue')).toBeLessThan(page.text.indexOf('Assigned later'));
      expect(page.text).toContain('Overdue');
      expect(page.text).toContain('2.5 of 10 credits');
      // Transcript: CSV and PDF (parsed back), a certificate with a public verification URL.
      const tr = await get(learner, '/api/transcript');
      const rows = (tr.body as { rows: { entryId: string; title: string; ceCredits: number; verifyUrl: string }[] }).rows;
      expect(rows.map((r) => [r.title, r.ceCredits])).toEqual([['Finished course', 2.5]]);
      const csv = await get(learner, '/transcript.csv');
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.text.trim().split('\n');
      expect(lines[0]).toBe('Title,Provider,Type,Completed,CE credits,Hours,Certificate verification URL');
      expect(lines[1]).toMatch(new RegExp(`^Finished course,A,course,${year}-01-02,2.5,1.5,http`));
      const pdfRes = await request(w.app).get('/transcript.pdf').set('Cookie', (await as(learner)).cookie).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      expect(pdfRes.headers['content-type']).toBe('application/pdf');
      const pdf = await PDFDocument.load(pdfRes.body as Buffer);
      expect(pdf.getPageCount()).toBe(1);
      expect(pdf.getTitle()).toBe(`Transcript of ${learner.name}`);
      // The page's text, read back from its decoded content streams (pdf-lib writes standard-font text as hex strings).
      let streams = '';
      for (const [, obj] of pdf.context.enumerateIndirectObjects()) {
        if (obj instanceof PDFRawStream) streams += Buffer.from(decodePDFRawStream(obj).decode()).toString('latin1');
      }
      const hex = (t: string): string => Buffer.from(t, 'latin1').toString('hex').toUpperCase();
      expect(streams).toContain(`<${hex('Finished course')}>`);
      expect(streams).toContain(`<${hex(`${year}-01-02`)}>`);
      const cert = await get(learner, `/transcript/certificates/${finished.id}.pdf`);
      expect(cert.status).toBe(200);
      expect((await get(learner, `/transcript/certificates/${started.id}.pdf`)).status).toBe(404);
      expect((await get(w.people.learnerB, `/transcript/certificates/${finished.id}.pdf`)).status).toBe(404);
      const verifyPath = new URL(rows[0]!.verifyUrl).pathname;
      const anon = await request(w.app).get(verifyPath);
      expect(anon.status).toBe(200);
      expect(anon.text).toContain('Certificate confirmed');
      expect(anon.text).toContain('Finished course');
      expect((await request(w.app).get(`/api${verifyPath}`)).body).toMatchObject({ verified: true, title: 'Finished course', name: learner.name });
      // A forged token (another title, same signature) is not confirmed.
      const [payload, mac] = verifyPath.split('/').pop()!.split('.');
      const forged = Buffer.from(Buffer.from(payload!, 'base64url').toString('utf8').replace('Finished course', 'Other course')).toString('base64url');
      expect((await request(w.app).get(`/certificates/${forged}.${mac}`)).status).toBe(404);
      expect((await request(w.app).get(`/api/certificates/${forged}.${mac}`)).status).toBe(404);

      // Another person of A sees the role assignment but none of this person's progress.
      const other = await get(w.people.learnerA, '/api/my-learning');
      expect(JSON.stringify(other.body)).not.toContain('Started course');
      expect(JSON.stringify((await get(w.people.learnerB, '/api/my-learning')).body)).not.toContain('Assigned overdue');
    });
  });

  describe('reminders', () => {
    it('mails a due-soon and an overdue reminder once each, with an unsubscribe link that works', async () => {
      const person = await w.person([{ orgId: w.orgA.id, role: 'author' }]);
      const c = await published(w.orgA.id, 'Reminder course');
      const soon = new Date(Date.now() + 2 * 86_400_000).toISOString();
      expect((await send(w.people.orgAdminA, 'post', `/api/orgs/${w.orgA.id}/assignments`, { entryId: c.id, target: { kind: 'person', userId: person.id }, dueAt: soon })).status).toBe(201);
      expect((await send(w.people.learnerA, 'post', `/api/orgs/${w.orgA.id}/assignments/reminders`)).status).toBe(403);
      expect((await send(w.people.orgAdminB, 'post', `/api/orgs/${w.orgA.id}/assignments/reminders`)).status).toBe(404);
      const first = await send(w.people.orgAdminA, 'post', `/api/orgs/${w.orgA.id}/assignments/reminders`);
      expect(first.status).toBe(200);
      const mine = async () => (await w.store.outbox.findOutboxMails({ limit: 500 })).filter((m) => m.to === person.email);
      expect((await mine()).map((m) => m.subject)).toEqual([`Due ${soon.slice(0, 10)}: Reminder course`]);
      await send(w.people.orgAdminA, 'post', `/api/orgs/${w.orgA.id}/assignments/reminders`);
      expect(await mine()).toHaveLength(1);
      w.advance(3 * 86_400_000);
      sessions.clear(); // sessions of three days ago have expired
      await send(w.people.orgAdminA, 'post', `/api/orgs/${w.orgA.id}/assignments/reminders`);
      const mails = await mine();
      expect(mails.map((m) => m.subject).sort()).toEqual([`Due ${soon.slice(0, 10)}: Reminder course`, 'Overdue: Reminder course']);
      const link = /\/reminders\/unsubscribe\/\S+/.exec(mails[0]!.text)?.[0] ?? '';
      expect((await request(w.app).get(`${link}x`)).status).toBe(404);
      expect((await request(w.app).get(link)).status).toBe(200);
      const c2 = await published(w.orgA.id, 'After unsubscribe');
      await send(w.people.orgAdminA, 'post', `/api/orgs/${w.orgA.id}/assignments`, { entryId: c2.id, target: { kind: 'person', userId: person.id }, dueAt: '2020-01-01' });
      await send(w.people.orgAdminA, 'post', `/api/orgs/${w.orgA.id}/assignments/reminders`);
      expect(await mine()).toHaveLength(2);
      w.advance(-3 * 86_400_000);
      sessions.clear();
    });
  });

  describe('error pages', () => {
    it('browsers get 404 and 403 as pages in the layout; APIs keep JSON', async () => {
      const html404 = await request(w.app).get('/no-such-page').set('Accept', 'text/html');
      expect(html404.status).toBe(404);
      expect(html404.headers['content-type']).toMatch(/^text\/html/);
      expect(html404.text).toContain('<h1>Page not found</h1>');
      const other = await get(w.people.orgAdminB, `/admin/orgs/${w.orgA.id}`);
      expect(other.status).toBe(404);
      const forbiddenPage = await request(w.app).get('/admin/audit').set('Cookie', (await as(w.people.learnerA)).cookie).set('Accept', 'text/html');
      expect(forbiddenPage.status).toBe(403);
      expect(forbiddenPage.headers['content-type']).toMatch(/^text\/html/);
      expect(forbiddenPage.text).toContain('<header class="site">');
      const api = await request(w.app).get('/api/no-such').set('Accept', 'text/html');
      expect(api.status).toBe(404);
      expect(api.body).toMatchObject({ error: 'not_found' });
      expect((await request(w.app).get('/no-such-page')).body).toMatchObject({ error: 'not_found' });
      expect((await request(w.app).get('/static/favicon.svg')).status).toBe(200);
    });
  });

  describe('sign-in page', () => {
    it('says what LearnHQ is; lists the demo accounts only in demo mode', async () => {
      const page = await request(w.app).get('/sign-in');
      expect(page.text).toContain('LearnHQ is where library staff and trustees take their training');
      expect(page.text).not.toContain('Demo accounts');
      const demo = await createWorld({ demo: true });
      try {
        const d = await request(demo.app).get('/sign-in');
        expect(d.text).toContain('Demo accounts');
        expect(d.text).toContain('staff@riverside.demo.learnhq.test');
        expect(d.text).toContain('learnhq-demo');
      } finally {
        await demo.close();
      }
    });
  });

  describe('after sign-in', () => {
    it.each([
      ['learnerA', '/my-learning'],
      ['authorA', '/author'],
      ['analystA', '/reports'],
      ['siteAdmin', '/admin'],
    ] as const)('%s lands on %s', async (who, where) => {
      const u = w.people[who];
      const agent = request.agent(w.app);
      const form = await agent.get('/sign-in');
      const csrf = /name="_csrf" value="([^"]*)"/.exec(form.text)?.[1] ?? '';
      const res = await agent.post('/sign-in').type('form').send({ _csrf: csrf, email: u.email, password: PASSWORD, next: '/' });
      expect(res.status).toBe(303);
      expect(res.headers['location']).toBe(where);
    });

    it('an organization administrator lands on their organization; an explicit next wins', async () => {
      const agent = request.agent(w.app);
      const form = await agent.get('/sign-in');
      const csrf = /name="_csrf" value="([^"]*)"/.exec(form.text)?.[1] ?? '';
      const res = await agent.post('/sign-in').type('form').send({ _csrf: csrf, email: w.people.orgAdminA.email, password: PASSWORD, next: '/' });
      expect(res.headers['location']).toBe(`/admin/orgs/${encodeURIComponent(w.orgA.id)}`);
      const agent2 = request.agent(w.app);
      const form2 = await agent2.get('/sign-in');
      const csrf2 = /name="_csrf" value="([^"]*)"/.exec(form2.text)?.[1] ?? '';
      const res2 = await agent2.post('/sign-in').type('form').send({ _csrf: csrf2, email: w.people.orgAdminA.email, password: PASSWORD, next: '/catalog' });
      expect(res2.headers['location']).toBe('/catalog');
    });
  });
});
