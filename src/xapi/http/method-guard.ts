import type { RequestHandler } from 'express';
import { AppError } from '../../errors';

const DOCUMENT = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'];
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  '/statements': ['GET', 'HEAD', 'PUT', 'POST'],
  '/activities/state': DOCUMENT,
  '/activities/profile': DOCUMENT,
  '/agents/profile': DOCUMENT,
  '/activities': ['GET', 'HEAD'],
  '/agents': ['GET', 'HEAD'],
  '/about': ['GET', 'HEAD'],
};

/**
 * 405 Method Not Allowed (with Allow) for a method a resource does not define, answered before
 * authentication: the method is wrong whoever asks (the 1.0.3 conformance suite sends such
 * requests without credentials). Unknown paths fall through to 404.
 */
export function methodGuard(): RequestHandler {
  return (req, _res, next) => {
    const allowed = ALLOWED[req.path.replace(/\/+$/, '').toLowerCase()];
    if (allowed && !allowed.includes(req.method)) {
      next(new AppError('method_not_allowed', `${req.method} is not allowed on ${req.path} (use ${allowed.join(', ')})`, { Allow: allowed.join(', ') }));
      return;
    }
    next();
  };
}
