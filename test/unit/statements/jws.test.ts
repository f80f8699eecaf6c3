import { decodeJws, verifyJws, x5cPublicKey } from '../../../src/xapi/signature/jws';
import { checkStatementSignatures } from '../../../src/xapi/signature/signed-statement';
import { jsonEqual } from '../../../src/xapi/statements/model-fallbacks';
import { jwsSign, rsaKeys, selfSignedCert, sha256 } from '../../http/statements/signing';

const { publicKey, privateKey } = rsaKeys();
const cert = selfSignedCert(publicKey, privateKey);
const stmt = { actor: { mbox: 'mailto:a@b.c' }, verb: { id: 'http://v.x/y' }, object: { id: 'http://a.x/y' } };

describe('decodeJws / verifyJws', () => {
  test('decodes header, payload and verifies against the x5c certificate', () => {
    const jws = decodeJws(jwsSign(stmt, privateKey, { alg: 'RS384', x5c: [cert] }));
    expect(jws.algorithm).toBe('RS384');
    expect(jws.payload).toEqual(stmt);
    const key = x5cPublicKey(jws.header);
    expect(key).toBeDefined();
    expect(() => verifyJws(jws, key!)).not.toThrow();
  });

  test('detects a changed payload', () => {
    const [h, , s] = jwsSign(stmt, privateKey, { x5c: [cert] }).split('.');
    const p = Buffer.from(JSON.stringify({ ...stmt, verb: { id: 'http://other' } })).toString('base64url');
    const jws = decodeJws(`${h}.${p}.${s}`);
    expect(() => verifyJws(jws, x5cPublicKey(jws.header)!)).toThrow(/does not verify/);
  });

  test('rejects other algorithms, wrong segment counts, bad base64url and bad x5c', () => {
    expect(() => decodeJws(jwsSign(stmt, privateKey, { alg: 'HS256' }))).toThrow(/algorithm "HS256"/);
    expect(() => decodeJws('a.b')).toThrow(/compact serialization/);
    expect(() => decodeJws('a+.b.c')).toThrow(/base64url/);
    expect(() => x5cPublicKey({ x5c: ['bm90IGEgY2VydA=='] })).toThrow(/cannot be read/);
    expect(() => x5cPublicKey({ x5c: [] })).toThrow(/non-empty/);
    expect(x5cPublicKey({})).toBeUndefined();
  });
});

describe('checkStatementSignatures', () => {
  function withSig(jws: string) {
    const content = Buffer.from(jws);
    const received = {
      ...stmt, id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', authority: { mbox: 'mailto:lrs@x.y' },
      attachments: [{ usageType: 'http://adlnet.gov/expapi/attachments/signature', display: { 'en-US': 's' }, contentType: 'application/octet-stream', length: content.length, sha2: sha256(content) }],
    };
    return { received, parts: new Map([[sha256(content), content]]) };
  }

  test('ignores id, authority and the signature attachment absent from the payload', () => {
    const { received, parts } = withSig(jwsSign(stmt, privateKey, { x5c: [cert] }));
    expect(() => checkStatementSignatures(received, 'statement', parts, jsonEqual)).not.toThrow();
  });

  test('a payload id must match when present', () => {
    const { received, parts } = withSig(jwsSign({ ...stmt, id: '00000000-0000-4000-8000-000000000000' }, privateKey));
    expect(() => checkStatementSignatures(received, 'statement', parts, jsonEqual)).toThrow(/not logically equivalent/);
  });

  test('a signature attachment without its part is refused', () => {
    const { received } = withSig(jwsSign(stmt, privateKey));
    expect(() => checkStatementSignatures(received, 'statement', new Map(), jsonEqual)).toThrow(/must be sent/);
  });
});
