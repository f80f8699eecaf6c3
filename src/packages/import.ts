/**
 * The import pipeline: a received zip becomes a stored file set plus a course model, or is refused
 * with a report and leaves nothing behind.
 *
 *   inspectZip → detectPackage → readZipEntryText(manifest) → parsePackage
 *     → errors? refuse (400 + report) → extractZip into the file store under a new fileSetId
 *     (deleted again on failure)
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Config } from '../config';
import { AppError, isAppError } from '../errors';
import type { FileStore } from '../store/ports';
import type { CourseModel, Issue, PackageFormat, ValidationReport } from './course-model';
import { COURSE_STRUCTURE_FILE, isXmlUpload, parseCourseStructureUpload } from './course-structure-upload';
import { DEFAULT_MAX_MANIFEST_BYTES, detectPackage, parsePackage } from './manifest';
import { mimeTypeOf } from './mime';
import type { ReceivedUpload } from './upload';
import { extractZipOrUndo, inspectZip, readZipEntryText, zipLimitsFromConfig, type ZipListing } from './zip';

/**
 * A package refused by the checks: the status of the first reason (400, or 413 for a size
 * limit) plus the whole report, which the API returns and the author page shows.
 */
export class PackageRefused extends AppError {
  readonly report: ValidationReport;
  constructor(report: ValidationReport, code: 'bad_request' | 'payload_too_large' | 'conflict' = 'bad_request') {
    const first = report.errors[0]?.message ?? 'the package was refused';
    const more = report.errors.length > 1 ? ` (and ${report.errors.length - 1} more error${report.errors.length > 2 ? 's' : ''})` : '';
    super(code, `package refused: ${first}${more}`);
    this.name = 'PackageRefused';
    this.report = report;
  }
}

/** True for a PackageRefused (works across module copies in tests too). */
export function isPackageRefused(err: unknown): err is PackageRefused {
  return err instanceof PackageRefused;
}

/** A package that passed every check and whose files are in the file store. */
export interface ImportedPackage {
  /** Prefix of the package's files in the file store. */
  readonly fileSetId: string;
  readonly model: CourseModel;
  /** Warnings only (errors refuse the package). */
  readonly report: ValidationReport;
  readonly format: PackageFormat;
  /** SCORM edition for SCORM packages. */
  readonly edition?: string;
  readonly sha256: string;
  readonly bytes: number;
  /** Number of files stored. */
  readonly fileCount: number;
}

/** What the pipeline needs. */
export interface ImportDeps {
  readonly config: Pick<Config, 'maxZipEntries' | 'maxUncompressedBytes' | 'maxCompressionRatio'>;
  readonly files: FileStore;
}

/** A zip-level refusal (unsafe, corrupt, over a limit) as a report with one error. */
function zipRefusal(err: AppError): PackageRefused {
  const issue: Issue = { code: err.status === 413 ? 'zip_too_large' : 'zip_refused', message: err.message, path: '/' };
  return new PackageRefused({ errors: [issue], warnings: [] }, err.status === 413 ? 'payload_too_large' : 'bad_request');
}

async function checked<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (isAppError(err) && (err.status === 400 || err.status === 413) && !isPackageRefused(err)) throw zipRefusal(err);
    throw err;
  }
}

/** Checks and parses the zip without writing anything; throws PackageRefused with the report. */
export async function analyseUpload(deps: ImportDeps, upload: Pick<ReceivedUpload, 'path'>): Promise<{ listing: ZipListing; model: CourseModel; report: ValidationReport }> {
  const listing = await checked(() => inspectZip(upload.path, zipLimitsFromConfig(deps.config)));
  const files = new Set(listing.entries.filter((e) => !e.isDirectory).map((e) => e.path));
  const detected = detectPackage(files);
  if (!detected.ok) throw new PackageRefused({ errors: [detected.reason], warnings: [] });
  const text = await checked(() => readZipEntryText(upload.path, detected.manifestPath, DEFAULT_MAX_MANIFEST_BYTES, listing));
  if (text === undefined) {
    throw new PackageRefused({ errors: [{ code: 'no_manifest', message: `${detected.manifestPath} could not be read from the zip`, path: '/' }], warnings: [] });
  }
  const parsed = parsePackage(detected.family, text, files, { manifestPath: detected.manifestPath });
  const report: ValidationReport = { errors: parsed.report.errors, warnings: [...detected.warnings, ...parsed.report.warnings] };
  if (report.errors.length > 0 || parsed.model === undefined) {
    if (report.errors.length === 0) report.errors.push({ code: 'manifest_invalid', message: `${detected.manifestPath} describes no course`, path: '/' });
    throw new PackageRefused(report);
  }
  return { listing, model: parsed.model, report };
}

/** What the import checks before it writes any file (e.g. a new version's format against the course's). */
export type BeforeStore = (model: CourseModel, report: ValidationReport) => void | Promise<void>;

/** A bare cmi5 course structure (no zip): checked, then stored alone as the version's cmi5.xml. */
async function importCourseStructure(deps: ImportDeps, upload: ReceivedUpload, beforeStore: BeforeStore | undefined): Promise<ImportedPackage> {
  const { model, report, text } = await parseCourseStructureUpload(upload.path, upload.bytes);
  if (report.errors.length > 0 || model === undefined) {
    if (report.errors.length === 0) report.errors.push({ code: 'manifest_invalid', message: `${COURSE_STRUCTURE_FILE} describes no course`, path: '/' });
    throw new PackageRefused(report);
  }
  await beforeStore?.(model, report);
  const fileSetId = randomUUID();
  try {
    await deps.files.put(`${fileSetId}/${COURSE_STRUCTURE_FILE}`, Readable.from([Buffer.from(text, 'utf8')]), 'application/xml');
  } catch (err) {
    await deps.files.deleteTree(fileSetId).catch(() => undefined);
    throw err;
  }
  return { fileSetId, model, report, format: 'cmi5', sha256: upload.sha256, bytes: upload.bytes, fileCount: 1 };
}

/**
 * Runs the whole pipeline on a received upload (which the caller still owns and deletes): a zip
 * package, or a bare cmi5 course structure (XML). `beforeStore` may refuse the package after its
 * checks and before any file is written. On success the files are stored under the returned
 * fileSetId; the caller deletes that tree if it cannot record the version.
 */
export async function importPackage(deps: ImportDeps, upload: ReceivedUpload, beforeStore?: BeforeStore): Promise<ImportedPackage> {
  if (await isXmlUpload(upload.path)) return importCourseStructure(deps, upload, beforeStore);
  const { listing, model, report } = await analyseUpload(deps, upload);
  await beforeStore?.(model, report);
  const fileSetId = randomUUID();
  await checked(() =>
    extractZipOrUndo(
      upload.path,
      listing,
      async (entryPath, stream) => {
        await deps.files.put(`${fileSetId}/${entryPath}`, stream, mimeTypeOf(entryPath));
      },
      () => deps.files.deleteTree(fileSetId),
    ),
  );
  return {
    fileSetId,
    model,
    report,
    format: model.format,
    ...(model.format === 'scorm12' || model.format === 'scorm2004' ? { edition: model.edition } : {}),
    sha256: upload.sha256,
    bytes: upload.bytes,
    fileCount: listing.fileCount,
  };
}
