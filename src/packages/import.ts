/**
 * The import pipeline: a received zip becomes a stored file set plus a course model, or is refused
 * with a report and leaves nothing behind.
 *
 *   inspectZip → detectPackage → readZipEntryText(manifest) → parsePackage
 *     → errors? refuse (400 + report) → extractZip into the file store under a new fileSetId
 *     (deleted again on failure)
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import { AppError, isAppError } from '../errors';
import type { FileStore } from '../store/ports';
import type { CourseModel, Issue, PackageFormat, ValidationReport } from './course-model';
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
  constructor(report: ValidationReport, code: 'bad_request' | 'payload_too_large' = 'bad_request') {
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

/**
 * Runs the whole pipeline on a received upload (which the caller still owns and deletes). On
 * success the files are stored under the returned fileSetId; the caller deletes that tree if it
 * cannot record the version.
 */
export async function importPackage(deps: ImportDeps, upload: ReceivedUpload): Promise<ImportedPackage> {
  const { listing, model, report } = await analyseUpload(deps, upload);
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
