import fsp from 'node:fs/promises';
import yauzl from 'yauzl';
import { badRequest, isAppError, type AppError } from '../../errors';
import { CachedFileReader } from './cached-reader';

/**
 * Thin promise wrapper over yauzl's central-directory reader. yauzl runs with decodeStrings off so
 * that our own name checks (entry-name.ts) see every name and word the refusal, and with its size
 * validation off because extract.ts enforces sizes and CRC itself.
 */

/** An open archive; `close()` must be called (it is idempotent). */
export interface OpenArchive {
  readonly entryCount: number;
  readonly fileSize: number;
  /** Where the central directory starts: every entry's data must end before it. */
  readonly centralDirectoryOffset: number;
  /** Entries in central-directory order. */
  entries(): AsyncGenerator<yauzl.Entry>;
  /** Reads and checks the local header of an entry; returns where its data starts. */
  dataOffset(entry: yauzl.Entry, name: string): Promise<number>;
  close(): void;
}

/** Wraps a yauzl/fs error into a bad_request that says the archive is unreadable. */
export function corrupt(err: unknown, context = ''): AppError {
  if (isAppError(err)) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return badRequest(`package zip is corrupt or truncated${context}: ${msg}`);
}

/** Decodes a raw entry name the way the zip spec says (UTF-8 flag, Info-ZIP Unicode path, CP437). */
export function decodeEntryName(entry: yauzl.Entry): string {
  // strictFileNames=true keeps backslashes, so safeEntryPath can refuse them.
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
}

/** Opens an archive from disk; throws bad_request when it has no readable end record. */
export async function openArchive(filePath: string): Promise<OpenArchive> {
  const file = await fsp.open(filePath, 'r');
  let zip: yauzl.ZipFile;
  try {
    const { size } = await file.stat();
    zip = await yauzl.fromRandomAccessReaderPromise(new CachedFileReader(filePath, file, size), size, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: false,
      strictFileNames: true,
    });
  } catch (err) {
    await file.close().catch(() => undefined);
    throw corrupt(err);
  }
  // yauzl keeps the central directory start as its read cursor until the first entry is read.
  const centralDirectoryOffset = (zip as unknown as { readEntryCursor: number }).readEntryCursor;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    zip.close();
  };
  // yauzl's async iterator throws on errors; its ZipFile also emits them, so keep one listener.
  zip.on('error', () => undefined);

  async function* entries(): AsyncGenerator<yauzl.Entry> {
    try {
      for await (const entry of zip.eachEntry()) yield entry;
    } catch (err) {
      throw corrupt(err);
    }
  }

  async function dataOffset(entry: yauzl.Entry, name: string): Promise<number> {
    let local: yauzl.LocalFileHeader;
    try {
      local = await zip.readLocalFileHeaderPromise(entry);
    } catch (err) {
      throw corrupt(err, ` at entry ${JSON.stringify(name)}`);
    }
    // A local header that disagrees with the central directory is how "ambiguous" zips smuggle a
    // different file past a scanner that reads the other copy; refuse rather than pick one.
    if (!local.fileName.equals(entry.fileNameRaw) || local.compressionMethod !== entry.compressionMethod || (local.generalPurposeBitFlag & 1) !== (entry.generalPurposeBitFlag & 1)) {
      throw badRequest(`package zip is corrupt: the local header of entry ${JSON.stringify(name)} does not match the central directory`);
    }
    return local.fileDataStart;
  }

  return { entryCount: zip.entryCount, fileSize: zip.fileSize, centralDirectoryOffset, entries, dataOffset, close };
}
