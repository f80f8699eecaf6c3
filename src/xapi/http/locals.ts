import type { Response } from 'express';
import type { XapiVersion } from '../model/types';
import type { AuthContext } from '../auth/auth-context';

/** Per-request xAPI state, kept on res.locals by the xAPI middlewares. */
export interface XapiLocals {
  /** Negotiated version (set by the version middleware). */
  xapiVersion: XapiVersion;
  /** Who is calling (set by the auth middleware). */
  auth: AuthContext;
  /** Body already read by the alternate-request-syntax middleware, if any. */
  rawBody?: Buffer;
  /** Content-Type of rawBody as carried in the alternate syntax form. */
  rawBodyType?: string;
}

/** Typed access to res.locals; throws if a middleware that should have run did not. */
export function xapiLocals(res: Response): XapiLocals {
  const l = res.locals as Partial<XapiLocals>;
  if (!l.xapiVersion || !l.auth) throw new Error('xAPI middlewares did not run for this route');
  return l as XapiLocals;
}
