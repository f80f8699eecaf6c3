/**
 * Courses: the rules. An author of an organization (or the site administrator) uploads packages
 * as courses of that organization, edits their catalog data, adds versions, publishes and retires
 * them; any signed-in person browses published courses. Routes (src/packages/routes.ts) and pages
 * (src/web/author, src/web/catalog) call these functions, so both enforce the same rules.
 */
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../accounts/audit';
import { ensureCoursesIndexed, syncCourseEntry } from '../catalog/course-entries';
import { viewerOf, visibleTo } from '../catalog/visibility';
import { hasRole, type UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { badRequest, conflict, forbidden, isAppError, notFound } from '../errors';
import type { Course, CourseState, CourseVersion, CourseVersionInfo, FileStore, Organization } from '../store/ports';
import type { CatalogPatch } from './catalog-fields';
import type { ValidationReport } from './course-model';
import { importPackage, PackageRefused, type ImportedPackage } from './import';
import type { ReceivedUpload } from './upload';

/** What the course functions need: the app services plus the package file store. */
export type CourseServices = AppServices & { readonly files: FileStore };

/** Gives the course services (the file store may be opened lazily on first use). */
export type CourseServicesSource = () => Promise<CourseServices>;

/** A course with its versions (newest first) and the current version's report. */
export interface CourseDetail {
  readonly course: Course;
  readonly versions: readonly CourseVersionInfo[];
  /** Warnings of the current version's import. */
  readonly report: ValidationReport;
}

/** The result of an upload: the course, the version it created and the import's warnings. */
export interface UploadResult {
  readonly course: Course;
  readonly version: CourseVersionInfo;
  readonly report: ValidationReport;
}

/** Courses of one organization for its authors. */
export interface OrgCourses {
  readonly org: Organization;
  readonly courses: readonly Course[];
}

/** Throws 403 unless `user` is an author of `orgId` (the site administrator always is). */
export function assertAuthorOf(user: UserContext, orgId: string): void {
  if (!hasRole(user, orgId, 'author')) throw forbidden(`this needs the role author in organization ${orgId}`);
}

/** The organization an author uploads into; 403 before 404 so ids of other organizations stay opaque. */
export async function authorOrg(s: CourseServices, user: UserContext, orgId: string): Promise<Organization> {
  assertAuthorOf(user, orgId);
  const org = await s.store.accounts.findOrganization(orgId);
  if (!org) throw notFound(`no organization ${orgId}`);
  return org;
}

/**
 * The course, when `user` is an author of its organization; 404 when unknown, 403 otherwise. A
 * course outside the catalog (draft or retired) is 404 too for anyone outside its organization,
 * exactly as an unknown id (issue 11): only published courses are known site-wide.
 */
export async function courseForAuthor(s: CourseServices, user: UserContext, courseId: string): Promise<Course> {
  const course = await s.store.courses.findCourse(courseId);
  if (!course) throw notFound(`no course ${courseId}`);
  const member = user.isSiteAdmin || (user.roles.get(course.orgId)?.size ?? 0) > 0;
  if (!member && course.state !== 'published') throw notFound(`no course ${courseId}`);
  assertAuthorOf(user, course.orgId);
  return course;
}

function infoOf(v: CourseVersion): CourseVersionInfo {
  const { model: _model, report: _report, ...info } = v;
  return info;
}

function versionOf(courseId: string, number: number, imported: ImportedPackage, user: UserContext, at: string): CourseVersion {
  return {
    id: randomUUID(),
    courseId,
    number,
    format: imported.format,
    ...(imported.edition !== undefined ? { edition: imported.edition } : {}),
    fileSetId: imported.fileSetId,
    sha256: imported.sha256,
    bytes: imported.bytes,
    uploadedBy: user.userId,
    createdAt: at,
    model: imported.model,
    report: imported.report,
  };
}

/** Deletes a stored file set that no version will point to; failures are logged, not thrown. */
async function discardFiles(s: CourseServices, fileSetId: string): Promise<void> {
  await s.files.deleteTree(fileSetId).catch((err: unknown) => s.logger.error({ err, fileSetId }, 'courses: could not delete an orphaned file set'));
}

/** Imports an uploaded package as a new draft course of `orgId` (version 1). */
export async function createCourseFromUpload(s: CourseServices, user: UserContext, orgId: string, upload: ReceivedUpload): Promise<UploadResult> {
  const org = await authorOrg(s, user, orgId);
  const imported = await importPackage(s, upload);
  const at = s.now().toISOString();
  const courseId = randomUUID();
  const version = versionOf(courseId, 1, imported, user, at);
  const model = imported.model;
  const course: Course = {
    id: courseId,
    orgId,
    title: model.title.slice(0, 200),
    description: (model.description ?? '').slice(0, 10000),
    language: model.language ?? 'en',
    provider: org.name,
    competencies: [],
    state: 'draft',
    currentVersionId: version.id,
    currentVersionNumber: 1,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await s.store.courses.insertCourse(course, version);
  } catch (err) {
    await discardFiles(s, imported.fileSetId);
    throw err;
  }
  await syncCourseEntry(s, course);
  await recordAudit(s, user, {
    action: 'course.create',
    orgId,
    target: courseId,
    details: { title: course.title, versionId: version.id, format: version.format, sha256: version.sha256, bytes: version.bytes },
  });
  return { course, version: infoOf(version), report: imported.report };
}

/** Options of {@link addVersionFromUpload}. */
export interface AddVersionOptions {
  /** The author confirmed that the new version may change the course's package format. */
  readonly confirmFormatChange?: boolean;
}

const FORMAT_NAMES: Readonly<Record<string, string>> = { scorm12: 'SCORM 1.2', scorm2004: 'SCORM 2004', tincan: 'xAPI (tincan.xml)', cmi5: 'cmi5' };

/**
 * 409 unless confirmed when a new version would change the course's format: learners who started
 * keep the old version, but everyone who starts later gets another kind of content whose records
 * do not continue the old ones, so it must never happen by mistake (issue 17 item 15).
 */
function formatChangeRefusal(current: CourseVersion, next: string, warnings: ValidationReport['warnings']): PackageRefused {
  const from = FORMAT_NAMES[current.format] ?? current.format;
  const to = FORMAT_NAMES[next] ?? next;
  const message = `this package is ${to}, but the course is ${from} (version ${current.number}): a new version in another format starts `
    + `everyone who launches later on different content whose records do not continue the old ones; learners who started keep version ${current.number}. `
    + 'Upload it again with confirmFormatChange=true to add it anyway';
  return new PackageRefused({ errors: [{ code: 'format_change', message, path: '/' }], warnings }, 'conflict');
}

/**
 * Imports an uploaded package as the next version of a course and makes it current. Older
 * versions stay: registrations made on them keep using their files. A package of another format
 * than the current version is refused (409, report code `format_change`) unless confirmed.
 */
export async function addVersionFromUpload(s: CourseServices, user: UserContext, courseId: string, upload: ReceivedUpload, options: AddVersionOptions = {}): Promise<UploadResult> {
  const course = await courseForAuthor(s, user, courseId);
  const current = course.currentVersionId !== undefined ? await s.store.courses.findVersion(course.currentVersionId) : undefined;
  const imported = await importPackage(s, upload, (model, report) => {
    if (current && model.format !== current.format && options.confirmFormatChange !== true) throw formatChangeRefusal(current, model.format, report.warnings);
  });
  let version: CourseVersion | undefined;
  try {
    // Two uploads at once may pick the same number; the unique (course, number) decides, the loser retries.
    for (let attempt = 0; attempt < 5 && version === undefined; attempt++) {
      const latest = (await s.store.courses.findVersions(courseId))[0]?.number ?? 0;
      const candidate = versionOf(courseId, latest + 1, imported, user, s.now().toISOString());
      try {
        await s.store.courses.insertVersion(candidate);
        version = candidate;
      } catch (err) {
        if (!(isAppError(err) && err.code === 'conflict')) throw err;
      }
    }
    if (version === undefined) throw conflict(`course ${courseId} is receiving several versions at once; try again`);
  } catch (err) {
    await discardFiles(s, imported.fileSetId);
    throw err;
  }
  await s.store.courses.updateCourseCurrentVersion(courseId, version, version.createdAt);
  await recordAudit(s, user, {
    action: 'course.version',
    orgId: course.orgId,
    target: courseId,
    details: {
      versionId: version.id, number: version.number, format: version.format, sha256: version.sha256, bytes: version.bytes,
      ...(current && current.format !== version.format ? { formatChangedFrom: current.format } : {}),
    },
  });
  const updated = (await s.store.courses.findCourse(courseId)) ?? course;
  await syncCourseEntry(s, updated);
  return { course: updated, version: infoOf(version), report: imported.report };
}

/** A course with its versions for its authors. */
export async function getCourseDetail(s: CourseServices, user: UserContext, courseId: string): Promise<CourseDetail> {
  const course = await courseForAuthor(s, user, courseId);
  const versions = await s.store.courses.findVersions(courseId);
  const current = course.currentVersionId !== undefined ? await s.store.courses.findVersion(course.currentVersionId) : undefined;
  return { course, versions, report: current?.report ?? { errors: [], warnings: [] } };
}

/** Changes catalog data. */
export async function updateCatalog(s: CourseServices, user: UserContext, courseId: string, patch: CatalogPatch): Promise<Course> {
  const course = await courseForAuthor(s, user, courseId);
  if (Object.keys(patch).length === 0) return course;
  const updated = await s.store.courses.updateCourse(courseId, { ...patch, updatedAt: s.now().toISOString() });
  if (!updated) throw notFound(`no course ${courseId}`);
  await syncCourseEntry(s, updated);
  await recordAudit(s, user, { action: 'course.update', orgId: course.orgId, target: courseId, details: { fields: Object.keys(patch) } });
  return updated;
}

const TRANSITIONS: Record<'publish' | 'retire', { from: readonly CourseState[]; to: CourseState }> = {
  publish: { from: ['draft', 'retired'], to: 'published' },
  retire: { from: ['draft', 'published'], to: 'retired' },
};

/** Publishes (draft or retired → published) or retires (draft or published → retired) a course. */
export async function changeCourseState(s: CourseServices, user: UserContext, courseId: string, action: 'publish' | 'retire'): Promise<Course> {
  const course = await courseForAuthor(s, user, courseId);
  const t = TRANSITIONS[action];
  if (course.state === t.to) return course;
  if (!t.from.includes(course.state)) throw conflict(`course ${courseId} is ${course.state}; it cannot be ${action === 'publish' ? 'published' : 'retired'}`);
  if (action === 'publish' && course.currentVersionId === undefined) throw badRequest(`course ${courseId} has no version to publish`);
  const updated = await s.store.courses.updateCourse(courseId, { state: t.to, updatedAt: s.now().toISOString() });
  if (!updated) throw notFound(`no course ${courseId}`);
  await syncCourseEntry(s, updated);
  await recordAudit(s, user, { action: `course.${action}`, orgId: course.orgId, target: courseId, details: { from: course.state, to: t.to, title: course.title } });
  return updated;
}

/** Most courses in one catalog answer. */
export const MAX_CATALOG = 1000;

/** Published courses the person may see (visibility, issue 18): what they may start. */
export async function listCatalog(s: CourseServices, user: UserContext, filter: { readonly competency?: string } = {}): Promise<Course[]> {
  await ensureCoursesIndexed(s);
  const courses = await s.store.courses.findCourses({ states: ['published'], limit: MAX_CATALOG });
  const viewer = viewerOf(user);
  const entries = new Map((await s.store.catalog.findCatalogEntries(courses.map((c) => c.id))).map((e) => [e.id, e]));
  return courses.filter((c) => {
    const e = entries.get(c.id);
    // Issue 14: `frameworkId|itemIdentifier` of a competency the course is aligned to.
    if (filter.competency !== undefined && !c.competencies.includes(filter.competency)) return false;
    return e === undefined || visibleTo(viewer, e);
  });
}

/** The courses of every organization where `user` is an author (every organization for the site admin). */
export async function listAuthorCourses(s: CourseServices, user: UserContext): Promise<OrgCourses[]> {
  const orgs = (await s.store.accounts.findOrganizations()).filter((o) => user.isSiteAdmin || hasRole(user, o.id, 'author'));
  if (orgs.length === 0) return [];
  const courses = await s.store.courses.findCourses({ orgIds: orgs.map((o) => o.id) });
  return orgs.map((org) => ({ org, courses: courses.filter((c) => c.orgId === org.id) }));
}
