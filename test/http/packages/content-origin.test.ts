import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import { createLogger } from '../../../src/logger';
import { contentPath, createContentApp, parseRange } from '../../../src/packages/content-app';
import type { TinCanCourseModel } from '../../../src/packages/course-model';
import { openStore } from '../../../src/store';
import { createFolderFileStore } from '../../../src/store/files/folder';
import type { Store } from '../../../src/store/ports';

const dir = mkdtempSync(join(tmpdir(), 'learnhq-content-'));
const files = createFolderFileStore(join(dir, 'store'));
let store: Store;
let app: Express;
const SET = 'f1e2d3c4-0000-4000-8000-000000000001';
/** Files of an import that has not committed its version (still running, or killed). */
const UNCOMMITTED = 'f1e2d3c4-0000-4000-8000-000000000002';
const put = (path: string, data: string | Buffer, set = SET): Promise<unknown> =>
  files.put(`${set}/${path}`, Readable.from([typeof data === 'string' ? Buffer.from(data) : data]));

/** A course whose version names `fileSetId`: what a committed import leaves. */
async function commit(fileSetId: string): Promise<void> {
  const at = new Date().toISOString();
  const model: TinCanCourseModel = {
    modelVersion: 1, format: 'tincan', manifestPath: 'tincan.xml', title: 'C', activities: [], mainActivityId: 'http://example.com/a',
    launchables: [{ id: 'http://example.com/a', title: 'C', kind: 'activity', launchUrl: 'index.html', external: false }],
  };
  const version = { id: `v-${fileSetId}`, courseId: `c-${fileSetId}`, number: 1, format: 'tincan' as const, fileSetId, sha256: 'ab'.repeat(32), bytes: 1, uploadedBy: 'u', createdAt: at, model, report: { errors: [], warnings: [] } };
  await store.courses.insertCourse({
    id: version.courseId, orgId: 'o', title: 'C', description: '', language: 'en', provider: 'P', competencies: [], state: 'published',
    currentVersionId: version.id, currentVersionNumber: 1, createdAt: at, updatedAt: at,
  }, version);
}

