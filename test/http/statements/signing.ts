import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** DER TLV with definite length. */
function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, content]);
}
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const SHA256_RSA = Buffer.from('06092a864886f70d01010b0500', 'hex'); // OID 1.2.840.113549.1.1.11 + NULL
const name = (cn: string) => seq(tlv(0x31, seq(Buffer.from('0603550403', 'hex'), tlv(0x0c, Buffer.from(cn)))));
const utc = (s: string) => tlv(0x17, Buffer.from(s));

/** A minimal self-signed X.509 v3 certificate (DER) for `publicKey`, signed by `privateKey`. */
export function selfSignedCert(publicKey: KeyObject, privateKey: KeyObject, cn = 'LearnHQ test signer'): Buffer {
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, Buffer.from([0x01, 0x23])),
    seq(SHA256_RSA),
    name(cn),
    seq(utc('240101000000Z'), utc('490101000000Z')),
    name(cn),
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const sig = sign('sha256', tbs, privateKey);
  return seq(tbs, seq(SHA256_RSA), tlv(0x03, Buffer.concat([Buffer.from([0]), sig])));
}

export function rsaKeys(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

const HASH = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512', HS256: 'sha256' } as const;

/** A JWS compact serialization of `payload` (payload text given raw when a string). */
export function jwsSign(payload: unknown, privateKey: KeyObject, opts: { alg?: keyof typeof HASH; x5c?: Buffer[] } = {}): string {
  const alg = opts.alg ?? 'RS256';
  const header = { alg, ...(opts.x5c ? { x5c: opts.x5c.map((c) => c.toString('base64')) } : {}) };
  const h = Buffer.from(JSON.stringify(header)).toString('base64url');
  const p = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)).toString('base64url');
  const s = sign(HASH[alg], Buffer.from(`${h}.${p}`), privateKey).toString('base64url');
  return `${h}.${p}.${s}`;
}

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A multipart/mixed statements body in the byte layout of the spec example. */
export function multipartBody(statements: unknown, parts: { contentType: string; content: Buffer; hash?: string; extra?: string }[], boundary = 'xapi-test-boundary'): Buffer {
  const chunks: Buffer[] = [Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(statements)}\r\n`)];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: ${p.contentType}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${p.hash ?? sha256(p.content)}\r\n${p.extra ?? ''}\r\n`));
    chunks.push(p.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}
