/**
 * Package zip intake: check an uploaded zip without trusting it (inspectZip), then stream its
 * files out (extractZip / extractZipOrUndo) or read one small file (readZipEntryText).
 *
 *   const listing = await inspectZip(upload.path, zipLimitsFromConfig(config));
 *   const manifest = await readZipEntryText(upload.path, 'imsmanifest.xml', 4 << 20, listing);
 *   await extractZipOrUndo(upload.path, listing, sink, undo);
 */
export type { ZipEntryInfo, ZipEntrySink, ZipLimits, ZipListing } from './types';
export { inspectZip } from './inspect';
export { extractZip, extractZipOrUndo } from './extract';
export { readZipEntryText } from './read-entry';
export { createFolderSink, type FolderSink } from './folder-sink';
export { zipLimitsFromConfig, DEFAULT_RATIO_FLOOR_BYTES } from './limits';
export { safeEntryPath } from './entry-name';
