import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { removeUpload } from '../../../../src/packages/upload';
import { tempDir } from './intake-helpers';
import { multipartBody, post, startUploadServer, type UploadServer } from './upload-server';

const MAX = 64 * 1024;
let root: string;
let tmpDir: string;
let server: UploadServer;

beforeEach(async () => {
  root = tempDir();
  tmpDir = path.join(root, 'tmp');
  server = await startUploadServer({ maxBytes: MAX, tmpDir });
});
afterEach(async () => {
  await server.close();
  await fsp.rm(root, { recursive: true, force: true });
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const pattern = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + 7) % 256));
const tmpFiles = (): string[] => (fs.existsSync(tmpDir) ? fs.readdirSync(tmpDir) : []);

/** Settles the server-side outcome of the last request (ignoring its value). */
async function lastOutcome(): Promise<unknown> {
  const o = server.outcomes.at(-1);
  expect(o).toBeDefined();
  return o!.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('receiveUpload', () => {
  it('streams a raw application/zip body to a temp file with its size and SHA-256', async () => {
    const body = pattern(50_000);
    const answer = await post(server.url, { 'content-type': 'application/zip' }, body);
    expect(answer.status).toBe(200);
    expect(answer.body.bytes).toBe(50_000);
    expect(answer.body.sha256).toBe(sha(body));
    expect(answer.body.filename).toBeUndefined();
    expect(path.dirname(answer.body.path!)).toBe(path.resolve(tmpDir));
    expect(sha(fs.readFileSync(answer.body.path!))).toBe(sha(body));
    await removeUpload({ path: answer.body.path! });
    expect(tmpFiles()).toEqual([]);
  });

  it('accepts application/octet-stream and application/x-zip-compressed too', async () => {
    for (const type of ['application/octet-stream', 'application/x-zip-compressed']) {
      const answer = await post(server.url, { 'content-type': type }, pattern(10));
      expect(answer.status).toBe(200);
    }
  });

  it('takes the one file part of a multipart form, ignoring text fields', async () => {
    const file = pattern(40_000);
    const { body, type } = multipartBody([
      { name: 'title', data: 'My course' },
      { name: 'package', filename: 'course.zip', type: 'application/zip', data: file },
    ]);
    const answer = await post(server.url, { 'content-type': type }, body);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ bytes: 40_000, sha256: sha(file), filename: 'course.zip' });
    expect(sha(fs.readFileSync(answer.body.path!))).toBe(sha(file));
  });

  it('answers 413 past maxBytes on a chunked raw body, with Connection: close, and deletes the temp file', async () => {
    const answer = await post(server.url, { 'content-type': 'application/zip', 'transfer-encoding': 'chunked' }, Readable.from([pattern(40_000), pattern(40_000), pattern(40_000)]));
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(answer.body.message).toMatch(/larger than the limit of 65536 bytes \(LEARNHQ_MAX_UPLOAD_BYTES\)/);
    await lastOutcome();
    expect(tmpFiles()).toEqual([]);
  });

  it('answers 413 from Content-Length alone, before writing anything', async () => {
    const answer = await post(server.url, { 'content-type': 'application/zip', 'content-length': String(MAX + 1) }, pattern(MAX + 1));
    expect(answer.status).toBe(413);
    expect(fs.existsSync(tmpDir)).toBe(false);
  });

  it('answers 413 when the multipart file part is past maxBytes', async () => {
    const { body, type } = multipartBody([{ name: 'package', filename: 'big.zip', data: pattern(MAX + 10) }]);
    const answer = await post(server.url, { 'content-type': type }, body);
    expect(answer.status).toBe(413);
    await lastOutcome();
    expect(tmpFiles()).toEqual([]);
  });

  it('answers 400 for a multipart body that ends before its closing boundary', async () => {
    const { body, type } = multipartBody([{ name: 'package', filename: 'a.zip', data: pattern(5000) }]);
    const answer = await post(server.url, { 'content-type': type }, body.subarray(0, body.length - 40));
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/multipart upload is malformed/);
    expect(tmpFiles()).toEqual([]);
  });

  it('answers 400 for multipart without a boundary, without a file, or with two files', async () => {
    const noBoundary = await post(server.url, { 'content-type': 'multipart/form-data' }, Buffer.from('x'));
    expect(noBoundary.status).toBe(400);
    const noFile = multipartBody([{ name: 'title', data: 'x' }]);
    const a = await post(server.url, { 'content-type': noFile.type }, noFile.body);
    expect(a).toMatchObject({ status: 400, body: { message: 'multipart upload has no file part' } });
    const two = multipartBody([
      { name: 'a', filename: 'a.zip', data: pattern(100) },
      { name: 'b', filename: 'b.zip', data: pattern(100) },
    ]);
    const b = await post(server.url, { 'content-type': two.type }, two.body);
    expect(b).toMatchObject({ status: 400, body: { message: expect.stringMatching(/more than one file part/) } });
    await Promise.all(server.outcomes.map((o) => o.catch(() => undefined)));
    expect(tmpFiles()).toEqual([]);
  });

  it('answers 415 for another media type', async () => {
    const answer = await post(server.url, { 'content-type': 'text/plain' }, Buffer.from('hi'));
    expect(answer).toMatchObject({ status: 415, body: { message: expect.stringMatching(/zip .*cmi5 course structure .*Content-Type "text\/plain" is neither/) } });
  });

  it('deletes the temp file when the client goes away mid-upload', async () => {
    const http = await import('node:http');
    const req = http.request(server.url, { method: 'POST', headers: { 'content-type': 'application/zip', 'content-length': '60000' } });
    req.on('error', () => undefined);
    req.write(pattern(20_000));
    await new Promise((r) => setTimeout(r, 100));
    req.destroy();
    const err = (await lastOutcome()) as Error;
    expect(err.message).toMatch(/interrupted/);
    expect(tmpFiles()).toEqual([]);
  });
});
