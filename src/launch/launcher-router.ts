/**
 * The launcher page on the content origin: `/launch/:sessionId` (an HTML shell) and
 * `/launch-assets/launcher.js` (the esbuild bundle of player/launcher.ts). It needs no store: the
 * page learns everything from the app origin's runtime API with the launch token in its URL
 * fragment. Mount it in createContentApp before the 404 handler: `app.use(launcherRouter(services))`.
 */
import path from 'node:path';
import express, { Router } from 'express';
import type { Config } from '../config';

/** What the launcher router needs. */
export interface LauncherServices {
  readonly config: Pick<Config, 'publicUrl'>;
}

const SESSION_ID = /^[0-9a-f-]{36}$/i;

/** The launcher page: static markup; the bundle does the rest. */
export function launcherPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Course content</title>
<style>html,body{margin:0;height:100%;font:16px/1.5 system-ui,sans-serif}#sco-frame{border:0;width:100%;height:100%;display:block}#launcher-status:empty{display:none}#launcher-status{margin:0;padding:.5rem 1rem;background:#fff7d6}</style>
<script type="module" src="/launch-assets/launcher.js"></script>
</head>
<body>
<p id="launcher-status" role="status" aria-live="polite">Loading the course…</p>
<iframe id="sco-frame" title="Course content" allow="fullscreen; autoplay"></iframe>
</body>
</html>`;
}

/** Routes of the launcher on the content origin. */
export function launcherRouter(services: LauncherServices): Router {
  const r = Router();
  const appOrigin = new URL(services.config.publicUrl).origin;
  const page = launcherPage();
  r.get('/launch/:sessionId', (req, res) => {
    if (!SESSION_ID.test(req.params.sessionId)) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    // Only our bundle runs here; the SCO frame is this origin's /content; fetches go to the app origin.
    res.setHeader('Content-Security-Policy', [
      `frame-ancestors ${appOrigin}`, "script-src 'self'", "style-src 'unsafe-inline'", "frame-src 'self'",
      `connect-src ${appOrigin}`, "object-src 'none'", "base-uri 'none'",
    ].join('; '));
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(page);
  });
  r.use('/launch-assets', express.static(path.join(__dirname, '..', 'web', 'static', 'player'), {
    index: false,
    maxAge: '1h',
    // Chunks are named by their content hash: a new build gives new names, so they never go stale.
    setHeaders: (res, file) => {
      if (file.includes(`${path.sep}chunks${path.sep}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  }));
  return r;
}
