/**
 * A file attached to a self-report (issue 18): the person attaches a PDF or an image (the type is
 * judged by the bytes, the size bounded); their organization's administrator downloads it while
 * deciding; nobody else can (another learner, analysts, authors, another organization's
 * administrator); the orphan sweep leaves it alone.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import request from 'supertest';
import { createLogger } from '../../../src/logger';
import { fileStoreOf, MAX_SELF_REPORT_FILE_BYTES } from '../../../src/catalog/self-report-files';
import { sweepOrphans } from '../../../src/packages/orphan-sweep';
import type { SelfReport, User } from '../../../src/store/ports';
import { cachedSessions, createWorld, type World } from '../security/fixture';

jest.setTimeout(60_000);

/** A one-page certificate, as a real PDF. */
async function certificatePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([400, 200]);
  page.drawText('Certificate of attendance: Library Law 2026', { x: 20, y: 100, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('self-report attachments', () => {
  let w: World;
  const as = cachedSessions(() => w);
  const attach = async (u: User, id: string, body: Buffer, type = 'application/octet-stream', name = 'certificate.pdf') => {
    const s = await as(u);
    return request(w.app).post(`/api/self-reports/${id}/attachment`).query({ name }).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).set('Content-Type', type).send(body);
  };
  const download = async (u: User, id: string) =>
    request(w.app).get(`/api/self-reports/${id}/attachment`).set('Cookie', (await as(u)).cookie).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  const report = async (u: User, title: string): Promise<SelfReport> => {
    const s = await as(u);
    const r = await request(w.app).post('/api/me/self-reports').set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf)
      .send({ orgId: w.orgA.id, title, provider: 'State Library', completedOn: '2026-10-01', hours: 3 });
    expect(r.status).toBe(201);
    return (r.body as { selfReport: SelfReport }).selfReport;
  };

  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('the person attaches a PDF; the administrator downloads it; nobody else can', async () => {
    const other = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    const r = await report(w.people.learnerA, 'Library law day');
    const pdf = await certificatePdf();

    // Only the person attaches, to their own report.
    for (const u of [other, w.people.orgAdminA, w.people.orgAdminB, w.people.learnerB]) {
      expect((await attach(u, r.id, pdf)).status).toBe(404);
    }
    const ok = await attach(w.people.learnerA, r.id, pdf, 'application/pdf', '../../etc/"cert".pdf');
    expect(ok.status).toBe(201);
    const shown = (ok.body as { selfReport: { attachment: Record<string, unknown> } }).selfReport.attachment;
    expect(shown).toMatchObject({ contentType: 'application/pdf', size: pdf.length, fileName: '_cert_.pdf', href: `/api/self-reports/${r.id}/attachment` });
    expect(shown['path']).toBeUndefined();

    // The pending list shows it to the administrator, who downloads the same bytes, as a download.
    const pending = await request(w.app).get(`/api/orgs/${w.orgA.id}/self-reports`).set('Cookie', (await as(w.people.orgAdminA)).cookie);
    expect(JSON.stringify(pending.body)).toContain(`/api/self-reports/${r.id}/attachment`);
    const got = await download(w.people.orgAdminA, r.id);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['content-disposition']).toBe('attachment; filename="_cert_.pdf"');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(got.body as Buffer, pdf)).toBe(0);
    expect((await PDFDocument.load(got.body as Buffer)).getPageCount()).toBe(1);
    expect((await download(w.people.learnerA, r.id)).status).toBe(200);

    // Nobody else: another learner, an author or analyst of A, B's administrator and learner, no session.
    for (const u of [other, w.people.authorA, w.people.analystA, w.people.orgAdminB, w.people.learnerB]) {
      const res = await download(u, r.id);
      expect(res.status).toBe(404);
      expect(Buffer.from(res.body as Buffer).includes(Buffer.from('%PDF'))).toBe(false);
    }
    expect((await request(w.app).get(`/api/self-reports/${r.id}/attachment`)).status).toBe(401);

    // The sweep of orphaned package files leaves it alone.
    const files = await fileStoreOf(w.services);
    await sweepOrphans({ store: w.store, files, logger: createLogger('silent'), config: { dataDir: w.config.dataDir, orphanGraceSeconds: 0 }, now: () => new Date(Date.now() + 60_000) });
    expect((await download(w.people.orgAdminA, r.id)).status).toBe(200);

    // Once decided, the file stays and cannot be replaced.
    const s = await as(w.people.orgAdminA);
    expect((await request(w.app).post(`/api/self-reports/${r.id}/decision`).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send({ approve: true })).status).toBe(200);
    expect((await attach(w.people.learnerA, r.id, PNG, 'image/png', 'x.png')).status).toBe(409);
    expect(Buffer.compare((await download(w.people.orgAdminA, r.id)).body as Buffer, pdf)).toBe(0);
  });

  it('judges the type by the bytes, bounds the size, replaces the old file', async () => {
    const r = await report(w.people.learnerA, 'Storytime course');
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    expect((await attach(w.people.learnerA, r.id, html, 'application/pdf', 'fake.pdf')).status).toBe(415);
    expect((await attach(w.people.learnerA, r.id, html, 'image/png', 'fake.png')).status).toBe(415);
    expect((await attach(w.people.learnerA, r.id, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml', 'x.svg')).status).toBe(415);
    expect((await attach(w.people.learnerA, r.id, Buffer.alloc(0))).status).toBe(400);
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(MAX_SELF_REPORT_FILE_BYTES)]);
    expect((await attach(w.people.learnerA, r.id, big)).status).toBe(413);
    expect((await w.store.learning.findSelfReport(r.id))?.attachment).toBeUndefined();
    expect((await download(w.people.orgAdminA, r.id)).status).toBe(404);

    // An image sent as "application/octet-stream" is recognized; a second file replaces the first.
    const first = await attach(w.people.learnerA, r.id, await certificatePdf());
    expect(first.status).toBe(201);
    const oldPath = (await w.store.learning.findSelfReport(r.id))!.attachment!.path;
    const png = await attach(w.people.learnerA, r.id, PNG, 'application/octet-stream', 'photo.png');
    expect(png.status).toBe(201);
    const got = await download(w.people.orgAdminA, r.id);
    expect(got.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(got.body as Buffer, PNG)).toBe(0);
    const files = await fileStoreOf(w.services);
    expect(await files.stat(oldPath)).toBeUndefined();
  });

  it('the page: report with a certificate in one form; a refused file stores nothing; CSRF holds', async () => {
    const person = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    const s = await as(person);
    const page = await request(w.app).get('/self-reports').set('Cookie', s.cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('enctype="multipart/form-data"');
    const post = (fields: Record<string, string>, file?: { bytes: Buffer; name: string }) => {
      let r = request(w.app).post('/self-reports').set('Cookie', s.cookie);
      for (const [k, v] of Object.entries(fields)) r = r.field(k, v);
      return file ? r.attach('file', file.bytes, file.name) : r;
    };
    const fields = { _csrf: s.csrf, orgId: w.orgA.id, title: 'Digital literacy summit', provider: 'State Library', kind: 'conference', completedOn: '2026-11-02', hours: '6', note: '' };

    expect((await post({ ...fields, _csrf: 'wrong' }, { bytes: await certificatePdf(), name: 'c.pdf' })).status).toBe(403);
    const refused = await post(fields, { bytes: Buffer.from('<svg onload="alert(1)"/>'), name: 'c.pdf' });
    expect(refused.status).toBe(415);
    expect(refused.text).toContain('attach a PDF or an image');
    expect(refused.text).toContain('value="Digital literacy summit"');
    expect(await w.store.learning.findSelfReports({ userId: person.id })).toEqual([]);

    const pdf = await certificatePdf();
    const ok = await post(fields, { bytes: pdf, name: 'summit.pdf' });
    expect(ok.status).toBe(303);
    expect(ok.headers['location']).toBe('/self-reports?sent=1');
    const [r] = await w.store.learning.findSelfReports({ userId: person.id });
    expect(r).toMatchObject({ title: 'Digital literacy summit', kind: 'conference', hours: 6, state: 'pending', attachment: { fileName: 'summit.pdf', contentType: 'application/pdf', size: pdf.length } });
    const list = await request(w.app).get('/self-reports?sent=1').set('Cookie', s.cookie);
    expect(list.text).toContain(`/api/self-reports/${r!.id}/attachment`);
    expect(list.text).toContain('waiting for approval');
    const got = await download(w.people.orgAdminA, r!.id);
    expect(Buffer.compare(got.body as Buffer, pdf)).toBe(0);
    // Without a file is fine too.
    expect((await post({ ...fields, title: 'Reading group' })).status).toBe(303);
    expect(await w.store.learning.findSelfReports({ userId: person.id })).toHaveLength(2);
  });
});
