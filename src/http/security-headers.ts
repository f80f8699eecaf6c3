/**
 * The browser policy of every answer of the app origin (issue 11), set by createApp's first
 * middleware and, for the statements fast lane, by its listener — pages, their JSON twins, /xapi,
 * static files and errors alike — with helmet:
 * - a strict CSP: only our own scripts, styles, images and fetches; no plugins, no <base>, forms
 *   post only here; the app may frame only the content origin (the player) and may itself be
 *   framed by nobody (`frame-ancestors 'none'`, and X-Frame-Options DENY for old browsers);
 * - `X-Content-Type-Options: nosniff`;
 * - `Referrer-Policy: same-origin`: no URL of ours reaches another site. (Not no-referrer: with it
 *   browsers send `Origin: null` on our own form posts, which the login-CSRF check refuses.)
 * - Cross-Origin-Opener-Policy same-origin-allow-popups (the player's own-window mode keeps its
 *   opener), Cross-Origin-Resource-Policy same-origin, HSTS when served over https.
 * The content origin sets its own, looser headers (src/packages/content-app.ts): package pages
 * are arbitrary HTML.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../config';

/** Sets the headers on a response; synchronous. */
export type HeaderSetter = (req: IncomingMessage, res: ServerResponse) => void;

/** The CSP directives of the app origin. */
export function appCspDirectives(config: Pick<Config, 'contentUrl'>): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'frame-src': [new URL(config.contentUrl).origin],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

/** The header setter of the app origin for `config`. */
export function securityHeaders(config: Pick<Config, 'contentUrl' | 'publicUrl'>): HeaderSetter {
  const https = config.publicUrl.startsWith('https:');
  const mw = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: appCspDirectives(config) },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: https ? { maxAge: 31536000, includeSubDomains: false } : false,
    xFrameOptions: { action: 'deny' },
  });
  // The policy does not depend on the request: helmet writes it once onto a scratch response, and
  // every request gets those header values (12 setHeader calls instead of helmet's per-request
  // work, measured by bench/security-headers.ts).
  const scratch = new ServerResponse(new IncomingMessage(new Socket()));
  mw(scratch.req, scratch, () => undefined);
  const policy = Object.entries(scratch.getHeaders()).map(([name, value]) => [name, String(value)] as const);
  return (_req, res) => {
    for (const [name, value] of policy) res.setHeader(name, value);
  };
}

/** The same headers as Express middleware (createApp's first; test harnesses that build their own app). */
export function securityHeadersMiddleware(config: Pick<Config, 'contentUrl' | 'publicUrl'>): RequestHandler {
  const headers = securityHeaders(config);
  return (req, res, next) => {
    headers(req, res);
    next();
  };
}
