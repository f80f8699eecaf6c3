import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import request from 'supertest';
import { createLogger } from '../../../src/logger';
import { createContentApp } from '../../../src/packages/content-app';
import { openGridFsFileStore } from '../../../src/store/files/gridfs';
import { openMongoStore } from '../../../src/store/mongo/mongo-store';
import { createHarness } from './harness';
import { scorm12Zip, tincanZip } from './packages';

/** Upload, versions and the content origin on MongoDB with GridFS (FerretDB in CI). */
const uri = process.env['MONGODB_URI'];
if (uri === undefined || uri === '') {
  console.warn('courses on MongoDB + GridFS SKIPPED: MONGODB_URI is not set.');
  describe.skip('courses on MongoDB + GridFS (needs MONGODB_URI)', () => {
    it('runs against a MongoDB server', () => undefined);
  });
} else {
  const dbName = `learnhq_courses_${randomBytes(6).toString('hex')}`;
  afterAll(async () => {
    const client = new MongoClient(uri);
    try {
      await client.connect();
      await client.db(dbName).dropDatabase();
    } finally {
      await client.close();
    }
  });

  it('imports, versions, refuses and serves packages with the store and files in MongoDB', async () => {
    const store = await openMongoStore({ url: uri, dbName, serverSelectionTimeoutMs: 5000 });
    const files = await openGridFsFileStore({ url: uri, dbName, serverSelectionTimeoutMs: 5000 });
    const h = await createHarness({ store, files });
    try {
      const up = (path: string, zip: Buffer): request.Test =>
        request(h.app).post(path).set(h.as('authorA')).set('Content-Type', 'application/zip').send(zip);
      const first = await up(`/api/orgs/${h.orgA}/courses`, tincanZip({ marker: 'one' })).expect(201);
      const courseId = first.body.course.id as string;
      const second = await up(`/api/courses/${courseId}/versions`, tincanZip({ marker: 'two' })).expect(201);
      expect(second.body.version.number).toBe(2);
      const refused = await up(`/api/courses/${courseId}/versions`, scorm12Zip({ missingLaunch: true })).expect(400);
      expect(refused.body.report.errors.length).toBeGreaterThan(0);
      const detail = await request(h.app).get(`/api/courses/${courseId}`).set(h.as('authorA')).expect(200);
      expect(detail.body.versions.map((v: { number: number }) => v.number)).toEqual([2, 1]);

      const content = createContentApp({ config: h.config, logger: createLogger('silent'), store }, files);
      const v1 = await request(content).get(`/content/${first.body.version.fileSetId}/index.html`).expect(200);
      expect(v1.text).toContain('one');
      expect(v1.headers['content-type']).toBe('text/html');
      const v2 = await request(content).get(`/content/${second.body.version.fileSetId}/index.html`).set('Range', 'bytes=0-8').expect(206);
      expect(v2.text).toBe('<!doctype');
      await request(content).get(`/content/${second.body.version.fileSetId}/nope.html`).expect(404);

      await request(h.app).post(`/api/courses/${courseId}/publish`).set(h.as('authorA')).expect(200);
      const catalog = await request(h.app).get('/api/catalog').set(h.as('learnerA')).expect(200);
      expect(catalog.body.courses.map((c: { id: string }) => c.id)).toContain(courseId);
    } finally {
      await h.close();
      await files.close();
      await store.close();
    }
  });
}
