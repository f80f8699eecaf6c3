import fs from 'node:fs/promises';
import { badRequest } from '../../errors';
import { decodeEntryName, openArchive } from './archive';
import { safeEntryPath } from './entry-name';
import { openEntryStream } from './entry-stream';
import type { ZipEntryInfo, ZipListing } from './types';

const show = (name: string): string => JSON.stringify(name);

/** Finds a file entry by safe path by walking the central directory (no full inspection). */
async function findEntry(filePath: string, wanted: string): Promise<ZipEntryInfo | undefined> {
  const archive = await openArchive(filePath);
  try {
    for await (const entry of archive.entries()) {
      const name = decodeEntryName(entry);
      let safePath: string;
      try {
        const safe = safeEntryPath(name);
        if (safe.isDirectory) continue;
        safePath = safe.path;
      } catch {
        continue; // an unsafe name cannot be the wanted one; inspectZip refuses the archive anyway
      }
      if (safePath !== wanted) continue;
      if ((entry.generalPurposeBitFlag & 0x41) !== 0) throw badRequest(`package zip: entry ${show(name)} is encrypted; upload a zip without a password`);
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw badRequest(`package zip: entry ${show(name)} uses compression method ${entry.compressionMethod}; only stored (0) and deflate (8) are supported`);
      }
      return {
        name,
        path: safePath,
        isDirectory: false,
        size: entry.uncompressedSize,
        compressedSize: entry.compressedSize,
        crc32: entry.crc32,
        compressionMethod: entry.compressionMethod,
        dataOffset: await archive.dataOffset(entry, name),
      };
    }
    return undefined;
  } finally {
    archive.close();
  }
}

/**
 * Reads one file entry as UTF-8 text (a leading byte-order mark is dropped), for manifests.
 * `name` is matched against the safe entry path (so "./imsmanifest.xml" in the zip matches
 * "imsmanifest.xml"), case-sensitively. Returns undefined when there is no such file. Throws
 * bad_request when the entry is larger than `maxBytes` (declared or actual), encrypted, or corrupt.
 * Pass the listing from inspectZip to skip re-reading the central directory.
 */
export async function readZipEntryText(filePath: string, name: string, maxBytes: number, listing?: ZipListing): Promise<string | undefined> {
  const wanted = safeEntryPath(name).path;
  const entry = listing !== undefined ? listing.entries.find((e) => !e.isDirectory && e.path === wanted) : await findEntry(filePath, wanted);
  if (entry === undefined) return undefined;
  if (entry.size > maxBytes) {
    throw badRequest(`package zip: entry ${show(entry.name)} is ${entry.size} bytes, above the limit of ${maxBytes} bytes for this file`);
  }
  const handle = await fs.open(filePath, 'r');
  try {
    const { stream } = openEntryStream({ path: filePath, handle }, entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } finally {
    await handle.close();
  }
}
