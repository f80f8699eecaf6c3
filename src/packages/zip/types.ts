import type { Readable } from 'node:stream';

/**
 * Limits applied to a package zip before and while it is read. Declared sizes are checked by
 * inspectZip; actual inflated bytes are checked again by extractZip/readZipEntryText, so a header
 * that lies cannot get more bytes through than it declared.
 */
export interface ZipLimits {
  /** Most entries (files and folders) one archive may hold. */
  readonly maxEntries: number;
  /** Most uncompressed bytes of all entries together. */
  readonly maxUncompressedBytes: number;
  /** Most uncompressed bytes of one entry (defaults to maxUncompressedBytes). */
  readonly maxEntryBytes?: number;
  /** Highest uncompressed/compressed ratio of one entry, and of the whole archive (size on disk). */
  readonly maxCompressionRatio: number;
  /**
   * Ratios are only judged above this many uncompressed bytes (per entry, and for the archive), so
   * small, very compressible files (a blank stylesheet, a padded text file) do not refuse a package.
   * Default 1 MiB.
   */
  readonly ratioFloorBytes?: number;
}

/** One entry of a checked archive. */
export interface ZipEntryInfo {
  /** The name as stored in the archive (decoded: UTF-8 when flagged, else CP437). */
  readonly name: string;
  /**
   * The safe relative path: NFC-normalized, "/"-separated, no leading "./", no empty or "."
   * segments, no trailing "/" (folders are marked by isDirectory). Use this, never `name`.
   */
  readonly path: string;
  readonly isDirectory: boolean;
  /** Uncompressed size declared by the central directory (enforced on extraction). */
  readonly size: number;
  /** Compressed size declared by the central directory. */
  readonly compressedSize: number;
  /** CRC-32 declared by the central directory (verified on extraction). */
  readonly crc32: number;
  /** 0 stored or 8 deflated; nothing else passes inspectZip. */
  readonly compressionMethod: 0 | 8;
  /** Byte offset of the entry's data in the archive file (after its local header). */
  readonly dataOffset: number;
}

/** What inspectZip found in an archive that passed every check. */
export interface ZipListing {
  /** Size of the archive file in bytes. */
  readonly archiveBytes: number;
  /** Every entry (files and folders) in central-directory order. */
  readonly entries: readonly ZipEntryInfo[];
  /** Number of file (non-folder) entries. */
  readonly fileCount: number;
  /** Sum of the declared uncompressed sizes. */
  readonly totalUncompressedBytes: number;
}

/**
 * Receives one file entry. It must consume `stream` to its end (or fail); the stream errors with an
 * AppError (bad_request) when the entry's actual bytes break its declared size or CRC.
 */
export type ZipEntrySink = (entryPath: string, stream: Readable) => Promise<void>;
