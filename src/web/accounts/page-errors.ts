import type { ErrorRequestHandler } from 'express';
import { isAppError, type AppError } from '../../errors';
import { errorView } from './views/admin-views';
import { sendPage } from './render';

/** A service error as a sentence for a page: capitalized, ending with a full stop. */
export function sentence(message: string): string {
  const s = message.trim();
  if (s === '') return s;
  const first = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** True for errors a form shows in place (the person can fix the input and try again). */
export function isFormError(err: unknown): err is AppError {
  return isAppError(err) && [400, 401, 409, 413, 429, 503].includes(err.status);
}

const HEADINGS: Record<number, string> = {
  400: 'That request cannot be handled',
  401: 'Please sign in',
  403: 'You do not have access to this page',
  404: 'Page not found',
  409: 'That conflicts with what exists',
  429: 'Too many attempts',
  503: 'Busy: try again in a moment',
};

/**
 * Error handler of the page router: AppErrors become HTML pages with their status (a person
 * sees a page, not JSON); anything else goes on to the one error middleware, which logs it.
 */
export function pageErrorHandler(): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (!isAppError(err) || err.status >= 500 || res.headersSent) {
      next(err);
      return;
    }
    for (const [k, v] of Object.entries(err.headers)) if (k.toLowerCase() !== 'www-authenticate') res.setHeader(k, v);
    const heading = HEADINGS[err.status] ?? 'Something went wrong';
    sendPage(res, err.status, { title: heading, body: errorView({ heading, message: sentence(err.message) }) });
  };
}
