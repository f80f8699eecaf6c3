import fs from 'node:fs/promises';
import { badRequest } from '../../errors';
import { openEntryStream, type ArchiveFile } from './entry-stream';
import type { ZipEntryInfo, ZipEntrySink, ZipListing } from './types';

async function extractEntry(file: ArchiveFile, entry: ZipEntryInfo, sink: ZipEntrySink): Promise<void> {
  const { stream, verified } = openEntryStream(file, entry);
  let streamError: unknown;
  stream.on('error', (err) => {
    streamError ??= err;
  });
  try {
    await sink(entry.path, stream);
  } catch (err) {
    stream.destroy();
    // The sink usually fails *because* the entry stream failed; report the zip's reason then.
    throw streamError ?? err;
  }
  if (streamError !== undefined) throw streamError;
  if (!verified()) {
    stream.destroy();
    throw new Error(`zip sink returned before consuming entry ${JSON.stringify(entry.path)}`);
  }
}

/**
 * Streams every file entry of an archive that passed inspectZip to `sink`, one at a time, in
 * central-directory order (folders are not passed; they are implied by the file paths). Each
 * stream yields the entry's inflated bytes and fails with bad_request when they break the declared
 * size (checked byte by byte, so a lying header stops early) or CRC-32.
 *
 * Contract: extractZip never deletes anything. When it rejects, the sink has already been called
 * for some paths (possibly partially written); the caller must delete them. extractZipOrUndo does
 * that bookkeeping.
 */
export async function extractZip(filePath: string, listing: ZipListing, sink: ZipEntrySink): Promise<void> {
  const handle = await fs.open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    if (size !== listing.archiveBytes) throw badRequest('package zip changed after it was inspected');
    for (const entry of listing.entries) {
      if (!entry.isDirectory) await extractEntry({ path: filePath, handle }, entry, sink);
    }
  } finally {
    await handle.close();
  }
}

/**
 * extractZip that cleans up after itself: when extraction fails, `undo` is called with every entry
 * path handed to the sink so far (the last one possibly partial), then the extraction error is
 * rethrown. An error of `undo` itself is attached as `cause` of a wrapper only when there was no
 * extraction error to report; otherwise the original error wins (and undo's error is lost on
 * purpose: the caller can do nothing better than report the first failure).
 */
export async function extractZipOrUndo(
  filePath: string,
  listing: ZipListing,
  sink: ZipEntrySink,
  undo: (startedPaths: readonly string[]) => Promise<void>,
): Promise<void> {
  const started: string[] = [];
  try {
    await extractZip(filePath, listing, (entryPath, stream) => {
      started.push(entryPath);
      return sink(entryPath, stream);
    });
  } catch (err) {
    try {
      await undo(started);
    } catch {
      // keep the extraction error: it says why, undo's failure only says the cleanup was incomplete
    }
    throw err;
  }
}
