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

/** What an error is answered with: status, extra headers and the `{ error, message }` body. */
export interface ErrorAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly error: string; readonly message: string };
}

/**
 * Maps any thrown value to its answer, logging what needs logging: AppErrors with their
 * registered status, library errors by their status, anything else 500 saying nothing internal.
 * Shared by the error middleware and the statements fast lane (src/xapi/fast-lane.ts).
 */
export function errorAnswer(err: unknown, logger: Logger, where: { method: string; url: string }): ErrorAnswer {
  if (isAppError(err)) {
    if (err.status >= 500) logger.error({ err, url: where.url }, err.message);
    return { status: err.status, headers: err.headers, body: { error: err.code, message: err.message } };
  }
  const lib = libraryStatus(err);
  if (lib) return { status: lib.status, headers: {}, body: { error: lib.code, message: lib.message } };
  logger.error({ err, method: where.method, url: where.url }, 'unhandled error');
  return { status: 500, headers: {}, body: { error: 'internal', message: 'internal server error' } };
}

/** The one error middleware: `{ error, message }` with the registered status; 500s say nothing internal. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      logger.error({ err, url: req.originalUrl }, 'error after headers were sent');
      res.end();
      return;
    }
    const answer = errorAnswer(err, logger, { method: req.method, url: req.originalUrl });
    for (const [k, v] of Object.entries(answer.headers)) res.setHeader(k, v);
    res.status(answer.status).json(answer.body);
  };
}
