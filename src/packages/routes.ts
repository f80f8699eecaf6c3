import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { jsonBody } from '../http/json-body';
import { requireCsrf, requireUser, userOf } from '../accounts/guards';
import { badRequest } from '../errors';
import type { AppServices } from '../deps';
import { openFileStore } from '../store/files';
import type { FileStore } from '../store/ports';
import { mountAuthorPages } from '../web/author/pages';
import { mountCatalogPages } from '../web/catalog/pages';
import { parseCatalogPatch } from './catalog-fields';
import { isPackageRefused } from './import';
import { uploadTmpDir } from './orphan-sweep';
import {
  addVersionFromUpload,
  authorOrg,
  changeCourseState,
  courseForAuthor,
  createCourseFromUpload,
  getCourseDetail,
  listAuthorCourses,
  updateCatalog,
  type CourseServices,
  type CourseServicesSource,
  type UploadResult,
} from './service';
import { receiveUpload, removeUpload } from './upload';
import { parseCatalogSearch } from '../catalog/search';
import { searchForUser } from '../catalog/service';

/** Resolves the course services once: AppServices.files when main.ts provides it, else one opened here. */
function courseServicesOf(services: AppServices): CourseServicesSource {
  const given = (services as AppServices & { files?: FileStore }).files;
  if (given) {
    const s: CourseServices = { ...services, files: given };
    return () => Promise.resolve(s);
  }
  let opened: Promise<CourseServices> | undefined;
  return () => {
    opened ??= openFileStore(services.config).then((files) => ({ ...services, files }));
    return opened;
  };
}

/** The signed-in person (src/accounts/guards.ts), re-exported for the pages that took it from here. */
export { userOf } from '../accounts/guards';

/**
 * Receives the request body as a zip (raw application/zip or multipart), runs `use` on it and
 * deletes the temp file whatever happens.
 */
async function withUpload<T>(req: Request, s: CourseServices, use: (upload: Awaited<ReturnType<typeof receiveUpload>>) => Promise<T>): Promise<T> {
  const upload = await receiveUpload(req, { maxBytes: s.config.maxUploadBytes, tmpDir: uploadTmpDir(s) });
  try {
    return await use(upload);
  } finally {
    await removeUpload(upload).catch(() => undefined);
  }
}

function uploadBody(r: UploadResult): Record<string, unknown> {
  return { course: r.course, version: r.version, report: r.report };
}

/** A refused package answers with its whole report, so the author sees every problem at once. */
const refusedHandler: ErrorRequestHandler = (err, _req, res, next) => {
  if (!isPackageRefused(err) || res.headersSent) {
    next(err);
    return;
  }
  res.status(err.status).json({ error: err.code, message: err.message, report: err.report });
};

type Handler = (req: Request, res: Response, s: CourseServices) => Promise<void>;

/**
 * Courses: the JSON API (below) and the author and catalog pages (src/web/author,
 * src/web/catalog). Both call src/packages/service.ts, so they enforce the same rules.
 *
 *   POST  /api/orgs/:orgId/courses          upload a zip → new draft course (201)
 *   POST  /api/courses/:courseId/versions   upload a zip → next version, made current (201); another
 *                                           format than the current version's is 409 unless
 *                                           ?confirmFormatChange=true
 *   GET   /api/courses/:courseId            course, versions, current version's report
 *   PATCH /api/courses/:courseId            catalog data
 *   POST  /api/courses/:courseId/publish    draft|retired → published
 *   POST  /api/courses/:courseId/retire     draft|published → retired
 *   GET   /api/catalog                      published courses (any signed-in person)
 *   GET   /api/author/courses               the caller's organizations with their courses
 */
export function packagesRouter(services: AppServices): Router {
  const source = courseServicesOf(services);
  const router = Router();
  const api = Router();
  const signedIn = requireUser();
  const csrf = requireCsrf();
  const json = jsonBody({ limit: '64kb', type: ['application/json', 'application/*+json'] });
  const run = (h: Handler): RequestHandler => (req, res, next) => {
    source().then((s) => h(req, res, s)).catch(next);
  };
  const param = (req: Request, name: string): string => String(req.params[name] ?? '');

  api.post('/orgs/:orgId/courses', signedIn, csrf, run(async (req, res, s) => {
    const user = userOf(res);
    // Refuse before reading a byte of a possibly huge body.
    await authorOrg(s, user, param(req, 'orgId'));
    const result = await withUpload(req, s, (upload) => createCourseFromUpload(s, user, param(req, 'orgId'), upload));
    res.status(201).location(`/api/courses/${result.course.id}`).json(uploadBody(result));
  }));

  api.post('/courses/:courseId/versions', signedIn, csrf, run(async (req, res, s) => {
    const user = userOf(res);
    await courseForAuthor(s, user, param(req, 'courseId'));
    const confirm = req.query['confirmFormatChange'];
    if (confirm !== undefined && confirm !== 'true' && confirm !== 'false') throw badRequest(`confirmFormatChange: must be true or false, got ${JSON.stringify(confirm)}`);
    const result = await withUpload(req, s, (upload) => addVersionFromUpload(s, user, param(req, 'courseId'), upload, { confirmFormatChange: confirm === 'true' }));
    res.status(201).json(uploadBody(result));
  }));

  api.get('/courses/:courseId', signedIn, run(async (req, res, s) => {
    res.json(await getCourseDetail(s, userOf(res), param(req, 'courseId')));
  }));

  api.patch('/courses/:courseId', signedIn, json, csrf, run(async (req, res, s) => {
    const patch = parseCatalogPatch(req.body);
    res.json({ course: await updateCatalog(s, userOf(res), param(req, 'courseId'), patch) });
  }));

  for (const action of ['publish', 'retire'] as const) {
    api.post(`/courses/:courseId/${action}`, signedIn, csrf, run(async (req, res, s) => {
      res.json({ course: await changeCourseState(s, userOf(res), param(req, 'courseId'), action) });
    }));
  }

  // Search with facets, sorting and paging (issue 18); `courses` holds the Course records of the page's course entries.
  api.get('/catalog', signedIn, run(async (req, res, s) => {
    res.json(await searchForUser(s, userOf(res), parseCatalogSearch(req.query as Record<string, unknown>)));
  }));

  api.get('/author/courses', signedIn, run(async (_req, res, s) => {
    res.json({ organizations: await listAuthorCourses(s, userOf(res)) });
  }));

  api.use(refusedHandler);
  router.use('/api', api);
  mountAuthorPages(router, source);
  mountCatalogPages(router, source);
  return router;
}
