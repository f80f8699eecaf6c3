import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { badRequest } from '../../errors';
import { assertJsonDepth } from '../../http/json-depth';
import { mediaType, readRawBody } from '../http/body';
import { multipartBoundary, parseMultipart } from '../multipart/parse';

/** Raw attachment content sent as a multipart part, keyed by its declared SHA-2. */
export interface AttachmentPart {
  readonly sha2: string;
  readonly contentType: string;
  readonly content: Buffer;
}

/** A write request's statements JSON (not yet validated) and its attachment parts. */
export interface StatementsBody {
  readonly json: unknown;
  /** sha2 (lower case) → part; empty for application/json requests. */
  readonly parts: ReadonlyMap<string, AttachmentPart>;
  readonly multipart: boolean;
}

const HASH_BY_HEX_LENGTH: Readonly<Record<number, string>> = { 56: 'sha224', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

/**
 * Parses a statements body; 400 naming `what` when it is empty or not JSON, and 400 naming the
 * path when it nests deeper than MAX_JSON_DEPTH (src/http/json-depth.ts), before anything
 * recursive touches it. The path is written as the validator writes its paths.
 */
export function parseJson(buf: Buffer, what: string): unknown {
  if (buf.length === 0) throw badRequest(`${what} is empty: send a statement or an array of statements`);
  let json: unknown;
  try {
    json = JSON.parse(buf.toString('utf8')) as unknown;
  } catch (err) {
    throw badRequest(`${what} is not valid JSON (${err instanceof Error ? err.message : 'parse error'})`);
  }
  assertJsonDepth(json, Array.isArray(json) ? 'statements' : 'statement');
  return json;
}

/**
 * Reads a PUT/POST /statements body: application/json, or multipart/mixed whose first part is
 * the statements (application/json) and whose other parts are attachments, each with an
 * X-Experience-API-Hash that must equal the SHA-2 of its bytes (Communication 1.5.2). Any other
 * Content-Type is refused with 400, as Communication 1.5.1 (PUT/POST "shall" be application/json or
 * multipart/mixed, else 400) and the conformance suite require.
 */
export async function readStatementsBody(req: Request, res: Response, limit: number): Promise<StatementsBody> {
  const locals = res.locals as { rawBodyType?: string };
  const contentType = locals.rawBodyType ?? req.get('Content-Type');
  const type = mediaType(contentType);
  const raw = await readRawBody(req, res, limit);
  if (type === 'application/json') return { json: parseJson(raw, 'the request body'), parts: new Map(), multipart: false };
  if (type !== 'multipart/mixed') {
    if (type === '') throw badRequest('Content-Type is required: application/json or multipart/mixed');
    throw badRequest(`Content-Type ${type} is not accepted for statements: use application/json or multipart/mixed`);
  }
  const boundary = multipartBoundary(contentType);
  if (!boundary) throw badRequest('Content-Type multipart/mixed needs a boundary parameter');
  const [first, ...rest] = parseMultipart(raw, boundary);
  if (!first) throw badRequest('multipart body has no parts: the first part must hold the statements');
  const firstType = mediaType(first.headers['content-type']);
  if (firstType !== 'application/json') {
    throw badRequest(`the first part of a multipart statements request must be application/json, got "${firstType || 'none'}"`);
  }
  const parts = new Map<string, AttachmentPart>();
  rest.forEach((p, i) => {
    const where = `multipart part ${i + 2}`;
    const hash = p.headers['x-experience-api-hash']?.toLowerCase();
    if (!hash) throw badRequest(`${where}: the X-Experience-API-Hash header is required on attachment parts`);
    const algo = HASH_BY_HEX_LENGTH[hash.length];
    if (!algo || !/^[0-9a-f]+$/.test(hash)) throw badRequest(`${where}: X-Experience-API-Hash "${hash}" is not a hex SHA-2 digest`);
    const cte = p.headers['content-transfer-encoding'];
    if (cte !== undefined && cte.toLowerCase() !== 'binary') {
      throw badRequest(`${where}: Content-Transfer-Encoding must be binary, got "${cte}"`);
    }
    const actual = createHash(algo).update(p.body).digest('hex');
    if (actual !== hash) throw badRequest(`${where}: the content does not match its X-Experience-API-Hash (${algo} is ${actual})`);
    parts.set(hash, { sha2: hash, contentType: p.headers['content-type'] ?? 'application/octet-stream', content: p.body });
  });
  return { json: parseJson(first.body, 'the statements part'), parts, multipart: true };
}
