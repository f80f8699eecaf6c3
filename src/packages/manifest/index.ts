/**
 * Package understanding: recognise the format from the file list, parse the manifest into the
 * course model, and report what is wrong. Pure: no I/O beyond the arguments.
 */

import type { CourseModel, PackageFormat, ValidationReport } from '../course-model';
import { parseCmi5Manifest } from './cmi5';
import { detectPackage, type ManifestFamily } from './detect';
import { Reporter } from './report';
import { parseScormManifest } from './scorm';
import { parseTinCanManifest } from './tincan';
import { DEFAULT_MAX_MANIFEST_BYTES, parseXml } from './xml';

export { detectPackage, type DetectResult, type ManifestFamily } from './detect';
export { toScormAgainSequencing } from './scorm-again';
export type * from './scorm-again-types';
export { appendParameters, isAbsoluteIri } from './paths';
export { DEFAULT_MAX_MANIFEST_BYTES } from './xml';

/** Result of {@link parsePackage}: a model when there are no errors, always a report. */
export interface ParseResult {
  /** The course model; undefined when the manifest was too broken to model at all. */
  model?: CourseModel;
  /** Errors (refuse the package; `model` may still be present to show context) and warnings. */
  report: ValidationReport;
}

/** Options for {@link parsePackage}. */
export interface ParseOptions {
  /** Path of the manifest in the package (default: the family's standard root file name). */
  manifestPath?: string;
  /** Size cap for the manifest text (default {@link DEFAULT_MAX_MANIFEST_BYTES}). */
  maxManifestBytes?: number;
  /** cmi5 only: the course structure came without a zip (cmi5 14.2), so it has no files. */
  bare?: boolean;
}

const DEFAULT_NAME: Record<ManifestFamily, string> = { scorm: 'imsmanifest.xml', tincan: 'tincan.xml', cmi5: 'cmi5.xml' };

/**
 * Parses a manifest. `format` is the family from {@link detectPackage} ('scorm' decides 1.2 vs 2004
 * itself) or an exact format; `files` is every file path in the package (root-relative, `/`-separated),
 * used to check launch files. The package must be refused when `report.errors` is not empty.
 */
export function parsePackage(format: PackageFormat | ManifestFamily, manifestXml: string, files: ReadonlySet<string>, options: ParseOptions = {}): ParseResult {
  const family: ManifestFamily = format === 'scorm12' || format === 'scorm2004' ? 'scorm' : format;
  const manifestPath = options.manifestPath ?? DEFAULT_NAME[family];
  const rep = new Reporter();
  const parsed = parseXml(manifestXml, manifestPath, options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES);
  if (!parsed.ok) {
    rep.errors.push(parsed.issue);
    return { report: rep.report() };
  }
  const model =
    family === 'scorm'
      ? parseScormManifest(parsed.root, manifestPath, files, rep)
      : family === 'tincan'
        ? parseTinCanManifest(parsed.root, manifestPath, files, rep)
        : parseCmi5Manifest(parsed.root, manifestPath, files, rep, { bare: options.bare ?? false });
  if (model && (format === 'scorm12' || format === 'scorm2004') && model.format !== format) {
    rep.warn('format_mismatch', `expected ${format} but the manifest describes ${model.format}`, '/manifest');
  }
  return model ? { model, report: rep.report() } : { report: rep.report() };
}

/**
 * Convenience for the zip intake: detect, read the manifest through `readText`, parse. A refusal by
 * detection comes back as a report with one error.
 */
export function analysePackage(files: ReadonlySet<string>, readText: (path: string) => string, options: Omit<ParseOptions, 'manifestPath'> = {}): ParseResult {
  const detected = detectPackage(files);
  if (!detected.ok) return { report: { errors: [detected.reason], warnings: [] } };
  const result = parsePackage(detected.family, readText(detected.manifestPath), files, { ...options, manifestPath: detected.manifestPath });
  return { ...result, report: { errors: result.report.errors, warnings: [...detected.warnings, ...result.report.warnings] } };
}
