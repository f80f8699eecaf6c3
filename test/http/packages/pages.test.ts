import request from 'supertest';
import { createHarness, type Harness } from './harness';
import { tincanZip } from './packages';

let h: Harness;
let courseId: string;
beforeAll(async () => {
  h = await createHarness();
  const res = await request(h.app).post(`/api/orgs/${h.orgA}/courses`).set(h.as('authorA')).set('Content-Type', 'application/zip')
    .send(tincanZip({ title: 'Ladder <Safety> & You' })).expect(201);
  courseId = res.body.course.id;
});
afterAll(async () => {
  await h.close();
});

const user = (name: Parameters<Harness['as']>[0]): Record<string, string> => ({ 'X-Test-User': h.users[name].userId });
const form = (name: Parameters<Harness['as']>[0], extra: Record<string, string> = {}): Record<string, string> => ({ _csrf: h.users[name].csrfToken, ...extra });

describe('author pages', () => {
  it('lists the author\'s courses per organization with an upload form and the upload script', async () => {
    const res = await request(h.app).get('/author').set(user('authorA')).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('Provider A');
    expect(res.text).not.toContain('Provider B');
    // Escaped, not raw.
    expect(res.text).toContain('Ladder &lt;Safety&gt; &amp; You');
    expect(res.text).toContain(`data-endpoint="/api/orgs/${h.orgA}/courses"`);
    expect(res.text).toContain('<script type="module" src="/static/upload.js">');
    expect(res.text).toMatch(/<label for="upload-[^"]+-file">/);
    expect(res.text).toContain(`value="${h.users.authorA.csrfToken}"`);
  });

  it('sends people without the author role away with 403 and signed-out people to sign in', async () => {
    await request(h.app).get('/author').set(user('learnerA')).expect(403);
    const out = await request(h.app).get('/author').expect(303);
    expect(out.headers['location']).toBe('/sign-in?next=%2Fauthor');
    // Another organization's draft is not known outside it (issue 11).
    await request(h.app).get(`/author/courses/${courseId}`).set(user('authorB')).expect(404);
  });

  it('shows a course with its catalog form, versions and report', async () => {
    const res = await request(h.app).get(`/author/courses/${courseId}`).set(user('authorA')).expect(200);
    expect(res.text).toContain('<label for="title">Title</label>');
    expect(res.text).toContain('xAPI (tincan.xml)');
    expect(res.text).toContain(`action="/author/courses/${courseId}/publish"`);
    expect(res.text).toContain(`data-endpoint="/api/courses/${courseId}/versions"`);
  });

  it('saves catalog data from the form and shows a refused value in place', async () => {
    const ok = await request(h.app).post(`/author/courses/${courseId}`).set(user('authorA')).type('form')
      .send(form('authorA', { title: 'Ladder Safety', description: 'Climb well.', language: 'en-GB', estimatedMinutes: '30', provider: 'Provider A', ceCredits: '', slug: 'ladders' }))
      .expect(303);
    expect(ok.headers['location']).toBe(`/author/courses/${courseId}?notice=saved`);
    expect(await h.store.courses.findCourse(courseId)).toMatchObject({ title: 'Ladder Safety', language: 'en-GB', estimatedMinutes: 30, slug: 'ladders' });

    const bad = await request(h.app).post(`/author/courses/${courseId}`).set(user('authorA')).type('form')
      .send(form('authorA', { title: 'x', language: 'english please' })).expect(400);
    expect(bad.text).toMatch(/Property language must be a language tag/);
    expect((await h.store.courses.findCourse(courseId))?.language).toBe('en-GB');

    await request(h.app).post(`/author/courses/${courseId}`).set(user('authorA')).type('form').send({ title: 'No token' }).expect(403);
    await request(h.app).post(`/author/courses/${courseId}`).set(user('authorB')).type('form').send(form('authorB', { title: 'Not mine' })).expect(404);
  });

  it('publishes and retires from the page, which the catalog page follows', async () => {
    const before = await request(h.app).get('/catalog').set(user('learnerA')).expect(200);
    expect(before.text).not.toContain('Ladder Safety');

    const pub = await request(h.app).post(`/author/courses/${courseId}/publish`).set(user('authorA')).type('form').send(form('authorA')).expect(303);
    expect(pub.headers['location']).toBe(`/author/courses/${courseId}?notice=publish`);
    const shown = await request(h.app).get(`/author/courses/${courseId}?notice=publish`).set(user('authorA')).expect(200);
    expect(shown.text).toContain('The course is published');

    const catalog = await request(h.app).get('/catalog').set(user('learnerA')).expect(200);
    expect(catalog.text).toContain('Ladder Safety');
    expect(catalog.text).toContain('30 min');

    await request(h.app).post(`/author/courses/${courseId}/retire`).set(user('learnerA')).type('form').send(form('learnerA')).expect(403);
    await request(h.app).post(`/author/courses/${courseId}/retire`).set(user('authorA')).type('form').send(form('authorA')).expect(303);
    const after = await request(h.app).get('/catalog').set(user('authorB')).expect(200);
    expect(after.text).not.toContain('Ladder Safety');
    const signedOut = await request(h.app).get('/catalog').expect(303);
    expect(signedOut.headers['location']).toBe('/sign-in?next=%2Fcatalog');
  });
});
