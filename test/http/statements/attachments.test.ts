import type { RequestListener } from 'node:http';
import request from 'supertest';
import { createTestApp, type TestApp } from '../../helpers/test-app';
import { parseMultipart, multipartBoundary } from '../../../src/xapi/multipart/parse';
import { client, makeStatement, V2 } from './fixtures';
import { jwsSign, multipartBody, rsaKeys, selfSignedCert, sha256 } from './signing';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const SIG = 'http://adlnet.gov/expapi/attachments/signature';

function postMultipart(body: Buffer, boundary = 'xapi-test-boundary') {
  return request(t.app).post('/xapi/statements').set(V2).set('Authorization', t.auth)
    .set('Content-Type', `multipart/mixed; boundary="${boundary}"`).send(body);
}

function attachment(content: Buffer, over: Record<string, unknown> = {}) {
  return { usageType: 'http://example.com/usage/test', display: { 'en-US': 'a file' }, contentType: 'text/plain', length: content.length, sha2: sha256(content), ...over };
}

function binaryParser(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('attachments (Data 2.4.11, Communication 1.5.2)', () => {
  test('multipart in, multipart out with attachments=true; JSON without it', async () => {
    const a = Buffer.from('here is a simple attachment\r\n--not-a-boundary\r\n');
    const b = Buffer.from([0, 1, 2, 255, 13, 10]);
    const s1 = makeStatement({ attachments: [attachment(a)] });
    const s2 = makeStatement({ attachments: [attachment(b, { contentType: 'application/octet-stream' }), attachment(a)] });
    const res = await postMultipart(multipartBody([s1, s2], [{ contentType: 'text/plain', content: a }, { contentType: 'application/octet-stream', content: b }]));
    expect(res.status).toBe(200);
    const [id1, id2] = res.body as string[];

    const plain = await client(t.app, t.auth).get({ statementId: id2! });
    expect(plain.headers['content-type']).toMatch(/^application\/json/);

    const multi = await client(t.app, t.auth).get({ statementId: id2!, attachments: true }).buffer(true).parse(binaryParser);
    expect(multi.status).toBe(200);
    const ct = multi.headers['content-type']!;
    expect(ct).toMatch(/^multipart\/mixed; boundary=[^"]+$/);
    const parts = parseMultipart(multi.body as Buffer, multipartBoundary(ct)!);
    expect(parts).toHaveLength(3);
    expect(JSON.parse(parts[0]!.body.toString()).id).toBe(id2);
    const byHash = new Map(parts.slice(1).map((p) => [p.headers['x-experience-api-hash'], p]));
    expect(byHash.get(sha256(a))!.body.equals(a)).toBe(true);
    expect(byHash.get(sha256(b))!.body.equals(b)).toBe(true);
    expect(byHash.get(sha256(b))!.headers['content-transfer-encoding']).toBe('binary');

    const q = await client(t.app, t.auth).get({ attachments: true, limit: 2 }).buffer(true).parse(binaryParser);
    const qParts = parseMultipart(q.body as Buffer, multipartBoundary(q.headers['content-type'])!);
    expect(JSON.parse(qParts[0]!.body.toString()).statements.map((s: { id: string }) => s.id)).toEqual([id2, id1]);
    expect(qParts).toHaveLength(3); // distinct attachments only
  });

  test('fileUrl-only attachments are accepted as application/json; content-less ones are not', async () => {
    const c = client(t.app, t.auth);
    const ok = await c.post(makeStatement({ attachments: [attachment(Buffer.from('x'), { fileUrl: 'http://example.com/x.txt' })] }));
    expect(ok.status).toBe(200);
    const bad = await c.post(makeStatement({ attachments: [attachment(Buffer.from('x'))] }));
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/attachments\[0\]/);
  });

  test('a missing part, an undeclared part, a wrong hash or a missing hash header are 400', async () => {
    const a = Buffer.from('content a');
    const b = Buffer.from('content b');
    const s = makeStatement({ attachments: [attachment(a)] });
    expect((await postMultipart(multipartBody(s, []))).status).toBe(400);
    expect((await postMultipart(multipartBody(s, [{ contentType: 'text/plain', content: a }, { contentType: 'text/plain', content: b }]))).status).toBe(400);
    expect((await postMultipart(multipartBody(s, [{ contentType: 'text/plain', content: b, hash: sha256(a) }]))).status).toBe(400);
    const noHash = Buffer.from(`--b\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(s)}\r\n--b\r\nContent-Type: text/plain\r\n\r\ncontent a\r\n--b--`);
    const r = await postMultipart(noHash, 'b');
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/X-Experience-API-Hash/);
  });

  test('PUT accepts multipart too', async () => {
    const a = Buffer.from('put content');
    const id = '0f6b2c3e-1a2b-4c5d-8e9f-001122334455';
    const res = await request(t.app).put(`/xapi/statements?statementId=${id}`).set(V2).set('Authorization', t.auth)
      .set('Content-Type', 'multipart/mixed; boundary=xapi-test-boundary')
      .send(multipartBody(makeStatement({ attachments: [attachment(a)] }), [{ contentType: 'text/plain', content: a }]));
    expect(res.status).toBe(204);
  });
});

describe('signed statements (Data 2.6)', () => {
  const { publicKey, privateKey } = rsaKeys();
  const cert = selfSignedCert(publicKey, privateKey);

  function signed(stmt: Record<string, unknown>, jws: string, over: Record<string, unknown> = {}) {
    const content = Buffer.from(jws);
    const s = { ...stmt, attachments: [attachment(content, { usageType: SIG, contentType: 'application/octet-stream', ...over })] };
    return multipartBody(s, [{ contentType: 'application/octet-stream', content }]);
  }

  test('valid signatures: with an x5c certificate (RS256/RS512) and without one', async () => {
    for (const alg of ['RS256', 'RS512'] as const) {
      const s = makeStatement();
      const r = await postMultipart(signed(s, jwsSign(s, privateKey, { alg, x5c: [cert] })));
      expect([alg, r.status, r.body]).toEqual([alg, 200, expect.any(Array)]);
    }
    const s = makeStatement({ id: '7d7b8f6e-2d4a-4e1f-9b0c-aabbccddeeff' });
    expect((await postMultipart(signed(s, jwsSign(s, privateKey)))).status).toBe(200);
  });

  test('the signature attachment is returned with the statement', async () => {
    const s = makeStatement();
    const jws = jwsSign(s, privateKey, { x5c: [cert] });
    const [id] = (await postMultipart(signed(s, jws))).body as string[];
    const got = await client(t.app, t.auth).get({ statementId: id!, attachments: true }).buffer(true).parse(binaryParser);
    const parts = parseMultipart(got.body as Buffer, multipartBoundary(got.headers['content-type'])!);
    expect(parts[1]!.body.toString()).toBe(jws);
  });

  test.each([
    ['a bad algorithm', (s: Record<string, unknown>) => signed(s, jwsSign(s, privateKey, { alg: 'HS256' })), /algorithm/],
    ['a wrong contentType', (s: Record<string, unknown>) => signed(s, jwsSign(s, privateKey), { contentType: 'text/plain; charset=ascii' }), /contentType/],
    ['a payload that is not JSON', (s: Record<string, unknown>) => signed(s, jwsSign(JSON.stringify(s).replace('"', "'"), privateKey)), /not valid JSON/],
    ['a payload of another statement', (s: Record<string, unknown>) => signed(s, jwsSign({ ...s, verb: { id: 'http://example.com/other' } }, privateKey)), /equivalent/],
    ['not a JWS', (s: Record<string, unknown>) => signed(s, 'just-some-text'), /compact/],
    ['a signature from another key', (s: Record<string, unknown>) => signed(s, jwsSign(s, rsaKeys().privateKey, { x5c: [cert] })), /does not verify/],
  ])('400 for %s', async (_name, build, message) => {
    const res = await postMultipart(build(makeStatement()));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });
});
