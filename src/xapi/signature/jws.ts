import { X509Certificate, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { badRequest } from '../../errors';
import { assertJsonDepth } from '../../http/json-depth';

/** The JWS algorithms xAPI allows for signed statements (Data 2.6). */
export const JWS_ALGORITHMS = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' } as const;
export type JwsAlgorithm = keyof typeof JWS_ALGORITHMS;

/** A decoded JWS compact serialization. */
export interface DecodedJws {
  readonly header: Readonly<Record<string, unknown>>;
  readonly algorithm: JwsAlgorithm;
  /** The payload parsed as JSON (the signed statement). */
  readonly payload: unknown;
  /** "<header>.<payload>" as sent: what the signature covers. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

function b64url(segment: string, what: string): Buffer {
  if (!B64URL.test(segment)) throw badRequest(`signature: the JWS ${what} is not base64url`);
  return Buffer.from(segment, 'base64url');
}

function parseJson(buf: Buffer, what: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(buf.toString('utf8')) as unknown;
  } catch {
    throw badRequest(`signature: the JWS ${what} is not valid JSON`);
  }
  // The payload is compared with the statement recursively: bound it like every body.
  assertJsonDepth(json, `signature JWS ${what}`);
  return json;
}

/**
 * Decodes a JWS compact serialization (RFC 7515 §7.1) and checks the algorithm is one xAPI
 * allows. Throws 400 naming what is wrong. Does not verify the signature (see verifyJws).
 */
export function decodeJws(compact: string): DecodedJws {
  const text = compact.trim();
  const segs = text.split('.');
  if (segs.length !== 3) throw badRequest('signature: the attachment is not a JWS compact serialization (header.payload.signature)');
  const [h, p, s] = segs as [string, string, string];
  const header = parseJson(b64url(h, 'header'), 'header');
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw badRequest('signature: the JWS header is not a JSON object');
  }
  const alg = (header as Record<string, unknown>)['alg'];
  if (typeof alg !== 'string' || !Object.hasOwn(JWS_ALGORITHMS, alg)) {
    throw badRequest(`signature: JWS algorithm "${String(alg)}" is not allowed (use RS256, RS384 or RS512)`);
  }
  const payload = parseJson(b64url(p, 'payload'), 'payload');
  const signature = b64url(s, 'signature');
  if (signature.length === 0) throw badRequest('signature: the JWS signature segment is empty');
  return { header: header as Record<string, unknown>, algorithm: alg as JwsAlgorithm, payload, signingInput: `${h}.${p}`, signature };
}

/** The public key of the first certificate of the header's x5c chain, or undefined without x5c. */
export function x5cPublicKey(header: Readonly<Record<string, unknown>>): KeyObject | undefined {
  const x5c = header['x5c'];
  if (x5c === undefined) return undefined;
  if (!Array.isArray(x5c) || x5c.length === 0 || typeof x5c[0] !== 'string') {
    throw badRequest('signature: the JWS header x5c must be a non-empty array of base64 certificates');
  }
  try {
    // x5c entries are standard base64 DER (RFC 7515 §4.1.6), not base64url.
    return new X509Certificate(Buffer.from(x5c[0], 'base64')).publicKey;
  } catch {
    throw badRequest('signature: the first x5c certificate of the JWS header cannot be read');
  }
}

/** Verifies the JWS signature with `key` (RSA PKCS#1 v1.5 with the JWS hash). Throws 400 when it does not verify. */
export function verifyJws(jws: DecodedJws, key: KeyObject | string): void {
  const k = typeof key === 'string' ? createPublicKey(key) : key;
  if (k.asymmetricKeyType !== 'rsa') throw badRequest(`signature: ${jws.algorithm} needs an RSA key, the certificate holds ${String(k.asymmetricKeyType)}`);
  const ok = verify(JWS_ALGORITHMS[jws.algorithm], Buffer.from(jws.signingInput, 'ascii'), k, jws.signature);
  if (!ok) throw badRequest('signature: the JWS signature does not verify against the x5c certificate');
}
