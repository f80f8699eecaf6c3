import type { Database } from 'better-sqlite3';
import { conflict } from '../../errors';
import type { CourseModel, PackageFormat, ValidationReport } from '../../packages/course-model';
import type { Course, CourseState, CourseStore, CourseVersion, CourseVersionInfo } from '../ports';

/**
 * Course tables. They grow with uploads, not with statements, so CREATE ... IF NOT EXISTS is
 * enough; a later change adds a guarded step here. The model and report are JSON text.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS courses (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, slug TEXT, title TEXT NOT NULL, description TEXT NOT NULL,
    language TEXT NOT NULL, estimated_minutes INTEGER, provider TEXT NOT NULL, ce_credits REAL,
    competencies TEXT NOT NULL, state TEXT NOT NULL, current_version_id TEXT,
    current_version_number INTEGER, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    UNIQUE (org_id, slug)
  );
  CREATE INDEX IF NOT EXISTS courses_org_title ON courses (org_id, title COLLATE NOCASE, id);
  CREATE INDEX IF NOT EXISTS courses_state_title ON courses (state, title COLLATE NOCASE, id);
  CREATE TABLE IF NOT EXISTS course_versions (
    id TEXT PRIMARY KEY, course_id TEXT NOT NULL, number INTEGER NOT NULL, format TEXT NOT NULL,
    edition TEXT, file_set_id TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL,
    uploaded_by TEXT NOT NULL, created_at TEXT NOT NULL, model TEXT NOT NULL, report TEXT NOT NULL,
    UNIQUE (course_id, number)
  );
  CREATE INDEX IF NOT EXISTS course_versions_file_set ON course_versions (file_set_id);
`;

/** Creates the course tables; idempotent. */
export function migrateSqliteCourses(db: Database): void {
  db.exec(SCHEMA);
}

interface CourseRow {
  id: string; org_id: string; slug: string | null; title: string; description: string; language: string;
  estimated_minutes: number | null; provider: string; ce_credits: number | null; competencies: string;
  state: string; current_version_id: string | null; current_version_number: number | null;
  created_at: string; updated_at: string;
}
interface VersionInfoRow {
  id: string; course_id: string; number: number; format: string; edition: string | null; file_set_id: string;
  sha256: string; bytes: number; uploaded_by: string; created_at: string;
}
interface VersionRow extends VersionInfoRow { model: string; report: string }

function isUniqueViolation(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && 'code' in err &&
    (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
  );
}

