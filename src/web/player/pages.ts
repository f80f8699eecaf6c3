/**
 * Learner pages of the player: /courses/:courseId (course page), /play/:sessionId (player) and
 * /courses/:courseId/return (where content returns the learner). The player page runs only our
 * bundle and frames only what its course needs: the app's one CSP (src/http/security-headers.ts)
 * with frame-src widened for that course (csp.ts).
 */
import express, { type Router } from 'express';
import { requireCsrf, requireUser } from '../../accounts/guards';
import type { AppServices } from '../../deps';
import { courseStanding, launchCourse, openPlayer, parseLaunchRequest } from '../../launch/service';
import type { LaunchOptions } from '../../launch/types';
import { pageErrorHandler } from '../accounts/page-errors';
import { sendPage, signedIn } from '../accounts/render';
import { playerPageCsp } from './csp';
import { mountReturnPage } from './return-page';
import { coursePageView, playerPageView } from './views';
import { courseCompetencyPanel } from '../competency/course-panel';
import { html } from '../html';
import { assignLinks } from '../learning/assign-links';

/** Mounts the course and player pages on `router`. */
export function mountPlayerPages(router: Router, s: AppServices, options: LaunchOptions): void {
  const pages = express.Router();
  mountReturnPage(pages);
  const contentOrigin = new URL(s.config.contentUrl).origin;
  pages.get('/courses/:courseId', requireUser(), async (req, res) => {
    const user = signedIn(res);
    const standing = await courseStanding(s, user, String(req.params['courseId']));
    // Competencies the course is aligned to (issue 14), after the course's own content.
    const competencies = await courseCompetencyPanel(s, user, standing.course.id);
    // Those who assign learning (issue 18) reach the assignments page with the course chosen.
    const assign = await assignLinks(s, user, standing.course.id, 'course');
    sendPage(res, 200, { title: standing.course.title, body: html`${coursePageView(standing, user.csrfToken)}${assign}${competencies}` });
  });
  pages.post('/courses/:courseId/launch', requireUser(), express.urlencoded({ extended: false, limit: '8kb' }), requireCsrf(), async (req, res) => {
    const result = await launchCourse(s, signedIn(res), String(req.params['courseId']), parseLaunchRequest(req.body));
    res.redirect(303, `/play/${result.sessionId}`);
  });
  pages.get('/play/:sessionId', requireUser(), async (req, res) => {
    const user = signedIn(res);
    const view = await openPlayer(s, user, String(req.params['sessionId']), options);
    res.setHeader('Content-Security-Policy', playerPageCsp(contentOrigin, view.version.model));
    sendPage(res, 200, { title: view.course.title, scripts: ['/static/player/player.js'], body: playerPageView(view, contentOrigin, user.csrfToken) });
  });
  pages.use(pageErrorHandler());
  router.use(pages);
}
