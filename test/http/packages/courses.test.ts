import { readdirSync } from 'node:fs';
import request from 'supertest';
import { createHarness, type Harness } from './harness';
import { notAPackageZip, scorm12Zip, tincanZip, traversalZip } from './packages';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

/** File set folders in the folder store (the staging folder aside). */
const fileSets = (): string[] => {
  try {
    return readdirSync(h.filesDir).filter((n) => !n.startsWith('.'));
  } catch {
    return [];
  }
};

const upload = (path: string, who: Parameters<Harness['as']>[0], zip: Buffer): request.Test =>
  request(h.app).post(path).set(h.as(who)).set('Content-Type', 'application/zip').send(zip);

async function newCourse(zip = tincanZip()): Promise<{ id: string; versionId: string; fileSetId: string }> {
  const res = await upload(`/api/orgs/${h.orgA}/courses`, 'authorA', zip).expect(201);
  return { id: res.body.course.id, versionId: res.body.version.id, fileSetId: res.body.version.fileSetId };
}

describe('uploading a package as a new course', () => {
  it('creates a draft course of the organization with version 1 and stores its files', async () => {
    const res = await upload(`/api/orgs/${h.orgA}/courses`, 'authorA', tincanZip({ title: 'Fire Safety Basics' })).expect(201);
    const { course, version, report } = res.body;
    expect(course).toMatchObject({
      orgId: h.orgA, title: 'Fire Safety Basics', description: 'What to do when the alarm rings.', provider: 'Provider A',
      state: 'draft', competencies: [], currentVersionId: version.id, currentVersionNumber: 1,
    });
    expect(res.headers['location']).toBe(`/api/courses/${course.id}`);
    expect(version).toMatchObject({ number: 1, format: 'tincan', courseId: course.id, uploadedBy: h.users.authorA.userId });
    expect(version.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(version).not.toHaveProperty('model');
    expect(report.errors).toEqual([]);
    expect(await h.files.stat(`${version.fileSetId}/index.html`)).toBeDefined();
    expect(await h.files.stat(`${version.fileSetId}/css/site.css`)).toBeDefined();
    expect(await h.files.stat(`${version.fileSetId}/tincan.xml`)).toBeDefined();

    const stored = await h.store.courses.findVersion(version.id);
    expect(stored?.model.format).toBe('tincan');
    expect(stored?.model.launchables[0]?.launchUrl).toBe('index.html');
    const audit = await h.store.accounts.findAudit({ orgId: h.orgA, limit: 50 });
    expect(audit.find((a) => a.action === 'course.create' && a.target === course.id)).toMatchObject({ actorUserId: h.users.authorA.userId });
  });

  it('accepts a multipart form upload too', async () => {
    const res = await request(h.app).post(`/api/orgs/${h.orgA}/courses`).set(h.as('authorA'))
      .attach('package', scorm12Zip(), { filename: 'course.zip', contentType: 'application/zip' }).expect(201);
    expect(res.body.version).toMatchObject({ format: 'scorm12', edition: '1.2' });
    expect(res.body.course.title).toBe('Library Trustee Orientation');
  });

  it('refuses a package with validation errors with the report, leaving nothing behind', async () => {
    const setsBefore = fileSets();
    const coursesBefore = await h.store.courses.findCourses({ orgIds: [h.orgA] });
    const res = await upload(`/api/orgs/${h.orgA}/courses`, 'authorA', scorm12Zip({ missingLaunch: true })).expect(400);
    expect(res.body.error).toBe('bad_request');
    expect(res.body.message).toMatch(/package refused/);
    expect(res.body.report.errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body.report.errors)).toMatch(/sco\/index\.html/);
    expect(fileSets()).toEqual(setsBefore);
    expect(await h.store.courses.findCourses({ orgIds: [h.orgA] })).toHaveLength(coursesBefore.length);
  });

  it('refuses a package whose launch URL is javascript: with a report entry naming it (issue 11), leaving nothing behind', async () => {
    const setsBefore = fileSets();
    const res = await upload(`/api/orgs/${h.orgA}/courses`, 'authorA', tincanZip({ launch: 'javascript:alert(document.domain)' })).expect(400);
    expect(res.body.message).toMatch(/package refused: <launch> of activity .* uses the scheme "javascript:"/);
    expect(res.body.report.errors[0]).toMatchObject({ code: 'launch_url_scheme', path: expect.stringContaining('launch') });
    expect(fileSets()).toEqual(setsBefore);
  });

  it('refuses a zip without a manifest and a hostile zip, each with a reason', async () => {
    const setsBefore = fileSets();
    const none = await upload(`/api/orgs/${h.orgA}/courses`, 'authorA', notAPackageZip()).expect(400);
    expect(none.body.report.errors[0].code).toBe('no_manifest');
    const hostile = await upload(`/api/orgs/${h.orgA}/courses`, 'authorA', traversalZip()).expect(400);
    expect(hostile.body.report.errors[0]).toMatchObject({ code: 'zip_refused' });
    expect(hostile.body.message).toMatch(/evil/);
    const garbage = await upload(`/api/orgs/${h.orgA}/courses`, 'authorA', Buffer.from('not a zip at all, just text')).expect(400);
    expect(garbage.body.report.errors).toHaveLength(1);
    expect(fileSets()).toEqual(setsBefore);
  });

  it('answers 413 above the upload limit and stores nothing', async () => {
    const small = await createHarness({ config: { maxUploadBytes: 1024 } });
    try {
      const big = tincanZip({ extra: [{ name: 'media/noise.bin', data: Buffer.alloc(4096, 7), method: 'store' }] });
      const res = await request(small.app).post(`/api/orgs/${small.orgA}/courses`).set(small.as('authorA')).set('Content-Type', 'application/zip').send(big);
      expect(res.status).toBe(413);
      expect(await small.store.courses.findCourses({ orgIds: [small.orgA] })).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('answers 415 for a body that is not a zip upload', async () => {
    await request(h.app).post(`/api/orgs/${h.orgA}/courses`).set(h.as('authorA')).set('Content-Type', 'text/plain').send('hello').expect(415);
  });

  it('needs a signed-in author of that organization and the CSRF token', async () => {
    await request(h.app).post(`/api/orgs/${h.orgA}/courses`).set('Content-Type', 'application/zip').send(tincanZip()).expect(401);
    await request(h.app).post(`/api/orgs/${h.orgA}/courses`).set('X-Test-User', h.users.authorA.userId)
      .set('Content-Type', 'application/zip').send(tincanZip()).expect(403);
    const other = await upload(`/api/orgs/${h.orgA}/courses`, 'authorB', tincanZip()).expect(403);
    expect(other.body.message).toMatch(/author/);
    await upload(`/api/orgs/${h.orgA}/courses`, 'learnerA', tincanZip()).expect(403);
    await upload(`/api/orgs/${h.orgA}/courses`, 'analystA', tincanZip()).expect(403);
    // The site administrator may, and an unknown organization is 404 for them.
    await upload(`/api/orgs/${h.orgA}/courses`, 'admin', tincanZip()).expect(201);
    await upload('/api/orgs/no-such-org/courses', 'admin', tincanZip()).expect(404);
  });
});

describe('versions', () => {
  it('adds version n+1, makes it current and keeps the old version and its files', async () => {
    const c = await newCourse(tincanZip({ marker: 'first' }));
    const res = await upload(`/api/courses/${c.id}/versions`, 'authorA', tincanZip({ marker: 'second', title: 'Renamed in the manifest' })).expect(201);
    expect(res.body.version).toMatchObject({ number: 2, courseId: c.id });
    expect(res.body.course).toMatchObject({ currentVersionId: res.body.version.id, currentVersionNumber: 2 });
    // Catalog data the author curated is not overwritten by the new manifest.
    expect(res.body.course.title).toBe('Fire Safety Basics');
    expect(res.body.version.fileSetId).not.toBe(c.fileSetId);

    const detail = await request(h.app).get(`/api/courses/${c.id}`).set(h.as('authorA')).expect(200);
    expect(detail.body.versions.map((v: { number: number }) => v.number)).toEqual([2, 1]);
    expect(detail.body.course.currentVersionNumber).toBe(2);
    expect(detail.body.report).toEqual(expect.objectContaining({ errors: [] }));

    // Learners who started on version 1 still find its files, unchanged.
    const old = await h.files.get(`${c.fileSetId}/index.html`);
    let text = '';
    for await (const chunk of old!.stream) text += String(chunk);
    expect(text).toContain('first');
    expect((await h.store.courses.findVersion(c.versionId))?.number).toBe(1);

    const third = await upload(`/api/courses/${c.id}/versions`, 'authorA', tincanZip()).expect(201);
    expect(third.body.version.number).toBe(3);
    const audit = await h.store.accounts.findAudit({ orgId: h.orgA, limit: 100 });
    expect(audit.filter((a) => a.action === 'course.version' && a.target === c.id)).toHaveLength(2);
  });

  it('keeps the current version when a new version is refused', async () => {
    const c = await newCourse();
    const res = await upload(`/api/courses/${c.id}/versions`, 'authorA', scorm12Zip({ missingLaunch: true })).expect(400);
    expect(res.body.report.errors.length).toBeGreaterThan(0);
    const course = await h.store.courses.findCourse(c.id);
    expect(course?.currentVersionId).toBe(c.versionId);
    expect(await h.store.courses.findVersions(c.id)).toHaveLength(1);
  });

  it('refuses authors of another organization (404 for a draft, issue 11) and unknown courses (404)', async () => {
    const c = await newCourse();
    await upload(`/api/courses/${c.id}/versions`, 'authorB', tincanZip()).expect(404);
    await upload('/api/courses/no-such-course/versions', 'authorA', tincanZip()).expect(404);
    await request(h.app).get(`/api/courses/${c.id}`).set(h.as('authorB')).expect(404);
    await request(h.app).get(`/api/courses/${c.id}`).set(h.as('learnerA')).expect(403);
    await request(h.app).get('/api/courses/no-such-course').set(h.as('authorA')).expect(404);
    await request(h.app).get(`/api/courses/${c.id}`).set(h.as('admin')).expect(200);
  });
});

describe('catalog data', () => {
  it('updates the fields an author may change', async () => {
    const c = await newCourse();
    const res = await request(h.app).patch(`/api/courses/${c.id}`).set(h.as('authorA'))
      .send({ title: ' Fire Safety 101 ', description: 'Updated.', language: 'fr-CA', estimatedMinutes: 45, ceCredits: 1.5, provider: 'Fire Academy', slug: 'fire-101' })
      .expect(200);
    expect(res.body.course).toMatchObject({ title: 'Fire Safety 101', language: 'fr-CA', estimatedMinutes: 45, ceCredits: 1.5, provider: 'Fire Academy', slug: 'fire-101' });
    const cleared = await request(h.app).patch(`/api/courses/${c.id}`).set(h.as('authorA')).send({ estimatedMinutes: null, slug: null }).expect(200);
    expect(cleared.body.course).not.toHaveProperty('estimatedMinutes');
    expect(cleared.body.course).not.toHaveProperty('slug');
  });

  it('refuses bad values naming the property, and foreign authors', async () => {
    const c = await newCourse();
    const bad = async (body: object, pattern: RegExp): Promise<void> => {
      const res = await request(h.app).patch(`/api/courses/${c.id}`).set(h.as('authorA')).send(body).expect(400);
      expect(res.body.message).toMatch(pattern);
    };
    await bad({ title: '' }, /title/);
    await bad({ language: 'not a language' }, /language/);
    await bad({ estimatedMinutes: 1.5 }, /estimatedMinutes/);
    await bad({ ceCredits: -1 }, /ceCredits/);
    await bad({ slug: 'Not A Slug' }, /slug/);
    await bad({ state: 'published' }, /state/);
    await bad({ competencies: ['x'] }, /competencies/);
    await request(h.app).patch(`/api/courses/${c.id}`).set(h.as('authorB')).send({ title: 'Mine now' }).expect(404);
    await request(h.app).patch(`/api/courses/${c.id}`).set('X-Test-User', h.users.authorA.userId).send({ title: 'No CSRF' }).expect(403);
    expect((await h.store.courses.findCourse(c.id))?.title).toBe('Fire Safety Basics');
  });

  it('keeps slugs unique within the organization (409)', async () => {
    const a = await newCourse();
    const b = await newCourse();
    await request(h.app).patch(`/api/courses/${a.id}`).set(h.as('authorA')).send({ slug: 'unique-slug' }).expect(200);
    await request(h.app).patch(`/api/courses/${b.id}`).set(h.as('authorA')).send({ slug: 'unique-slug' }).expect(409);
  });
});

describe('publishing and the catalog', () => {
  it('shows only published courses, to any signed-in person', async () => {
    const draft = await newCourse(tincanZip({ title: 'Draft Course' }));
    const pub = await newCourse(tincanZip({ title: 'Published Course' }));
    const res = await request(h.app).post(`/api/courses/${pub.id}/publish`).set(h.as('authorA')).expect(200);
    expect(res.body.course.state).toBe('published');

    const catalog = await request(h.app).get('/api/catalog').set(h.as('learnerA')).expect(200);
    const ids = catalog.body.courses.map((c: { id: string }) => c.id);
    expect(ids).toContain(pub.id);
    expect(ids).not.toContain(draft.id);
    expect(catalog.body.courses.every((c: { state: string }) => c.state === 'published')).toBe(true);
    // Learners of other organizations see it too (the catalog is shared).
    const fromB = await request(h.app).get('/api/catalog').set(h.as('authorB')).expect(200);
    expect(fromB.body.courses.map((c: { id: string }) => c.id)).toContain(pub.id);
    await request(h.app).get('/api/catalog').expect(401);

    const retired = await request(h.app).post(`/api/courses/${pub.id}/retire`).set(h.as('authorA')).expect(200);
    expect(retired.body.course.state).toBe('retired');
    const after = await request(h.app).get('/api/catalog').set(h.as('learnerA')).expect(200);
    expect(after.body.courses.map((c: { id: string }) => c.id)).not.toContain(pub.id);

    // Publishing again is allowed; each change is audited.
    await request(h.app).post(`/api/courses/${pub.id}/publish`).set(h.as('authorA')).expect(200);
    const audit = await h.store.accounts.findAudit({ orgId: h.orgA, limit: 200 });
    expect(audit.filter((a) => a.target === pub.id).map((a) => a.action)).toEqual(['course.publish', 'course.retire', 'course.publish', 'course.create']);
  });

  it('lets only authors of the organization publish or retire', async () => {
    const c = await newCourse();
    // Another organization's author does not learn that the draft exists (issue 11).
    await request(h.app).post(`/api/courses/${c.id}/publish`).set(h.as('authorB')).expect(404);
    await request(h.app).post(`/api/courses/${c.id}/publish`).set(h.as('learnerA')).expect(403);
    await request(h.app).post(`/api/courses/${c.id}/retire`).set(h.as('authorB')).expect(404);
    await request(h.app).post(`/api/courses/${c.id}/publish`).set('X-Test-User', h.users.authorA.userId).expect(403);
    expect((await h.store.courses.findCourse(c.id))?.state).toBe('draft');
  });

  it('lists an author\'s courses per organization', async () => {
    const c = await newCourse();
    const mine = await request(h.app).get('/api/author/courses').set(h.as('authorA')).expect(200);
    expect(mine.body.organizations.map((o: { org: { id: string } }) => o.org.id)).toEqual([h.orgA]);
    expect(mine.body.organizations[0].courses.map((x: { id: string }) => x.id)).toContain(c.id);
    const theirs = await request(h.app).get('/api/author/courses').set(h.as('authorB')).expect(200);
    expect(theirs.body.organizations.map((o: { org: { id: string } }) => o.org.id)).toEqual([h.orgB]);
    expect(theirs.body.organizations[0].courses).toEqual([]);
  });
});
