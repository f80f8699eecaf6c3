/**
 * The runtime API the content-origin launcher calls (docs/runtime-api.md): CORS for the content
 * origin only, a launch token in Authorization, never a cookie.
 */
import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../http/json-body';
import type { AppServices } from '../deps';
import { authorizeRuntime } from './runtime-auth';
import { commitRuntime, launcherSeed, parseCommit } from './scorm/runtime-service';

/** CORS for the content origin only; preflights end here. */
function contentOriginCors(s: AppServices): RequestHandler {
  const allowed = new URL(s.config.contentUrl).origin;
  return (req, res, next) => {
    res.append('Vary', 'Origin');
    if (req.get('Origin') === allowed) {
      res.setHeader('Access-Control-Allow-Origin', allowed);
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.setHeader('Cache-Control', 'no-store');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      res.status(204).end();
      return;
    }
    next();
  };
}

/** Mounts /api/runtime/sessions/:sessionId (GET seed) and .../commits (POST). */
export function runtimeRouter(s: AppServices): Router {
  const r = Router();
  r.use('/api/runtime', contentOriginCors(s));
  // text/plain too: a beacon or a keepalive fetch without preflight sends JSON as text.
  const body = jsonBody({ type: ['application/json', 'text/plain'], limit: '4mb' });
  r.get('/api/runtime/sessions/:sessionId', (req, res, next) => {
    (async () => {
      const { session } = await authorizeRuntime(s, req.params.sessionId, req.get('Authorization'));
      res.json(await launcherSeed(s, session));
    })().catch(next);
  });
  r.post('/api/runtime/sessions/:sessionId/commits', body, (req, res, next) => {
    (async () => {
      const { session } = await authorizeRuntime(s, req.params.sessionId, req.get('Authorization'));
      res.json(await commitRuntime(s, session, parseCommit(req.body)));
    })().catch(next);
  });
  return r;
}
