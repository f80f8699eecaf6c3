/**
 * Courses and their versions. A course is the catalog entry of an organization; each upload of its
 * package adds an immutable version (registrations bind to a version, so a learner who started on
 * version 1 finishes on it while new learners start on the current one).
 */
import type { CourseModel, PackageFormat, ValidationReport } from '../../packages/course-model';

/** Only published courses reach learners; retired ones stay for history and old registrations. */
export type CourseState = 'draft' | 'published' | 'retired';

/** The catalog entry of a course. */
export interface Course {
  readonly id: string;
  /** Owning organization. */
  readonly orgId: string;
  /** URL-safe short name, unique within the organization when set. */
  readonly slug?: string;
  readonly title: string;
  readonly description: string;
  /** Language tag of the course (BCP 47), e.g. `en` or `fr-CA`. */
  readonly language: string;
  /** Estimated time to complete, minutes. */
  readonly estimatedMinutes?: number;
  /** Name of the organization that provides the course (defaults to the owning organization's name). */
  readonly provider: string;
  /** Continuing-education credits awarded on completion. */
  readonly ceCredits?: number;
  /** Ids of the competencies the course develops (empty until competencies exist). */
  readonly competencies: readonly string[];
  readonly state: CourseState;
  /** The version new learners start on; set from the first upload on. */
  readonly currentVersionId?: string;
  /** Number of the current version (1, 2, ...). */
  readonly currentVersionNumber?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A version without its (possibly large) model and report: what lists show. */
export interface CourseVersionInfo {
  readonly id: string;
  readonly courseId: string;
  /** 1 for the first upload, then 2, 3, ...; unique per course. */
  readonly number: number;
  readonly format: PackageFormat;
  /** SCORM edition when the format is SCORM. */
  readonly edition?: string;
  /** Prefix of the version's files in the file store (`<fileSetId>/<path inside the zip>`). */
  readonly fileSetId: string;
  /** Hex SHA-256 of the uploaded zip. */
  readonly sha256: string;
  /** Size of the uploaded zip, bytes. */
  readonly bytes: number;
  /** User id of the uploader. */
  readonly uploadedBy: string;
  readonly createdAt: string;
}

/** One immutable upload of a course's package, with what its manifest says. */
export interface CourseVersion extends CourseVersionInfo {
  /** The parsed manifest (stored as JSON text: MongoDB-compatible servers refuse dotted keys). */
  readonly model: CourseModel;
  /** Validation findings of the import (only warnings: a package with errors is never stored). */
  readonly report: ValidationReport;
}

/** Catalog fields an author may change; `null` clears an optional field. */
export interface CoursePatch {
  readonly slug?: string | null;
  readonly title?: string;
  readonly description?: string;
  readonly language?: string;
  readonly estimatedMinutes?: number | null;
  readonly provider?: string;
  readonly ceCredits?: number | null;
  readonly competencies?: readonly string[];
  readonly state?: CourseState;
  /** Required: every change moves updatedAt. */
  readonly updatedAt: string;
}

/** Which courses to list. */
export interface CourseFilter {
  /** Only courses of these organizations (an empty array matches nothing). */
  readonly orgIds?: readonly string[];
  /** Only courses in these states. */
  readonly states?: readonly CourseState[];
  /** At most this many (default: all). */
  readonly limit?: number;
}

export interface CourseStore {
  /**
   * Stores a new course together with its first version (the course's currentVersionId must be
   * that version's id). Throws AppError('conflict') when the course id, version id or the slug
   * within the organization exists; then neither is stored.
   */
  insertCourse(course: Course, firstVersion: CourseVersion): Promise<void>;
  /** undefined when none. */
  findCourse(id: string): Promise<Course | undefined>;
  /** The course of an organization with this slug; undefined when none. */
  findCourseBySlug(orgId: string, slug: string): Promise<Course | undefined>;
  /** Courses matching the filter, ordered by title (case-insensitive), then id. */
  findCourses(filter: CourseFilter): Promise<Course[]>;
  /**
   * Applies a partial update and returns the updated course; undefined when the course does not
   * exist. Throws AppError('conflict') when the new slug is taken in the organization.
   */
  updateCourse(id: string, patch: CoursePatch): Promise<Course | undefined>;

  /**
   * Adds a version to an existing course. Throws AppError('conflict') when the id or the
   * (courseId, number) pair exists, so two racing uploads cannot both become version n.
   * Does not change the course's current version (see updateCourseCurrentVersion).
   */
  insertVersion(version: CourseVersion): Promise<void>;
  /** undefined when none. */
  findVersion(id: string): Promise<CourseVersion | undefined>;
  /** Versions of a course without model and report, newest (highest number) first; [] when none. */
  findVersions(courseId: string): Promise<CourseVersionInfo[]>;
  /**
   * Which of `fileSetIds` some stored version uses as its fileSetId (each once, no order); [] when
   * none. A file set no version names is not committed: the content origin never serves it and
   * the start-up sweep removes it (issue 11).
   */
  findFileSetIds(fileSetIds: readonly string[]): Promise<string[]>;
  /**
   * Makes `version` the course's current version when its number is higher than the current
   * one's (a slower, older upload never replaces a newer one); sets updatedAt. Returns whether it
   * changed anything.
   */
  updateCourseCurrentVersion(courseId: string, version: { readonly id: string; readonly number: number }, updatedAt: string): Promise<boolean>;
}
