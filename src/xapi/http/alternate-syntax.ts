/**
 * The alternate request syntax of xAPI 1.0.3 (Communication 1.3): a POST whose `method` query
 * parameter names the intended method and whose application/x-www-form-urlencoded body carries
 * the headers, the resource parameters and the `content`. It is rewritten here into the request
 * it stands for, so the resources never know. xAPI 2.0 removed the syntax: such requests get 400.
 *
 * This runs before version negotiation and authentication, because the version and the
 * Authorization header may travel in the form.
 */
import type { Request, RequestHandler, Response } from 'express';
import { badRequest } from '../../errors';
import type { XapiDeps } from '../deps';
import { mediaType, readRawBody } from './body';
import type { XapiLocals } from './locals';
import { negotiateVersion, VERSION_HEADER } from './version';

const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'] as const;

/** Form fields that are headers (1.3: "MUST treat the form parameters listed above as header parameters"). */
const HEADER_FIELDS = ['authorization', 'x-experience-api-version', 'content-type', 'content-length', 'if-match', 'if-none-match'];

// Resource parameter names are plain words; anything else means the body was not a form.
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;

interface ParsedForm {
  readonly headers: Map<string, string>;
  readonly params: Record<string, string>;
  readonly content?: string;
}

function parseForm(text: string): ParsedForm {
  const headers = new Map<string, string>();
  const params: Record<string, string> = {};
  let content: string | undefined;
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (!FIELD_NAME.test(name)) {
      throw badRequest('the alternate request syntax body must be application/x-www-form-urlencoded fields; it is not');
    }
    const lower = name.toLowerCase();
    const id = HEADER_FIELDS.includes(lower) ? `h:${lower}` : `p:${name}`;
    if (seen.has(id)) throw badRequest(`${name}: form field given more than once`);
    seen.add(id);
    if (name === 'content') content = value;
    else if (HEADER_FIELDS.includes(lower)) headers.set(lower, value);
    else params[name] = value;
  }
  return { headers, params, ...(content !== undefined ? { content } : {}) };
}

function rejectFor2(res: Response): never {
  res.setHeader(VERSION_HEADER, '2.0.0');
  throw badRequest('method: the alternate request syntax is not part of xAPI 2.0; send the request with its own method and headers');
}

async function rewrite(deps: XapiDeps, req: Request, res: Response): Promise<void> {
  const query = req.query as Record<string, unknown>;
  const method = query['method'];
  // A 2.0 request cannot use the syntax at all (a form version, read below, is checked too).
  const realVersion = req.get(VERSION_HEADER);
  if (realVersion !== undefined && negotiateVersion(realVersion) === '2.0.0') rejectFor2(res);
  if (req.method !== 'POST') throw badRequest(`method: the alternate request syntax must be sent as a POST, not ${req.method}`);
  const others = Object.keys(query).filter((k) => k !== 'method');
  if (others.length > 0) {
    throw badRequest(`${others[0]}: with the alternate request syntax every parameter except "method" goes in the form body`);
  }
  const wanted = typeof method === 'string' ? method.toUpperCase() : '';
  if (!(METHODS as readonly string[]).includes(wanted)) {
    throw badRequest(`method: must be one of ${METHODS.join(', ')}, got ${JSON.stringify(method)}`);
  }

  const limit = Math.max(deps.config.maxStatementBytes, deps.config.maxDocumentBytes) * 3 + 65536;
  const raw = await readRawBody(req, res, limit);
  if (raw.length > 0 && mediaType(req.get('Content-Type')) !== 'application/x-www-form-urlencoded') {
    throw badRequest('Content-Type: the alternate request syntax needs an application/x-www-form-urlencoded body');
  }
  const form = parseForm(raw.toString('utf8'));

  // 1.3: the LRS "MUST treat the form parameters listed above as header parameters", so a form
  // field replaces the real header of the same name: the form wins. ADL's 1.0.3 conformance suite
  // (Communication 1.3.s3.b7: a form version of 0.8 beside a real 1.0.3 header is 400) and the ADL
  // reference LRS (its version check and its alternate-syntax parser both take the form's value)
  // expect exactly this. The effective version decides 2.0 rejection before anything else is trusted.
  const formVersion = form.headers.get('x-experience-api-version');
  if (formVersion !== undefined && negotiateVersion(formVersion) === '2.0.0') rejectFor2(res);
  for (const name of ['authorization', 'x-experience-api-version', 'if-match', 'if-none-match']) {
    const v = form.headers.get(name);
    if (v !== undefined) req.headers[name] = v;
  }

  if ((wanted === 'PUT' || wanted === 'POST') && form.content === undefined) {
    throw badRequest(`content: a ${wanted} in the alternate request syntax must carry its content in the "content" form field`);
  }
  const content = Buffer.from(form.content ?? '', 'utf8');
  const locals = res.locals as Partial<XapiLocals>;
  locals.rawBody = content;
  if (form.content !== undefined) {
    // The form's Content-Type describes the content; JSON is what the syntax was made for.
    const type = form.headers.get('content-type') ?? 'application/json';
    locals.rawBodyType = type;
    req.headers['content-type'] = type;
  } else {
    delete req.headers['content-type'];
  }
  req.headers['content-length'] = String(content.length);
  delete req.headers['transfer-encoding'];

  // Express 5 computes req.query from the URL on each read; an own property shadows that getter.
  Object.defineProperty(req, 'query', { value: form.params, writable: true, configurable: true, enumerable: true });
  req.method = wanted;
}

/** Rewrites alternate-syntax requests (a `method` query parameter) into the request they carry. */
export function alternateSyntaxMiddleware(deps: XapiDeps): RequestHandler {
  return (req, res, next) => {
    if (!Object.prototype.hasOwnProperty.call(req.query as object, 'method')) {
      next();
      return;
    }
    rewrite(deps, req, res).then(() => next(), next);
  };
}
