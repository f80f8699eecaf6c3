import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AppServices } from '../deps';
import { parsePackage } from '../packages/manifest';
import { mimeTypeOf } from '../packages/mime';
import type { Course, CourseVersion, FileStore } from '../store/ports';
import { DEMO_COURSE, DEMO_COURSE_FILES } from './demo-course';

/**
 * Publishes the demo SCORM course in the demo provider organization (Northwind Learning), once:
 * only with demo content on, a file store at hand, and no course in the store yet. The package goes
 * through the same manifest parser as an upload. Returns the course id, or undefined.
 */
export async function seedDemoCourse(s: AppServices & { readonly files?: FileStore }): Promise<string | undefined> {
  if (!s.config.demo || !s.files) return undefined;
  if ((await s.store.courses.findCourses({ limit: 1 })).length > 0) return undefined;
  const org = await s.store.accounts.findOrganizationBySlug('northwind-learning');
  if (!org) return undefined;
  const author = await s.store.accounts.findUserByEmail('author@northwind.demo.learnhq.test');

  const files = new Set(Object.keys(DEMO_COURSE_FILES));
  const { model, report } = parsePackage('scorm', DEMO_COURSE_FILES['imsmanifest.xml']!, files);
  if (!model || report.errors.length > 0) {
    s.logger.warn({ errors: report.errors }, 'the demo course did not parse; skipped');
    return undefined;
  }
  const fileSetId = randomUUID();
  const hash = createHash('sha256');
  let bytes = 0;
  for (const [path, text] of Object.entries(DEMO_COURSE_FILES)) {
    await s.files.put(`${fileSetId}/${path}`, Readable.from([Buffer.from(text)]), mimeTypeOf(path));
    hash.update(path).update(text);
    bytes += Buffer.byteLength(text);
  }
  const at = s.now().toISOString();
  const courseId = randomUUID();
  const version: CourseVersion = {
    id: randomUUID(),
    courseId,
    number: 1,
    format: model.format,
    ...(model.format === 'scorm12' || model.format === 'scorm2004' ? { edition: model.edition } : {}),
    fileSetId,
    sha256: hash.digest('hex'),
    bytes,
    uploadedBy: author?.id ?? 'demo',
    createdAt: at,
    model,
    report,
  };
  const course: Course = {
    id: courseId,
    orgId: org.id,
    slug: 'reference-interview-demo',
    title: DEMO_COURSE.title,
    description: DEMO_COURSE.description,
    language: DEMO_COURSE.language,
    estimatedMinutes: DEMO_COURSE.estimatedMinutes,
    provider: org.name,
    ceCredits: DEMO_COURSE.ceCredits,
    competencies: [],
    state: 'published',
    currentVersionId: version.id,
    currentVersionNumber: 1,
    createdAt: at,
    updatedAt: at,
  };
  await s.store.courses.insertCourse(course, version);
  s.logger.info({ courseId }, 'published the demo course');
  return courseId;
}
