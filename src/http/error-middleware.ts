import type { ErrorRequestHandler } from 'express';
import { isAppError } from '../errors';
import type { Logger } from '../logger';

/** Body-parser and similar library errors carry a status and a type; map the common ones. */
function libraryStatus(err: unknown): { status: number; code: string; message: string } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { status?: unknown; type?: unknown; message?: unknown };
  if (typeof e.status !== 'number' || e.status < 400 || e.status >= 500) return undefined;
  if (e.type === 'entity.too.large') return { status: 413, code: 'payload_too_large', message: 'request body is too large' };
  if (e.type === 'entity.parse.failed') return { status: 400, code: 'bad_request', message: 'request body is not valid JSON' };
  if (e.type === 'encoding.unsupported') return { status: 415, code: 'unsupported_media_type', message: 'unsupported content encoding' };
  return { status: e.status, code: 'bad_request', message: typeof e.message === 'string' ? e.message : 'bad request' };
}

/** The one error middleware: `{ error, message }` with the registered status; 500s say nothing internal. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      logger.error({ err, url: req.originalUrl }, 'error after headers were sent');
      res.end();
      return;
    }
    if (isAppError(err)) {
      for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      if (err.status >= 500) logger.error({ err, url: req.originalUrl }, err.message);
      res.status(err.status).json({ error: err.code, message: err.message });
      return;
    }
    const lib = libraryStatus(err);
    if (lib) {
      res.status(lib.status).json({ error: lib.code, message: lib.message });
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    res.status(500).json({ error: 'internal', message: 'internal server error' });
  };
}
