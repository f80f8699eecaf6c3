/**
 * Self-report attachments on a MongoDB deployment (issue 18): records in MongoDB, the file in
 * GridFS (the file store instances share). Two app instances on one database and one GridFS
 * bucket: a file attached through one is downloaded through the other by the administrator, and
 * another organization's administrator gets 404 from both. Skipped without MONGODB_URI.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { PDFDocument } from 'pdf-lib';
import request from 'supertest';
import { createApp, type AppHandle } from '../../../src/app';
import { createLogger } from '../../../src/logger';
import { openGridFsFileStore } from '../../../src/store/files/gridfs';
import { openMongoStore } from '../../../src/store/mongo/mongo-store';
import type { FileStore, SelfReport, Store } from '../../../src/store/ports';
import { createWorld, useWorldStore, type World } from '../security/fixture';

const uri = process.env['MONGODB_URI'];
const maybe = uri ? describe : describe.skip;

maybe('self-report attachments in GridFS (MONGODB_URI)', () => {
  jest.setTimeout(120_000);
  const dbName = `learnhq_${randomBytes(4).toString('hex')}_srf`;
  let w: World;
  let files: FileStore[] = [];
  let apps: AppHandle[] = [];
  let store: Store;

  beforeAll(async () => {
    useWorldStore(async () => (store = await openMongoStore({ url: uri!, dbName, serverSelectionTimeoutMs: 5000 })));
    w = await createWorld();
    files = [await openGridFsFileStore({ url: uri!, dbName }), await openGridFsFileStore({ url: uri!, dbName })];
    apps = files.map((f) => createApp({ config: w.config, store: w.store, files: f, logger: createLogger('silent'), now: w.services.now }));
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.pipeline.stop()));
    await Promise.all(files.map((f) => f.close()));
    await w?.close();
    const client = new MongoClient(uri!);
    try {
      await client.connect();
      await client.db(dbName).dropDatabase();
    } finally {
      await client.close();
    }
  });

  it('attached through one instance, downloaded through the other; nobody else reads it', async () => {
    expect(store.engine).toBe('mongo');
    const learner = await w.session(w.people.learnerA);
    const [one, two] = apps.map((a) => a.listener);
    const created = await request(one!).post('/api/me/self-reports').set('Cookie', learner.cookie).set('X-CSRF-Token', learner.csrf)
      .send({ orgId: w.orgA.id, title: 'Regional conference', provider: 'Regional service', completedOn: '2026-09-12' });
    expect(created.status).toBe(201);
    const id = (created.body as { selfReport: SelfReport }).selfReport.id;
    const doc = await PDFDocument.create();
    doc.addPage([200, 100]);
    const pdf = Buffer.from(await doc.save());
    const attached = await request(one!).post(`/api/self-reports/${id}/attachment`).query({ name: 'conference.pdf' })
      .set('Cookie', learner.cookie).set('X-CSRF-Token', learner.csrf).set('Content-Type', 'application/pdf').send(pdf);
    expect(attached.status).toBe(201);

    const path = (await w.store.learning.findSelfReport(id))!.attachment!.path;
    expect(files[1]!.kind).toBe('gridfs');
    expect((await files[1]!.stat(path))?.size).toBe(pdf.length);

    const admin = await w.session(w.people.orgAdminA);
    const got = await request(two!).get(`/api/self-reports/${id}/attachment`).set('Cookie', admin.cookie).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(got.status).toBe(200);
    expect(Buffer.compare(got.body as Buffer, pdf)).toBe(0);
    for (const u of [w.people.orgAdminB, w.people.learnerB, w.people.analystA]) {
      const s = await w.session(u);
      for (const app of [one!, two!]) expect((await request(app).get(`/api/self-reports/${id}/attachment`).set('Cookie', s.cookie)).status).toBe(404);
    }
  });
});
