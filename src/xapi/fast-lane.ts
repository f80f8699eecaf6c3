import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorAnswer } from '../http/error-middleware';
import { authenticate } from './auth/basic-auth';
import type { LaunchTokenAuth } from './auth/launch-auth';
import { authorize } from './auth/scopes';
import type { XapiDeps } from './deps';
import { mediaType, readBodyBytes } from './http/body';
import { setCorsHeaders } from './http/cors';
import { negotiateVersion, VERSION_HEADER } from './http/version';
import type { XapiVersion } from './model/types';
import { isUuid } from './statements/query-params';
import { parseJson } from './statements/request-body';
import { storeStatements } from './statements/write-service';

/** Handles the request and returns true, or returns false without touching it. */
export type FastLane = (req: IncomingMessage, res: ServerResponse) => boolean;

const STATEMENTS_PATH = '/xapi/statements';
const NO_PARTS = new Map<never, never>();

/** The statementId of a PUT whose query is exactly `statementId=<uuid>`, else undefined. */
function putStatementId(query: string): string | undefined {
  if (!query.startsWith('statementId=')) return undefined;
  const id = query.slice('statementId='.length);
  return isUuid(id) ? id.toLowerCase() : undefined;
}

/**
 * The statements fast lane: the everyday write of statements (POST, or PUT with its statementId,
 * as application/json with a supported version and credentials) served without Express, whose
 * routing costs about as much as storing a statement. Only the headers decide: anything else —
 * other paths or methods, query parameters, multipart bodies, the alternate request syntax, a
 * missing or unsupported version, no Authorization — returns false before reading a byte and is
 * served by the xAPI router, which owns every error of those kinds. What the lane answers is what
 * the router would: the same CORS and version headers, authentication (Basic credentials and
 * launch tokens), scope check, body limit, write service and `{ error, message }` errors; the
 * HTTP tests of the Statement API run through it.
 */
export function createStatementsFastLane(deps: XapiDeps, launch: LaunchTokenAuth): FastLane {
  const json = (res: ServerResponse, status: number, body: string): void => {
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
  };

  const fail = (req: IncomingMessage, res: ServerResponse, err: unknown): void => {
    const a = errorAnswer(err, deps.logger, { method: req.method ?? '', url: req.url ?? '' });
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const [k, v] of Object.entries(a.headers)) res.setHeader(k, v);
    json(res, a.status, JSON.stringify(a.body));
    // An error answered before the body was read: drain it so the connection stays usable.
    if (!req.complete) req.resume();
  };

  async function serve(req: IncomingMessage, res: ServerResponse, version: XapiVersion, putId: string | undefined): Promise<void> {
    const auth = await authenticate(req.headers.authorization, deps.credentials, launch);
    authorize(auth, 'statements', 'write');
    const raw = await readBodyBytes(req, deps.config.maxStatementBytes);
    const body = { json: parseJson(raw, 'the request body'), parts: NO_PARTS, multipart: false };
    if (putId !== undefined) {
      await storeStatements(deps, { body, version, auth, putId });
      res.statusCode = 204;
      res.end();
    } else {
      json(res, 200, JSON.stringify(await storeStatements(deps, { body, version, auth })));
    }
  }

  return (req, res) => {
    const method = req.method;
    if (method !== 'POST' && method !== 'PUT') return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path.length !== STATEMENTS_PATH.length || path.toLowerCase() !== STATEMENTS_PATH) return false;
    let putId: string | undefined;
    if (method === 'POST') {
      if (q >= 0) return false;
    } else {
      putId = q < 0 ? undefined : putStatementId(url.slice(q + 1));
      if (putId === undefined) return false;
    }
    if (mediaType(req.headers['content-type']) !== 'application/json') return false;
    const versionHeader = req.headers['x-experience-api-version'];
    const version = negotiateVersion(typeof versionHeader === 'string' ? versionHeader : undefined);
    if (!version || !req.headers.authorization) return false;

    setCorsHeaders(res);
    res.setHeader(VERSION_HEADER, version);
    serve(req, res, version, putId).catch((err: unknown) => fail(req, res, err));
    return true;
  };
}
