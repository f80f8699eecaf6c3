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
 * The CORS headers every xAPI answer carries. Any origin may call the LRS, but never with the
 * browser's ambient credentials (issue 11): xAPI clients send Authorization themselves (Basic
 * credentials, a launch token), so the answer is `Access-Control-Allow-Origin: *` without
 * `Access-Control-Allow-Credentials`, and a browser refuses to hand a credentialed (cookie)
 * request's answer to the calling page. The answer does not depend on the Origin, so no Vary.
 */
export function setCorsHeaders(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
}

/**
 * CORS for content running in browsers on other origins (packages, outside tools). Preflights
 * end here with 204, before version and auth checks, because browsers send them without those
 * headers; they allow Authorization, X-Experience-API-Version and the other xAPI headers (a `*`
 * would not cover Authorization), or whatever the preflight asks for.
 */
export function corsMiddleware(): RequestHandler {
  return (req, res, next) => {
    setCorsHeaders(res);
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, PUT, POST, DELETE, OPTIONS');
      const asked = req.get('Access-Control-Request-Headers');
      res.setHeader('Access-Control-Allow-Headers', asked ? `${ALLOWED_HEADERS}, ${asked}` : ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '86400');
      res.status(204).end();
      return;
    }
    next();
  };
}
