/**
 * GET /courses/:courseId/return — the cmi5 returnURL (src/launch/return-url.ts). Content follows it
 * when it is done, wherever it runs:
 * - as the whole page (a top-level navigation): redirected to the course page;
 * - inside the player's frame: a small page this origin may frame; the player page sees its frame
 *   arrive on its own origin and goes to the course page at the top level (a link does the same
 *   where scripts cannot);
 * - in its own window: the player page that opened it closes it and shows the course page.
 * It needs no session and shows nothing about the course: the course page applies the access rules.
 */
import type { Router } from 'express';
import { html } from '../html';

/** Mounts the return page on `router`. */
export function mountReturnPage(router: Router): void {
  router.get('/courses/:courseId/return', (req, res) => {
    const coursePage = `/courses/${encodeURIComponent(String(req.params['courseId']))}`;
    res.set('Cache-Control', 'no-store');
    if (req.get('sec-fetch-dest') === 'document') {
      res.redirect(303, coursePage);
      return;
    }
    res.set('Content-Security-Policy', "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'");
    res.set('X-Frame-Options', 'SAMEORIGIN');
    res.type('html').send(html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Back to the course · LearnHQ</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main><p>This part of the course has ended. <a href="${coursePage}" target="_top">Back to the course</a></p></main></body></html>`.toString());
  });
}
