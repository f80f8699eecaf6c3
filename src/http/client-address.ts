import type { Request } from 'express';

/**
 * The client address a request came from, for per-address limits. It is the peer address of the
 * connection (Express's req.ip without `trust proxy`): behind a reverse proxy every request shares
 * the proxy's address, so a deployment behind one must configure the proxy to limit too, or set
 * Express's `trust proxy` for its own proxies (docs/security.md).
 */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
