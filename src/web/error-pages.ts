import type { ErrorRequestHandler } from 'express';
import { errorAnswer } from '../http/error-middleware';
import type { Logger } from '../logger';
import { sendPage } from './accounts/render';
import { html } from './html';

const TITLES: Record<number, string> = { 403: 'Not allowed', 404: 'Page not found', 500: 'Something went wrong' };

/**
 * Browsers asking for a page (GET with Accept text/html, outside /api, /xapi and other machine
 * paths) get 404/403/500 as pages in the site's layout (issue 18); everything else falls through
 * to the JSON error middleware. 500s say nothing internal.
 */
export function browserErrorPages(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const machine = /^\/(api|xapi|cmi5|static|runtime|content)(\/|$)/.test(req.path);
    if (res.headersSent || machine || (req.method !== 'GET' && req.method !== 'HEAD') || req.accepts(['json', 'html']) !== 'html') {
      next(err);
      return;
    }
    const answer = errorAnswer(err, logger, { method: req.method, url: req.originalUrl });
    if (answer.status !== 403 && answer.status !== 404 && answer.status < 500) {
      next(err);
      return;
    }
    const title = TITLES[answer.status] ?? TITLES[500]!;
    const text = answer.status === 404
      ? 'There is no page at this address, or it is not yours to see.'
      : answer.status === 403 ? 'Your roles do not allow this page.' : 'LearnHQ could not show this page. Try again in a moment.';
    sendPage(res, answer.status, { title, body: html`<h1>${title}</h1><p>${text}</p><p><a href="/">Go to the home page</a></p>` });
  };
}
