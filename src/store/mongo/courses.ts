import type { Db, Filter } from 'mongodb';
import type { CourseModel, PackageFormat, ValidationReport } from '../../packages/course-model';
import type { Course, CourseState, CourseStore, CourseVersion, CourseVersionInfo } from '../ports';
import { conflict } from '../../errors';
import { guard } from './errors';

/**
 * `orgSlug` (`orgId|slug`) exists only when the course has a slug: a sparse unique index on it
 * keeps slugs unique per organization (FerretDB has no partial indexes, and a sparse compound
 * index would still index courses without a slug). `sortTitle` is the lower-cased title, so the
 * order matches SQLite's NOCASE without collations.
 */
interface CourseDoc {
  _id: string; orgId: string; slug?: string; orgSlug?: string; title: string; sortTitle: string;
  description: string; language: string; estimatedMinutes?: number; provider: string; ceCredits?: number;
  competencies: string[]; state: string; currentVersionId?: string; currentVersionNumber?: number;
  createdAt: string; updatedAt: string;
}
/** model and report as JSON text: manifests carry free-form keys ('.' and '$' are refused). */
interface VersionDoc {
  _id: string; courseId: string; number: number; format: string; edition?: string; fileSetId: string;
  sha256: string; bytes: number; uploadedBy: string; createdAt: string; model: string; report: string;
}

const INFO_PROJECTION = { model: 0, report: 0 } as const;

/** Creates the course indexes; idempotent; one createIndex per index (FerretDB). */
export async function ensureMongoCourseIndexes(db: Db): Promise<void> {
  await db.collection('courses').createIndex({ orgSlug: 1 }, { name: 'org_slug_unique', unique: true, sparse: true });
  await db.collection('courses').createIndex({ orgId: 1, sortTitle: 1, _id: 1 }, { name: 'org_title' });
  await db.collection('courses').createIndex({ state: 1, sortTitle: 1, _id: 1 }, { name: 'state_title' });
  await db.collection('course_versions').createIndex({ courseId: 1, number: -1 }, { name: 'course_number_unique', unique: true });
  await db.collection('course_versions').createIndex({ fileSetId: 1 }, { name: 'file_set' });
}

