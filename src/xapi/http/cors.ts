import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Content-Length',
  'X-Experience-API-Version',
  'If-Match',
  'If-None-Match',
  'Accept-Language',
  'X-Requested-With',
].join(', ');

const EXPOSED_HEADERS = [
  'ETag',
  'Last-Modified',
  'Location',
  'Content-Type',
  'Content-Length',
  'X-Experience-API-Version',
  'X-Experience-API-Consistent-Through',
].join(', ');

/**
 * The CORS headers every xAPI answer carries (Vary is the caller's: Express appends, the fast
 * lane sets it on a fresh response).
 */
export function setCorsHeaders(res: ServerResponse, origin: string | undefined): void {
  res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
  if (origin) res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
}

/**
 * CORS for content running in browsers on other origins (packages, outside tools). Credentials
 * are allowed, so the request's Origin is echoed rather than "*". Preflights end here with 204,
 * before version and auth checks, because browsers send them without those headers.
 */
export function corsMiddleware(): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('Origin');
    setCorsHeaders(res, origin);
    if (origin) res.append('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, PUT, POST, DELETE, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', req.get('Access-Control-Request-Headers') ?? ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '86400');
      res.status(204).end();
      return;
    }
    next();
  };
}
