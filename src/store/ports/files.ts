/**
 * Package files: immutable file sets written once at import and read by the content origin.
 * Paths are `<fileSetId>/<path inside the package>`, "/"-separated, relative, without empty, "."
 * or ".." segments and without backslashes or NUL; adapters refuse anything else with
 * AppError('bad_request'), so no path can reach outside the store.
 */
import type { Readable } from 'node:stream';

/** What the store knows about one file. */
export interface FileInfo {
  /** Size in bytes. */
  readonly size: number;
  /** ISO time the file was written. */
  readonly modifiedAt: string;
  /** Strong validator, quoted as in an ETag header; changes whenever the content could have. */
  readonly etag: string;
  /** Media type given to put, when the adapter keeps it. */
  readonly contentType?: string;
}

/** A byte range, both ends inclusive (as in an HTTP Range header). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** A file being read. The caller must consume or destroy `stream`. */
export interface FileRead {
  readonly info: FileInfo;
  readonly stream: Readable;
}

/** A file set as the store holds it: the first segment of its paths. */
export interface FileSetInfo {
  readonly id: string;
  /** ISO time of the newest file written under it. */
  readonly modifiedAt: string;
}

/** The file-store port; adapters: folder (src/store/files/folder.ts) and GridFS (gridfs.ts). */
export interface FileStore {
  /** 'folder' or 'gridfs', for logs. */
  readonly kind: 'folder' | 'gridfs';
  /**
   * Writes a file from a stream, replacing any file at that path; resolves with the bytes written
   * once the file is durable and visible whole (readers never see half a file).
   */
  put(path: string, body: Readable, contentType?: string): Promise<{ readonly size: number }>;
  /**
   * Reads a file, or the inclusive byte range of it (the caller checks the range against stat's
   * size first); undefined when there is no file at the path.
   */
  get(path: string, range?: ByteRange): Promise<FileRead | undefined>;
  /** undefined when there is no file at the path (folders are not files). */
  stat(path: string): Promise<FileInfo | undefined>;
  /** Deletes every file under `prefix/`; idempotent (an unknown prefix is no error). */
  deleteTree(prefix: string): Promise<void>;
  /**
   * Every file set (first path segment) with the time of its newest file, in no particular order;
   * [] when empty. Reads the whole store: for the start-up sweep, never for a request.
   */
  findFileSets(): Promise<FileSetInfo[]>;
  /**
   * Removes what writes interrupted by a crash left behind (a process killed during put): the
   * folder's staged files, GridFS chunks whose file document was never written. Only pieces last
   * written before `before` (ISO time) go, so writes in progress elsewhere are safe. Returns how
   * many pieces were removed; idempotent.
   */
  deleteAbandonedWrites(before: string): Promise<number>;
  /** Releases connections; idempotent. */
  close(): Promise<void>;
}