function toCourse(r: CourseRow): Course {
  return {
    id: r.id,
    orgId: r.org_id,
    ...(r.slug !== null ? { slug: r.slug } : {}),
    title: r.title,
    description: r.description,
    language: r.language,
    ...(r.estimated_minutes !== null ? { estimatedMinutes: r.estimated_minutes } : {}),
    provider: r.provider,
    ...(r.ce_credits !== null ? { ceCredits: r.ce_credits } : {}),
    competencies: JSON.parse(r.competencies) as string[],
    state: r.state as CourseState,
    ...(r.current_version_id !== null ? { currentVersionId: r.current_version_id } : {}),
    ...(r.current_version_number !== null ? { currentVersionNumber: r.current_version_number } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toInfo(r: VersionInfoRow): CourseVersionInfo {
  return {
    id: r.id,
    courseId: r.course_id,
    number: r.number,
    format: r.format as PackageFormat,
    ...(r.edition !== null ? { edition: r.edition } : {}),
    fileSetId: r.file_set_id,
    sha256: r.sha256,
    bytes: r.bytes,
    uploadedBy: r.uploaded_by,
    createdAt: r.created_at,
  };
}

const COURSE_COLUMNS = {
  slug: 'slug',
  title: 'title',
  description: 'description',
  language: 'language',
  estimatedMinutes: 'estimated_minutes',
  provider: 'provider',
  ceCredits: 'ce_credits',
  competencies: 'competencies',
  state: 'state',
  updatedAt: 'updated_at',
} as const;

/** The SQLite CourseStore. */
export function createSqliteCourseStore(db: Database): CourseStore {
  const q = {
    insertCourse: db.prepare(
      `INSERT INTO courses (id, org_id, slug, title, description, language, estimated_minutes, provider,
       ce_credits, competencies, state, current_version_id, current_version_number, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertVersion: db.prepare(
      `INSERT INTO course_versions (id, course_id, number, format, edition, file_set_id, sha256, bytes,
       uploaded_by, created_at, model, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    course: db.prepare<[string], CourseRow>('SELECT * FROM courses WHERE id = ?'),
    courseBySlug: db.prepare<[string, string], CourseRow>('SELECT * FROM courses WHERE org_id = ? AND slug = ?'),
    version: db.prepare<[string], VersionRow>('SELECT * FROM course_versions WHERE id = ?'),
    versions: db.prepare<[string], VersionInfoRow>(
      `SELECT id, course_id, number, format, edition, file_set_id, sha256, bytes, uploaded_by, created_at
       FROM course_versions WHERE course_id = ? ORDER BY number DESC`,
    ),
    moveCurrent: db.prepare<[string, number, string, string, number]>(
      `UPDATE courses SET current_version_id = ?, current_version_number = ?, updated_at = ?
       WHERE id = ? AND (current_version_number IS NULL OR current_version_number < ?)`,
    ),
  };

  const writeVersion = (v: CourseVersion): void => {
    q.insertVersion.run(
      v.id, v.courseId, v.number, v.format, v.edition ?? null, v.fileSetId, v.sha256, v.bytes,
      v.uploadedBy, v.createdAt, JSON.stringify(v.model), JSON.stringify(v.report),
    );
  };

  const insertCourseTx = db.transaction((c: Course, v: CourseVersion) => {
    q.insertCourse.run(
      c.id, c.orgId, c.slug ?? null, c.title, c.description, c.language, c.estimatedMinutes ?? null,
      c.provider, c.ceCredits ?? null, JSON.stringify(c.competencies), c.state, c.currentVersionId ?? null,
      c.currentVersionNumber ?? null, c.createdAt, c.updatedAt,
    );
    writeVersion(v);
  });

  return {
    async insertCourse(course, firstVersion) {
      try {
        insertCourseTx(course, firstVersion);
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw conflict(`course id ${course.id}, version id ${firstVersion.id} or slug ${course.slug ?? '(none)'} in organization ${course.orgId} already exists`);
        }
        throw err;
      }
    },
    async findCourse(id) {
      const r = q.course.get(id);
      return r ? toCourse(r) : undefined;
    },
    async findCourseBySlug(orgId, slug) {
      const r = q.courseBySlug.get(orgId, slug);
      return r ? toCourse(r) : undefined;
    },
    async findCourses(filter) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (filter.orgIds !== undefined) {
        if (filter.orgIds.length === 0) return [];
        where.push(`org_id IN (${filter.orgIds.map(() => '?').join(', ')})`);
        args.push(...filter.orgIds);
      }
      if (filter.states !== undefined) {
        if (filter.states.length === 0) return [];
        where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
        args.push(...filter.states);
      }
      let sql = `SELECT * FROM courses${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY title COLLATE NOCASE, id`;
      if (filter.limit !== undefined) {
        sql += ' LIMIT ?';
        args.push(Math.max(0, Math.trunc(filter.limit)));
      }
      return db.prepare<(string | number)[], CourseRow>(sql).all(...args).map(toCourse);
    },
    async updateCourse(id, patch) {
      const sets: string[] = [];
      const args: (string | number | null)[] = [];
      for (const [field, column] of Object.entries(COURSE_COLUMNS) as [keyof typeof COURSE_COLUMNS, string][]) {
        const value = patch[field];
        if (value === undefined) continue;
        sets.push(`${column} = ?`);
        args.push(field === 'competencies' ? JSON.stringify(value) : (value as string | number | null));
      }
      try {
        db.prepare(`UPDATE courses SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(`slug ${String(patch.slug)} is already used by another course of the organization`);
        throw err;
      }
      const r = q.course.get(id);
      return r ? toCourse(r) : undefined;
    },
    async insertVersion(version) {
      try {
        writeVersion(version);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(`version id ${version.id} or version ${version.number} of course ${version.courseId} already exists`);
        throw err;
      }
    },
    async findVersion(id) {
      const r = q.version.get(id);
      if (!r) return undefined;
      return { ...toInfo(r), model: JSON.parse(r.model) as CourseModel, report: JSON.parse(r.report) as ValidationReport };
    },
    async findVersions(courseId) {
      return q.versions.all(courseId).map(toInfo);
    },
    async findFileSetIds(fileSetIds) {
      const unique = [...new Set(fileSetIds)];
      const out: string[] = [];
      // Chunks stay under SQLite's bound-parameter limit.
      for (let i = 0; i < unique.length; i += 500) {
        const chunk = unique.slice(i, i + 500);
        const rows = db
          .prepare<string[], { file_set_id: string }>(`SELECT DISTINCT file_set_id FROM course_versions WHERE file_set_id IN (${chunk.map(() => '?').join(',')})`)
          .all(...chunk);
        out.push(...rows.map((r) => r.file_set_id));
      }
      return out;
    },
    async updateCourseCurrentVersion(courseId, version, updatedAt) {
      return q.moveCurrent.run(version.id, version.number, updatedAt, courseId, version.number).changes > 0;
    },
  };
}