function toDoc(c: Course): CourseDoc {
  return {
    _id: c.id,
    orgId: c.orgId,
    ...(c.slug !== undefined ? { slug: c.slug, orgSlug: `${c.orgId}|${c.slug}` } : {}),
    title: c.title,
    sortTitle: c.title.toLowerCase(),
    description: c.description,
    language: c.language,
    ...(c.estimatedMinutes !== undefined ? { estimatedMinutes: c.estimatedMinutes } : {}),
    provider: c.provider,
    ...(c.ceCredits !== undefined ? { ceCredits: c.ceCredits } : {}),
    competencies: [...c.competencies],
    state: c.state,
    ...(c.currentVersionId !== undefined ? { currentVersionId: c.currentVersionId } : {}),
    ...(c.currentVersionNumber !== undefined ? { currentVersionNumber: c.currentVersionNumber } : {}),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

function toCourse(d: CourseDoc): Course {
  return {
    id: d._id,
    orgId: d.orgId,
    ...(d.slug !== undefined && d.slug !== null ? { slug: d.slug } : {}),
    title: d.title,
    description: d.description,
    language: d.language,
    ...(typeof d.estimatedMinutes === 'number' ? { estimatedMinutes: d.estimatedMinutes } : {}),
    provider: d.provider,
    ...(typeof d.ceCredits === 'number' ? { ceCredits: d.ceCredits } : {}),
    competencies: d.competencies,
    state: d.state as CourseState,
    ...(d.currentVersionId !== undefined && d.currentVersionId !== null ? { currentVersionId: d.currentVersionId } : {}),
    ...(typeof d.currentVersionNumber === 'number' ? { currentVersionNumber: d.currentVersionNumber } : {}),
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

function toVersionDoc(v: CourseVersion): VersionDoc {
  return {
    _id: v.id,
    courseId: v.courseId,
    number: v.number,
    format: v.format,
    ...(v.edition !== undefined ? { edition: v.edition } : {}),
    fileSetId: v.fileSetId,
    sha256: v.sha256,
    bytes: v.bytes,
    uploadedBy: v.uploadedBy,
    createdAt: v.createdAt,
    model: JSON.stringify(v.model),
    report: JSON.stringify(v.report),
  };
}

function toInfo(d: Omit<VersionDoc, 'model' | 'report'>): CourseVersionInfo {
  return {
    id: d._id,
    courseId: d.courseId,
    number: d.number,
    format: d.format as PackageFormat,
    ...(typeof d.edition === 'string' ? { edition: d.edition } : {}),
    fileSetId: d.fileSetId,
    sha256: d.sha256,
    bytes: d.bytes,
    uploadedBy: d.uploadedBy,
    createdAt: d.createdAt,
  };
}

/** The MongoDB CourseStore. */
export function createMongoCourseStore(db: Db): CourseStore {
  const courses = db.collection<CourseDoc>('courses');
  const versions = db.collection<VersionDoc>('course_versions');

  return {
    async insertCourse(course, firstVersion) {
      // No transactions on every deployment (FerretDB): the version goes first, so a course is
      // never visible without its version; a refused course takes its version back out.
      await guard('storing a course version', () => versions.insertOne(toVersionDoc(firstVersion)),
        () => `version id ${firstVersion.id} or version ${firstVersion.number} of course ${firstVersion.courseId} already exists`);
      try {
        await guard('storing a course', () => courses.insertOne(toDoc(course)),
          () => `course id ${course.id} or slug ${course.slug ?? '(none)'} in organization ${course.orgId} already exists`);
      } catch (err) {
        await versions.deleteOne({ _id: firstVersion.id }).catch(() => undefined);
        throw err;
      }
    },
    async findCourse(id) {
      const d = await guard('reading a course', () => courses.findOne({ _id: id }));
      return d ? toCourse(d) : undefined;
    },
    async findCourseBySlug(orgId, slug) {
      const d = await guard('reading a course', () => courses.findOne({ orgSlug: `${orgId}|${slug}` }));
      return d ? toCourse(d) : undefined;
    },
    async findCourses(filter) {
      const q: Filter<CourseDoc> = {};
      if (filter.orgIds !== undefined) {
        if (filter.orgIds.length === 0) return [];
        q.orgId = { $in: [...filter.orgIds] };
      }
      if (filter.states !== undefined) {
        if (filter.states.length === 0) return [];
        q.state = { $in: [...filter.states] };
      }
      const docs = await guard('listing courses', () => {
        const cursor = courses.find(q).sort({ sortTitle: 1, _id: 1 });
        if (filter.limit !== undefined) cursor.limit(Math.max(0, Math.trunc(filter.limit)));
        return cursor.toArray();
      });
      // limit(0) means "no limit" to MongoDB.
      return (filter.limit === 0 ? [] : docs).map(toCourse);
    },
    async updateCourse(id, patch) {
      const existing = await guard('reading a course', () => courses.findOne({ _id: id }));
      if (!existing) return undefined;
      const set: Partial<CourseDoc> = { updatedAt: patch.updatedAt };
      const unset: Record<string, ''> = {};
      if (patch.title !== undefined) Object.assign(set, { title: patch.title, sortTitle: patch.title.toLowerCase() });
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.language !== undefined) set.language = patch.language;
      if (patch.provider !== undefined) set.provider = patch.provider;
      if (patch.state !== undefined) set.state = patch.state;
      if (patch.competencies !== undefined) set.competencies = [...patch.competencies];
      if (patch.slug === null) Object.assign(unset, { slug: '', orgSlug: '' });
      else if (patch.slug !== undefined) Object.assign(set, { slug: patch.slug, orgSlug: `${existing.orgId}|${patch.slug}` });
      if (patch.estimatedMinutes === null) unset['estimatedMinutes'] = '';
      else if (patch.estimatedMinutes !== undefined) set.estimatedMinutes = patch.estimatedMinutes;
      if (patch.ceCredits === null) unset['ceCredits'] = '';
      else if (patch.ceCredits !== undefined) set.ceCredits = patch.ceCredits;
      if (typeof patch.slug === 'string') {
        // MongoDB reports a unique-index clash on update as E11000, FerretDB as InternalError (code
        // 1), so look first; the unique index still decides a race between two updates.
        const orgSlug = `${existing.orgId}|${patch.slug}`;
        const holder = await guard('reading a course', () => courses.findOne({ orgSlug, _id: { $ne: id } }, { projection: { _id: 1 } }));
        if (holder) throw conflict(`slug ${patch.slug} is already used by another course of the organization`);
      }
      const update = Object.keys(unset).length ? { $set: set, $unset: unset } : { $set: set };
      await guard('updating a course', () => courses.updateOne({ _id: id }, update),
        () => `slug ${String(patch.slug)} is already used by another course of the organization`);
      const d = await guard('reading a course', () => courses.findOne({ _id: id }));
      return d ? toCourse(d) : undefined;
    },
    async insertVersion(version) {
      await guard('storing a course version', () => versions.insertOne(toVersionDoc(version)),
        () => `version id ${version.id} or version ${version.number} of course ${version.courseId} already exists`);
    },
    async findVersion(id) {
      const d = await guard('reading a course version', () => versions.findOne({ _id: id }));
      if (!d) return undefined;
      return { ...toInfo(d), model: JSON.parse(d.model) as CourseModel, report: JSON.parse(d.report) as ValidationReport };
    },
    async findVersions(courseId) {
      const docs = await guard('listing course versions', () =>
        versions.find({ courseId }, { projection: INFO_PROJECTION }).sort({ number: -1 }).toArray());
      return docs.map(toInfo);
    },
    async findFileSetIds(fileSetIds) {
      if (fileSetIds.length === 0) return [];
      const docs = await guard('reading course versions', () =>
        versions.find({ fileSetId: { $in: [...new Set(fileSetIds)] } }, { projection: { fileSetId: 1 } }).toArray());
      return [...new Set(docs.map((d) => d.fileSetId))];
    },
    async updateCourseCurrentVersion(courseId, version, updatedAt) {
      const r = await guard('moving the current course version', () =>
        courses.updateOne(
          { _id: courseId, $or: [{ currentVersionNumber: { $exists: false } }, { currentVersionNumber: { $lt: version.number } }] },
          { $set: { currentVersionId: version.id, currentVersionNumber: version.number, updatedAt } },
        ));
      return r.modifiedCount > 0;
    },
  };
}
