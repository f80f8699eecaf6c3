/**
 * A cmi5 course structure uploaded as a bare XML file, without a zip (cmi5 14.0: the LMS imports
 * "a course structure XML file" as well as Zip32 and Zip64; 14.2: its AU URLs are then all fully
 * qualified). ADL's LMS test suite imports its 1,001-AU course this way. The upload is told apart
 * from a zip by its first bytes, not by its media type or name, which clients get wrong.
 */
import { open, readFile } from 'node:fs/promises';
import type { Cmi5CourseModel, ValidationReport } from './course-model';
import { DEFAULT_MAX_MANIFEST_BYTES, parsePackage } from './manifest';

/** The name the structure is stored under in its version's file set (cmi5 13.2 names it so). */
export const COURSE_STRUCTURE_FILE = 'cmi5.xml';

/**
 * True when the file starts like an XML document (after a UTF-8 byte order mark and white space):
 * `<`. A zip starts with `PK`; anything else is left to the zip reader, which says why it is none.
 */
export async function isXmlUpload(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    let text = head.subarray(0, bytesRead).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text.trimStart().startsWith('<');
  } finally {
    await handle.close();
  }
}

/** A parsed bare course structure: its model and report, and the text to store. */
export interface CourseStructureUpload {
  readonly model?: Cmi5CourseModel;
  readonly report: ValidationReport;
  readonly text: string;
}

/**
 * Reads and parses an uploaded course structure (at most the manifest size cap). Only cmi5 has a
 * package form without a zip, so the XML must be a cmi5 `<courseStructure>`.
 */
export async function parseCourseStructureUpload(path: string, bytes: number): Promise<CourseStructureUpload> {
  if (bytes > DEFAULT_MAX_MANIFEST_BYTES) {
    const message = `the XML file is ${bytes} bytes; course structures larger than ${DEFAULT_MAX_MANIFEST_BYTES} bytes are refused`;
    return { report: { errors: [{ code: 'manifest_too_large', message, path: '/' }], warnings: [] }, text: '' };
  }
  const text = await readFile(path, 'utf8');
  // A SCORM or xAPI manifest sent alone is refused by the root check ("<manifest>, not <courseStructure>").
  const parsed = parsePackage('cmi5', text, new Set(), { manifestPath: COURSE_STRUCTURE_FILE, bare: true });
  const model = parsed.model?.format === 'cmi5' ? parsed.model : undefined;
  return { ...(model ? { model } : {}), report: parsed.report, text };
}
