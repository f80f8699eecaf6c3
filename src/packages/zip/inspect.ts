import type yauzl from 'yauzl';
import { badRequest } from '../../errors';
import { decodeEntryName, openArchive } from './archive';
import { collisionKey, safeEntryPath, specialFileType } from './entry-name';
import { resolveLimits, type ResolvedZipLimits } from './limits';
import type { ZipEntryInfo, ZipLimits, ZipListing } from './types';

const show = (name: string): string => JSON.stringify(name);
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Checks one central-directory record that needs no knowledge of the others. */
function checkEntry(entry: yauzl.Entry, name: string, limits: ResolvedZipLimits): void {
  if ((entry.generalPurposeBitFlag & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0) {
    throw badRequest(`package zip: entry ${show(name)} is encrypted; upload a zip without a password`);
  }
  const special = specialFileType(entry.externalFileAttributes);
  if (special !== undefined) throw badRequest(`package zip: entry ${show(name)} is a ${special}; only files and folders are accepted`);
  if (entry.compressionMethod !== METHOD_STORED && entry.compressionMethod !== METHOD_DEFLATED) {
    throw badRequest(`package zip: entry ${show(name)} uses compression method ${entry.compressionMethod}; only stored (0) and deflate (8) are supported`);
  }
  if (entry.compressionMethod === METHOD_STORED && entry.compressedSize !== entry.uncompressedSize) {
    throw badRequest(`package zip is corrupt: stored entry ${show(name)} declares ${entry.compressedSize} compressed bytes but ${entry.uncompressedSize} uncompressed bytes`);
  }
  if (entry.uncompressedSize > limits.maxEntryBytes) {
    throw badRequest(`package zip: entry ${show(name)} is ${mib(entry.uncompressedSize)} uncompressed, above the limit of ${mib(limits.maxEntryBytes)} per entry`);
  }
  if (entry.uncompressedSize > limits.ratioFloorBytes && entry.uncompressedSize > entry.compressedSize * limits.maxCompressionRatio) {
    const ratio = entry.compressedSize === 0 ? 'infinite' : (entry.uncompressedSize / entry.compressedSize).toFixed(0);
    throw badRequest(`package zip: entry ${show(name)} has a compression ratio of ${ratio}, above the limit of ${limits.maxCompressionRatio} (zip bomb guard)`);
  }
}

/**
 * Reads the central directory of the zip at `filePath` and checks every entry against the rules a
 * package must follow, without extracting anything. Throws AppError bad_request (naming the entry
 * and the rule) for: paths that climb out, symlinks and other special files, duplicate or
 * case/NFC-colliding names, a name used both as a file and a folder, encrypted entries,
 * unsupported compression methods, more entries / bytes / compression than `limits` allow,
 * overlapping or out-of-bounds entry data, local headers that disagree with the central directory,
 * and archives whose structure is unreadable. zip64 archives are read like any other.
 */
export async function inspectZip(filePath: string, limits: ZipLimits): Promise<ZipListing> {
  const lim = resolveLimits(limits);
  const archive = await openArchive(filePath);
  try {
    if (archive.entryCount > lim.maxEntries) {
      throw badRequest(`package zip has ${archive.entryCount} entries, above the limit of ${lim.maxEntries}`);
    }
    const entries: ZipEntryInfo[] = [];
    const byKey = new Map<string, { name: string; isDirectory: boolean }>();
    const localOffsets: { offset: number; end: number; name: string }[] = [];
    let total = 0;
    let fileCount = 0;
    for await (const entry of archive.entries()) {
      const name = decodeEntryName(entry);
      const safe = safeEntryPath(name);
      checkEntry(entry, name, lim);
      total += entry.uncompressedSize;
      if (total > lim.maxUncompressedBytes) {
        throw badRequest(`package zip expands to more than ${mib(lim.maxUncompressedBytes)} (limit on uncompressed size), reached at entry ${show(name)}`);
      }
      if (safe.path !== '') {
        const key = collisionKey(safe.path);
        const seen = byKey.get(key);
        if (seen !== undefined) {
          // The same folder listed twice is harmless; anything else would overwrite or shadow a file.
          if (!(seen.isDirectory && safe.isDirectory)) {
            const how = seen.name === name ? 'appears twice' : `collides with entry ${show(seen.name)} (names differ only in case or Unicode form)`;
            throw badRequest(`package zip: entry ${show(name)} ${how}`);
          }
        } else {
          byKey.set(key, { name, isDirectory: safe.isDirectory });
        }
      }
      const dataOffset = await archive.dataOffset(entry, name);
      if (dataOffset + entry.compressedSize > archive.centralDirectoryOffset) {
        throw badRequest(`package zip is corrupt: the data of entry ${show(name)} runs into the central directory`);
      }
      localOffsets.push({ offset: entry.relativeOffsetOfLocalHeader, end: dataOffset + entry.compressedSize, name });
      if (!safe.isDirectory) fileCount += 1;
      entries.push({
        name,
        path: safe.path,
        isDirectory: safe.isDirectory,
        size: entry.uncompressedSize,
        compressedSize: entry.compressedSize,
        crc32: entry.crc32,
        compressionMethod: entry.compressionMethod as 0 | 8,
        dataOffset,
      });
    }
    checkFoldersAreNotFiles(entries, byKey);
    checkNoOverlap(localOffsets);
    if (total > lim.ratioFloorBytes && total > archive.fileSize * lim.maxCompressionRatio) {
      throw badRequest(`package zip expands ${(total / Math.max(archive.fileSize, 1)).toFixed(0)} times its size, above the compression ratio limit of ${lim.maxCompressionRatio} (zip bomb guard)`);
    }
    return { archiveBytes: archive.fileSize, entries, fileCount, totalUncompressedBytes: total };
  } finally {
    archive.close();
  }
}

/** "a" as a file and "a/b" as another entry cannot both be written to a folder store. */
function checkFoldersAreNotFiles(entries: readonly ZipEntryInfo[], byKey: ReadonlyMap<string, { name: string; isDirectory: boolean }>): void {
  for (const e of entries) {
    const parts = e.path.split('/');
    for (let i = 1; i < parts.length; i += 1) {
      const parent = byKey.get(collisionKey(parts.slice(0, i).join('/')));
      if (parent !== undefined && !parent.isDirectory) {
        throw badRequest(`package zip: entry ${show(e.name)} needs a folder where entry ${show(parent.name)} is a file`);
      }
    }
  }
}

/**
 * Overlapping entries (several central records pointing into the same compressed bytes) are the
 * trick of the "non-recursive" zip bombs; no archiver writes them, so refuse them outright.
 */
function checkNoOverlap(ranges: { offset: number; end: number; name: string }[]): void {
  const sorted = [...ranges].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i += 1) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.offset < prev.end) {
      throw badRequest(`package zip is corrupt: entries ${show(prev.name)} and ${show(cur.name)} overlap`);
    }
  }
}
