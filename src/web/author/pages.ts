import express, { type Request, type Router } from 'express';
import { requireCsrf, requireUser } from '../../accounts/guards';
import { forbidden, isAppError } from '../../errors';
import { parseCatalogPatch } from '../../packages/catalog-fields';
import { changeCourseState, listAuthorCourses, updateCatalog, type CourseServicesSource } from '../../packages/service';
import { sendPage, signedIn } from '../accounts/render';
import { pageErrorHandler, sentence } from '../accounts/page-errors';
import { authorCourseView } from './course-page';
import { authorHomeView } from './views';

const NOTICES: Record<string, string> = {
  saved: 'Catalog data saved.',
  publish: 'The course is published: learners see it in the catalog.',
  retire: 'The course is retired: it is no longer in the catalog.',
};

/** The author console pages; each calls the same service functions as the /api twin. */
export function mountAuthorPages(router: Router, source: CourseServicesSource): void {
  const pages = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });
  const param = (req: Request, name: string): string => String(req.params[name] ?? '');
  pages.use('/author', requireUser());

  pages.get('/author', async (_req, res) => {
    const s = await source();
    const user = signedIn(res);
    const authorsSomewhere = user.isSiteAdmin || [...user.roles.values()].some((r) => r.has('author'));
    if (!authorsSomewhere) throw forbidden('the author console needs the role author in an organization');
    const orgs = await listAuthorCourses(s, user);
    sendPage(res, 200, { title: 'Author console', body: authorHomeView(user, orgs), scripts: ['/static/upload.js'] });
  });

  pages.get('/author/courses/:courseId', async (req, res) => {
    const s = await source();
    const notice = NOTICES[String(req.query['notice'] ?? '')];
    await authorCourseView(s, res, param(req, 'courseId'), notice ? { kind: 'info', text: notice } : undefined);
  });

  pages.post('/author/courses/:courseId', form, requireCsrf(), async (req, res) => {
    const s = await source();
    const courseId = param(req, 'courseId');
    try {
      await updateCatalog(s, signedIn(res), courseId, parseCatalogPatch(req.body, { allowFormFields: true }));
    } catch (err) {
      if (!isAppError(err) || (err.status !== 400 && err.status !== 409)) throw err;
      // The person fixes the field and tries again: show why, in place.
      await authorCourseView(s, res, courseId, { kind: 'error', text: sentence(err.message) }, err.status);
      return;
    }
    res.redirect(303, `/author/courses/${encodeURIComponent(courseId)}?notice=saved`);
  });

  for (const action of ['publish', 'retire'] as const) {
    pages.post(`/author/courses/:courseId/${action}`, form, requireCsrf(), async (req, res) => {
      const s = await source();
      const courseId = param(req, 'courseId');
      await changeCourseState(s, signedIn(res), courseId, action);
      res.redirect(303, `/author/courses/${encodeURIComponent(courseId)}?notice=${action}`);
    });
  }

  pages.use(pageErrorHandler());
  router.use(pages);
}