beforeAll(async () => {
  store = await openStore({ kind: 'sqlite', path: ':memory:' });
  app = createContentApp({ config: { publicUrl: 'https://learn.example.org/base' }, logger: createLogger('silent'), store }, files);
  await commit(SET);
  await put('index.html', '<p>half of a package</p>', UNCOMMITTED);
  await put('index.html', '<!doctype html><p>hello</p>');
  await put('js/app.js', 'console.log(1)');
  await put('media/clip.mp4', Buffer.from('0123456789abcdefghij'));
  await put('fonts/a.woff2', 'w');
  await put('data/x.unknownext', 'x');
  await put('img/logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await put('with space/naïve.json', '{"a":1}');
  await put('empty.txt', '');
  // A file outside the store that a traversal would try to reach.
  writeFileSync(join(dir, 'secret.txt'), 'top secret');
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('content origin', () => {
  it('serves a file with its MIME type, validators, immutable caching and isolation headers', async () => {
    const res = await request(app).get(`/content/${SET}/index.html`).expect(200);
    expect(res.headers['content-type']).toBe('text/html');
    expect(res.text).toBe('<!doctype html><p>hello</p>');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['etag']).toMatch(/^".+"$/);
    expect(Number.isNaN(Date.parse(res.headers['last-modified'] ?? ''))).toBe(false);
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['content-security-policy']).toBe("frame-ancestors 'self' https://learn.example.org");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-length']).toBe('27');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it.each([
    ['js/app.js', 'text/javascript'],
    ['media/clip.mp4', 'video/mp4'],
    ['fonts/a.woff2', 'font/woff2'],
    ['img/logo.svg', 'image/svg+xml'],
    ['data/x.unknownext', 'application/octet-stream'],
    ['with%20space/na%C3%AFve.json', 'application/json'],
  ])('serves %s as %s', async (path, type) => {
    const res = await request(app).get(`/content/${SET}/${path}`).expect(200);
    expect(res.headers['content-type']).toBe(type);
  });

  it('never serves a file set before a course version names it (issue 11), then serves it once one does', async () => {
    expect((await request(app).get(`/content/${UNCOMMITTED}/index.html`)).status).toBe(404);
    expect((await request(app).head(`/content/${UNCOMMITTED}/index.html`)).status).toBe(404);
    await commit(UNCOMMITTED);
    expect((await request(app).get(`/content/${UNCOMMITTED}/index.html`)).text).toBe('<p>half of a package</p>');
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await request(app).head(`/content/${SET}/media/clip.mp4`).expect(200);
    expect(res.headers['content-length']).toBe('20');
    expect(res.text ?? '').toBe('');
  });

  it('serves byte ranges (206) and refuses unsatisfiable ones (416)', async () => {
    const url = `/content/${SET}/media/clip.mp4`;
    const mid = await request(app).get(url).set('Range', 'bytes=2-5').buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(206);
    expect((mid.body as Buffer).toString()).toBe('2345');
    expect(mid.headers['content-range']).toBe('bytes 2-5/20');
    expect(mid.headers['content-length']).toBe('4');

    const tail = await request(app).get(url).set('Range', 'bytes=-3').expect(206);
    expect(tail.headers['content-range']).toBe('bytes 17-19/20');
    const open = await request(app).get(url).set('Range', 'bytes=15-').expect(206);
    expect(open.headers['content-range']).toBe('bytes 15-19/20');
    const clipped = await request(app).get(url).set('Range', 'bytes=18-100').expect(206);
    expect(clipped.headers['content-range']).toBe('bytes 18-19/20');

    const bad = await request(app).get(url).set('Range', 'bytes=20-30').expect(416);
    expect(bad.headers['content-range']).toBe('bytes */20');
    await request(app).get(url).set('Range', 'bytes=-0').expect(416);
    // Several ranges, or a syntax we do not know: the whole file.
    await request(app).get(url).set('Range', 'bytes=0-1,4-5').expect(200);
    await request(app).get(url).set('Range', 'items=0-1').expect(200);
    // A stale If-Range gives the whole file; a matching one the range.
    await request(app).get(url).set('Range', 'bytes=0-1').set('If-Range', '"stale"').expect(200);
    const etag = (await request(app).head(url)).headers['etag'] ?? '';
    await request(app).get(url).set('Range', 'bytes=0-1').set('If-Range', etag).expect(206);
  });

  it('answers 304 to a matching If-None-Match or If-Modified-Since', async () => {
    const url = `/content/${SET}/js/app.js`;
    const first = await request(app).get(url).expect(200);
    const etag = first.headers['etag'] ?? '';
    await request(app).get(url).set('If-None-Match', etag).expect(304);
    await request(app).get(url).set('If-None-Match', `"other", ${etag}`).expect(304);
    await request(app).get(url).set('If-None-Match', '"other"').expect(200);
    await request(app).get(url).set('If-Modified-Since', first.headers['last-modified'] ?? '').expect(304);
    await request(app).get(url).set('If-Modified-Since', 'Thu, 01 Jan 1970 00:00:00 GMT').expect(200);
  });

  it('serves an empty file', async () => {
    const res = await request(app).get(`/content/${SET}/empty.txt`).expect(200);
    expect(res.headers['content-length']).toBe('0');
  });

  it.each([
    `/content/${SET}/../secret.txt`,
    `/content/${SET}/%2e%2e/secret.txt`,
    `/content/${SET}/..%2fsecret.txt`,
    `/content/${SET}/..%5csecret.txt`,
    `/content/${SET}/%2e%2e%2f%2e%2e%2fsecret.txt`,
    `/content/..%2f..%2fsecret.txt`,
    `/content/${SET}/js//app.js`,
    `/content/${SET}/./index.html`,
    `/content/${SET}/index.html%00.js`,
    `/content/${SET}/%E0%A4%A`,
    `/content/${SET}/`,
    `/content/${SET}`,
    `/content/${SET}/js`,
    `/content/${SET}/missing.html`,
    `/content/not_a*set/index.html`,
    '/content/',
    '/secret.txt',
    '/',
  ])('answers 404 for %s', async (path) => {
    const res = await request(app).get(path);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('top secret');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses other methods and never reads or sets cookies', async () => {
    const post = await request(app).post(`/content/${SET}/index.html`).send('x').expect(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
    const withCookie = await request(app).get(`/content/${SET}/index.html`).set('Cookie', 'learnhq_session=abc').expect(200);
    expect(withCookie.headers['set-cookie']).toBeUndefined();
  });

  it('has a health check', async () => {
    await request(app).get('/health').expect(200, { status: 'ok' });
  });
});

describe('content path and range parsing', () => {
  it('decodes and checks content paths', () => {
    expect(contentPath(`/${SET}/a%20b/c.html`)).toEqual({ fileSetId: SET, path: 'a b/c.html' });
    // NFD in the URL finds the NFC name the zip intake stored.
    expect(contentPath(`/${SET}/${encodeURIComponent('nai\u0308ve.txt')}`)).toEqual({ fileSetId: SET, path: 'na\u00efve.txt' });
    expect(contentPath(`/${SET}/a/%2e%2e/b`)).toBeUndefined();
    expect(contentPath(`/${SET}`)).toBeUndefined();
  });

  it('parses single ranges', () => {
    expect(parseRange(undefined, 10)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=0-0', 10)).toEqual({ kind: 'range', range: { start: 0, end: 0 } });
    expect(parseRange('bytes=5-2', 10)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=-20', 10)).toEqual({ kind: 'range', range: { start: 0, end: 9 } });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});
