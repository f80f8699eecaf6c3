import { createHash } from 'node:crypto';
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { AppError, badRequest } from '../../errors';
import { authorize } from '../auth/scopes';
import type { XapiDeps } from '../deps';
import { xapiLocals } from '../http/locals';
import { newBoundary, writeMultipart, type OutgoingPart } from '../multipart/write';
import { CursorCodec } from './cursor';
import { isUuid, parseAcceptLanguage, parseStatementsQuery } from './query-params';
import { attachmentContents, continueCursor, filterRefs, readPage, readSingle, type ReadResult, type Reader } from './read-service';
import { readStatementsBody } from './request-body';
import { storeStatements } from './write-service';

const CONSISTENT_THROUGH = 'X-Experience-API-Consistent-Through';

function wrap(fn: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req, res, next: NextFunction) => {
    fn(req, res).catch(next);
  };
}

/**
 * Key for `more` tokens. Every instance of one deployment must derive the same key: it comes from
 * LEARNHQ_CURSOR_SECRET alone (so instances behind one load balancer may have different public
 * URLs), or else from the bootstrap LRS secret and the public URL. A forged token could at worst
 * widen a query the caller may run anyway: scope restrictions are re-applied on every page, never
 * read from the token.
 */
function cursorKey(deps: XapiDeps): Buffer {
  const material = deps.config.cursorSecret !== undefined
    ? `learnhq/statements-more/v2|${deps.config.cursorSecret}`
    : `learnhq/statements-more/v1|${deps.config.publicUrl}|${deps.config.lrsSecret ?? ''}`;
  return createHash('sha256').update(material).digest();
}

function httpDate(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms).toUTCString();
}

/**
 * The Statement Resource (Communication 2.1): PUT, POST, GET and HEAD /statements. HEAD is
 * answered by the GET handler (Express strips the body), so headers are identical.
 */
export function statementsRouter(deps: XapiDeps): Router {
  const router = Router();
  const codec = new CursorCodec(cursorKey(deps));

  router.put('/statements', wrap(async (req, res) => {
    const { auth, xapiVersion } = xapiLocals(res);
    authorize(auth, 'statements', 'write');
    const q = req.query as Record<string, unknown>;
    const sid = q['statementId'];
    if (typeof sid !== 'string') throw badRequest('PUT /statements requires the statementId query parameter (once)');
    if (!isUuid(sid)) throw badRequest(`statementId must be a UUID, got "${sid}"`);
    for (const k of Object.keys(q)) if (k !== 'statementId') throw badRequest(`unknown query parameter "${k}" for PUT /statements`);
    const body = await readStatementsBody(req, res, deps.config.maxStatementBytes);
    await storeStatements(deps, { body, version: xapiVersion, auth, putId: sid.toLowerCase() });
    res.status(204).end();
  }));

  router.post('/statements', wrap(async (req, res) => {
    const { auth, xapiVersion } = xapiLocals(res);
    authorize(auth, 'statements', 'write');
    const keys = Object.keys(req.query as object);
    if (keys.length > 0) throw badRequest(`POST /statements takes no query parameters, got "${keys[0]}"`);
    const body = await readStatementsBody(req, res, deps.config.maxStatementBytes);
    const ids = await storeStatements(deps, { body, version: xapiVersion, auth });
    res.status(200).json(ids);
  }));

  router.get('/statements', wrap(async (req, res) => {
    // X-Experience-API-Consistent-Through was set by consistentThroughMiddleware (src/xapi/router.ts)
    // before version and auth checks, so that errors carry it too (Communication 2.1.3).
    const { auth, xapiVersion } = xapiLocals(res);
    const scope = authorize(auth, 'statements', 'read');
    const parsed = parseStatementsQuery(req.query as Record<string, unknown>);
    const reader: Reader = { auth, scope, version: xapiVersion, languages: parseAcceptLanguage(req.get('Accept-Language')) };
    let result: ReadResult;
    if (parsed.kind === 'single') {
      result = await readSingle(deps, reader, parsed.id, parsed.voided, parsed.format, parsed.attachments);
    } else {
      const cursor = parsed.kind === 'more'
        ? continueCursor(codec, parsed.token, auth)
        : {
            refs: filterRefs(parsed.filter, xapiVersion),
            ...(parsed.filter.since !== undefined ? { since: parsed.filter.since } : {}),
            ...(parsed.filter.until !== undefined ? { until: parsed.filter.until } : {}),
            ascending: parsed.ascending,
            limit: parsed.limit === 0 || parsed.limit > deps.config.maxQueryLimit ? deps.config.maxQueryLimit : parsed.limit,
            format: parsed.format,
            attachments: parsed.attachments,
            credentialKey: auth.credentialKey,
          };
      result = await readPage(deps, reader, cursor, codec, req.baseUrl);
      if (result.lastModified === undefined) result = { ...result, lastModified: String(res.getHeader(CONSISTENT_THROUGH)) };
    }
    const lm = httpDate(result.lastModified);
    if (lm) res.setHeader('Last-Modified', lm);
    if (!result.attachments) {
      // Exactly application/json (JSON has no charset parameter, RFC 8259; the conformance suite
      // compares the header verbatim).
      res.status(200).setHeader('Content-Type', 'application/json');
      res.send(Buffer.from(JSON.stringify(result.body)));
      return;
    }
    const contents = await attachmentContents(deps, result.statements);
    const boundary = newBoundary();
    const parts: OutgoingPart[] = [
      { headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(result.body) },
      ...contents.map((c) => ({
        headers: { 'Content-Type': c.contentType, 'Content-Transfer-Encoding': 'binary', 'X-Experience-API-Hash': c.sha2 },
        body: c.content,
      })),
    ];
    res.status(200).setHeader('Content-Type', `multipart/mixed; boundary=${boundary}`);
    res.send(writeMultipart(parts, boundary));
  }));

  router.all('/statements', (req, _res, next) => {
    next(new AppError('method_not_allowed', `${req.method} is not allowed on /statements (use GET, HEAD, PUT or POST)`, { Allow: 'GET, HEAD, PUT, POST' }));
  });
  return router;
}
